//! The SDK generator: OpenAPI spec + overlay config → Rust source under `sdk/src/generated/`.
//!
//! Pipeline: [`normalize`] (3.1 → 3.0 JSON rewrite) → `openapiv3` parse → [`lower`] (a
//! [`model::Model`] of named types and operations) → [`emit`] (token streams, formatted with
//! `prettyplease`).

pub mod config;
pub mod docs;
pub mod emit;
pub mod emit_resources;
pub mod emit_types;
pub mod lower;
pub mod model;
pub mod normalize;
pub mod view;

use std::path::{Path, PathBuf};

use crate::emit::Files;

/// Where to read and write.
#[derive(Debug, Clone)]
pub struct Options {
    pub spec: PathBuf,
    pub config: PathBuf,
    pub out: PathBuf,
}

/// Counts reported after a run.
#[derive(Debug, Default)]
pub struct Summary {
    pub schema_count: usize,
    pub schemas_emitted: usize,
    pub operation_count: usize,
    pub operations_mapped: usize,
    pub operations_configured: usize,
    pub types: usize,
    pub inline_types: usize,
    pub warnings: Vec<String>,
}

/// The generated files and the run's summary.
#[derive(Debug)]
pub struct Output {
    pub files: Files,
    pub summary: Summary,
}

/// Parses a spec document (JSON text) after normalising it to OpenAPI 3.0.
pub fn parse_spec(text: &str) -> Result<openapiv3::OpenAPI, String> {
    let mut value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("spec is not JSON: {e}"))?;
    normalize::normalize(&mut value);
    serde_json::from_value(value)
        .map_err(|e| format!("spec does not parse as OpenAPI 3.0 after normalising: {e}"))
}

/// Generates from in-memory inputs.
pub fn generate_from(spec_text: &str, config: &config::Config) -> Result<Output, String> {
    let api = parse_spec(spec_text)?;
    let model = lower::lower(&api, config);
    let mut files = emit::type_files(&model, quote::quote!())?;
    files.extend(emit_resources::resource_files(
        &model,
        emit_resources::Flavor::Async,
    )?);
    files.extend(emit_resources::resource_files(
        &model,
        emit_resources::Flavor::Blocking,
    )?);
    files.insert("mod.rs".into(), emit::root_file(&["types", "resources"])?);
    let components = model.defs.iter().filter(|d| d.component).count();
    let summary = Summary {
        schema_count: model.schema_count,
        schemas_emitted: components,
        operation_count: model.operations.len(),
        operations_mapped: model.operations.len(),
        operations_configured: model.operations.iter().filter(|o| o.configured).count(),
        types: model.defs.len(),
        inline_types: model.defs.len() - components,
        warnings: model.warnings.clone(),
    };
    Ok(Output { files, summary })
}

/// Generates from files.
pub fn generate(opts: &Options) -> Result<Output, String> {
    let text = std::fs::read_to_string(&opts.spec)
        .map_err(|e| format!("reading {}: {e}", opts.spec.display()))?;
    let config = config::Config::load(&opts.config)?;
    generate_from(&text, &config)
}

impl Output {
    /// Total lines over all files.
    pub fn line_count(&self) -> usize {
        self.files.values().map(|f| f.lines().count()).sum()
    }

    /// Files under `out` that differ from (or are missing in, or are extra to) this output.
    pub fn check(&self, out: &Path) -> Result<Vec<String>, String> {
        let mut changed = Vec::new();
        for (path, text) in &self.files {
            if std::fs::read_to_string(out.join(path)).ok().as_deref() != Some(text.as_str()) {
                changed.push(path.clone());
            }
        }
        for path in existing_rs_files(out)? {
            if !self.files.contains_key(&path) {
                changed.push(path);
            }
        }
        Ok(changed)
    }

    /// Writes every file (only those whose content changed) and removes stale ones.
    pub fn write(&self, out: &Path) -> Result<Vec<String>, String> {
        let changed = self.check(out)?;
        for path in existing_rs_files(out)? {
            if !self.files.contains_key(&path) {
                std::fs::remove_file(out.join(&path))
                    .map_err(|e| format!("removing {path}: {e}"))?;
            }
        }
        for (path, text) in &self.files {
            if !changed.contains(path) {
                continue;
            }
            let full = out.join(path);
            if let Some(dir) = full.parent() {
                std::fs::create_dir_all(dir)
                    .map_err(|e| format!("creating {}: {e}", dir.display()))?;
            }
            std::fs::write(&full, text).map_err(|e| format!("writing {}: {e}", full.display()))?;
        }
        Ok(changed)
    }
}

/// `.rs` files under `dir`, relative, with `/` separators.
fn existing_rs_files(dir: &Path) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else {
            continue;
        };
        for entry in entries.flatten() {
            let p = entry.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|e| e == "rs") {
                if let Ok(rel) = p.strip_prefix(dir) {
                    out.push(rel.to_string_lossy().replace('\\', "/"));
                }
            }
        }
    }
    out.sort();
    Ok(out)
}
