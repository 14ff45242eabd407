//! Builds the full message from its stream events, with no I/O: [`MessageAccumulator`].
//!
//! ```
//! use anthropic::streaming::{EventDecoder, MessageAccumulator};
//! use anthropic::types::{ContentBlock, RawMessageStreamEvent};
//! # fn main() -> anthropic::Result<()> {
//! let transcript = concat!(
//!     "event: message_start\n",
//!     "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",",
//!     "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,",
//!     "\"stop_sequence\":null,\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n",
//!     "event: content_block_start\n",
//!     "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":",
//!     "{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"get_weather\",\"input\":{}}}\n\n",
//!     "event: content_block_delta\n",
//!     "data: {\"type\":\"content_block_delta\",\"index\":0,",
//!     "\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"city\\\": \\\"Par\"}}\n\n",
//! );
//! let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
//! let mut accumulator = MessageAccumulator::new();
//! decoder.push(transcript.as_bytes())?;
//! while let Some(event) = decoder.next_event() {
//!     accumulator.push(&event?)?;
//! }
//! let ContentBlock::ToolUse(tool) = &accumulator.snapshot().unwrap().content[0] else {
//!     unreachable!()
//! };
//! assert_eq!(tool.input["city"], "Par"); // the partial input, updated in place
//! # Ok(()) }
//! ```
//!
//! # Rules (those of the official SDKs' `MessageStream`, plus what they leave out)
//!
//! * `message_start` sets the snapshot; any block or message event before it is an
//!   [`Error::InvalidResponse`]. Unknown events are ignored.
//! * `content_block_start` appends the block. A delta or stop naming a block that has not
//!   started is an error.
//! * `text_delta` and `thinking_delta` append, `signature_delta` replaces the signature,
//!   `citations_delta` appends to the text block's citations (creating the list), the beta
//!   `compaction_delta` replaces the compaction block's content.
//! * `input_json_delta` (on `tool_use`, `server_tool_use` and beta `mcp_tool_use` blocks)
//!   feeds an incremental [`PartialJson`] parser whose tree *is* the block's `input`: after
//!   each delta the input shows everything parsed so far (see
//!   [`partial_json`](crate::streaming::partial_json) for exactly what), at a cost
//!   proportional to the delta, not to the input. At `content_block_stop` the input is the
//!   complete document, equal to `serde_json::from_str` of all fragments; invalid or
//!   incomplete JSON (or JSON that is not an object) is an [`Error::InvalidResponse`] naming
//!   the block. A tool block that received no fragment (or only whitespace) keeps the input
//!   of its `content_block_start`.
//! * Blocks this SDK does not know (`Unknown`) are kept and updated generically: text-like
//!   deltas append to the field of the same name (`text`, `thinking`), `signature` is
//!   replaced, citations are appended to `citations`, `input_json_delta` streams into
//!   `input`, and the fields of an unknown delta are merged (strings appended, arrays
//!   extended, anything else replaced).
//! * A delta a block cannot take (an unknown delta on a known block, or a known delta on the
//!   wrong kind of block) changes nothing but is kept, in order, in
//!   [`unapplied_deltas`](MessageAccumulator::unapplied_deltas).
//! * `message_delta` sets `stop_reason` and `stop_sequence`, `usage.output_tokens`, every
//!   usage field it carries (input, cache creation and read, server tool use, beta
//!   iterations, and unknown ones), `container`, the beta `context_management`, and unknown
//!   fields.
//! * After `message_stop` the message is [complete](MessageAccumulator::is_complete); a
//!   stream that ends earlier is an [`Error::IncompleteStream`] carrying the partial message
//!   ([`finish`](MessageAccumulator::finish)).

use std::borrow::Cow;
use std::fmt;

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::streaming::family::{BlockMut, DeltaView, EventView, StreamedMessage};
use crate::streaming::partial_json::{PartialJson, PartialJsonError};
use crate::types::Message;

/// What a pushed event changed, for building helper events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Update {
    None,
    Text(usize),
    InputJson(usize),
    Citation(usize),
    Thinking(usize),
    Signature(usize),
    BlockStop(usize),
    MessageStop,
}

/// Streaming state of one tool block's input.
#[derive(Debug, Default)]
struct ToolInput {
    parser: PartialJson,
    /// Fragments received while inputs are deferred, not parsed yet.
    pending: String,
    /// The snapshot while the top-level value is not an object (it cannot live in the
    /// block's `input` map then). `None` while the snapshot lives in the block.
    stray: Option<Value>,
}

impl ToolInput {
    /// Parses `fragment` into the snapshot tree, which lives in the block's `input`.
    fn feed(
        &mut self,
        input: &mut Map<String, Value>,
        fragment: &str,
    ) -> std::result::Result<(), PartialJsonError> {
        let mut tree = self
            .stray
            .take()
            .unwrap_or_else(|| Value::Object(std::mem::take(input)));
        let result = self.parser.push_into(fragment, &mut tree);
        match tree {
            Value::Object(map) => *input = map,
            other => self.stray = Some(other),
        }
        result
    }

    /// Parses the deferred fragments.
    fn catch_up(
        &mut self,
        input: &mut Map<String, Value>,
    ) -> std::result::Result<(), PartialJsonError> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        self.feed(input, &pending)
    }
}

/// Accumulates the events of one message stream into a full message; see the
/// [module docs](self).
///
/// `M` is [`Message`] or [`BetaMessage`](crate::types::BetaMessage). Every operation takes
/// time proportional to the event's size, so accumulating a whole stream is linear in its
/// length.
pub struct MessageAccumulator<M: StreamedMessage = Message> {
    snapshot: Option<M>,
    /// Parallel to the snapshot's content: the input parser of each tool block.
    inputs: Vec<Option<Box<ToolInput>>>,
    unapplied: Vec<(usize, Value)>,
    complete: bool,
    events: u64,
    /// Tool-input fragments are only buffered (and parsed once, at the block's end) while
    /// nobody can look at the snapshot; see `set_defer_inputs`.
    defer_inputs: bool,
}

impl<M: StreamedMessage> Default for MessageAccumulator<M> {
    /// An accumulator waiting for `message_start` (for any message type:
    /// `MessageAccumulator::<BetaMessage>::default()`).
    fn default() -> Self {
        MessageAccumulator {
            snapshot: None,
            inputs: Vec::new(),
            unapplied: Vec::new(),
            complete: false,
            events: 0,
            defer_inputs: false,
        }
    }
}

impl MessageAccumulator<Message> {
    /// An accumulator of [`Message`] events waiting for `message_start` (use
    /// [`default`](Default::default) for the beta type).
    pub fn new() -> Self {
        Self::default()
    }
}

impl<M: StreamedMessage> fmt::Debug for MessageAccumulator<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MessageAccumulator")
            .field("snapshot", &self.snapshot)
            .field("complete", &self.complete)
            .field("events", &self.events)
            .finish_non_exhaustive()
    }
}

fn order_error(kind: &str) -> Error {
    Error::invalid_response(format!(
        "unexpected event order: got `{kind}` before `message_start`"
    ))
}

impl<M: StreamedMessage> MessageAccumulator<M> {
    /// Applies one event to the snapshot.
    ///
    /// An error (events out of order, invalid tool-input JSON) leaves the snapshot as it was
    /// before the offending event's change; accumulation should stop there.
    pub fn push(&mut self, event: &M::Event) -> Result<()> {
        self.apply(event).map(|_| ())
    }

    /// The message so far (`None` before `message_start`).
    pub fn snapshot(&self) -> Option<&M> {
        self.snapshot.as_ref()
    }

    /// Whether `message_stop` has arrived.
    pub fn is_complete(&self) -> bool {
        self.complete
    }

    /// How many events were pushed.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Deltas that could not be applied to their block, with the block index, in order
    /// (see the [module docs](self)).
    pub fn unapplied_deltas(&self) -> &[(usize, Value)] {
        &self.unapplied
    }

    /// The snapshot, whether or not the message is complete.
    pub fn into_snapshot(self) -> Option<M> {
        self.snapshot
    }

    /// The complete message, or [`Error::IncompleteStream`] (with the partial message as
    /// JSON) if `message_stop` never arrived.
    pub fn finish(self) -> Result<M> {
        match self.snapshot {
            Some(message) if self.complete => Ok(message),
            partial => Err(Error::incomplete_stream(
                partial.and_then(|m| serde_json::to_value(m).ok()),
                self.events,
            )),
        }
    }

    /// While set, tool-input fragments are buffered instead of parsed into the snapshot, and
    /// each complete input is parsed once by `serde_json` at its `content_block_stop`: the
    /// same result for less work, for callers that cannot observe the snapshot meanwhile
    /// (`MessageStream::until_done`). Clearing it parses what was deferred.
    pub(crate) fn set_defer_inputs(&mut self, defer: bool) {
        if !defer {
            self.flush_deferred();
        }
        self.defer_inputs = defer;
    }

    /// Parses every deferred fragment into the snapshot (errors stay for the block's end).
    fn flush_deferred(&mut self) {
        let Some(snapshot) = self.snapshot.as_mut() else {
            return;
        };
        for (state, block) in self.inputs.iter_mut().zip(snapshot.content_mut()) {
            if let (Some(state), BlockMut::ToolInput { input, .. }) = (state, M::block_mut(block)) {
                // A parse error is reported when the block ends; the tree keeps what parsed.
                let _ = state.catch_up(input);
            }
        }
    }

    /// The error for a stream that ended now (see [`finish`](Self::finish)).
    pub(crate) fn incomplete_error(&mut self) -> Error {
        self.flush_deferred();
        Error::incomplete_stream(
            self.snapshot
                .as_ref()
                .and_then(|m| serde_json::to_value(m).ok()),
            self.events,
        )
    }

    /// Applies one event and reports what changed.
    pub(crate) fn apply(&mut self, event: &M::Event) -> Result<Update> {
        self.events += 1;
        let view = M::view(event);
        let Some(snapshot) = self.snapshot.as_mut() else {
            return match view {
                EventView::MessageStart(message) => {
                    self.start(message);
                    Ok(Update::None)
                }
                EventView::BlockStart { .. } => Err(order_error("content_block_start")),
                EventView::BlockDelta { .. } => Err(order_error("content_block_delta")),
                EventView::BlockStop { .. } => Err(order_error("content_block_stop")),
                EventView::MessageDelta => Err(order_error("message_delta")),
                EventView::MessageStop => Err(order_error("message_stop")),
                EventView::Other => Ok(Update::None),
            };
        };
        match view {
            EventView::MessageStart(message) => {
                // A new message restarts accumulation, as in the official SDKs.
                self.start(message);
                Ok(Update::None)
            }
            EventView::BlockStart { block, .. } => {
                snapshot.content_mut().push(block);
                self.inputs.push(None);
                Ok(Update::None)
            }
            EventView::BlockDelta { index, delta } => {
                let index = self.block_index(index, "content_block_delta")?;
                self.apply_delta(index, delta)
            }
            EventView::BlockStop { index } => {
                let index = self.block_index(index, "content_block_stop")?;
                self.finish_input(index)?;
                Ok(Update::BlockStop(index))
            }
            EventView::MessageDelta => {
                snapshot.apply_message_delta(event);
                Ok(Update::None)
            }
            EventView::MessageStop => {
                for index in 0..self.inputs.len() {
                    self.finish_input(index)?;
                }
                self.complete = true;
                Ok(Update::MessageStop)
            }
            EventView::Other => Ok(Update::None),
        }
    }

    /// Applies a `content_block_delta` given as a view (the shortcut of
    /// [`fast`](crate::streaming::fast)); the same as [`apply`](Self::apply) on the event.
    pub(crate) fn apply_delta_view(
        &mut self,
        index: i64,
        delta: DeltaView<'_, M::Citation>,
    ) -> Result<Update> {
        self.events += 1;
        if self.snapshot.is_none() {
            return Err(order_error("content_block_delta"));
        }
        let index = self.block_index(index, "content_block_delta")?;
        self.apply_delta(index, delta)
    }

    fn start(&mut self, message: &M) {
        let message = message.clone();
        self.inputs = (0..message.content().len()).map(|_| None).collect();
        self.snapshot = Some(message);
        self.unapplied.clear();
        self.complete = false;
    }

    fn block_index(&self, index: i64, event: &str) -> Result<usize> {
        let len = self.inputs.len();
        usize::try_from(index)
            .ok()
            .filter(|&i| i < len)
            .ok_or_else(|| {
                Error::invalid_response(format!(
                    "`{event}` for content block {index}, but {len} blocks have started"
                ))
            })
    }

    fn apply_delta(&mut self, index: usize, delta: DeltaView<'_, M::Citation>) -> Result<Update> {
        let defer = self.defer_inputs;
        let (Some(snapshot), Some(input_state)) =
            (self.snapshot.as_mut(), self.inputs.get_mut(index))
        else {
            return Ok(Update::None);
        };
        let Some(block) = snapshot.content_mut().get_mut(index) else {
            return Ok(Update::None);
        };
        let update = match (M::block_mut(block), delta) {
            (BlockMut::Text { text, .. }, DeltaView::Text(delta)) => {
                text.push_str(delta);
                Update::Text(index)
            }
            (BlockMut::Text { citations, .. }, DeltaView::Citation(citation)) => {
                citations
                    .get_or_insert_with(Vec::new)
                    .push(citation.clone());
                Update::Citation(index)
            }
            (BlockMut::Thinking { thinking, .. }, DeltaView::Thinking(delta)) => {
                thinking.push_str(delta);
                Update::Thinking(index)
            }
            (BlockMut::Thinking { signature, .. }, DeltaView::Signature(delta)) => {
                delta.clone_into(signature);
                Update::Signature(index)
            }
            (
                BlockMut::ToolInput {
                    input,
                    kind,
                    name,
                    id,
                },
                DeltaView::InputJson(fragment),
            ) => {
                let state = input_state.get_or_insert_with(Default::default);
                if defer {
                    state.pending.push_str(fragment);
                } else {
                    let result = state
                        .catch_up(input)
                        .and_then(|()| state.feed(input, fragment));
                    result.map_err(|e| {
                        tool_input_error(index, kind, name, id, &e, state.parser.buffer())
                    })?;
                }
                Update::InputJson(index)
            }
            (BlockMut::Compaction(content), DeltaView::Compaction(delta)) => {
                *content = delta.map(str::to_owned);
                Update::None
            }
            (BlockMut::Unknown(value), delta) => {
                return apply_to_unknown(index, value, delta, input_state);
            }
            (_, delta) => {
                self.unapplied.push((index, delta_value(delta)));
                Update::None
            }
        };
        Ok(update)
    }

    /// Completes the streamed input of tool block `index`, if it has one.
    fn finish_input(&mut self, index: usize) -> Result<()> {
        let Some(mut state) = self.inputs.get_mut(index).and_then(Option::take) else {
            return Ok(());
        };
        let Some(block) = self
            .snapshot
            .as_mut()
            .and_then(|m| m.content_mut().get_mut(index))
        else {
            return Ok(());
        };
        match M::block_mut(block) {
            BlockMut::ToolInput {
                input,
                kind,
                name,
                id,
            } => {
                // Deferred and never parsed: one serde_json parse of the whole input.
                if state.parser.buffer().is_empty() && state.stray.is_none() {
                    if let Ok(map) = serde_json::from_str::<Map<String, Value>>(&state.pending) {
                        *input = map;
                        return Ok(());
                    }
                }
                // Otherwise the incremental parser's account, exactly as without deferring.
                if let Err(e) = state.catch_up(input) {
                    return Err(tool_input_error(
                        index,
                        kind,
                        name,
                        id,
                        &e,
                        state.parser.buffer(),
                    ));
                }
                let ToolInput { parser, stray, .. } = *state;
                if parser.buffer().trim().is_empty() {
                    return Ok(());
                }
                // A complete document's tree is exactly what serde_json parses (tested against
                // it); otherwise let serde_json describe the problem.
                if parser.is_complete() && stray.is_none() {
                    return Ok(());
                }
                let buffer = parser.buffer().to_owned();
                match parser.finish() {
                    Ok(Value::Object(map)) => {
                        *input = map;
                        Ok(())
                    }
                    Ok(_) => Err(tool_input_error(
                        index,
                        kind,
                        name,
                        id,
                        &PartialJsonError::not_an_object(),
                        &buffer,
                    )),
                    Err(e) => Err(tool_input_error(index, kind, name, id, &e, &buffer)),
                }
            }
            BlockMut::Unknown(value) => {
                let parser = state.parser;
                if parser.buffer().trim().is_empty() || parser.is_complete() {
                    return Ok(());
                }
                let buffer = parser.buffer().to_owned();
                let kind = value
                    .get("type")
                    .and_then(Value::as_str)
                    .unwrap_or("unknown");
                match parser.finish() {
                    Ok(_) => Ok(()),
                    Err(e) => Err(tool_input_error(index, kind, "", "", &e, &buffer)),
                }
            }
            _ => Ok(()),
        }
    }
}

/// The most bytes of a bad tool input quoted in its error (those just before the problem).
const QUOTED_INPUT: usize = 60;

fn tool_input_error(
    index: usize,
    kind: &str,
    name: &str,
    id: &str,
    problem: &PartialJsonError,
    buffer: &str,
) -> Error {
    // The input up to and including the offending byte: the same however the fragments were
    // split or buffered.
    let mut end = problem.offset().saturating_add(1).min(buffer.len());
    while !buffer.is_char_boundary(end) {
        end += 1;
    }
    let mut start = end.saturating_sub(QUOTED_INPUT);
    while !buffer.is_char_boundary(start) {
        start += 1;
    }
    let quoted = buffer.get(start..end).unwrap_or_default();
    let before = if start > 0 { "…" } else { "" };
    let who = match (name.is_empty(), id.is_empty()) {
        (false, false) => format!(" `{name}` (id {id})"),
        (false, true) => format!(" `{name}`"),
        _ => String::new(),
    };
    Error::invalid_response(format!(
        "invalid JSON in the input of {kind} block {index}{who}: {problem}, at {before}{quoted:?}. \
         Unable to parse tool parameter JSON from the model: retry the request or adjust the \
         prompt"
    ))
}

fn delta_value<C: serde::Serialize>(delta: DeltaView<'_, C>) -> Value {
    let (kind, key, value) = match delta {
        DeltaView::Text(t) => ("text_delta", "text", Value::from(t)),
        DeltaView::InputJson(t) => ("input_json_delta", "partial_json", Value::from(t)),
        DeltaView::Thinking(t) => ("thinking_delta", "thinking", Value::from(t)),
        DeltaView::Signature(t) => ("signature_delta", "signature", Value::from(t)),
        DeltaView::Compaction(t) => ("compaction_delta", "content", Value::from(t)),
        DeltaView::Citation(c) => (
            "citations_delta",
            "citation",
            serde_json::to_value(c).unwrap_or(Value::Null),
        ),
        DeltaView::Other(v) => return v.into_owned(),
    };
    let mut map = Map::new();
    map.insert("type".to_owned(), Value::from(kind));
    map.insert(key.to_owned(), value);
    Value::Object(map)
}

/// Appends `text` to the string field `key` of `map` (creating it).
fn append_text(map: &mut Map<String, Value>, key: &str, text: &str) {
    match map.get_mut(key) {
        Some(Value::String(s)) => s.push_str(text),
        _ => {
            map.insert(key.to_owned(), Value::from(text));
        }
    }
}

/// Applies a delta to a block this SDK does not know (see the module docs).
fn apply_to_unknown<C: serde::Serialize>(
    index: usize,
    block: &mut Value,
    delta: DeltaView<'_, C>,
    input_state: &mut Option<Box<ToolInput>>,
) -> Result<Update> {
    let Value::Object(map) = block else {
        return Ok(Update::None);
    };
    Ok(match delta {
        DeltaView::Text(t) => {
            append_text(map, "text", t);
            Update::Text(index)
        }
        DeltaView::Thinking(t) => {
            append_text(map, "thinking", t);
            Update::Thinking(index)
        }
        DeltaView::Signature(t) => {
            map.insert("signature".to_owned(), Value::from(t));
            Update::Signature(index)
        }
        DeltaView::Compaction(t) => {
            map.insert("content".to_owned(), Value::from(t));
            Update::None
        }
        DeltaView::Citation(c) => {
            let citation = serde_json::to_value(c).unwrap_or(Value::Null);
            match map.get_mut("citations") {
                Some(Value::Array(items)) => items.push(citation),
                _ => {
                    map.insert("citations".to_owned(), Value::Array(vec![citation]));
                }
            }
            Update::Citation(index)
        }
        DeltaView::InputJson(fragment) => {
            let state = input_state.get_or_insert_with(Default::default);
            let slot = map
                .entry("input")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Err(e) = state.parser.push_into(fragment, slot) {
                let kind = map.get("type").and_then(Value::as_str).unwrap_or("unknown");
                return Err(tool_input_error(
                    index,
                    kind,
                    "",
                    "",
                    &e,
                    state.parser.buffer(),
                ));
            }
            Update::InputJson(index)
        }
        DeltaView::Other(delta) => {
            merge_unknown_delta(map, delta);
            Update::None
        }
    })
}

/// Merges the fields of an unknown delta into an unknown block.
fn merge_unknown_delta(map: &mut Map<String, Value>, delta: Cow<'_, Value>) {
    let Value::Object(fields) = delta.into_owned() else {
        return;
    };
    for (key, value) in fields {
        if key == "type" {
            continue;
        }
        match (map.get_mut(&key), value) {
            (Some(Value::String(s)), Value::String(more)) => s.push_str(&more),
            (Some(Value::Array(items)), Value::Array(more)) => items.extend(more),
            (_, value) => {
                map.insert(key, value);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::{BetaMessage, RawContentBlockDelta, RawMessageStreamEvent};
    use proptest::prelude::*;
    use serde_json::json;

    fn event(value: Value) -> RawMessageStreamEvent {
        serde_json::from_value(value).unwrap()
    }

    fn start() -> RawMessageStreamEvent {
        event(json!({"type": "message_start", "message": {
            "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
            "content": [], "stop_reason": null, "stop_sequence": null,
            "usage": {"input_tokens": 3, "output_tokens": 1}
        }}))
    }

    fn tool_start(index: usize) -> RawMessageStreamEvent {
        event(
            json!({"type": "content_block_start", "index": index, "content_block":
            {"type": "tool_use", "id": "toolu_1", "name": "f", "input": {}}}),
        )
    }

    fn stop(index: usize) -> RawMessageStreamEvent {
        event(json!({"type": "content_block_stop", "index": index}))
    }

    /// An `input_json_delta` for block 0, built by editing a decoded template (cheap).
    fn json_delta(template: &RawMessageStreamEvent, fragment: &str) -> RawMessageStreamEvent {
        let mut ev = template.clone();
        if let RawMessageStreamEvent::ContentBlockDelta(d) = &mut ev {
            if let RawContentBlockDelta::InputJsonDelta(j) = &mut d.delta {
                fragment.clone_into(&mut j.partial_json);
            }
        }
        ev
    }

    fn template() -> RawMessageStreamEvent {
        event(json!({"type": "content_block_delta", "index": 0,
            "delta": {"type": "input_json_delta", "partial_json": ""}}))
    }

    fn input_of(acc: &MessageAccumulator) -> Map<String, Value> {
        match &acc.snapshot().unwrap().content[0] {
            crate::types::ContentBlock::ToolUse(t) => t.input.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn big_input(items: usize) -> String {
        let rows: Vec<Value> = (0..items)
            .map(|i| {
                json!({"id": i, "name": format!("row \"{i}\" ✓"), "score": i as f64 / 7.0,
                "tags": ["a", "b\n", null, true], "nested": {"deep": [i, {"x": "\u{1F600}"}]}})
            })
            .collect();
        serde_json::to_string(&json!({"rows": rows, "path": "/tmp/x", "text": "é".repeat(items)}))
            .unwrap()
    }

    #[test]
    fn tool_input_streams_in_linear_work_and_ends_exactly_as_serde_parses_it() {
        let mut per_byte = Vec::new();
        for items in [300, 1200] {
            let doc = big_input(items);
            let mut acc = MessageAccumulator::new();
            acc.push(&start()).unwrap();
            acc.push(&tool_start(0)).unwrap();
            let template = template();
            let mut from = 0;
            for (at, _) in doc.char_indices().skip(1).step_by(2) {
                acc.push(&json_delta(&template, &doc[from..at])).unwrap();
                from = at;
            }
            acc.push(&json_delta(&template, &doc[from..])).unwrap();
            let work = acc.inputs[0].as_ref().unwrap().parser.work();
            per_byte.push(work as f64 / doc.len() as f64);
            acc.push(&stop(0)).unwrap();
            let want: Map<String, Value> = serde_json::from_str(&doc).unwrap();
            assert_eq!(input_of(&acc), want);
        }
        // Four times the input: the same work per byte (a re-parse per delta would be ~4x).
        assert!(per_byte[1] <= per_byte[0] * 1.2, "{per_byte:?}");
        assert!(per_byte[1] < 12.0, "{per_byte:?}");
    }

    #[test]
    fn the_input_after_each_delta_is_the_partial_parse_of_everything_so_far() {
        let doc = r#"{"a": "x\"y", "b": [1, 2.5, {"c": null}], "d": "\ud83d\ude00"}"#;
        let template = template();
        let mut acc = MessageAccumulator::new();
        acc.push(&start()).unwrap();
        acc.push(&tool_start(0)).unwrap();
        let mut from = 0;
        for (at, _) in doc.char_indices().skip(1).chain([(doc.len(), ' ')]) {
            acc.push(&json_delta(&template, &doc[from..at])).unwrap();
            let mut fresh = PartialJson::new();
            fresh.push(&doc[..at]).unwrap();
            let want = match fresh.snapshot() {
                Value::Object(map) => map.clone(),
                _ => Map::new(),
            };
            assert_eq!(input_of(&acc), want, "after {:?}", &doc[..at]);
            from = at;
        }
    }

    #[test]
    fn events_out_of_order_or_for_missing_blocks_are_errors() {
        let mut acc = MessageAccumulator::new();
        let err = acc.push(&tool_start(0)).unwrap_err();
        assert!(err.to_string().contains("before `message_start`"), "{err}");
        acc.push(&start()).unwrap();
        let err = acc.push(&stop(0)).unwrap_err();
        assert_eq!(
            err.to_string(),
            "`content_block_stop` for content block 0, but 0 blocks have started"
        );
        let err = acc.push(&json_delta(&template(), "{")).unwrap_err();
        assert!(err.to_string().contains("content_block_delta"), "{err}");
        // Unknown events are fine anywhere.
        acc.push(&event(json!({"type": "future"}))).unwrap();
        assert!(!acc.is_complete());
        let err = acc.finish().unwrap_err();
        assert_eq!(err.kind_name(), "incomplete_stream");
        assert_eq!(err.partial_message().unwrap()["id"], "msg_1");
    }

    #[test]
    fn a_top_level_non_object_input_is_an_error_naming_the_block() {
        let mut acc = MessageAccumulator::new();
        acc.push(&start()).unwrap();
        acc.push(&tool_start(0)).unwrap();
        acc.push(&json_delta(&template(), "[1, 2]")).unwrap();
        let err = acc.push(&stop(0)).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("invalid JSON in the input of tool_use block 0 `f` (id toolu_1): the input is not a JSON object at byte 0, at \"[\". "),
            "{err}"
        );
    }

    #[test]
    fn beta_accumulator_uses_default() {
        let acc = MessageAccumulator::<BetaMessage>::default();
        assert!(acc.snapshot().is_none());
    }

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(Value::from),
            "[a-z\"\\\\\n\u{e9}\u{1F600}]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(4, 40, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                prop::collection::btree_map("[a-z]{0,4}", inner, 0..6)
                    .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]
        #[test]
        fn any_split_of_any_input_ends_as_serde_json_parses_it(
            fields in prop::collection::btree_map("[a-z]{1,5}", arb_json(), 0..6),
            pretty in any::<bool>(),
            cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..20),
        ) {
            let object = Value::Object(fields.into_iter().collect());
            let doc = if pretty {
                serde_json::to_string_pretty(&object).unwrap()
            } else {
                serde_json::to_string(&object).unwrap()
            };
            let mut points: Vec<usize> = cuts.iter().map(|c| c.index(doc.len() + 1)).collect();
            points.push(doc.len());
            points.sort_unstable();
            let template = template();
            let mut acc = MessageAccumulator::new();
            acc.push(&start()).unwrap();
            acc.push(&tool_start(0)).unwrap();
            let mut from = 0;
            for mut at in points {
                while !doc.is_char_boundary(at) {
                    at += 1;
                }
                if at < from {
                    continue;
                }
                acc.push(&json_delta(&template, &doc[from..at])).unwrap();
                from = at;
            }
            acc.push(&stop(0)).unwrap();
            let want: Map<String, Value> = serde_json::from_str(&doc).unwrap();
            prop_assert_eq!(input_of(&acc), want);
        }
    }
}
