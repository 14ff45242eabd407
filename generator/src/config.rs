//! The overlay config (`spec/sdk.toml`): SDK names and behaviour the spec does not carry.

use std::collections::BTreeMap;
use std::path::Path;

use indexmap::IndexMap;
use serde::Deserialize;

/// The whole overlay config.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Prefix rewrites applied to schema names, first match wins.
    #[serde(default)]
    pub type_rules: Vec<TypeRule>,
    /// Schema name → SDK type name (overrides the rules).
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// `Schema.property` / `Schema.property[]` → name of the hoisted inline type.
    #[serde(default)]
    pub inline_types: BTreeMap<String, String>,
    /// Schema name → module for schemas no operation reaches.
    #[serde(default)]
    pub modules: BTreeMap<String, String>,
    /// `Schema.property` → corrections to what the spec says of that field.
    #[serde(default)]
    pub field_overrides: BTreeMap<String, FieldOverride>,
    /// Resource path (`beta.files`) → settings shared by its operations.
    #[serde(default)]
    pub resources: BTreeMap<String, ResourceConfig>,
    /// operationId → SDK mapping.
    #[serde(default)]
    pub operations: IndexMap<String, OperationConfig>,
}

/// `prefix` → `replace`, then `suffix` appended.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeRule {
    pub prefix: String,
    #[serde(default)]
    pub replace: String,
    #[serde(default)]
    pub suffix: String,
}

/// A correction to one property of the spec.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FieldOverride {
    /// Overrides whether the field is required.
    #[serde(default)]
    pub required: Option<bool>,
}

/// Settings of one resource.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResourceConfig {
    /// `anthropic-beta` values always sent by this resource's operations.
    #[serde(default)]
    pub betas: Vec<String>,
}

/// How one operation appears in the SDK.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationConfig {
    /// `resource.sub.method`, e.g. `beta.messages.batches.list`.
    pub path: String,
    /// Schema of the SSE events sent when the body has `stream: true`.
    #[serde(default)]
    pub stream: Option<String>,
    /// Pagination style of a list operation.
    #[serde(default)]
    pub paginate: Option<Pagination>,
    /// Schema of each JSONL line of a results download.
    #[serde(default)]
    pub results: Option<String>,
    /// Extra fixed betas for this operation only.
    #[serde(default)]
    pub betas: Vec<String>,
    /// Apply the long-request guard of non-streaming message creation.
    #[serde(default)]
    pub guard: bool,
}

/// Pagination styles of the API's list endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pagination {
    /// `after_id` / `before_id` requests; `first_id` / `last_id` / `has_more` responses.
    Page,
    /// `page` requests; `next_page` / `has_more` responses.
    Cursor,
}

impl OperationConfig {
    /// The resource path (everything before the method name).
    pub fn resource(&self) -> &str {
        self.path.rsplit_once('.').map_or("", |(r, _)| r)
    }

    /// The method name.
    pub fn method(&self) -> &str {
        self.path
            .rsplit_once('.')
            .map_or(self.path.as_str(), |(_, m)| m)
    }
}

impl Config {
    /// Reads and parses the config file.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        toml::from_str(&text).map_err(|e| format!("parsing {}: {e}", path.display()))
    }

    /// The SDK type name of a component schema (before PascalCase normalisation).
    pub fn type_name(&self, schema: &str) -> String {
        if let Some(name) = self.types.get(schema) {
            return name.clone();
        }
        for rule in &self.type_rules {
            if let Some(rest) = schema.strip_prefix(&rule.prefix) {
                if !rest.is_empty() {
                    return format!("{}{}{}", rule.replace, rest, rule.suffix);
                }
            }
        }
        schema.to_string()
    }
}
