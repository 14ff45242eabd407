//! Operations → resource structs with one method per endpoint (`client.messages().create(..)`).
//!
//! The methods only describe requests ([`ApiRequest`]s wrapped in a call type); sending,
//! retries, pagination and decoding are the hand-written `call` layer's job.

use std::collections::{BTreeMap, BTreeSet};

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::config::Pagination;
use crate::docs::doc_attrs;
use crate::emit::{render, Files};
use crate::emit_types::{ident, ty_tokens};
use crate::lower::pascal;
use crate::model::*;

/// Which client the resource structs belong to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// `resources/`: methods return call types resolved with `.await`.
    Async,
    /// `blocking/` (feature `blocking`): the same methods, returning `BlockingCall`s that
    /// forward to the async ones and resolve with `.send()`.
    Blocking,
}

impl Flavor {
    fn dir(self) -> &'static str {
        match self {
            Flavor::Async => "resources",
            Flavor::Blocking => "blocking",
        }
    }
}

/// Every file under `resources/` (or `blocking/`).
pub fn resource_files(model: &Model, flavor: Flavor) -> Result<Files, String> {
    let mut tree: BTreeSet<String> = BTreeSet::new();
    let mut by_resource: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for op in &model.operations {
        let parts: Vec<&str> = op.resource.split('.').collect();
        for i in 1..=parts.len() {
            tree.insert(parts[..i].join("."));
        }
        by_resource
            .entry(op.resource.as_str())
            .or_default()
            .push(op);
    }
    let children = |parent: &str| -> Vec<String> {
        tree.iter()
            .filter(|r| match r.rsplit_once('.') {
                Some((p, _)) => p == parent,
                None => parent.is_empty(),
            })
            .cloned()
            .collect()
    };
    let mut files = Files::new();
    for resource in &tree {
        let name = struct_name(resource);
        let kids = children(resource);
        let mods: Vec<_> = kids.iter().map(|k| ident(last(k))).collect();
        let accessors: Vec<TokenStream> = kids
            .iter()
            .map(|k| {
                let m = ident(last(k));
                let s = struct_name(k);
                let doc = format!(" The `{k}` resource.");
                quote! {
                    #[doc = #doc]
                    pub fn #m(&self) -> #m::#s<'a> {
                        #m::#s { client: self.client }
                    }
                }
            })
            .collect();
        let methods: Vec<TokenStream> = by_resource
            .get(resource.as_str())
            .map(|ops| {
                ops.iter()
                    .map(|op| emit_method(model, op, flavor))
                    .collect()
            })
            .unwrap_or_default();
        let client_path = match flavor {
            Flavor::Async => "crate::Client",
            Flavor::Blocking => "crate::blocking::Client",
        };
        let doc = format!(" The `{resource}` resource (from [`Client`]({client_path})).");
        let mod_doc = format!(" The `{resource}` resource.");
        let (imports, client_ty) = match flavor {
            Flavor::Async => (
                quote! {
                    use crate::call::{endpoint, with_query, ApiCall, DownloadCall, JsonlCall, ListCall};
                    use crate::client::{ApiRequest, MultipartForm};
                    use crate::pagination::{CursorPage, Page};
                    use crate::types::*;
                    use http::Method;
                },
                quote!(crate::Client),
            ),
            Flavor::Blocking => (
                quote! {
                    use crate::blocking::BlockingCall;
                    use crate::call::{ApiCall, DownloadCall, JsonlCall, ListCall};
                    use crate::pagination::{CursorPage, Page};
                    use crate::types::*;
                },
                quote!(crate::blocking::Client),
            ),
        };
        let tokens = quote! {
            #![doc = #mod_doc]
            #![allow(unused_imports)]
            #(pub mod #mods;)*
            #imports

            #[doc = #doc]
            #[derive(Debug, Clone, Copy)]
            pub struct #name<'a> {
                pub(crate) client: &'a #client_ty,
            }

            impl<'a> #name<'a> {
                #(#accessors)*
                #(#methods)*
            }
        };
        let path = format!("{}/{}.rs", flavor.dir(), resource.replace('.', "/"));
        files.insert(path, render(tokens)?);
    }
    let top: Vec<String> = children("");
    let mods: Vec<_> = top.iter().map(|t| ident(t)).collect();
    let accessors: Vec<TokenStream> = top
        .iter()
        .map(|t| {
            let m = ident(t);
            let s = struct_name(t);
            let doc = format!(" The `{t}` resource.");
            quote! {
                #[doc = #doc]
                pub fn #m(&self) -> #m::#s<'_> {
                    #m::#s { client: self }
                }
            }
        })
        .collect();
    let root = match flavor {
        Flavor::Async => {
            let multipart: Vec<TokenStream> = multipart_defs(model)
                .into_iter()
                .map(|d| emit_multipart(model, d))
                .collect();
            quote! {
                //! One struct per API resource, reached from [`Client`]; one method per endpoint.
                #![allow(unused_imports)]
                #(pub mod #mods;)*
                use crate::client::MultipartForm;
                use crate::types::*;
                use crate::Client;

                impl Client {
                    #(#accessors)*
                }

                #(#multipart)*
            }
        }
        Flavor::Blocking => quote! {
            //! The resources of [`Client`](crate::blocking::Client): the async ones, resolved by `.send()`.
            #(pub mod #mods;)*
            use crate::blocking::Client;

            impl Client {
                #(#accessors)*
            }
        },
    };
    files.insert(format!("{}/mod.rs", flavor.dir()), render(root)?);
    Ok(files)
}

fn last(resource: &str) -> &str {
    resource.rsplit('.').next().unwrap_or(resource)
}

fn struct_name(resource: &str) -> proc_macro2::Ident {
    ident(&pascal(last(resource)))
}

fn multipart_defs(model: &Model) -> Vec<usize> {
    let mut defs: Vec<usize> = model
        .operations
        .iter()
        .filter_map(|op| match op.body {
            OpBody::Multipart(d) => Some(d),
            _ => None,
        })
        .collect();
    defs.sort_unstable();
    defs.dedup();
    defs
}

/// `to_multipart()` for a multipart body struct: file fields become file parts (lists of files
/// repeat the part as `name[]`, as the official SDKs send them), other fields text parts.
fn emit_multipart(model: &Model, id: usize) -> TokenStream {
    let def = &model.defs[id];
    let name = ident(&def.name);
    let Kind::Struct { fields } = &def.kind else {
        return quote!();
    };
    let mut steps = Vec::new();
    for f in fields {
        let fname = ident(&f.ident);
        let wire = &f.wire;
        let list_wire = format!("{wire}[]");
        let value = quote!(self.#fname);
        let step = match (&f.ty, f.optional()) {
            (Ty::Binary, false) => quote! { form = form.part(#value.to_part(#wire)); },
            (Ty::Binary, true) => {
                quote! { if let Some(file) = &#value { form = form.part(file.to_part(#wire)); } }
            }
            (Ty::Array(inner), opt) if **inner == Ty::Binary => {
                let iter = if opt {
                    quote!(#value.iter().flatten())
                } else {
                    quote!(#value.iter())
                };
                quote! { for file in #iter { form = form.part(file.to_part(#list_wire)); } }
            }
            (Ty::Const(_), _) => continue,
            (_, false) => quote! { form = form.text(#wire, #value.to_string()); },
            (_, true) => {
                quote! { if let Some(v) = &#value { form = form.text(#wire, v.to_string()); } }
            }
        };
        steps.push(step);
    }
    quote! {
        impl #name {
            /// The `multipart/form-data` parts of this body.
            pub(crate) fn to_multipart(&self) -> MultipartForm {
                let mut form = MultipartForm::new();
                #(#steps)*
                form
            }
        }
    }
}

fn emit_method(model: &Model, op: &Operation, flavor: Flavor) -> TokenStream {
    let method = ident(&op.method.to_snake_case());
    let http = format_ident!("{}", op.http_method);
    let mut doc = op.doc.clone().unwrap_or_default();
    doc.push_str(&format!("\n\n`{} {}`", op.http_method, op.path));
    let docs = doc_attrs(&doc);

    // Path: literal pieces between `{param}`s.
    let mut args = Vec::new();
    let mut pieces = Vec::new();
    let mut rest = op.path.as_str();
    let mut params = Vec::new();
    for p in &op.path_params {
        let marker = format!("{{{p}}}");
        if let Some(i) = rest.find(&marker) {
            pieces.push(rest[..i].to_string());
            rest = &rest[i + marker.len()..];
            let arg = ident(&p.to_snake_case());
            args.push(quote!(#arg: &str));
            params.push(quote!((#p, #arg)));
        }
    }
    pieces.push(rest.to_string());
    let mut build = quote!(endpoint(Method::#http, &[#(#pieces),*], &[#(#params),*]));
    if let Some(q) = op.query {
        let qt = ident(&model.defs[q].name);
        args.push(quote!(params: #qt));
        build = quote!(#build.and_then(|request| with_query(request, &params)));
    }
    let mut guard = quote!();
    match &op.body {
        OpBody::Json(ty) => {
            let t = ty_tokens(model, ty);
            args.push(quote!(params: #t));
            if op.guard {
                guard = quote!(.nonstreaming_guard(params.model.as_str(), params.max_tokens));
            }
            build = quote!(#build.and_then(|request| request.json(&params)));
        }
        OpBody::Multipart(d) => {
            let t = ident(&model.defs[*d].name);
            args.push(quote!(params: #t));
            build = quote!(#build.map(|request| request.multipart(params.to_multipart())));
        }
        OpBody::None => {}
    }
    let betas: Vec<&String> = op.betas.iter().collect();
    let betas = if betas.is_empty() {
        quote!()
    } else {
        quote!(.fixed_betas(&[#(#betas),*]))
    };
    let (ret, ctor) = match (op.response_kind, op.paginate, &op.response, &op.results) {
        (ResponseKind::Binary, ..) => (quote!(DownloadCall), quote!(DownloadCall::new)),
        (ResponseKind::Jsonl, _, _, Some(item)) => {
            let t = ty_tokens(model, item);
            (quote!(JsonlCall<#t>), quote!(JsonlCall::new))
        }
        (_, Some(style), Some(resp), _) => {
            let item = page_item(model, resp).unwrap_or(quote!(serde_json::Value));
            let page = match style {
                Pagination::Page => quote!(Page<#item>),
                Pagination::Cursor => quote!(CursorPage<#item>),
            };
            (quote!(ListCall<#page>), quote!(ListCall::new))
        }
        (_, _, Some(resp), _) => {
            let t = ty_tokens(model, resp);
            (quote!(ApiCall<#t>), quote!(ApiCall::new))
        }
        _ => (quote!(ApiCall<serde_json::Value>), quote!(ApiCall::new)),
    };
    if flavor == Flavor::Blocking {
        let chain: Vec<_> = op.resource.split('.').map(ident).collect();
        let names: Vec<_> = op
            .path_params
            .iter()
            .map(|p| ident(&p.to_snake_case()))
            .collect();
        let mut call_args: Vec<TokenStream> = names.iter().map(|n| quote!(#n)).collect();
        if op.query.is_some() || op.body != OpBody::None {
            call_args.push(quote!(params));
        }
        return quote! {
            #docs
            pub fn #method(&self, #(#args),*) -> BlockingCall<'a, #ret> {
                BlockingCall::new(self.client, self.client.inner() #(.#chain())* .#method(#(#call_args),*))
            }
        };
    }
    quote! {
        #docs
        pub fn #method(&self, #(#args),*) -> #ret {
            let request = #build;
            #ctor(self.client, request) #guard #betas
        }
    }
}

/// The item type of a list response (`data: [T]`).
fn page_item(model: &Model, resp: &Ty) -> Option<TokenStream> {
    let Ty::Def(id) = resp else { return None };
    let Kind::Struct { fields } = &model.defs[*id].kind else {
        return None;
    };
    let data = fields.iter().find(|f| f.wire == "data")?;
    match &data.ty {
        Ty::Array(inner) => Some(ty_tokens(model, inner)),
        _ => None,
    }
}
