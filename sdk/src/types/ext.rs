//! Hand-written conveniences on generated types (the role of the official SDKs' helpers).

use crate::generated::types::*;

macro_rules! message_param_helpers {
    ($param:ident, $content:ty) => {
        impl $param {
            /// A `user` turn: `MessageParam::user("Hello")`, or with content blocks.
            pub fn user(content: impl Into<$content>) -> Self {
                Self::new(content, Role::User)
            }

            /// An `assistant` turn (e.g. to prefill the reply, or to replay history).
            pub fn assistant(content: impl Into<$content>) -> Self {
                Self::new(content, Role::Assistant)
            }
        }
    };
}

message_param_helpers!(MessageParam, MessageContent);
message_param_helpers!(BetaMessageParam, BetaMessageContent);

macro_rules! text_block_param_from {
    ($block:ident, $text:ident) => {
        impl From<&str> for $block {
            fn from(text: &str) -> Self {
                $text::new(text).into()
            }
        }

        impl From<String> for $block {
            fn from(text: String) -> Self {
                $text::new(text).into()
            }
        }
    };
}

text_block_param_from!(ContentBlockParam, TextBlockParam);
text_block_param_from!(BetaContentBlockParam, BetaTextBlockParam);

macro_rules! message_helpers {
    ($message:ident, $block:ident, $tool_use:ident, $param:ident, $block_param:ident) => {
        impl $message {
            /// The text of every `text` block, concatenated (empty when there is none).
            pub fn text(&self) -> String {
                self.content.iter().filter_map($block::as_text).collect()
            }

            /// The `tool_use` blocks, in order.
            pub fn tool_uses(&self) -> impl Iterator<Item = &$tool_use> {
                self.content.iter().filter_map(|b| match b {
                    $block::ToolUse(t) => Some(t),
                    _ => None,
                })
            }

            /// This reply as an `assistant` turn, to send back in a later request.
            pub fn to_param(&self) -> $param {
                let blocks: Vec<$block_param> = self.content.iter().map($block::to_param).collect();
                $param::assistant(blocks)
            }
        }

        impl $block {
            /// The text of a `text` block.
            pub fn as_text(&self) -> Option<&str> {
                match self {
                    $block::Text(t) => Some(&t.text),
                    _ => None,
                }
            }

            /// This response block as a request block with the same JSON (fields the request
            /// type does not know are kept in its `extra`; blocks it does not know stay whole).
            pub fn to_param(&self) -> $block_param {
                let json = serde_json::to_value(self).unwrap_or(serde_json::Value::Null);
                serde_json::from_value(json.clone()).unwrap_or($block_param::Unknown(json))
            }
        }
    };
}

message_helpers!(
    Message,
    ContentBlock,
    ToolUseBlock,
    MessageParam,
    ContentBlockParam
);
message_helpers!(
    BetaMessage,
    BetaContentBlock,
    BetaToolUseBlock,
    BetaMessageParam,
    BetaContentBlockParam
);

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn user_and_assistant_turns() {
        let user = MessageParam::user("Hello");
        assert_eq!(
            serde_json::to_value(&user).unwrap(),
            json!({"content": "Hello", "role": "user"})
        );
        let blocks = MessageParam::assistant(vec![ContentBlockParam::from("Hi")]);
        assert_eq!(
            serde_json::to_value(&blocks).unwrap(),
            json!({"content": [{"type": "text", "text": "Hi"}], "role": "assistant"})
        );
        let beta = BetaMessageParam::user("x");
        assert_eq!(beta.role, Role::User);
    }

    #[test]
    fn message_text_joins_text_blocks() {
        let m: Message = serde_json::from_value(json!({
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [
                {"type": "text", "text": "Hello, ", "citations": null},
                {"type": "tool_use", "id": "tu_1", "name": "f", "input": {}, "caller": {"type": "direct"}},
                {"type": "text", "text": "world", "citations": null}
            ],
            "stop_reason": "tool_use", "stop_sequence": null,
            "usage": {"input_tokens": 1, "output_tokens": 2}
        }))
        .unwrap();
        assert_eq!(m.text(), "Hello, world");
        assert_eq!(
            m.tool_uses().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["f"]
        );
    }
}
