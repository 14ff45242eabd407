//! JSON-schema rewriting: closing objects (`additionalProperties: false`) and the strict form
//! structured outputs accept ([`transform_schema`]).

use serde_json::{Map, Value};

/// String formats structured outputs accept; other formats move into the description.
pub const SUPPORTED_STRING_FORMATS: &[&str] = &[
    "date-time",
    "time",
    "date",
    "duration",
    "email",
    "hostname",
    "uri",
    "ipv4",
    "ipv6",
    "uuid",
];

/// Keywords whose value is a map of subschemas.
const SCHEMA_MAPS: &[&str] = &[
    "properties",
    "patternProperties",
    "$defs",
    "definitions",
    "dependentSchemas",
];
/// Keywords whose value is one subschema.
const SCHEMA_ONE: &[&str] = &[
    "additionalProperties",
    "items",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
    "additionalItems",
];
/// Keywords whose value is a list of subschemas.
const SCHEMA_LISTS: &[&str] = &["anyOf", "oneOf", "allOf", "prefixItems", "items"];

/// Calls `f` on every direct subschema of `schema`.
fn for_each_subschema(schema: &mut Map<String, Value>, f: &mut dyn FnMut(&mut Value)) {
    for (key, value) in schema.iter_mut() {
        let key = key.as_str();
        match value {
            Value::Object(map) if SCHEMA_MAPS.contains(&key) => map.values_mut().for_each(&mut *f),
            Value::Object(_) if SCHEMA_ONE.contains(&key) => f(value),
            Value::Array(list) if SCHEMA_LISTS.contains(&key) => list.iter_mut().for_each(&mut *f),
            _ => {}
        }
    }
}

fn is_object_schema(schema: &Map<String, Value>) -> bool {
    match schema.get("type") {
        Some(Value::String(t)) => t == "object",
        Some(Value::Array(types)) => types.iter().any(|t| t == "object"),
        _ => schema.contains_key("properties"),
    }
}

/// Adds `additionalProperties: false` to every object schema in `schema` that does not set
/// `additionalProperties` itself (maps keep their value schema).
pub fn close_objects(schema: &mut Value) {
    if let Value::Object(map) = schema {
        close_objects_in(map);
    }
}

pub(crate) fn close_objects_in(map: &mut Map<String, Value>) {
    if is_object_schema(map) && !map.contains_key("additionalProperties") {
        map.insert("additionalProperties".to_owned(), Value::Bool(false));
    }
    for_each_subschema(map, &mut close_objects);
}

/// Why a schema could not be made strict.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemaError {
    path: String,
    message: String,
}

impl SchemaError {
    /// Where in the schema (a JSON pointer, `""` for the root).
    pub fn path(&self) -> &str {
        &self.path
    }
}

impl std::fmt::Display for SchemaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "unsupported JSON schema at {path}: {}", self.message)
    }
}

impl std::error::Error for SchemaError {}

/// Rewrites a JSON schema into the subset structured outputs accept, as the official SDKs do:
///
/// - `$defs` are rewritten too; a `$ref` is kept alone;
/// - `oneOf` becomes `anyOf`; `anyOf`, `allOf`, `enum`, `const`, `description`, `title` are kept;
/// - a list of types (`["string", "null"]`) becomes an `anyOf` of one schema per type;
/// - every object gets `additionalProperties: false` (maps therefore accept no keys) and keeps
///   `properties` and `required`;
/// - strings keep `format` when it is one of [`SUPPORTED_STRING_FORMATS`]; arrays keep `items`
///   and a `minItems` of 0 or 1; numbers drop `format` (`int64`, `double`: annotations that
///   schema generators add, not constraints);
/// - every other keyword (`minimum`, `maxLength`, `pattern`, `default`, …) is moved into the
///   description as `{key: value, …}`, so the model may still follow it.
///
/// A schema with neither `type`, `enum`, `const`, `$ref` nor `anyOf`/`oneOf`/`allOf` (such as
/// `true` for "any value") is an error.
///
/// ```
/// use serde_json::json;
/// let strict = anthropic::tools::transform_schema(&json!({
///     "type": "integer", "minimum": 1, "maximum": 10, "description": "A number"
/// })).unwrap();
/// assert_eq!(strict, json!({"type": "integer", "description": "A number\n\n{maximum: 10, minimum: 1}"}));
/// ```
pub fn transform_schema(schema: &Value) -> Result<Value, SchemaError> {
    transform_at(schema, &mut String::new())
}

fn transform_at(schema: &Value, path: &mut String) -> Result<Value, SchemaError> {
    let Value::Object(map) = schema else {
        return Err(SchemaError {
            path: path.clone(),
            message: format!("expected an object schema, got `{schema}`"),
        });
    };
    let mut rest = map.clone();
    let mut out = Map::new();

    for defs_key in ["$defs", "definitions"] {
        if let Some(defs) = rest.remove(defs_key) {
            let Value::Object(defs) = defs else {
                return Err(error(path, format!("`{defs_key}` must be an object")));
            };
            let mut strict = Map::new();
            for (name, def) in &defs {
                strict.insert(
                    name.clone(),
                    nested(path, &[defs_key, name], |p| transform_at(def, p))?,
                );
            }
            out.insert(defs_key.to_owned(), Value::Object(strict));
        }
    }

    if let Some(reference) = rest.remove("$ref") {
        out.insert("$ref".to_owned(), reference);
        return Ok(Value::Object(out));
    }

    // A list of types: one branch per type (`null` alone), the other keywords on each branch.
    if let Some(Value::Array(types)) = rest.get("type").cloned() {
        if types.len() == 1 {
            rest.insert("type".to_owned(), types[0].clone());
        } else {
            let description = rest.remove("description");
            let title = rest.remove("title");
            let mut branches = Vec::with_capacity(types.len());
            for (i, t) in types.iter().enumerate() {
                let branch = if t == "null" {
                    Value::Object(Map::from_iter([("type".to_owned(), t.clone())]))
                } else {
                    let mut b = rest.clone();
                    b.insert("type".to_owned(), t.clone());
                    Value::Object(b)
                };
                let index = i.to_string();
                branches.push(nested(path, &["type", &index], |p| {
                    transform_at(&branch, p)
                })?);
            }
            out.insert("anyOf".to_owned(), Value::Array(branches));
            if let Some(description) = description {
                out.insert("description".to_owned(), description);
            }
            if let Some(title) = title {
                out.insert("title".to_owned(), title);
            }
            return Ok(Value::Object(out));
        }
    }

    let type_ = rest.remove("type");
    let mut has_shape = type_.is_some();
    for key in ["enum", "const"] {
        if let Some(v) = rest.remove(key) {
            out.insert(key.to_owned(), v);
            has_shape = true;
        }
    }
    for (from, to) in [("anyOf", "anyOf"), ("oneOf", "anyOf"), ("allOf", "allOf")] {
        if let Some(list) = rest.remove(from) {
            let Value::Array(list) = list else {
                return Err(error(path, format!("`{from}` must be a list")));
            };
            let mut strict = Vec::with_capacity(list.len());
            for (i, variant) in list.iter().enumerate() {
                let index = i.to_string();
                strict.push(nested(path, &[from, &index], |p| transform_at(variant, p))?);
            }
            match out.get_mut(to) {
                // `oneOf` next to `anyOf`: both constrain the value, so both must hold.
                Some(_) => {
                    let all = out
                        .entry("allOf")
                        .or_insert_with(|| Value::Array(Vec::new()));
                    if let Value::Array(all) = all {
                        all.push(Value::Object(Map::from_iter([(
                            "anyOf".to_owned(),
                            Value::Array(strict),
                        )])));
                    }
                }
                None => {
                    out.insert(to.to_owned(), Value::Array(strict));
                }
            }
            has_shape = true;
        }
    }
    if !has_shape {
        return Err(error(
            path,
            "a schema needs `type`, `enum`, `const`, `$ref`, `anyOf`, `oneOf` or `allOf`".into(),
        ));
    }
    if let Some(t) = &type_ {
        out.insert("type".to_owned(), t.clone());
    }
    for key in ["description", "title"] {
        if let Some(v) = rest.remove(key) {
            out.insert(key.to_owned(), v);
        }
    }

    match type_.as_ref().and_then(Value::as_str) {
        Some("object") => {
            let mut properties = Map::new();
            if let Some(Value::Object(props)) = rest.remove("properties") {
                for (name, prop) in &props {
                    properties.insert(
                        name.clone(),
                        nested(path, &["properties", name], |p| transform_at(prop, p))?,
                    );
                }
            }
            out.insert("properties".to_owned(), Value::Object(properties));
            rest.remove("additionalProperties");
            out.insert("additionalProperties".to_owned(), Value::Bool(false));
            if let Some(required) = rest.remove("required") {
                out.insert("required".to_owned(), required);
            }
        }
        Some("string") => {
            if let Some(format) = rest.remove("format") {
                if format
                    .as_str()
                    .is_some_and(|f| SUPPORTED_STRING_FORMATS.contains(&f))
                {
                    out.insert("format".to_owned(), format);
                } else {
                    rest.insert("format".to_owned(), format);
                }
            }
        }
        Some("array") => {
            if let Some(items) = rest.remove("items") {
                if items.is_object() {
                    out.insert(
                        "items".to_owned(),
                        nested(path, &["items"], |p| transform_at(&items, p))?,
                    );
                } else {
                    rest.insert("items".to_owned(), items);
                }
            }
            if let Some(min_items) = rest.remove("minItems") {
                if min_items == 0 || min_items == 1 {
                    out.insert("minItems".to_owned(), min_items);
                } else {
                    rest.insert("minItems".to_owned(), min_items);
                }
            }
        }
        // Formats on numbers (`int64`, `double`, …) are schemars' annotations, not constraints.
        Some("integer" | "number") => {
            rest.remove("format");
        }
        _ => {}
    }

    if !rest.is_empty() {
        // Sorted by key, whatever the map's order, so the text is stable.
        let mut listed: Vec<String> = rest.iter().map(|(k, v)| format!("{k}: {v}")).collect();
        listed.sort();
        let extra = format!("{{{}}}", listed.join(", "));
        let description = match out.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{extra}"),
            None => extra,
        };
        out.insert("description".to_owned(), Value::String(description));
    }
    Ok(Value::Object(out))
}

fn error(path: &str, message: String) -> SchemaError {
    SchemaError {
        path: path.to_owned(),
        message,
    }
}

/// Runs `f` with `path` extended by `segments` (JSON-pointer escaped).
fn nested<T>(
    path: &mut String,
    segments: &[&str],
    f: impl FnOnce(&mut String) -> Result<T, SchemaError>,
) -> Result<T, SchemaError> {
    let len = path.len();
    for segment in segments {
        path.push('/');
        path.push_str(&segment.replace('~', "~0").replace('/', "~1"));
    }
    let result = f(path);
    path.truncate(len);
    result
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closes_objects_but_not_maps_or_property_names() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "properties": {"type": "object", "properties": {"x": {"type": "string"}}},
                "map": {"type": "object", "additionalProperties": {"type": "integer"}},
                "list": {"type": "array", "items": {"type": "object", "properties": {}}}
            },
            "$defs": {"D": {"type": "object", "properties": {}}}
        });
        close_objects(&mut schema);
        assert_eq!(schema["additionalProperties"], json!(false));
        assert_eq!(
            schema["properties"]["properties"]["additionalProperties"],
            json!(false)
        );
        assert!(schema["properties"].get("additionalProperties").is_none());
        assert_eq!(
            schema["properties"]["map"]["additionalProperties"],
            json!({"type": "integer"})
        );
        assert_eq!(
            schema["properties"]["list"]["items"]["additionalProperties"],
            json!(false)
        );
        assert_eq!(schema["$defs"]["D"]["additionalProperties"], json!(false));
    }

    #[test]
    fn strict_transform_follows_the_reference_rules() {
        let schema = json!({
            "title": "Order",
            "type": "object",
            "properties": {
                "id": {"type": "string", "format": "uuid"},
                "code": {"type": "string", "format": "custom", "pattern": "^[A-Z]+$"},
                "qty": {"type": "integer", "format": "uint32", "minimum": 0},
                "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "maxItems": 5},
                "many": {"type": "array", "items": {"type": "string"}, "minItems": 3},
                "note": {"type": ["string", "null"], "description": "optional"},
                "shape": {"oneOf": [{"$ref": "#/$defs/Circle"}, {"type": "string", "const": "none"}]},
                "extra": {"type": "object", "additionalProperties": {"type": "integer"}}
            },
            "required": ["id"],
            "$defs": {"Circle": {"type": "object", "properties": {"r": {"type": "number", "exclusiveMinimum": 0}}}}
        });
        let strict = transform_schema(&schema).unwrap();
        assert_eq!(
            strict,
            json!({
                "$defs": {"Circle": {
                    "type": "object",
                    "properties": {"r": {"type": "number", "description": "{exclusiveMinimum: 0}"}},
                    "additionalProperties": false
                }},
                "type": "object",
                "title": "Order",
                "properties": {
                    "id": {"type": "string", "format": "uuid"},
                    "code": {"type": "string", "description": "{format: \"custom\", pattern: \"^[A-Z]+$\"}"},
                    "qty": {"type": "integer", "description": "{minimum: 0}"},
                    "tags": {"type": "array", "items": {"type": "string"}, "minItems": 1, "description": "{maxItems: 5}"},
                    "many": {"type": "array", "items": {"type": "string"}, "description": "{minItems: 3}"},
                    "note": {"anyOf": [{"type": "string"}, {"type": "null"}], "description": "optional"},
                    "shape": {"anyOf": [{"$ref": "#/$defs/Circle"}, {"const": "none", "type": "string"}]},
                    "extra": {"type": "object", "properties": {}, "additionalProperties": false}
                },
                "additionalProperties": false,
                "required": ["id"]
            })
        );
    }

    #[test]
    fn schemas_without_a_shape_are_errors_with_a_path() {
        let err =
            transform_schema(&json!({"type": "object", "properties": {"any": true}})).unwrap_err();
        assert_eq!(err.path(), "/properties/any");
        assert!(
            err.to_string().contains("expected an object schema"),
            "{err}"
        );
        let err = transform_schema(&json!({"description": "x"})).unwrap_err();
        assert_eq!(err.path(), "");
    }
}
