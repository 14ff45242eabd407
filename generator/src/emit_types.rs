//! [`Model`] defs → Rust items (token streams).

use heck::ToShoutySnakeCase;
use proc_macro2::{Ident, Span, TokenStream};
use quote::{format_ident, quote};

use crate::docs::{doc_attrs, first_sentence};
use crate::lower::pascal;
use crate::model::*;

/// An identifier, raw (`r#type`) when it is a keyword.
pub fn ident(name: &str) -> Ident {
    if syn::parse_str::<Ident>(name).is_ok() {
        Ident::new(name, Span::call_site())
    } else {
        Ident::new_raw(name, Span::call_site())
    }
}

/// The Rust type of `ty`, written for use inside a generated `types` module.
pub fn ty_tokens(model: &Model, ty: &Ty) -> TokenStream {
    match ty {
        Ty::Def(id) => {
            let name = ident(&model.defs[*id].name);
            quote!(#name)
        }
        Ty::String => quote!(String),
        Ty::Bool => quote!(bool),
        Ty::Int { unsigned: true } => quote!(u64),
        Ty::Int { unsigned: false } => quote!(i64),
        Ty::Float => quote!(f64),
        Ty::Timestamp => quote!(Timestamp),
        Ty::Binary => quote!(UploadFile),
        Ty::Json => quote!(Value),
        Ty::JsonObject => quote!(Map<String, Value>),
        Ty::Array(inner) => {
            let inner = ty_tokens(model, inner);
            quote!(Vec<#inner>)
        }
        Ty::Map(inner) => {
            let inner = ty_tokens(model, inner);
            quote!(BTreeMap<String, #inner>)
        }
        Ty::Const(lit) => {
            let marker = ident(&model.consts[lit]);
            quote!(Const<consts::#marker>)
        }
    }
}

/// Emits one def.
pub fn emit_def(model: &Model, id: usize) -> TokenStream {
    let def = &model.defs[id];
    let mut doc = def
        .doc
        .clone()
        .unwrap_or_else(|| format!("`{}`", def.origin));
    if def.deprecated {
        doc.push_str("\n\nDeprecated by the API.");
    }
    let docs = doc_attrs(&doc);
    match &def.kind {
        Kind::Struct { fields } => emit_struct(model, def, fields, docs),
        Kind::Tagged {
            tag,
            variants,
            default,
        } => emit_tagged(model, def, tag, variants, *default, docs),
        Kind::Untagged { variants } => emit_untagged(model, def, variants, docs),
        Kind::StringEnum { values } => emit_string_enum(def, values, docs),
        Kind::OpenString { known } => emit_open_string(def, known, docs),
        Kind::Alias(ty) => {
            let name = ident(&def.name);
            let ty = ty_tokens(model, ty);
            quote! { #docs pub type #name = #ty; }
        }
    }
}

fn field_doc(f: &Field) -> TokenStream {
    let mut text = f
        .doc
        .clone()
        .unwrap_or_else(|| format!("The `{}` field.", f.wire));
    if f.deprecated {
        text.push_str("\n\nDeprecated by the API.");
    }
    doc_attrs(&text)
}

fn emit_struct(model: &Model, def: &Def, fields: &[Field], docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let mut members = Vec::new();
    for f in fields {
        let fname = ident(&f.ident);
        let mut ty = ty_tokens(model, &f.ty);
        if f.optional() {
            ty = quote!(Option<#ty>);
        }
        let mut serde_attrs = Vec::new();
        if f.ident != f.wire {
            let wire = &f.wire;
            serde_attrs.push(quote!(rename = #wire));
        }
        if !f.required {
            serde_attrs.push(quote!(default, skip_serializing_if = "Option::is_none"));
        } else if f.nullable || matches!(f.ty, Ty::Const(_)) {
            serde_attrs.push(quote!(default));
        }
        let serde = if serde_attrs.is_empty() || def.multipart {
            quote!()
        } else {
            quote!(#[serde(#(#serde_attrs),*)])
        };
        if matches!(f.ty, Ty::Const(_)) {
            // Literal fields are fixed by the spec: private, filled in by `new`/`Default`.
            members.push(quote! { #serde #fname: #ty, });
        } else {
            let fdoc = field_doc(f);
            members.push(quote! { #fdoc #serde pub #fname: #ty, });
        }
    }
    let (derives, extra) = if def.multipart {
        (quote!(#[derive(Debug, Clone, PartialEq)]), quote!())
    } else {
        (
            quote!(#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]),
            quote! {
                /// Fields this version of the SDK does not know: kept when decoding, sent when encoding.
                #[serde(flatten)]
                pub extra: Map<String, Value>,
            },
        )
    };
    let ctor = if def.role.param {
        emit_constructor(model, def, fields)
    } else {
        quote!()
    };
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub struct #name {
            #(#members)*
            #extra
        }
        #ctor
    }
}

/// How a constructor or setter argument of type `ty` is declared and converted.
fn arg(model: &Model, ty: &Ty, var: &Ident) -> (TokenStream, TokenStream) {
    let t = ty_tokens(model, ty);
    match ty {
        Ty::String | Ty::Def(_) | Ty::Timestamp | Ty::Json => {
            (quote!(impl Into<#t>), quote!(#var.into()))
        }
        Ty::Array(inner) => {
            let it = ty_tokens(model, inner);
            match inner.as_ref() {
                Ty::String | Ty::Def(_) | Ty::Timestamp | Ty::Json => (
                    quote!(impl IntoIterator<Item = impl Into<#it>>),
                    quote!(#var.into_iter().map(Into::into).collect()),
                ),
                _ => (
                    quote!(impl IntoIterator<Item = #it>),
                    quote!(#var.into_iter().collect()),
                ),
            }
        }
        _ => (t, quote!(#var)),
    }
}

fn emit_constructor(model: &Model, def: &Def, fields: &[Field]) -> TokenStream {
    let name = ident(&def.name);
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut setters = Vec::new();
    for f in fields {
        let fname = ident(&f.ident);
        if matches!(f.ty, Ty::Const(_)) {
            inits.push(quote!(#fname: Default::default()));
            continue;
        }
        let (decl, conv) = arg(model, &f.ty, &fname);
        if f.optional() {
            inits.push(quote!(#fname: None));
            let doc = doc_attrs(&format!(
                "Sets `{}`{}",
                f.wire,
                f.doc
                    .as_deref()
                    .map(|d| format!(": {}", first_sentence(d)))
                    .unwrap_or_else(|| ".".into())
            ));
            setters.push(quote! {
                #doc
                pub fn #fname(mut self, #fname: #decl) -> Self {
                    self.#fname = Some(#conv);
                    self
                }
            });
        } else {
            params.push(quote!(#fname: #decl));
            if conv.to_string() == fname.to_string().as_str() {
                inits.push(quote!(#fname));
            } else {
                inits.push(quote!(#fname: #conv));
            }
        }
    }
    let extra_init = if def.multipart {
        quote!()
    } else {
        quote!(extra: Map::new(),)
    };
    let new_doc = if params.is_empty() {
        " Creates a value with every field unset."
    } else {
        " Creates a value from the required fields; optional fields start unset."
    };
    let default = if params.is_empty() {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    } else {
        quote!()
    };
    quote! {
        #default
        impl #name {
            #[doc = #new_doc]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits,)* #extra_init }
            }
            #(#setters)*
        }
    }
}

fn emit_tagged(
    model: &Model,
    def: &Def,
    tag: &str,
    variants: &[TaggedVariant],
    default: Option<usize>,
    docs: TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let union_name = &def.name;
    let mut decl = Vec::new();
    let mut ser = Vec::new();
    let mut de = Vec::new();
    let mut tags = Vec::new();
    let mut froms = Vec::new();
    for (i, v) in variants.iter().enumerate() {
        let vname = ident(&v.name);
        let inner = ident(&model.defs[v.def].name);
        let value = &v.values[0];
        let values = &v.values;
        let text = match model.defs[v.def].doc.as_deref() {
            Some(d) => format!("`{value}`: {}", first_sentence(d)),
            None => format!("`{value}`"),
        };
        let vdoc = doc_attrs(&text);
        decl.push(quote! { #vdoc #vname(#inner), });
        ser.push(quote! { Self::#vname(v) => v.serialize(serializer), });
        if values.len() == 1 {
            tags.push(quote! { Self::#vname(_) => Some(#value), });
        } else {
            // Aliased tags: report the one the value carries.
            let tag_field = ident(&tag_ident(tag));
            tags.push(quote! { Self::#vname(v) => Some(v.#tag_field.as_str()), });
        }
        de.push(quote! { #(Some(#values))|* => Self::#vname(decode_variant(value, #union_name, #value)?), });
        if default == Some(i) {
            de.push(quote! { None => Self::#vname(decode_variant(value, #union_name, #value)?), });
        }
        if variants.iter().filter(|o| o.def == v.def).count() == 1 {
            froms.push(quote! {
                impl From<#inner> for #name {
                    fn from(v: #inner) -> Self { Self::#vname(v) }
                }
            });
        }
    }
    let tag_doc =
        format!(" The `{tag}` of this value (`None` only for an unknown value without one).");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            /// A variant this version of the SDK does not know, kept exactly as received.
            Unknown(Value),
        }

        impl #name {
            #[doc = #tag_doc]
            pub fn tag(&self) -> Option<&str> {
                match self {
                    #(#tags)*
                    Self::Unknown(v) => tag_of(v, #tag),
                }
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(#ser)*
                    Self::Unknown(v) => v.serialize(serializer),
                }
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = Value::deserialize(deserializer)?;
                Ok(match tag_of(&value, #tag) {
                    #(#de)*
                    _ => Self::Unknown(value),
                })
            }
        }

        #(#froms)*
    }
}

fn tag_ident(tag: &str) -> String {
    heck::ToSnakeCase::to_snake_case(tag)
}

fn emit_untagged(
    model: &Model,
    def: &Def,
    variants: &[UntaggedVariant],
    docs: TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let mut decl = Vec::new();
    let mut froms = Vec::new();
    for v in variants {
        let vname = ident(&v.name);
        let t = ty_tokens(model, &v.ty);
        let text = match &v.ty {
            Ty::Def(id) => model.defs[*id]
                .doc
                .as_deref()
                .map(first_sentence)
                .unwrap_or_else(|| format!("A `{}`.", model.defs[*id].name)),
            Ty::Const(lit) => format!("The literal `{lit}`."),
            Ty::String => "A string.".into(),
            Ty::Array(_) => "A list.".into(),
            _ => format!("A `{}` value.", v.name),
        };
        let vdoc = doc_attrs(&text);
        decl.push(quote! { #vdoc #vname(#t), });
        let unique = variants.iter().filter(|o| o.ty == v.ty).count() == 1;
        if unique && !matches!(v.ty, Ty::Json | Ty::Const(_)) {
            froms.push(quote! {
                impl From<#t> for #name {
                    fn from(v: #t) -> Self { Self::#vname(v) }
                }
            });
            if v.ty == Ty::String {
                froms.push(quote! {
                    impl From<&str> for #name {
                        fn from(v: &str) -> Self { Self::#vname(v.to_owned()) }
                    }
                });
            }
        }
    }
    let has_json = variants.iter().any(|v| v.ty == Ty::Json);
    let unknown = if has_json {
        quote!()
    } else {
        quote! {
            /// A shape this version of the SDK does not know, kept exactly as received.
            Unknown(Value),
        }
    };
    let derives = if def.multipart {
        quote!(#[derive(Debug, Clone, PartialEq)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)] #[serde(untagged)])
    };
    quote! {
        #docs
        #derives
        #[non_exhaustive]
        pub enum #name {
            #(#decl)*
            #unknown
        }
        #(#froms)*
    }
}

fn emit_string_enum(def: &Def, values: &[String], docs: TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let mut names: Vec<String> = Vec::new();
    for v in values {
        let base = pascal(v);
        let mut n = base.clone();
        let mut i = 2;
        while names.contains(&n) {
            n = format!("{base}{i}");
            i += 1;
        }
        names.push(n);
    }
    let other = if names.iter().any(|n| n == "Other") {
        ident("UnknownValue")
    } else {
        ident("Other")
    };
    let vnames: Vec<Ident> = names.iter().map(|n| ident(n)).collect();
    let vdocs: Vec<TokenStream> = values
        .iter()
        .map(|v| doc_attrs(&format!("`{v}`")))
        .collect();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#vdocs #vnames,)*
            /// A value this version of the SDK does not know, kept as received.
            #other(String),
        }

        impl #name {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#vnames => #values,)*
                    Self::#other(s) => s,
                }
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self {
                match s {
                    #(#values => Self::#vnames,)*
                    other => Self::#other(other.to_owned()),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
                Ok(Self::from(s.as_ref()))
            }
        }
    }
}

fn emit_open_string(
    def: &Def,
    known: &[(String, Option<String>)],
    docs: TokenStream,
) -> TokenStream {
    let name = ident(&def.name);
    let mut consts = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for (value, doc) in known {
        let mut cname = value.to_shouty_snake_case();
        if cname.is_empty() || cname.starts_with(|c: char| c.is_ascii_digit()) {
            cname = format!("V{cname}");
        }
        if seen.contains(&cname) {
            continue;
        }
        seen.push(cname.clone());
        let c = format_ident!("{}", cname);
        let text = match doc {
            Some(d) => format!("`{value}`: {}", first_sentence(d)),
            None => format!("`{value}`"),
        };
        let cdoc = doc_attrs(&text);
        consts.push(quote! { #cdoc pub const #c: #name = #name(Cow::Borrowed(#value)); });
    }
    quote! {
        #docs
        ///
        /// Any string is accepted; the values this SDK version knows are associated constants.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct #name(Cow<'static, str>);

        impl #name {
            #(#consts)*

            /// A value from any string.
            pub fn new(value: impl Into<Cow<'static, str>>) -> Self {
                #name(value.into())
            }

            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Debug for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Debug::fmt(self.as_str(), f)
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for #name {
            fn from(s: &str) -> Self { #name(Cow::Owned(s.to_owned())) }
        }

        impl From<String> for #name {
            fn from(s: String) -> Self { #name(Cow::Owned(s)) }
        }

        impl AsRef<str> for #name {
            fn as_ref(&self) -> &str { self.as_str() }
        }
    }
}
