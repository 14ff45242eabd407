//! The two message families that can be streamed ([`Message`] and [`BetaMessage`]) seen
//! through one small interface, so the accumulator and the stream are written once.
//!
//! Each family maps its generated events, deltas and blocks onto the views below; everything
//! a family does not recognise (a variant added by a newer spec) maps to an "other" view,
//! so new variants compile and are kept rather than lost.

use std::borrow::Cow;
use std::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{Map, Value};

use crate::streaming::events::StreamEvent;
use crate::types::{
    BetaContentBlock, BetaMessage, BetaRawContentBlockDelta,
    BetaRawContentBlockStartEventContentBlock, BetaRawMessageStreamEvent, BetaTextCitation,
    ContentBlock, Message, RawContentBlockDelta, RawContentBlockStartEventContentBlock,
    RawMessageStreamEvent, TextCitation,
};

mod private {
    pub trait Sealed {}
    impl Sealed for crate::types::Message {}
    impl Sealed for crate::types::BetaMessage {}
}

/// A message type that can be streamed and accumulated: [`Message`] or [`BetaMessage`].
///
/// Sealed; the hidden methods are the accumulator's view of the generated types.
pub trait StreamedMessage:
    private::Sealed + Clone + fmt::Debug + Serialize + DeserializeOwned + Send + Sync + Unpin + 'static
{
    /// The raw stream event (`RawMessageStreamEvent` or `BetaRawMessageStreamEvent`).
    type Event: StreamEvent + Clone + fmt::Debug + Serialize + Sync + Unpin;
    /// The content block (`ContentBlock` or `BetaContentBlock`).
    type Block: Clone + fmt::Debug + Serialize + Send + Sync + Unpin + 'static;
    /// The citation of a `citations_delta` (`TextCitation` or `BetaTextCitation`).
    type Citation: Clone + fmt::Debug + Serialize + Send + Sync + Unpin + 'static;

    #[doc(hidden)]
    fn view(event: &Self::Event) -> EventView<'_, Self>;
    #[doc(hidden)]
    fn content(&self) -> &[Self::Block];
    #[doc(hidden)]
    fn content_mut(&mut self) -> &mut Vec<Self::Block>;
    #[doc(hidden)]
    fn block_mut(block: &mut Self::Block) -> BlockMut<'_, Self::Citation>;
    /// Applies a `message_delta` event (the event `view` classified as one).
    #[doc(hidden)]
    fn apply_message_delta(&mut self, event: &Self::Event);
    /// The text of a `text_delta` event, moved out.
    #[doc(hidden)]
    fn into_text_delta(event: Self::Event) -> Option<String>;
    /// All text blocks joined.
    #[doc(hidden)]
    fn joined_text(&self) -> Option<String>;
}

/// What an event means to the accumulator.
#[doc(hidden)]
pub enum EventView<'a, M: StreamedMessage> {
    MessageStart(&'a M),
    BlockStart {
        index: i64,
        block: M::Block,
    },
    BlockDelta {
        index: i64,
        delta: DeltaView<'a, M::Citation>,
    },
    BlockStop {
        index: i64,
    },
    MessageDelta,
    MessageStop,
    Other,
}

/// What a `content_block_delta` carries.
#[doc(hidden)]
pub enum DeltaView<'a, C> {
    Text(&'a str),
    InputJson(&'a str),
    Citation(&'a C),
    Thinking(&'a str),
    Signature(&'a str),
    Compaction(Option<&'a str>),
    Other(Cow<'a, Value>),
}

/// The parts of a content block that deltas update.
#[doc(hidden)]
pub enum BlockMut<'a, C> {
    Text {
        text: &'a mut String,
        citations: &'a mut Option<Vec<C>>,
    },
    Thinking {
        thinking: &'a mut String,
        signature: &'a mut String,
    },
    /// A block whose `input` streams as `input_json_delta`s.
    ToolInput {
        input: &'a mut Map<String, Value>,
        kind: &'static str,
        name: &'a str,
        id: &'a str,
    },
    Compaction(&'a mut Option<String>),
    Unknown(&'a mut Value),
    Other,
}

/// Converts a `content_block_start` block into the message's block type: the variants both
/// unions share are moved over; any other (a newer spec's) goes through JSON.
macro_rules! start_block {
    ($block:expr, $from:ident => $to:ident: $($variant:ident),* $(,)?) => {{
        #[allow(unreachable_patterns)]
        match $block {
            $($from::$variant(b) => $to::$variant(b.clone()),)*
            $from::Unknown(v) => $to::Unknown(v.clone()),
            other => {
                let value = serde_json::to_value(other).unwrap_or(Value::Null);
                serde_json::from_value::<$to>(value.clone()).unwrap_or($to::Unknown(value))
            }
        }
    }};
}

/// The event and delta views, the same for both families (the variant names are shared).
macro_rules! common_views {
    ($event:ident, $delta:ident) => {
        fn view(event: &$event) -> EventView<'_, Self> {
            #[allow(unreachable_patterns)]
            match event {
                $event::MessageStart(e) => EventView::MessageStart(&e.message),
                $event::ContentBlockStart(e) => EventView::BlockStart {
                    index: e.index,
                    block: Self::start_block(&e.content_block),
                },
                $event::ContentBlockDelta(e) => EventView::BlockDelta {
                    index: e.index,
                    delta: Self::delta_view(&e.delta),
                },
                $event::ContentBlockStop(e) => EventView::BlockStop { index: e.index },
                $event::MessageDelta(_) => EventView::MessageDelta,
                $event::MessageStop(_) => EventView::MessageStop,
                _ => EventView::Other,
            }
        }

        fn content(&self) -> &[Self::Block] {
            &self.content
        }

        fn content_mut(&mut self) -> &mut Vec<Self::Block> {
            &mut self.content
        }

        fn into_text_delta(event: $event) -> Option<String> {
            match event {
                $event::ContentBlockDelta(e) => match e.delta {
                    $delta::TextDelta(d) => Some(d.text),
                    _ => None,
                },
                _ => None,
            }
        }

        fn joined_text(&self) -> Option<String> {
            let mut texts = self.content.iter().filter_map(|b| b.as_text()).peekable();
            texts.peek()?;
            Some(texts.collect())
        }
    };
}

/// Sets the `Option` usage fields that a `message_delta` carries, when present.
macro_rules! merge_usage {
    ($usage:expr, $delta:expr, $($field:ident),*) => {
        $(if $delta.$field.is_some() {
            $usage.$field = $delta.$field.clone();
        })*
    };
}

fn merge_extra(target: &mut Map<String, Value>, extra: &Map<String, Value>) {
    for (key, value) in extra {
        target.insert(key.clone(), value.clone());
    }
}

fn output_tokens(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

impl Message {
    fn start_block(block: &RawContentBlockStartEventContentBlock) -> ContentBlock {
        start_block!(block, RawContentBlockStartEventContentBlock => ContentBlock:
            Text, Thinking, RedactedThinking, ToolUse, ServerToolUse, WebSearchToolResult,
            WebFetchToolResult, CodeExecutionToolResult, BashCodeExecutionToolResult,
            TextEditorCodeExecutionToolResult, ToolSearchToolResult, ContainerUpload)
    }

    fn delta_view(delta: &RawContentBlockDelta) -> DeltaView<'_, TextCitation> {
        #[allow(unreachable_patterns)]
        match delta {
            RawContentBlockDelta::TextDelta(d) => DeltaView::Text(&d.text),
            RawContentBlockDelta::InputJsonDelta(d) => DeltaView::InputJson(&d.partial_json),
            RawContentBlockDelta::CitationsDelta(d) => DeltaView::Citation(&d.citation),
            RawContentBlockDelta::ThinkingDelta(d) => DeltaView::Thinking(&d.thinking),
            RawContentBlockDelta::SignatureDelta(d) => DeltaView::Signature(&d.signature),
            RawContentBlockDelta::Unknown(v) => DeltaView::Other(Cow::Borrowed(v)),
            other => DeltaView::Other(Cow::Owned(
                serde_json::to_value(other).unwrap_or(Value::Null),
            )),
        }
    }
}

impl StreamedMessage for Message {
    type Event = RawMessageStreamEvent;
    type Block = ContentBlock;
    type Citation = TextCitation;

    common_views!(RawMessageStreamEvent, RawContentBlockDelta);

    fn block_mut(block: &mut ContentBlock) -> BlockMut<'_, TextCitation> {
        match block {
            ContentBlock::Text(b) => BlockMut::Text {
                text: &mut b.text,
                citations: &mut b.citations,
            },
            ContentBlock::Thinking(b) => BlockMut::Thinking {
                thinking: &mut b.thinking,
                signature: &mut b.signature,
            },
            ContentBlock::ToolUse(b) => BlockMut::ToolInput {
                input: &mut b.input,
                kind: "tool_use",
                name: &b.name,
                id: &b.id,
            },
            ContentBlock::ServerToolUse(b) => BlockMut::ToolInput {
                input: &mut b.input,
                kind: "server_tool_use",
                name: b.name.as_str(),
                id: &b.id,
            },
            ContentBlock::Unknown(v) => BlockMut::Unknown(v),
            _ => BlockMut::Other,
        }
    }

    fn apply_message_delta(&mut self, event: &RawMessageStreamEvent) {
        let RawMessageStreamEvent::MessageDelta(event) = event else {
            return;
        };
        let (delta, usage) = (&event.delta, &event.usage);
        self.stop_reason = delta.stop_reason.clone();
        self.stop_sequence = delta.stop_sequence.clone();
        if delta.container.is_some() {
            self.container = delta.container.clone();
        }
        merge_extra(&mut self.extra, &delta.extra);
        self.usage.output_tokens = output_tokens(usage.output_tokens);
        if let Some(input) = usage.input_tokens {
            self.usage.input_tokens = input;
        }
        merge_usage!(
            self.usage,
            usage,
            cache_creation_input_tokens,
            cache_read_input_tokens,
            server_tool_use
        );
        merge_extra(&mut self.usage.extra, &usage.extra);
        merge_extra(&mut self.extra, &event.extra);
    }
}

impl BetaMessage {
    fn start_block(block: &BetaRawContentBlockStartEventContentBlock) -> BetaContentBlock {
        start_block!(block, BetaRawContentBlockStartEventContentBlock => BetaContentBlock:
            Text, Thinking, RedactedThinking, ToolUse, ServerToolUse, WebSearchToolResult,
            WebFetchToolResult, CodeExecutionToolResult, BashCodeExecutionToolResult,
            TextEditorCodeExecutionToolResult, ToolSearchToolResult, McpToolUse, McpToolResult,
            ContainerUpload, Compaction)
    }

    fn delta_view(delta: &BetaRawContentBlockDelta) -> DeltaView<'_, BetaTextCitation> {
        #[allow(unreachable_patterns)]
        match delta {
            BetaRawContentBlockDelta::TextDelta(d) => DeltaView::Text(&d.text),
            BetaRawContentBlockDelta::InputJsonDelta(d) => DeltaView::InputJson(&d.partial_json),
            BetaRawContentBlockDelta::CitationsDelta(d) => DeltaView::Citation(&d.citation),
            BetaRawContentBlockDelta::ThinkingDelta(d) => DeltaView::Thinking(&d.thinking),
            BetaRawContentBlockDelta::SignatureDelta(d) => DeltaView::Signature(&d.signature),
            BetaRawContentBlockDelta::CompactionDelta(d) => {
                DeltaView::Compaction(d.content.as_deref())
            }
            BetaRawContentBlockDelta::Unknown(v) => DeltaView::Other(Cow::Borrowed(v)),
            other => DeltaView::Other(Cow::Owned(
                serde_json::to_value(other).unwrap_or(Value::Null),
            )),
        }
    }
}

impl StreamedMessage for BetaMessage {
    type Event = BetaRawMessageStreamEvent;
    type Block = BetaContentBlock;
    type Citation = BetaTextCitation;

    common_views!(BetaRawMessageStreamEvent, BetaRawContentBlockDelta);

    fn block_mut(block: &mut BetaContentBlock) -> BlockMut<'_, BetaTextCitation> {
        match block {
            BetaContentBlock::Text(b) => BlockMut::Text {
                text: &mut b.text,
                citations: &mut b.citations,
            },
            BetaContentBlock::Thinking(b) => BlockMut::Thinking {
                thinking: &mut b.thinking,
                signature: &mut b.signature,
            },
            BetaContentBlock::ToolUse(b) => BlockMut::ToolInput {
                input: &mut b.input,
                kind: "tool_use",
                name: &b.name,
                id: &b.id,
            },
            BetaContentBlock::ServerToolUse(b) => BlockMut::ToolInput {
                input: &mut b.input,
                kind: "server_tool_use",
                name: b.name.as_str(),
                id: &b.id,
            },
            BetaContentBlock::McpToolUse(b) => BlockMut::ToolInput {
                input: &mut b.input,
                kind: "mcp_tool_use",
                name: &b.name,
                id: &b.id,
            },
            BetaContentBlock::Compaction(b) => BlockMut::Compaction(&mut b.content),
            BetaContentBlock::Unknown(v) => BlockMut::Unknown(v),
            _ => BlockMut::Other,
        }
    }

    fn apply_message_delta(&mut self, event: &BetaRawMessageStreamEvent) {
        let BetaRawMessageStreamEvent::MessageDelta(event) = event else {
            return;
        };
        let (delta, usage) = (&event.delta, &event.usage);
        self.stop_reason = delta.stop_reason.clone();
        self.stop_sequence = delta.stop_sequence.clone();
        if delta.container.is_some() {
            self.container = delta.container.clone();
        }
        if event.context_management.is_some() {
            self.context_management = event.context_management.clone();
        }
        merge_extra(&mut self.extra, &delta.extra);
        self.usage.output_tokens = output_tokens(usage.output_tokens);
        if let Some(input) = usage.input_tokens {
            self.usage.input_tokens = input;
        }
        merge_usage!(
            self.usage,
            usage,
            cache_creation_input_tokens,
            cache_read_input_tokens,
            server_tool_use,
            iterations
        );
        merge_extra(&mut self.usage.extra, &usage.extra);
        merge_extra(&mut self.extra, &event.extra);
    }
}
