//! A shortcut for the hot event: a `content_block_delta` carrying a text, input JSON,
//! thinking or signature delta is read with borrowed strings, then either applied directly
//! to the accumulator (when only the message or its text is wanted) or turned into the typed
//! event by filling in a pre-decoded template (much cheaper than the generated decoder's
//! passes through `serde_json::Value`).
//!
//! The shortcut only takes events in exactly the expected shape: no other field anywhere
//! (so nothing would have gone to an `extra` map), no duplicate key, a `type` that agrees with
//! the event name, and only the one value field of its delta type. Anything else returns
//! `None` and goes through the generated decoder, which decides. So the shortcut always builds
//! the same typed event (tested against the generated decoder on every fixture).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, Visitor};
use serde::Deserialize;

use crate::streaming::family::DeltaView;

/// A string borrowed from the event data when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct TextVisitor<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for TextVisitor<'a> {
            type Value = Text<'a>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }

            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Borrowed(v)))
            }

            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }

            fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(TextVisitor(std::marker::PhantomData))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DeltaEvent<'a> {
    #[serde(rename = "type", default, borrow)]
    kind: Option<&'a str>,
    index: i64,
    #[serde(borrow)]
    delta: Delta<'a>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Delta<'a> {
    #[serde(rename = "type", borrow)]
    kind: &'a str,
    #[serde(default, borrow)]
    text: Option<Text<'a>>,
    #[serde(default, borrow)]
    partial_json: Option<Text<'a>>,
    #[serde(default, borrow)]
    thinking: Option<Text<'a>>,
    #[serde(default, borrow)]
    signature: Option<Text<'a>>,
}

/// A decoded `content_block_delta`.
pub(crate) struct FastDelta<'a> {
    pub(crate) index: i64,
    pub(crate) kind: Kind,
    pub(crate) value: Cow<'a, str>,
}

/// The four delta types the shortcut takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    Text,
    InputJson,
    Thinking,
    Signature,
}

impl<'a> FastDelta<'a> {
    /// Reads the data of an SSE event named `content_block_delta`, if it is one of the four
    /// common deltas in the expected shape.
    pub(crate) fn parse(data: &'a str) -> Option<FastDelta<'a>> {
        let event: DeltaEvent<'a> = serde_json::from_str(data).ok()?;
        if event.kind.is_some_and(|k| k != "content_block_delta") {
            return None;
        }
        let d = event.delta;
        // Exactly one value field, the one of the delta's type.
        let (kind, value, others) = match d.kind {
            "text_delta" => (
                Kind::Text,
                d.text?,
                [d.partial_json, d.thinking, d.signature],
            ),
            "input_json_delta" => (
                Kind::InputJson,
                d.partial_json?,
                [d.text, d.thinking, d.signature],
            ),
            "thinking_delta" => (
                Kind::Thinking,
                d.thinking?,
                [d.text, d.partial_json, d.signature],
            ),
            "signature_delta" => (
                Kind::Signature,
                d.signature?,
                [d.text, d.partial_json, d.thinking],
            ),
            _ => return None,
        };
        if others.iter().any(Option::is_some) {
            return None;
        }
        Some(FastDelta {
            index: event.index,
            kind,
            value: value.0,
        })
    }

    /// The accumulator's view of it.
    pub(crate) fn view<C>(&self) -> DeltaView<'_, C> {
        let v = &*self.value;
        match self.kind {
            Kind::Text => DeltaView::Text(v),
            Kind::InputJson => DeltaView::InputJson(v),
            Kind::Thinking => DeltaView::Thinking(v),
            Kind::Signature => DeltaView::Signature(v),
        }
    }

    /// The text of a text delta.
    pub(crate) fn into_text(self) -> Option<String> {
        match self.kind {
            Kind::Text => Some(self.value.into_owned()),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_of(data: &str) -> Option<(i64, String)> {
        let fast = FastDelta::parse(data)?;
        let index = fast.index;
        let view = fast.view::<()>();
        let text = match view {
            DeltaView::Text(t)
            | DeltaView::InputJson(t)
            | DeltaView::Thinking(t)
            | DeltaView::Signature(t) => t.to_owned(),
            _ => unreachable!(),
        };
        Some((index, text))
    }

    #[test]
    fn reads_the_common_deltas_and_declines_the_rest() {
        let ok = [
            (
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hi"}}"#,
                (0, "Hi"),
            ),
            (
                r#"{"index":2,"delta":{"partial_json":"{\"a\\n","type":"input_json_delta"}}"#,
                (2, "{\"a\\n"),
            ),
            (
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"thinking_delta","thinking":"é\n"}}"#,
                (1, "é\n"),
            ),
            (
                r#"{"type":"content_block_delta","index":1,"delta":{"type":"signature_delta","signature":"s"}}"#,
                (1, "s"),
            ),
        ];
        for (data, (index, text)) in ok {
            assert_eq!(text_of(data), Some((index, text.to_owned())), "{data}");
        }
        let declined = [
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{}}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"future_delta","text":"x"}}"#,
            r#"{"type":"message_delta","index":0,"delta":{"type":"text_delta","text":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":1}}"#,
            r#"{"type":"content_block_delta","index":"0","delta":{"type":"text_delta","text":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"index":1,"delta":{"type":"text_delta","text":"x"}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"x":1}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","x":1}}"#,
            r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","thinking":"y"}}"#,
        ];
        for data in declined {
            assert!(FastDelta::parse(data).is_none(), "{data}");
        }
    }
}
