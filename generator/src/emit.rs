//! Lays the emitted items out as files under `sdk/src/generated/`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use crate::emit_types::{emit_def, ident};
use crate::model::Model;

/// First lines of every generated file (`templates/header.rs.txt`).
pub const HEADER: &str = include_str!("../../templates/header.rs.txt");

/// A generated file: path relative to the output directory, and its text.
pub type Files = BTreeMap<String, String>;

/// Formats a token stream as a Rust file with the generated-code header.
pub fn render(tokens: TokenStream) -> Result<String, String> {
    let file: syn::File = syn::parse2(tokens.clone())
        .map_err(|e| format!("generated code does not parse: {e}\n{tokens}"))?;
    Ok(format!("{HEADER}{}", prettyplease::unparse(&file)))
}

/// Every file of the types layer.
pub fn type_files(model: &Model, extra_root_items: TokenStream) -> Result<Files, String> {
    let mut files = Files::new();
    let mut by_module: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (id, def) in model.defs.iter().enumerate() {
        by_module.entry(def.module.as_str()).or_default().push(id);
    }
    // The module tree: every module with types, plus its ancestors.
    let mut tree: BTreeSet<String> = BTreeSet::new();
    for module in by_module.keys() {
        let parts: Vec<&str> = module.split('/').collect();
        for i in 1..=parts.len() {
            tree.insert(parts[..i].join("/"));
        }
    }
    let children = |parent: &str| -> Vec<String> {
        tree.iter()
            .filter(|m| match m.rsplit_once('/') {
                Some((p, _)) => p == parent,
                None => parent.is_empty(),
            })
            .map(|m| m.rsplit('/').next().unwrap_or(m).to_string())
            .collect()
    };
    for module in &tree {
        let mods: Vec<_> = children(module).iter().map(|c| ident(c)).collect();
        let mod_doc = format!(" Types of the `{}` API area.", module.replace('/', "."));
        let items: Vec<TokenStream> = by_module
            .get(module.as_str())
            .map(|ids| ids.iter().map(|id| emit_def(model, *id)).collect())
            .unwrap_or_default();
        let prelude = if items.is_empty() {
            quote!()
        } else {
            quote! {
                use std::borrow::Cow;
                use std::collections::BTreeMap;
                use serde::{Deserialize, Serialize};
                use serde_json::{Map, Value};
                use crate::generated::consts;
                use crate::generated::types::*;
                use crate::wire::{decode_variant, tag_of, Const, Timestamp, UploadFile};
            }
        };
        let tokens = quote! {
            #![doc = #mod_doc]
            #![allow(unused_imports)]
            #(pub mod #mods;)*
            #prelude
            #(#items)*
        };
        files.insert(format!("types/{module}.rs"), render(tokens)?);
    }
    // types/mod.rs: the top-level modules and a flat re-export of every type.
    let top = children("");
    let top_mods: Vec<_> = top.iter().map(|c| ident(c)).collect();
    let mut reexports = Vec::new();
    for (module, ids) in &by_module {
        let path: Vec<_> = module.split('/').map(ident).collect();
        let names: Vec<_> = ids.iter().map(|id| ident(&model.defs[*id].name)).collect();
        reexports.push(quote!(pub use self::#(#path)::*::{#(#names),*};));
    }
    let tokens = quote! {
        //! Every request and response type of the API, generated from the spec.
        #(pub mod #top_mods;)*
        #(#reexports)*
        #extra_root_items
    };
    files.insert("types/mod.rs".into(), render(tokens)?);
    files.insert("consts.rs".into(), consts_file(model)?);
    Ok(files)
}

fn consts_file(model: &Model) -> Result<String, String> {
    let items = model.consts.iter().map(|(lit, name)| {
        let name = ident(name);
        let doc = format!("The literal `{lit}`.");
        quote! {
            #[doc = #doc]
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub struct #name;
            impl ConstValue for #name { const VALUE: &'static str = #lit; }
        }
    });
    render(quote! {
        //! Marker types for the spec's literal values (used through [`crate::wire::Const`]).
        use crate::wire::ConstValue;
        #(#items)*
    })
}

/// `generated/mod.rs`.
pub fn root_file(modules: &[&str]) -> Result<String, String> {
    let mods: Vec<_> = modules.iter().map(|m| ident(m)).collect();
    render(quote! {
        //! Code generated from the OpenAPI spec. Nothing here is edited by hand.
        #![allow(
            clippy::large_enum_variant,
            clippy::too_many_arguments,
            clippy::new_without_default,
            clippy::doc_lazy_continuation,
            clippy::doc_overindented_list_items,
            clippy::tabs_in_doc_comments,
            rustdoc::broken_intra_doc_links,
            rustdoc::bare_urls,
            rustdoc::invalid_html_tags,
            rustdoc::invalid_rust_codeblocks
        )]
        #[doc(hidden)]
        pub mod consts;
        #(pub mod #mods;)*
        #[cfg(feature = "blocking")]
        pub mod blocking;
    })
}
