//! Tool input schemas from Rust types (`schemars`).

use schemars::generate::SchemaSettings;
use schemars::{JsonSchema, SchemaGenerator};
use serde_json::{Map, Value};

use super::schema_transform::{close_objects, close_objects_in};

/// Subschemas are inlined (only recursive types keep a `$ref` into `$defs`): simpler for the
/// model, and descriptions are not lost next to a `$ref`.
fn generator() -> SchemaGenerator {
    SchemaSettings::draft2020_12()
        .with(|s| s.inline_subschemas = true)
        .into_generator()
}

/// The input schema of a tool taking `T`: `T`'s JSON schema without `$schema`/`title`, with
/// `additionalProperties: false` on every object that does not say otherwise.
pub fn input_schema_for<T: JsonSchema + ?Sized>() -> Map<String, Value> {
    let mut value = generator().into_root_schema_for::<T>().to_value();
    close_objects(&mut value);
    let mut map = match value {
        Value::Object(map) => map,
        // `true` (any value): the loosest object schema.
        _ => Map::from_iter([("type".to_owned(), Value::from("object"))]),
    };
    map.remove("$schema");
    map.remove("title");
    map
}

/// The JSON schema of `T` for structured outputs, before [`transform_schema`](super::transform_schema).
pub fn output_schema_for<T: JsonSchema + ?Sized>() -> Value {
    let mut value = generator().into_root_schema_for::<T>().to_value();
    if let Value::Object(map) = &mut value {
        map.remove("$schema");
    }
    value
}

/// Builds the input schema of a function's arguments (used by `#[tool]`).
#[doc(hidden)]
pub struct ArgsSchema {
    generator: SchemaGenerator,
    properties: Map<String, Value>,
    required: Vec<Value>,
}

impl Default for ArgsSchema {
    fn default() -> Self {
        ArgsSchema::new()
    }
}

impl ArgsSchema {
    /// No arguments yet.
    pub fn new() -> ArgsSchema {
        ArgsSchema {
            generator: generator(),
            properties: Map::new(),
            required: Vec::new(),
        }
    }

    /// Adds an argument of type `T` (for `Option<T>` arguments, pass `T` and `required: false`).
    pub fn arg<T: JsonSchema + ?Sized>(
        &mut self,
        name: &str,
        description: Option<&str>,
        required: bool,
    ) -> &mut Self {
        let mut schema = self.generator.subschema_for::<T>().to_value();
        if let (Some(description), Value::Object(map)) = (description, &mut schema) {
            map.insert("description".to_owned(), Value::from(description));
        }
        self.properties.insert(name.to_owned(), schema);
        if required {
            self.required.push(Value::from(name));
        }
        self
    }

    /// The object schema.
    pub fn finish(&mut self) -> Map<String, Value> {
        let mut map = Map::new();
        map.insert("type".to_owned(), Value::from("object"));
        map.insert(
            "properties".to_owned(),
            Value::Object(std::mem::take(&mut self.properties)),
        );
        if !self.required.is_empty() {
            map.insert(
                "required".to_owned(),
                Value::Array(std::mem::take(&mut self.required)),
            );
        }
        map.insert("additionalProperties".to_owned(), Value::Bool(false));
        let definitions = self.generator.take_definitions(true);
        if !definitions.is_empty() {
            map.insert("$defs".to_owned(), Value::Object(definitions));
        }
        close_objects_in(&mut map);
        map
    }
}
