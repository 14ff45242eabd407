//! The OpenAPI 3.1 → 3.0 normalising pass, run over the raw JSON value before `openapiv3`
//! (a 3.0 model) reads it. Without it `openapiv3` rejects numeric `exclusiveMinimum`s and
//! silently drops every `const`.
//!
//! Rewrites, applied to every schema object in the document:
//! - `const: v` → `enum: [v]` plus `x-const: true` (and `type` inferred from `v` when absent);
//! - `anyOf`/`oneOf` containing `{type: "null"}` → the other members plus `nullable: true`
//!   (a single remaining `$ref` becomes `allOf: [$ref]`, since 3.0 forbids `$ref` siblings);
//! - `type: [T, "null"]` → `type: T, nullable: true`;
//! - numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` + boolean flag;
//! - `examples: [..]` → `example` (the first one);
//! - `openapi` is set to `3.0.3` and a missing `info.version` to `unversioned`.

use serde_json::{json, Map, Value};

/// Normalises a whole OpenAPI document in place.
pub fn normalize(doc: &mut Value) {
    if let Some(obj) = doc.as_object_mut() {
        obj.insert("openapi".into(), json!("3.0.3"));
        let info = obj.entry("info").or_insert_with(|| json!({}));
        if let Some(info) = info.as_object_mut() {
            info.entry("version")
                .or_insert_with(|| json!("unversioned"));
            info.entry("title").or_insert_with(|| json!("untitled"));
        }
    }
    walk(doc);
}

/// Keys whose values are maps of name → schema (not schemas themselves).
const SCHEMA_MAPS: &[&str] = &["properties", "schemas", "patternProperties", "$defs"];
/// Keys whose values are literal data, never schemas.
const DATA_KEYS: &[&str] = &[
    "example",
    "examples",
    "default",
    "enum",
    "const",
    "x-stainless-naming",
];

fn walk(value: &mut Value) {
    match value {
        Value::Object(obj) => {
            if looks_like_schema(obj) {
                normalize_schema(obj);
            }
            for (key, child) in obj.iter_mut() {
                if DATA_KEYS.contains(&key.as_str()) {
                    continue;
                }
                if SCHEMA_MAPS.contains(&key.as_str()) {
                    if let Some(map) = child.as_object_mut() {
                        map.values_mut().for_each(walk);
                    }
                    continue;
                }
                walk(child);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(walk),
        _ => {}
    }
}

fn looks_like_schema(obj: &Map<String, Value>) -> bool {
    [
        "type",
        "const",
        "anyOf",
        "oneOf",
        "allOf",
        "properties",
        "items",
        "exclusiveMinimum",
        "exclusiveMaximum",
    ]
    .iter()
    .any(|k| obj.contains_key(*k))
}

fn is_null_schema(v: &Value) -> bool {
    v.get("type").and_then(Value::as_str) == Some("null")
        && v.as_object().is_some_and(|o| o.len() <= 2)
}

fn normalize_schema(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = obj.get("type").cloned() {
        let non_null: Vec<Value> = types
            .iter()
            .filter(|t| t.as_str() != Some("null"))
            .cloned()
            .collect();
        if non_null.len() < types.len() {
            obj.insert("nullable".into(), json!(true));
        }
        match non_null.as_slice() {
            [one] => {
                obj.insert("type".into(), one.clone());
            }
            _ => {
                obj.remove("type");
            }
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(members)) = obj.get(key) else {
            continue;
        };
        if !members.iter().any(is_null_schema) {
            continue;
        }
        let rest: Vec<Value> = members
            .iter()
            .filter(|m| !is_null_schema(m))
            .cloned()
            .collect();
        obj.insert("nullable".into(), json!(true));
        if rest.len() == 1 {
            obj.remove(key);
            let only = rest.into_iter().next().unwrap_or(Value::Null);
            let is_ref = only.get("$ref").is_some();
            match only {
                Value::Object(inner) if !is_ref && !obj.contains_key("type") => {
                    // Inline the single member; the outer description/title/default win.
                    for (k, v) in inner {
                        obj.entry(k).or_insert(v);
                    }
                }
                other => {
                    obj.insert("allOf".into(), json!([other]));
                }
            }
        } else {
            obj.insert(key.into(), Value::Array(rest));
        }
    }
    // After the null-stripping above, which may have merged a `const` member into this schema.
    if let Some(c) = obj.remove("const") {
        if !obj.contains_key("type") {
            let t = match &c {
                Value::String(_) => Some("string"),
                Value::Bool(_) => Some("boolean"),
                Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                Value::Number(_) => Some("number"),
                _ => None,
            };
            if let Some(t) = t {
                obj.insert("type".into(), json!(t));
            }
        }
        obj.insert("enum".into(), json!([c]));
        obj.insert("x-const".into(), json!(true));
    }
    for (exclusive, bound) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(v @ Value::Number(_)) = obj.get(exclusive).cloned() {
            obj.insert(bound.into(), v);
            obj.insert(exclusive.into(), json!(true));
        }
    }
    if let Some(Value::Array(examples)) = obj.remove("examples") {
        if let Some(first) = examples.into_iter().next() {
            obj.entry("example").or_insert(first);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rewrites_31_constructs() {
        let mut doc = json!({
            "openapi": "3.1.0",
            "info": {"title": "t"},
            "paths": {},
            "components": {"schemas": {
                "A": {"type": "object", "properties": {
                    "type": {"const": "a"},
                    "n": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "null"}], "description": "d"},
                    "s": {"anyOf": [{"type": "string"}, {"type": "null"}]},
                    "u": {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]},
                    "x": {"type": "number", "exclusiveMinimum": 0, "examples": [1, 2]},
                    "properties": {"type": "string"}
                }},
                "B": {"type": ["string", "null"]}
            }}
        });
        normalize(&mut doc);
        let a = &doc["components"]["schemas"]["A"]["properties"];
        assert_eq!(doc["openapi"], "3.0.3");
        assert_eq!(doc["info"]["version"], "unversioned");
        assert_eq!(
            a["type"],
            json!({"type": "string", "enum": ["a"], "x-const": true})
        );
        assert_eq!(
            a["n"],
            json!({"description": "d", "nullable": true, "allOf": [{"$ref": "#/components/schemas/B"}]})
        );
        assert_eq!(a["s"], json!({"nullable": true, "type": "string"}));
        assert_eq!(
            a["u"]["anyOf"],
            json!([{"type": "string"}, {"type": "integer"}])
        );
        assert_eq!(
            a["x"],
            json!({"type": "number", "minimum": 0, "exclusiveMinimum": true, "example": 1})
        );
        assert_eq!(
            a["properties"],
            json!({"type": "string"}),
            "a property named `properties` is a schema"
        );
        assert_eq!(
            doc["components"]["schemas"]["B"],
            json!({"type": "string", "nullable": true})
        );
    }
}
