//! Procedural macros for the `anthropic` crate. Use them through `anthropic::tool`.

mod docs;

use proc_macro::TokenStream;
use proc_macro2::{Span, TokenStream as TokenStream2};
use quote::{format_ident, quote, quote_spanned};
use syn::ext::IdentExt;
use syn::spanned::Spanned;
use syn::{
    Attribute, Expr, ExprLit, FnArg, GenericArgument, ItemFn, Lit, LitStr, Meta, Pat,
    PathArguments, ReturnType, Type,
};

/// Turns a function into a tool Claude can call; see `anthropic::tool` for the documentation.
#[proc_macro_attribute]
pub fn tool(attr: TokenStream, item: TokenStream) -> TokenStream {
    match expand(attr.into(), item.into()) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

/// `#[tool(name = "…", description = "…", strict, crate = "…")]`.
#[derive(Default)]
struct Options {
    name: Option<LitStr>,
    description: Option<LitStr>,
    strict: bool,
    krate: Option<syn::Path>,
}

fn parse_options(attr: TokenStream2) -> syn::Result<Options> {
    let mut options = Options::default();
    let parser = syn::meta::parser(|meta| {
        if meta.path.is_ident("name") {
            options.name = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("description") {
            options.description = Some(meta.value()?.parse()?);
        } else if meta.path.is_ident("strict") {
            options.strict = true;
        } else if meta.path.is_ident("crate") {
            let path: LitStr = meta.value()?.parse()?;
            options.krate = Some(path.parse()?);
        } else {
            return Err(meta.error(
                "unknown #[tool] option; expected `name = \"…\"`, `description = \"…\"`, `strict` or `crate = \"…\"`",
            ));
        }
        Ok(())
    });
    syn::parse::Parser::parse2(parser, attr)?;
    Ok(options)
}

/// One argument of the tool function.
struct Arg {
    ident: syn::Ident,
    /// The JSON property name.
    name: String,
    /// The type whose schema describes the property (`T` for `Option<T>`).
    schema_ty: Type,
    /// The declared type.
    ty: Type,
    optional: bool,
}

fn doc_text(attr: &Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        Meta::NameValue(nv) => match &nv.value {
            Expr::Lit(ExprLit {
                lit: Lit::Str(s), ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    }
}

/// `Option<T>` (written `Option`, `std::option::Option` or `core::option::Option`) → `T`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    if path.qself.is_some() {
        return None;
    }
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first() {
        Some(GenericArgument::Type(inner)) if args.args.len() == 1 => Some(inner),
        _ => None,
    }
}

fn expand(attr: TokenStream2, item: TokenStream2) -> syn::Result<TokenStream2> {
    let options = parse_options(attr)?;
    let mut func: ItemFn = syn::parse2(item)?;
    let sig = &func.sig;
    if !sig.generics.params.is_empty() || sig.generics.where_clause.is_some() {
        return Err(syn::Error::new(
            sig.generics.span(),
            "#[tool] functions cannot be generic: the input schema is derived from concrete types",
        ));
    }
    if let Some(unsafety) = &sig.unsafety {
        return Err(syn::Error::new(
            unsafety.span(),
            "#[tool] functions cannot be `unsafe`",
        ));
    }
    if let Some(variadic) = &sig.variadic {
        return Err(syn::Error::new(
            variadic.span(),
            "#[tool] functions cannot be variadic",
        ));
    }
    if let Some(abi) = &sig.abi {
        return Err(syn::Error::new(
            abi.span(),
            "#[tool] functions cannot declare an ABI",
        ));
    }
    if let ReturnType::Default = sig.output {
        return Err(syn::Error::new(
            sig.ident.span(),
            "#[tool] functions must return what Claude sees: a `String`, or a `Result` of text or content blocks",
        ));
    }

    let krate: syn::Path = options
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::anthropic));
    let fn_ident = sig.ident.clone();
    let tool_name = options
        .name
        .as_ref()
        .map(LitStr::value)
        .unwrap_or_else(|| fn_ident.unraw().to_string());
    if tool_name.is_empty() {
        return Err(syn::Error::new(
            fn_ident.span(),
            "the tool name cannot be empty",
        ));
    }

    // Arguments, and the doc comments written on them (`/// …` before an argument).
    let mut args = Vec::new();
    let mut arg_docs: Vec<(String, String)> = Vec::new();
    for input in func.sig.inputs.iter_mut() {
        let typed = match input {
            FnArg::Receiver(receiver) => {
                return Err(syn::Error::new(
                    receiver.span(),
                    "#[tool] works on free functions; for a tool with state, implement `anthropic::tools::Tool`",
                ))
            }
            FnArg::Typed(typed) => typed,
        };
        let ident = match &*typed.pat {
            Pat::Ident(p) if p.subpat.is_none() && p.by_ref.is_none() => p.ident.clone(),
            other => {
                return Err(syn::Error::new(
                    other.span(),
                    "#[tool] arguments must be plain names (`city: String`): the name is the JSON property",
                ))
            }
        };
        let name = ident.unraw().to_string();
        let doc: Vec<String> = typed.attrs.iter().filter_map(doc_text).collect();
        typed.attrs.retain(|a| !a.path().is_ident("doc"));
        if !doc.is_empty() {
            let text = doc
                .iter()
                .map(|l| l.trim())
                .collect::<Vec<_>>()
                .join(" ")
                .trim()
                .to_owned();
            arg_docs.push((name.clone(), text));
        }
        let ty = (*typed.ty).clone();
        let (schema_ty, optional) = match option_inner(&ty) {
            Some(inner) => (inner.clone(), true),
            None => (ty.clone(), false),
        };
        args.push(Arg {
            ident,
            name,
            schema_ty,
            ty,
            optional,
        });
    }
    let mut seen = std::collections::HashSet::new();
    for arg in &args {
        if !seen.insert(arg.name.clone()) {
            return Err(syn::Error::new(arg.ident.span(), "duplicate argument name"));
        }
    }

    // The function's doc comment: its description and the `* `arg` - …` list.
    let doc_lines: Vec<String> = func.attrs.iter().filter_map(doc_text).collect();
    let names: Vec<String> = args.iter().map(|a| a.name.clone()).collect();
    let parsed = docs::parse(&doc_lines, &names);
    let description = options
        .description
        .as_ref()
        .map(LitStr::value)
        .unwrap_or(parsed.description);
    let mut descriptions = parsed.args;
    descriptions.extend(arg_docs);

    // Attributes: docs stay on the function that returns the tool; the others go with the code.
    let (doc_attrs, code_attrs): (Vec<Attribute>, Vec<Attribute>) =
        func.attrs.drain(..).partition(|a| a.path().is_ident("doc"));
    func.attrs = code_attrs;
    let vis = func.vis.clone();
    func.vis = syn::Visibility::Inherited;
    let is_async = func.sig.asyncness.is_some();

    let schema_args = args.iter().map(|arg| {
        let name = &arg.name;
        let ty = &arg.schema_ty;
        let required = !arg.optional;
        let description = match descriptions.iter().rev().find(|(n, _)| n == name) {
            Some((_, d)) => quote!(::core::option::Option::Some(#d)),
            None => quote!(::core::option::Option::None),
        };
        quote_spanned! {ty.span()=>
            __schema.arg::<#ty>(#name, #description, #required);
        }
    });
    let decode_args = args.iter().map(|arg| {
        let ident = &arg.ident;
        let name = &arg.name;
        let ty = &arg.ty;
        let schema_ty = &arg.schema_ty;
        if arg.optional {
            quote!(let #ident: #ty = __args.optional::<#schema_ty>(#name)?;)
        } else {
            quote!(let #ident: #ty = __args.required::<#ty>(#name)?;)
        }
    });
    let idents = args.iter().map(|a| &a.ident);
    let known = args.iter().map(|a| &a.name);
    let call = if is_async {
        quote!(#fn_ident(#(#idents),*).await)
    } else {
        quote!(#fn_ident(#(#idents),*))
    };
    let description_tokens = if description.is_empty() {
        quote!(::core::option::Option::None)
    } else {
        quote!(::core::option::Option::Some(#description))
    };
    let strict = if options.strict {
        quote!(::core::option::Option::Some(true))
    } else {
        quote!(::core::option::Option::None)
    };
    let note = format!(
        " Returns the tool `{tool_name}` (made by `#[tool]`): pass it to a tool runner or call it with a JSON input."
    );
    let doc_sep = if doc_attrs.is_empty() {
        quote!()
    } else {
        quote!(#[doc = ""])
    };
    let tool_struct = format_ident!("__AnthropicTool", span = Span::mixed_site());

    Ok(quote! {
        #(#doc_attrs)*
        #doc_sep
        #[doc = #note]
        #[must_use]
        #vis fn #fn_ident() -> #krate::tools::DynTool {
            #func

            struct #tool_struct;

            impl #krate::tools::Tool for #tool_struct {
                fn name(&self) -> &str {
                    #tool_name
                }

                fn description(&self) -> ::core::option::Option<&str> {
                    #description_tokens
                }

                fn input_schema(&self) -> #krate::tools::__private::JsonMap {
                    let mut __schema = #krate::tools::__private::ArgsSchema::new();
                    #(#schema_args)*
                    __schema.finish()
                }

                fn definition(&self) -> #krate::types::BetaToolUnion {
                    #krate::tools::__private::definition(
                        #tool_name,
                        #krate::tools::Tool::description(self),
                        #krate::tools::Tool::input_schema(self),
                        #strict,
                    )
                }

                fn call(
                    &self,
                    __input: #krate::tools::__private::JsonValue,
                ) -> impl ::core::future::Future<
                    Output = #krate::tools::Result<#krate::tools::ToolOutput>,
                > + ::core::marker::Send {
                    async move {
                        let mut __args = #krate::tools::__private::Args::new(
                            __input,
                            &[#(#known),*],
                        )?;
                        #(#decode_args)*
                        #krate::tools::IntoToolResult::into_tool_result(#call)
                    }
                }
            }

            #krate::tools::DynTool::new(#tool_struct)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error_of(attr: TokenStream2, item: TokenStream2) -> String {
        match expand(attr, item) {
            Ok(tokens) => panic!("expected an error, got {tokens}"),
            Err(e) => e.to_string(),
        }
    }

    #[test]
    fn unsupported_functions_are_refused_with_a_reason() {
        let cases = [
            (
                quote!(),
                quote!(
                    fn f<T>(x: T) -> String {
                        todo!()
                    }
                ),
                "cannot be generic",
            ),
            (
                quote!(),
                quote!(
                    fn f(&self) -> String {
                        todo!()
                    }
                ),
                "free functions",
            ),
            (
                quote!(),
                quote!(
                    fn f((a, b): (u8, u8)) -> String {
                        todo!()
                    }
                ),
                "plain names",
            ),
            (
                quote!(),
                quote!(
                    fn f(ref a: u8) -> String {
                        todo!()
                    }
                ),
                "plain names",
            ),
            (
                quote!(),
                quote!(
                    unsafe fn f() -> String {
                        todo!()
                    }
                ),
                "`unsafe`",
            ),
            (
                quote!(),
                quote!(
                    extern "C" fn f() -> String {
                        todo!()
                    }
                ),
                "ABI",
            ),
            (
                quote!(),
                quote!(
                    fn f(a: u8) {}
                ),
                "must return",
            ),
            (
                quote!(name = ""),
                quote!(
                    fn f() -> String {
                        todo!()
                    }
                ),
                "cannot be empty",
            ),
            (
                quote!(nonsense),
                quote!(
                    fn f() -> String {
                        todo!()
                    }
                ),
                "unknown #[tool] option",
            ),
        ];
        for (attr, item, expected) in cases {
            let message = error_of(attr, item.clone());
            assert!(message.contains(expected), "{item}: {message}");
        }
    }

    #[test]
    fn options_and_optional_arguments_shape_the_expansion() {
        let tokens = expand(
            quote!(name = "lookup", description = "Finds things.", strict, crate = "my_sdk"),
            quote! {
                /// Ignored description.
                pub async fn find(query: String, limit: Option<u32>, r#type: std::option::Option<String>) -> my_sdk::tools::Result<String> {
                    todo!()
                }
            },
        )
        .unwrap()
        .to_string();
        for expected in [
            "pub fn find () -> my_sdk :: tools :: DynTool",
            "\"lookup\"",
            "\"Finds things.\"",
            "__schema . arg :: < u32 > (\"limit\" , :: core :: option :: Option :: None , false)",
            "__schema . arg :: < String > (\"type\" , :: core :: option :: Option :: None , false)",
            "__args . required :: < String > (\"query\")",
            "__args . optional :: < u32 > (\"limit\")",
            ":: core :: option :: Option :: Some (true)",
            "find (query , limit , r#type) . await",
        ] {
            assert!(
                tokens.contains(expected),
                "missing {expected:?} in {tokens}"
            );
        }
        // The doc comment stays for rustdoc; the tool's description is the option's.
        assert!(
            tokens.contains("# [doc = r\" Ignored description.\"]"),
            "{tokens}"
        );
        assert!(
            tokens.contains("Option :: Some (\"Finds things.\")"),
            "{tokens}"
        );
        assert!(
            !tokens.contains("pub async fn"),
            "the inner function loses its visibility"
        );
    }
}
