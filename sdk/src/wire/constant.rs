//! Literal ("const") fields such as `"type": "text"`.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// A marker type naming one literal string of the wire format.
///
/// The generator emits one zero-sized implementor per distinct literal of the spec
/// (in the hidden `consts` module); users never need to name them.
pub trait ConstValue: 'static {
    /// The literal, exactly as it appears on the wire.
    const VALUE: &'static str;
}

/// A field whose value is fixed by the spec, e.g. the `type` tag of a content block.
///
/// It takes no space, serializes to its literal, and on deserialization accepts only that
/// literal (so it also tells the variants of untagged unions apart).
pub struct Const<V>(PhantomData<V>);

impl<V: ConstValue> Const<V> {
    /// The literal value.
    pub const fn value(&self) -> &'static str {
        V::VALUE
    }
}

impl<V> Default for Const<V> {
    fn default() -> Self {
        Const(PhantomData)
    }
}

impl<V> Clone for Const<V> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<V> Copy for Const<V> {}

impl<V> PartialEq for Const<V> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl<V> Eq for Const<V> {}

impl<V> Hash for Const<V> {
    fn hash<H: Hasher>(&self, _: &mut H) {}
}

impl<V: ConstValue> fmt::Debug for Const<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(V::VALUE, f)
    }
}

impl<V: ConstValue> Serialize for Const<V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(V::VALUE)
    }
}

impl<'de, V: ConstValue> Deserialize<'de> for Const<V> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Expect<V>(PhantomData<V>);
        impl<V: ConstValue> Visitor<'_> for Expect<V> {
            type Value = Const<V>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "the string {:?}", V::VALUE)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                if v == V::VALUE {
                    Ok(Const(PhantomData))
                } else {
                    Err(E::invalid_value(de::Unexpected::Str(v), &self))
                }
            }
        }
        deserializer.deserialize_str(Expect(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Text;
    impl ConstValue for Text {
        const VALUE: &'static str = "text";
    }

    #[test]
    fn round_trips_and_rejects_other_literals() {
        let c: Const<Text> = serde_json::from_str("\"text\"").unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"text\"");
        assert_eq!(format!("{c:?}"), "\"text\"");
        let err = serde_json::from_str::<Const<Text>>("\"image\"").unwrap_err();
        assert!(err.to_string().contains("the string \"text\""), "{err}");
        assert!(serde_json::from_str::<Const<Text>>("1").is_err());
    }
}
