//! Server-Sent Events → typed events: [`EventDecoder`] (pure, push bytes / pull events) and
//! [`EventStream`] (the same over an HTTP body, as a [`futures_core::Stream`]).
//!
//! Both are generic over the event type ([`StreamEvent`]): `RawMessageStreamEvent` for
//! `messages.create_stream`, `BetaRawMessageStreamEvent` for the beta endpoint and `Completion`
//! for the legacy `/v1/complete`.
//!
//! # Dispatch
//!
//! * `ping` events are skipped.
//! * `error` events end the stream with a typed error: the API error type picks the
//!   [`Error`] variant (`overloaded_error` → [`Error::Overloaded`], …), with the API's message
//!   and the response's `request-id`.
//! * An event name the type knows (`content_block_delta`, …) decodes the data as that event
//!   directly; a payload without `type` gets the event name as its type.
//! * An unnamed event (or one named `message`, the SSE default) dispatches on the data's
//!   `type` field instead.
//! * Any other name is passed through as the type's `Unknown` variant when the data is JSON
//!   (for types without one, such as `Completion`, and for non-JSON data it is skipped); it is
//!   never an error, so a newer API does not break older SDKs.
//! * Malformed JSON in a known event is [`Error::Decode`]; the stream ends after any error.

use std::fmt;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::OnceLock;
use std::task::{ready, Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use http::HeaderMap;
use serde_json::Value;

use crate::client::ApiResponse;
use crate::error::{Error, Result};
use crate::streaming::fast::{FastDelta, Kind};
use crate::streaming::sse::{SseDecoder, SseEvent};
use crate::types::{
    BetaRawContentBlockDelta, BetaRawContentBlockDeltaEvent, BetaRawContentBlockStartEvent,
    BetaRawContentBlockStopEvent, BetaRawMessageDeltaEvent, BetaRawMessageStartEvent,
    BetaRawMessageStopEvent, BetaRawMessageStreamEvent, Completion, RawContentBlockDelta,
    RawContentBlockDeltaEvent, RawContentBlockStartEvent, RawContentBlockStopEvent,
    RawMessageDeltaEvent, RawMessageStartEvent, RawMessageStopEvent, RawMessageStreamEvent,
};

/// A type that a stream of Server-Sent Events decodes into.
///
/// Implemented for the message stream events (plain and beta) and for [`Completion`]. The
/// shared rules (`ping`, `error`, unnamed events) are applied by [`EventDecoder`] before these
/// methods are called.
pub trait StreamEvent: Sized + Send + Unpin + 'static {
    /// Decodes the data of an event named `name`; `None` when the name is not one of this
    /// type's (then [`unknown`](Self::unknown) decides).
    fn decode_named(name: &str, data: &str) -> Option<serde_json::Result<Self>>;

    /// Decodes the data of an unnamed event, dispatching on its `type`.
    fn decode_value(value: Value) -> serde_json::Result<Self>;

    /// An event with an unknown name and JSON data: `Some` to pass it on, `None` to skip it.
    fn unknown(name: &str, value: Value) -> Option<Self>;
}

/// Adds `"type": name` to an object that has no `type` (the reference SDKs do the same).
fn with_type(name: &str, mut value: Value) -> Value {
    if let Value::Object(map) = &mut value {
        if !map.contains_key("type") {
            map.insert("type".to_owned(), Value::String(name.to_owned()));
        }
    }
    value
}

macro_rules! message_stream_event {
    ($event:ident, $delta_event:ident, $delta:ident {
        $($name:literal => $variant:ident($ty:ident),)*
    }) => {
        impl StreamEvent for $event {
            fn decode_named(name: &str, data: &str) -> Option<serde_json::Result<Self>> {
                if name == "content_block_delta" {
                    if let Some(event) = Self::fast_delta(data) {
                        return Some(Ok(event));
                    }
                }
                // The named struct is decoded directly: its `type` defaults to the event name
                // when absent, and must match it when present.
                Some(match name {
                    $($name => serde_json::from_str::<$ty>(data).map(Self::$variant),)*
                    _ => return None,
                })
            }

            fn decode_value(value: Value) -> serde_json::Result<Self> {
                serde_json::from_value(value)
            }

            fn unknown(name: &str, value: Value) -> Option<Self> {
                Some(Self::Unknown(with_type(name, value)))
            }
        }

        impl $event {
            /// The shortcut for the common deltas (see [`fast`](crate::streaming::fast)): a
            /// template event of the delta's type, decoded once, with the index and the text
            /// filled in. `None` when the data is not in exactly the expected shape.
            fn fast_delta(data: &str) -> Option<Self> {
                static TEMPLATES: OnceLock<Option<[$delta_event; 4]>> = OnceLock::new();
                let templates = TEMPLATES
                    .get_or_init(|| {
                        let make = |kind: &str, key: &str| {
                            let json = format!(
                                r#"{{"type":"content_block_delta","index":0,"delta":{{"type":"{kind}","{key}":""}}}}"#
                            );
                            serde_json::from_str::<$delta_event>(&json).ok()
                        };
                        Some([
                            make("text_delta", "text")?,
                            make("input_json_delta", "partial_json")?,
                            make("thinking_delta", "thinking")?,
                            make("signature_delta", "signature")?,
                        ])
                    })
                    .as_ref()?;
                let fast = FastDelta::parse(data)?;
                let slot = match fast.kind {
                    Kind::Text => 0,
                    Kind::InputJson => 1,
                    Kind::Thinking => 2,
                    Kind::Signature => 3,
                };
                let mut event = templates.get(slot)?.clone();
                event.index = fast.index;
                let value = fast.value.into_owned();
                match (&mut event.delta, fast.kind) {
                    ($delta::TextDelta(d), Kind::Text) => d.text = value,
                    ($delta::InputJsonDelta(d), Kind::InputJson) => d.partial_json = value,
                    ($delta::ThinkingDelta(d), Kind::Thinking) => d.thinking = value,
                    ($delta::SignatureDelta(d), Kind::Signature) => d.signature = value,
                    _ => return None,
                }
                Some(Self::ContentBlockDelta(event))
            }
        }
    };
}

message_stream_event!(RawMessageStreamEvent, RawContentBlockDeltaEvent, RawContentBlockDelta {
    "message_start" => MessageStart(RawMessageStartEvent),
    "message_delta" => MessageDelta(RawMessageDeltaEvent),
    "message_stop" => MessageStop(RawMessageStopEvent),
    "content_block_start" => ContentBlockStart(RawContentBlockStartEvent),
    "content_block_delta" => ContentBlockDelta(RawContentBlockDeltaEvent),
    "content_block_stop" => ContentBlockStop(RawContentBlockStopEvent),
});

message_stream_event!(BetaRawMessageStreamEvent, BetaRawContentBlockDeltaEvent, BetaRawContentBlockDelta {
    "message_start" => MessageStart(BetaRawMessageStartEvent),
    "message_delta" => MessageDelta(BetaRawMessageDeltaEvent),
    "message_stop" => MessageStop(BetaRawMessageStopEvent),
    "content_block_start" => ContentBlockStart(BetaRawContentBlockStartEvent),
    "content_block_delta" => ContentBlockDelta(BetaRawContentBlockDeltaEvent),
    "content_block_stop" => ContentBlockStop(BetaRawContentBlockStopEvent),
});

impl StreamEvent for Completion {
    fn decode_named(name: &str, data: &str) -> Option<serde_json::Result<Self>> {
        (name == "completion").then(|| serde_json::from_str(data))
    }

    fn decode_value(value: Value) -> serde_json::Result<Self> {
        serde_json::from_value(value)
    }

    fn unknown(_name: &str, _value: Value) -> Option<Self> {
        None
    }
}

/// The typed error for an `error` event's data.
///
/// `{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}` becomes
/// [`Error::Overloaded`]; data that is not in this shape becomes [`Error::Api`] with the data
/// as its message.
pub fn stream_error(data: &str) -> Error {
    let value: Option<Value> = serde_json::from_str(data).ok();
    stream_error_value(value.as_ref(), data)
}

fn stream_error_value(value: Option<&Value>, data: &str) -> Error {
    let error = value.and_then(|v| v.get("error"));
    let field = |key: &str| error.and_then(|e| e.get(key)).and_then(Value::as_str);
    let request_id = value
        .and_then(|v| v.get("request_id"))
        .and_then(Value::as_str);
    match (field("type"), field("message")) {
        (Some(kind), message) => {
            Error::from_stream_error(kind, message.unwrap_or_default()).with_request_id(request_id)
        }
        (None, _) => Error::from_stream_error("unknown_error", data.trim()),
    }
}

/// Turns Server-Sent Events into typed events, without any I/O.
///
/// Push the body's bytes as they arrive (split anywhere), pull events with
/// [`next_event`](Self::next_event), and call [`finish`](Self::finish) at the end of the body.
/// Events are decoded when they are pulled.
///
/// ```
/// use anthropic::streaming::EventDecoder;
/// use anthropic::types::RawMessageStreamEvent;
///
/// let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
/// decoder.push(b"event: ping\ndata: {\"type\": \"ping\"}\n\nevent: message_stop\nda").unwrap();
/// assert!(decoder.next_event().is_none()); // ping skipped, message_stop incomplete
/// decoder.push(b"ta: {\"type\": \"message_stop\"}\n\n").unwrap();
/// let event = decoder.next_event().unwrap().unwrap();
/// assert!(matches!(event, RawMessageStreamEvent::MessageStop(_)));
/// ```
pub struct EventDecoder<E> {
    sse: SseDecoder,
    /// The last event, flushed by `finish` (it comes after everything `sse` has queued).
    last: Option<SseEvent>,
    request_id: Option<String>,
    _event: PhantomData<fn() -> E>,
}

impl<E: StreamEvent> Default for EventDecoder<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: StreamEvent> EventDecoder<E> {
    /// A decoder with the default SSE limits.
    pub fn new() -> Self {
        Self::with_sse(SseDecoder::new())
    }

    /// A decoder over a configured [`SseDecoder`] (e.g. other size limits).
    pub fn with_sse(sse: SseDecoder) -> Self {
        EventDecoder {
            sse,
            last: None,
            request_id: None,
            _event: PhantomData,
        }
    }

    /// The `request-id` put on the errors of `error` events.
    pub fn set_request_id(&mut self, request_id: Option<String>) {
        self.request_id = request_id;
    }

    /// Feeds the next chunk of the body. A malformed SSE stream (a line or event over the
    /// limits) is an [`Error::InvalidResponse`]; events completed before it stay available.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.sse
            .push(chunk)
            .map_err(|e| Error::invalid_response(e.to_string()))
    }

    /// Ends the body: a last event not followed by a blank line is still decoded, unless its
    /// data is not valid JSON (the body was cut in the middle of it: a truncated event is
    /// dropped, and the missing end is for the caller to notice, as `MessageStream` does).
    pub fn finish(&mut self) -> Result<()> {
        let last = self
            .sse
            .finish()
            .map_err(|e| Error::invalid_response(e.to_string()))?;
        self.last = last.filter(|event| {
            let complete = serde_json::from_str::<serde::de::IgnoredAny>(&event.data).is_ok();
            if !complete {
                tracing::debug!("dropping a truncated last event");
            }
            complete
        });
        Ok(())
    }

    /// The next decoded event (or the error an `error` event or malformed data became).
    pub fn next_event(&mut self) -> Option<Result<E>> {
        while let Some(event) = self.next_sse() {
            if let Some(item) = self.decode(&event) {
                return Some(item);
            }
        }
        None
    }

    /// The next complete SSE event, not decoded yet.
    pub(crate) fn next_sse(&mut self) -> Option<SseEvent> {
        self.sse.next_event().or_else(|| self.last.take())
    }

    /// Decodes one SSE event (`None`: skipped).
    pub(crate) fn decode(&self, event: &SseEvent) -> Option<Result<E>> {
        decode_sse::<E>(event)
            .map(|item| item.map_err(|e| e.with_request_id(self.request_id.as_deref())))
    }

    fn clear(&mut self) {
        while self.sse.next_event().is_some() {}
        self.last = None;
    }
}

impl<E> fmt::Debug for EventDecoder<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventDecoder")
            .field("queued", &self.sse.pending())
            .finish_non_exhaustive()
    }
}

/// Applies the dispatch rules of the module docs to one SSE event.
fn decode_sse<E: StreamEvent>(event: &SseEvent) -> Option<Result<E>> {
    let data = event.data.as_str();
    let decoded = |r: serde_json::Result<E>| r.map_err(|e| Error::decode(e, data.as_bytes()));
    match event.event.as_deref() {
        Some("ping") => None,
        Some("error") => Some(Err(stream_error(data))),
        Some("message") | None => {
            if data.trim().is_empty() {
                return None;
            }
            let value: Value = match serde_json::from_str(data) {
                Ok(value) => value,
                Err(e) => return Some(Err(Error::decode(e, data.as_bytes()))),
            };
            match value.get("type").and_then(Value::as_str) {
                Some("ping") => None,
                Some("error") => Some(Err(stream_error_value(Some(&value), data))),
                _ => Some(decoded(E::decode_value(value))),
            }
        }
        Some(name) => match E::decode_named(name, data) {
            Some(result) => Some(decoded(result)),
            None => match serde_json::from_str::<Value>(data) {
                Ok(value) => E::unknown(name, value).map(Ok),
                Err(_) => {
                    tracing::debug!(event = name, "skipping an unknown event with non-JSON data");
                    None
                }
            },
        },
    }
}

/// A response body as a boxed stream of chunks.
pub(crate) type BodyStream = Pin<Box<dyn Stream<Item = Result<Bytes>> + Send>>;

/// A streamed response decoded into typed events: a [`Stream`] of `Result<E>`.
///
/// It ends after the body ends or after the first error (an `error` event, malformed data, a
/// transport error or an idle timeout). Dropping it, or calling [`close`](Self::close), closes
/// the HTTP response body.
pub struct EventStream<E> {
    body: Option<BodyStream>,
    decoder: EventDecoder<E>,
    headers: HeaderMap,
    /// An error reading or framing the body, reported after the events before it.
    error: Option<Error>,
    finished: bool,
}

impl<E: StreamEvent> EventStream<E> {
    /// Decodes the body of a streamed response.
    pub fn new(response: ApiResponse) -> Self {
        let headers = response.headers().clone();
        let request_id = response.request_id().map(str::to_owned);
        let mut stream = Self::from_body(response.bytes_stream());
        stream.decoder.set_request_id(request_id);
        stream.headers = headers;
        stream
    }

    /// Decodes any stream of body chunks (for tests, replays and custom transports).
    pub fn from_body(body: impl Stream<Item = Result<Bytes>> + Send + 'static) -> Self {
        EventStream {
            body: Some(Box::pin(body)),
            decoder: EventDecoder::new(),
            headers: HeaderMap::new(),
            error: None,
            finished: false,
        }
    }

    /// The response headers (empty for [`from_body`](Self::from_body) streams).
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `request-id` response header.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// Stops reading: the response body is dropped, which closes the connection. Events
    /// not yet returned are discarded and the stream ends.
    pub fn close(&mut self) {
        self.body = None;
        self.finished = true;
        self.error = None;
        self.decoder.clear();
    }

    /// Whether the body is still open.
    pub fn is_open(&self) -> bool {
        self.body.is_some()
    }

    /// The next complete SSE event, reading the body as needed; a transport or framing error
    /// closes the stream.
    pub(crate) fn poll_next_sse(&mut self, cx: &mut Context<'_>) -> Poll<Option<Result<SseEvent>>> {
        loop {
            if let Some(event) = self.decoder.next_sse() {
                return Poll::Ready(Some(Ok(event)));
            }
            if let Some(error) = self.error.take() {
                self.close();
                return Poll::Ready(Some(Err(error)));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            let Some(body) = self.body.as_mut() else {
                self.finished = true;
                continue;
            };
            match body.as_mut().poll_next(cx) {
                Poll::Ready(Some(Ok(chunk))) => {
                    // Events completed before a bad line are still delivered first.
                    self.error = self.decoder.push(&chunk).err();
                }
                Poll::Ready(Some(Err(error))) => {
                    self.close();
                    return Poll::Ready(Some(Err(error)));
                }
                Poll::Ready(None) => {
                    self.body = None;
                    self.finished = true;
                    self.error = self.decoder.finish().err();
                }
                Poll::Pending => return Poll::Pending,
            }
        }
    }

    /// Decodes an SSE event returned by [`poll_next_sse`](Self::poll_next_sse); an error
    /// closes the stream.
    pub(crate) fn decode(&mut self, event: &SseEvent) -> Option<Result<E>> {
        let item = self.decoder.decode(event);
        if let Some(Err(_)) = &item {
            self.close();
        }
        item
    }
}

impl<E: StreamEvent> Stream for EventStream<E> {
    type Item = Result<E>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<E>>> {
        let this = &mut *self;
        loop {
            let event = match ready!(this.poll_next_sse(cx)) {
                Some(Ok(event)) => event,
                Some(Err(error)) => return Poll::Ready(Some(Err(error))),
                None => return Poll::Ready(None),
            };
            if let Some(item) = this.decode(&event) {
                return Poll::Ready(Some(item));
            }
        }
    }
}

impl<E> fmt::Debug for EventStream<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("open", &self.body.is_some())
            .field("finished", &self.finished)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode<E: StreamEvent>(text: &str) -> Vec<Result<E>> {
        let mut decoder = EventDecoder::<E>::new();
        let pushed = decoder.push(text.as_bytes());
        let finished = decoder.finish();
        let mut out = Vec::new();
        while let Some(item) = decoder.next_event() {
            out.push(item);
        }
        out.extend(pushed.err().map(Err));
        out.extend(finished.err().map(Err));
        out
    }

    fn tags(items: &[Result<RawMessageStreamEvent>]) -> Vec<String> {
        items
            .iter()
            .map(|item| match item {
                Ok(event) => event.tag().unwrap_or("?").to_owned(),
                Err(e) => format!("error:{}", e.kind_name()),
            })
            .collect()
    }

    #[test]
    fn pings_are_skipped_and_names_win_over_missing_types() {
        let items = decode::<RawMessageStreamEvent>(concat!(
            "event: ping\ndata: {\"type\": \"ping\"}\n\n",
            "data: {\"type\": \"ping\"}\n\n",
            "event: content_block_stop\ndata: {\"index\": 2}\n\n",
            "event: message_stop\ndata: {}\n\n",
        ));
        assert_eq!(tags(&items), ["content_block_stop", "message_stop"]);
        let Ok(RawMessageStreamEvent::ContentBlockStop(stop)) = &items[0] else {
            panic!("{items:?}")
        };
        assert_eq!(stop.index, 2);
    }

    #[test]
    fn unknown_names_pass_through_or_are_skipped_but_never_fail() {
        let items = decode::<RawMessageStreamEvent>(concat!(
            "event: future\ndata: {\"x\": 1}\n\n",
            "event: future_typed\ndata: {\"type\": \"other\"}\n\n",
            "event: future_text\ndata: not json\n\n",
            "data: {\"type\": \"unnamed_future\"}\n\n",
            "event: message\ndata: {\"type\": \"message_stop\"}\n\n",
            "id: 7\n\n",
        ));
        assert_eq!(
            tags(&items),
            ["future", "other", "unnamed_future", "message_stop"]
        );
        // Completions have no unknown variant: unknown events are skipped.
        let items = decode::<Completion>("event: future\ndata: {\"x\": 1}\n\n");
        assert!(items.is_empty());
    }

    #[test]
    fn error_events_become_typed_errors() {
        let cases = [
            (
                r#"{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"#,
                "overloaded",
                Some("overloaded_error"),
            ),
            (
                r#"{"type":"error","error":{"type":"api_error","message":"boom"}}"#,
                "internal_server",
                Some("api_error"),
            ),
            (
                r#"{"type":"error","error":{"type":"brand_new_error","message":"?"}}"#,
                "api",
                Some("brand_new_error"),
            ),
            ("upstream exploded", "api", Some("unknown_error")),
        ];
        for (data, kind, api_type) in cases {
            for framing in [
                format!("event: error\ndata: {data}\n\n"),
                format!("data: {data}\n\n"),
            ] {
                if !data.starts_with('{') && !framing.starts_with("event") {
                    continue; // an unnamed non-JSON event is a decode error, not an API error
                }
                let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
                decoder.set_request_id(Some("req_h".to_owned()));
                decoder.push(framing.as_bytes()).unwrap();
                let err = decoder.next_event().unwrap().unwrap_err();
                assert_eq!(err.kind_name(), kind, "{data}");
                assert_eq!(err.api_error_type(), api_type, "{data}");
                assert_eq!(err.request_id(), Some("req_h"));
                assert_eq!(err.status(), None);
            }
        }
    }

    #[test]
    fn malformed_known_events_are_decode_errors() {
        let items = decode::<RawMessageStreamEvent>(concat!(
            "event: content_block_delta\ndata: {\"index\": 0, \"delta\": \n\n",
            "event: content_block_stop\ndata: {\"type\": \"message_stop\"}\n\n",
            "data: {oops\n\n",
        ));
        assert_eq!(
            tags(&items),
            ["error:decode", "error:decode", "error:decode"]
        );
    }

    #[test]
    fn a_truncated_last_event_is_dropped_but_a_complete_one_is_kept() {
        let items = decode::<RawMessageStreamEvent>(concat!(
            "event: message_stop\ndata: {\"type\": \"message_stop\"}\n\n",
            "event: content_block_stop\ndata: {\"type\": \"content_bl",
        ));
        assert_eq!(tags(&items), ["message_stop"]);
        let items = decode::<RawMessageStreamEvent>(
            "event: content_block_stop\ndata: {\"type\": \"content_block_stop\", \"index\": 1}",
        );
        assert_eq!(tags(&items), ["content_block_stop"]);
    }

    /// The shortcut for common deltas builds exactly what the generated decoder builds.
    #[test]
    fn the_delta_shortcut_equals_the_generated_decoder() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/streaming");
        let mut datas: Vec<String> = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().and_then(|e| e.to_str()) != Some("sse") {
                continue;
            }
            let mut sse = SseDecoder::new();
            let _ = sse.push(&std::fs::read(path).unwrap());
            datas.extend(
                sse.drain()
                    .filter(|e| e.event.as_deref() == Some("content_block_delta"))
                    .map(|e| e.data),
            );
        }
        datas.extend(
            [
                r#"{"index":3,"delta":{"text":"\u00e9\n\"q\" \ud83d\ude00","type":"text_delta"}}"#,
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x"},"extra":1}"#,
                r#"{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"x","more":[1]}}"#,
            ]
            .map(str::to_owned),
        );
        let mut shortcut = 0;
        for data in &datas {
            let slow = serde_json::from_str::<RawContentBlockDeltaEvent>(data)
                .map(RawMessageStreamEvent::ContentBlockDelta)
                .ok();
            if let Some(fast) = RawMessageStreamEvent::fast_delta(data) {
                shortcut += 1;
                assert_eq!(Some(fast), slow, "{data}");
            }
            let slow = serde_json::from_str::<BetaRawContentBlockDeltaEvent>(data)
                .map(BetaRawMessageStreamEvent::ContentBlockDelta)
                .ok();
            if let Some(fast) = BetaRawMessageStreamEvent::fast_delta(data) {
                assert_eq!(Some(fast), slow, "{data}");
            }
        }
        assert!(shortcut > 100, "{shortcut} of {}", datas.len());
        // The two with unknown fields kept them through the generated decoder.
        assert!(RawMessageStreamEvent::fast_delta(datas.last().unwrap()).is_none());
    }

    #[test]
    fn oversized_lines_are_invalid_responses() {
        let mut decoder =
            EventDecoder::<RawMessageStreamEvent>::with_sse(SseDecoder::with_limits(16, 64));
        decoder
            .push(b"event: message_stop\ndata: {}\n\n")
            .unwrap_err();
        let mut decoder =
            EventDecoder::<RawMessageStreamEvent>::with_sse(SseDecoder::with_limits(64, 64));
        decoder.push(b"event: message_stop\ndata: {}\n\n").unwrap();
        let err = decoder.push(&[b'x'; 100]).unwrap_err();
        assert_eq!(err.kind_name(), "invalid_response");
        assert!(decoder.next_event().unwrap().is_ok());
    }
}
