//! Support for the generated `Deserialize` impls of tagged unions.

use serde::de::{DeserializeOwned, Error};
use serde_json::Value;

/// The string value of `field` in a JSON object, if any.
pub fn tag_of<'a>(value: &'a Value, field: &str) -> Option<&'a str> {
    value.as_object()?.get(field)?.as_str()
}

/// Decodes one variant of a tagged union, saying which one failed.
pub fn decode_variant<T: DeserializeOwned, E: Error>(
    value: Value,
    union: &str,
    tag: &str,
) -> Result<T, E> {
    T::deserialize(value).map_err(|e| E::custom(format_args!("invalid `{tag}` {union}: {e}")))
}
