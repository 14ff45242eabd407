//! A flat, uniform view of an `openapiv3` schema.
//!
//! `openapiv3` spreads one JSON schema over several shapes (`Type::*`, `AnySchema`, the
//! `*Of` kinds); the lowering code only wants to ask simple questions of it.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

/// What a schema says, flattened.
#[derive(Debug, Default, Clone)]
pub struct View {
    /// `#/components/schemas/<name>` target, when the schema is a reference.
    pub reference: Option<String>,
    pub nullable: bool,
    pub description: Option<String>,
    /// `const` in the original (3.1) spec.
    pub is_const: bool,
    pub deprecated: bool,
    /// `type` when it is a single primitive name.
    pub typ: Option<String>,
    pub format: Option<String>,
    pub enumeration: Vec<Value>,
    pub minimum: Option<f64>,
    pub properties: IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: Vec<String>,
    pub additional: Option<AdditionalProperties>,
    pub items: Option<ReferenceOr<Box<Schema>>>,
    pub one_of: Vec<ReferenceOr<Schema>>,
    pub any_of: Vec<ReferenceOr<Schema>>,
    pub all_of: Vec<ReferenceOr<Schema>>,
    pub discriminator: Option<(String, IndexMap<String, String>)>,
}

fn ref_name(r: &str) -> String {
    r.rsplit('/').next().unwrap_or(r).to_string()
}

impl View {
    pub fn of(schema: &ReferenceOr<Schema>) -> View {
        match schema {
            ReferenceOr::Reference { reference } => View {
                reference: Some(ref_name(reference)),
                ..View::default()
            },
            ReferenceOr::Item(s) => View::of_schema(s),
        }
    }

    pub fn of_boxed(schema: &ReferenceOr<Box<Schema>>) -> View {
        match schema {
            ReferenceOr::Reference { reference } => View {
                reference: Some(ref_name(reference)),
                ..View::default()
            },
            ReferenceOr::Item(s) => View::of_schema(s),
        }
    }

    pub fn of_schema(s: &Schema) -> View {
        let d = &s.schema_data;
        let mut v = View {
            nullable: d.nullable,
            description: d.description.clone(),
            is_const: d.extensions.get("x-const") == Some(&Value::Bool(true)),
            deprecated: d.deprecated,
            discriminator: d
                .discriminator
                .as_ref()
                .map(|x| (x.property_name.clone(), x.mapping.clone())),
            ..View::default()
        };
        match &s.schema_kind {
            SchemaKind::Type(Type::String(t)) => {
                v.typ = Some("string".into());
                v.format = match &t.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => {
                        Some("date-time".into())
                    }
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Some("date".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => Some("binary".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => Some("byte".into()),
                    VariantOrUnknownOrEmpty::Item(StringFormat::Password) => {
                        Some("password".into())
                    }
                    VariantOrUnknownOrEmpty::Unknown(f) => Some(f.clone()),
                    VariantOrUnknownOrEmpty::Empty => None,
                };
                v.enumeration = t
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|s| Value::String(s.clone()))
                    .collect();
            }
            SchemaKind::Type(Type::Number(t)) => {
                v.typ = Some("number".into());
                v.minimum = t.minimum;
                v.enumeration = t
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|n| serde_json::json!(n))
                    .collect();
            }
            SchemaKind::Type(Type::Integer(t)) => {
                v.typ = Some("integer".into());
                v.minimum = t.minimum.map(|m| m as f64);
                v.enumeration = t
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|n| serde_json::json!(n))
                    .collect();
            }
            SchemaKind::Type(Type::Boolean(t)) => {
                v.typ = Some("boolean".into());
                v.enumeration = t
                    .enumeration
                    .iter()
                    .flatten()
                    .map(|b| Value::Bool(*b))
                    .collect();
            }
            SchemaKind::Type(Type::Object(t)) => {
                v.typ = Some("object".into());
                v.properties = t.properties.clone();
                v.required = t.required.clone();
                v.additional = t.additional_properties.clone();
            }
            SchemaKind::Type(Type::Array(t)) => {
                v.typ = Some("array".into());
                v.items = t.items.clone();
            }
            SchemaKind::OneOf { one_of } => v.one_of = one_of.clone(),
            SchemaKind::AnyOf { any_of } => v.any_of = any_of.clone(),
            SchemaKind::AllOf { all_of } => v.all_of = all_of.clone(),
            SchemaKind::Not { .. } => {}
            SchemaKind::Any(a) => {
                v.typ = a.typ.clone();
                v.format = a.format.clone();
                v.enumeration = a.enumeration.clone();
                v.minimum = a.minimum;
                v.properties = a.properties.clone();
                v.required = a.required.clone();
                v.additional = a.additional_properties.clone();
                v.items = a.items.clone();
                v.one_of = a.one_of.clone();
                v.any_of = a.any_of.clone();
                v.all_of = a.all_of.clone();
                if v.typ.is_none() && !v.properties.is_empty() {
                    v.typ = Some("object".into());
                }
            }
        }
        v
    }

    /// The single member of an `allOf: [X]` wrapper (how the normaliser spells a nullable `$ref`).
    pub fn single_all_of(&self) -> Option<&ReferenceOr<Schema>> {
        match self.all_of.as_slice() {
            [one] if self.properties.is_empty() && self.typ.is_none() => Some(one),
            _ => None,
        }
    }
}
