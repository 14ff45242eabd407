//! Incremental Server-Sent Events decoder (WHATWG `text/event-stream` rules).
//!
//! [`SseDecoder`] accepts the response body in chunks split at arbitrary byte positions and
//! queues complete [`SseEvent`]s:
//!
//! ```
//! use anthropic::streaming::sse::SseDecoder;
//!
//! let mut decoder = SseDecoder::new();
//! decoder.push(b"event: ping\ndata: {\"type\"").unwrap();
//! decoder.push(b": \"ping\"}\n\n").unwrap();
//! let event = decoder.next_event().unwrap();
//! assert_eq!(event.event.as_deref(), Some("ping"));
//! assert_eq!(event.data, r#"{"type": "ping"}"#);
//! assert!(decoder.finish().unwrap().is_none());
//! ```
//!
//! # Rules
//!
//! * Lines end with `\n`, `\r` or `\r\n`; a `\r\n` split across two chunks is one line ending.
//! * A UTF-8 byte order mark at the very start of the stream is skipped.
//! * Lines starting with `:` are comments. Other lines are `field:value`, split at the first
//!   colon, with one leading space of the value removed; a line without a colon is a field
//!   name with an empty value. Unknown fields are ignored.
//! * `data` lines accumulate, joined with `\n`. `event` sets the event name (empty = none,
//!   i.e. the default `"message"`). `id` sets the last event id unless it contains NUL (an
//!   empty `id` clears it); like the WHATWG `lastEventId` it is *not* reset between events.
//!   `retry` is accepted only if it is a non-empty string of ASCII digits that fits in a
//!   `u64`, and it is reported on the event it was sent with only.
//! * A blank line dispatches the event, unless nothing was set since the previous dispatch:
//!   as in the Python SDK, an event is emitted only if it has a non-empty event name, at least
//!   one `data` line (even an empty one), a non-empty `id` line, or a valid `retry` line.
//!
//! # UTF-8 policy
//!
//! Bytes are split into lines *before* decoding, so a multi-byte character split across
//! chunks is never a problem. Each field value is then decoded with
//! [`String::from_utf8_lossy`]: invalid UTF-8 becomes U+FFFD instead of failing the whole
//! stream. This matches the WHATWG decoding algorithm (which also replaces), and a
//! corrupted byte inside a long stream then damages one event's payload (where the JSON
//! layer reports it precisely) rather than aborting everything already received.
//!
//! # End of stream
//!
//! WHATWG discards an event that is not followed by a blank line at EOF. [`SseDecoder::finish`]
//! instead treats an unterminated last line as complete and flushes a pending event that
//! would have been dispatched by a blank line (a server that closes the connection right
//! after its last `data:` line otherwise loses that event silently; if the payload is
//! truncated, the JSON layer reports it).
//!
//! # Memory and speed
//!
//! Only an incomplete line is buffered: complete lines are decoded directly from the pushed
//! chunk, and each byte is scanned once, eight at a time. A line longer than
//! `max_line_bytes` or an event whose data exceeds `max_event_bytes` is an error
//! ([`SseError::LineTooLong`], [`SseError::EventTooLarge`]) rather than unbounded growth.

use std::borrow::Cow;
use std::collections::VecDeque;
use std::fmt;

use crate::streaming::scan::find_eol;

/// Default limit for one line: 1 MiB.
pub const DEFAULT_MAX_LINE_BYTES: usize = 1 << 20;
/// Default limit for the accumulated `data` of one event: 16 MiB.
pub const DEFAULT_MAX_EVENT_BYTES: usize = 16 << 20;

const BOM: [u8; 3] = [0xEF, 0xBB, 0xBF];

/// One dispatched Server-Sent Event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event` field; `None` when absent or empty (the spec's default type `"message"`).
    pub event: Option<String>,
    /// All `data` lines of the event joined with `\n` (empty if there were none).
    pub data: String,
    /// The last event id seen on the stream so far (not reset between events).
    pub id: Option<String>,
    /// The `retry` value sent with this event, in milliseconds.
    pub retry: Option<u64>,
}

impl SseEvent {
    /// The event name, `"message"` when the stream did not name it.
    pub fn event_name(&self) -> &str {
        self.event.as_deref().unwrap_or("message")
    }

    /// Parses [`data`](Self::data) as JSON (the Python SDK's `ServerSentEvent.json()`).
    pub fn json<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        serde_json::from_str(&self.data)
    }
}

/// Why [`SseDecoder`] gave up. Once returned, the decoder keeps returning the same error.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SseError {
    /// A single line exceeded the decoder's line limit.
    LineTooLong {
        /// The limit in bytes.
        limit: usize,
    },
    /// The `data` of a single event exceeded the decoder's event limit.
    EventTooLarge {
        /// The limit in bytes.
        limit: usize,
    },
}

impl fmt::Display for SseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SseError::LineTooLong { limit } => {
                write!(f, "server-sent event line longer than {limit} bytes")
            }
            SseError::EventTooLarge { limit } => {
                write!(f, "server-sent event data larger than {limit} bytes")
            }
        }
    }
}

impl std::error::Error for SseError {}

/// Incremental Server-Sent Events decoder; see the [module docs](self) for the rules.
#[derive(Debug, Clone)]
pub struct SseDecoder {
    /// Bytes of the current incomplete line (never contains `\r` or `\n`).
    partial: Vec<u8>,
    /// The previous chunk ended with `\r`: a `\n` starting the next chunk belongs to it.
    skip_lf: bool,
    /// No byte of the stream has been classified yet (BOM detection pending).
    at_start: bool,
    event_name: String,
    data: String,
    data_lines: usize,
    last_id: Option<String>,
    id_set: bool,
    retry: Option<u64>,
    queue: VecDeque<SseEvent>,
    max_line_bytes: usize,
    max_event_bytes: usize,
    error: Option<SseError>,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl SseDecoder {
    /// A decoder with the default limits ([`DEFAULT_MAX_LINE_BYTES`], [`DEFAULT_MAX_EVENT_BYTES`]).
    pub fn new() -> Self {
        Self::with_limits(DEFAULT_MAX_LINE_BYTES, DEFAULT_MAX_EVENT_BYTES)
    }

    /// A decoder that rejects lines longer than `max_line_bytes` (excluding the line ending)
    /// and events whose data is longer than `max_event_bytes`.
    pub fn with_limits(max_line_bytes: usize, max_event_bytes: usize) -> Self {
        SseDecoder {
            partial: Vec::new(),
            skip_lf: false,
            at_start: true,
            event_name: String::new(),
            data: String::new(),
            data_lines: 0,
            last_id: None,
            id_set: false,
            retry: None,
            queue: VecDeque::new(),
            max_line_bytes,
            max_event_bytes,
            error: None,
        }
    }

    /// Feeds the next chunk of the stream (split anywhere). Complete events are queued for
    /// [`next_event`](Self::next_event).
    ///
    /// On error, the events completed before the offending line stay queued, and every later
    /// call returns the same error.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), SseError> {
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        let result = self.push_inner(chunk);
        if let Err(err) = &result {
            self.error = Some(err.clone());
        }
        result
    }

    fn push_inner(&mut self, chunk: &[u8]) -> Result<(), SseError> {
        let mut rest = chunk;
        if self.skip_lf {
            if let Some((&first, tail)) = rest.split_first() {
                self.skip_lf = false;
                if first == b'\n' {
                    rest = tail;
                }
            }
        }
        if self.at_start {
            // `partial` holds the BOM prefix matched so far.
            loop {
                if self.partial.len() == BOM.len() {
                    self.partial.clear();
                    self.at_start = false;
                    break;
                }
                let Some((&b, tail)) = rest.split_first() else {
                    return Ok(());
                };
                if BOM.get(self.partial.len()) == Some(&b) {
                    self.partial.push(b);
                    rest = tail;
                } else {
                    // Not a BOM: whatever was matched is ordinary line content.
                    self.at_start = false;
                    break;
                }
            }
        }
        while let Some(idx) = find_eol(rest) {
            let line = rest.get(..idx).unwrap_or_default();
            let mut next = idx + 1;
            if rest.get(idx) == Some(&b'\r') {
                match rest.get(next) {
                    Some(b'\n') => next += 1,
                    None => self.skip_lf = true,
                    Some(_) => {}
                }
            }
            if self.partial.is_empty() {
                self.check_line_len(line.len())?;
                self.process_line(line)?;
            } else {
                self.check_line_len(self.partial.len() + line.len())?;
                let mut buf = std::mem::take(&mut self.partial);
                buf.extend_from_slice(line);
                let result = self.process_line(&buf);
                buf.clear();
                self.partial = buf;
                result?;
            }
            rest = rest.get(next..).unwrap_or_default();
        }
        if !rest.is_empty() {
            self.check_line_len(self.partial.len() + rest.len())?;
            self.partial.extend_from_slice(rest);
        }
        Ok(())
    }

    fn check_line_len(&self, len: usize) -> Result<(), SseError> {
        if len > self.max_line_bytes {
            Err(SseError::LineTooLong {
                limit: self.max_line_bytes,
            })
        } else {
            Ok(())
        }
    }

    /// Pops the oldest complete event, if any.
    pub fn next_event(&mut self) -> Option<SseEvent> {
        self.queue.pop_front()
    }

    /// Removes and yields all queued events, oldest first.
    pub fn drain(&mut self) -> impl Iterator<Item = SseEvent> + '_ {
        self.queue.drain(..)
    }

    /// Number of queued events.
    pub fn pending(&self) -> usize {
        self.queue.len()
    }

    /// Signals the end of the stream: an unterminated last line is processed, and the pending
    /// event is returned if a blank line would have dispatched it (see the module docs).
    ///
    /// Events queued earlier are *not* returned here: drain [`next_event`](Self::next_event)
    /// first. Afterwards the decoder is reset (queue and limits kept) and can decode a new
    /// stream.
    pub fn finish(&mut self) -> Result<Option<SseEvent>, SseError> {
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        let result = self.finish_inner();
        match &result {
            Err(err) => self.error = Some(err.clone()),
            Ok(_) => {
                self.partial.clear();
                self.skip_lf = false;
                self.at_start = true;
                self.event_name.clear();
                self.data.clear();
                self.data_lines = 0;
                self.last_id = None;
                self.id_set = false;
                self.retry = None;
            }
        }
        result
    }

    fn finish_inner(&mut self) -> Result<Option<SseEvent>, SseError> {
        if !self.partial.is_empty() {
            let buf = std::mem::take(&mut self.partial);
            self.process_line(&buf)?;
        }
        Ok(self.take_event())
    }

    /// Applies one complete line (without its line ending).
    fn process_line(&mut self, line: &[u8]) -> Result<(), SseError> {
        let Some(&first) = line.first() else {
            if let Some(event) = self.take_event() {
                self.queue.push_back(event);
            }
            return Ok(());
        };
        if first == b':' {
            return Ok(());
        }
        let (name, value) = match line.iter().position(|&b| b == b':') {
            Some(colon) => {
                let value = line.get(colon + 1..).unwrap_or_default();
                let value = match value.split_first() {
                    Some((b' ', tail)) => tail,
                    _ => value,
                };
                (line.get(..colon).unwrap_or_default(), value)
            }
            None => (line, &[][..]),
        };
        match name {
            b"data" => {
                let text = lossy(value);
                let sep = usize::from(self.data_lines > 0);
                if self.data.len() + sep + text.len() > self.max_event_bytes {
                    return Err(SseError::EventTooLarge {
                        limit: self.max_event_bytes,
                    });
                }
                if sep == 1 {
                    self.data.push('\n');
                }
                self.data.push_str(&text);
                self.data_lines += 1;
            }
            b"event" => {
                self.event_name.clear();
                self.event_name.push_str(&lossy(value));
            }
            // An id containing NUL is ignored; an empty one clears the last event id.
            b"id" if value.contains(&0) => {}
            b"id" if value.is_empty() => self.last_id = None,
            b"id" => {
                self.last_id = Some(lossy(value).into_owned());
                self.id_set = true;
            }
            b"retry" => {
                if let Some(ms) = parse_retry(value) {
                    self.retry = Some(ms);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Ends the current event: returns it if anything was set, and resets the buffers.
    fn take_event(&mut self) -> Option<SseEvent> {
        let dispatch = !self.event_name.is_empty()
            || self.data_lines > 0
            || self.id_set
            || self.retry.is_some();
        let event = if dispatch {
            let name = std::mem::take(&mut self.event_name);
            Some(SseEvent {
                event: (!name.is_empty()).then_some(name),
                data: std::mem::take(&mut self.data),
                id: self.last_id.clone(),
                retry: self.retry.take(),
            })
        } else {
            None
        };
        self.event_name.clear();
        self.data.clear();
        self.data_lines = 0;
        self.id_set = false;
        self.retry = None;
        event
    }
}

/// [`String::from_utf8_lossy`], with the fast whole-slice validation tried first (the lossy
/// scan is several times slower on the valid text that streams almost always are).
fn lossy(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Cow::Borrowed(text),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// A `retry` value: a non-empty string of ASCII digits that fits in a `u64`.
fn parse_retry(value: &[u8]) -> Option<u64> {
    if value.is_empty() || !value.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // All ASCII digits, so valid UTF-8; overflow gives `None`.
    std::str::from_utf8(value).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ev(event: Option<&str>, data: &str) -> SseEvent {
        SseEvent {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: None,
            retry: None,
        }
    }

    /// Feeds `chunks` then finishes; returns all events (including one flushed at EOF).
    fn decode_chunks(chunks: &[&[u8]]) -> Vec<SseEvent> {
        let mut d = SseDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c).unwrap();
            out.extend(d.drain());
        }
        out.extend(d.finish().unwrap());
        out
    }

    fn decode(bytes: &[u8]) -> Vec<SseEvent> {
        decode_chunks(&[bytes])
    }

    /// Feeds the input one byte at a time.
    fn decode_bytewise(bytes: &[u8]) -> Vec<SseEvent> {
        let chunks: Vec<&[u8]> = bytes.chunks(1).collect();
        decode_chunks(&chunks)
    }

    // ---- Python SDK test cases (tests/test_streaming.py) ----

    #[test]
    fn py_basic() {
        let events = decode_chunks(&[b"event: completion\n", b"data: {\"foo\":true}\n", b"\n"]);
        assert_eq!(events, vec![ev(Some("completion"), "{\"foo\":true}")]);
        let v: serde_json::Value = events[0].json().unwrap();
        assert_eq!(v, serde_json::json!({"foo": true}));
    }

    #[test]
    fn py_data_missing_event() {
        let events = decode_chunks(&[b"data: {\"foo\":true}\n", b"\n"]);
        assert_eq!(events, vec![ev(None, "{\"foo\":true}")]);
        assert_eq!(events[0].event_name(), "message");
    }

    #[test]
    fn py_event_missing_data() {
        let events = decode_chunks(&[b"event: ping\n", b"\n"]);
        assert_eq!(events, vec![ev(Some("ping"), "")]);
    }

    #[test]
    fn py_multiple_events() {
        let events = decode_chunks(&[b"event: ping\n", b"\n", b"event: completion\n", b"\n"]);
        assert_eq!(
            events,
            vec![ev(Some("ping"), ""), ev(Some("completion"), "")]
        );
    }

    #[test]
    fn py_multiple_events_with_data() {
        let events = decode_chunks(&[
            b"event: ping\n",
            b"data: {\"foo\":true}\n",
            b"\n",
            b"event: completion\n",
            b"data: {\"bar\":false}\n",
            b"\n",
        ]);
        assert_eq!(
            events,
            vec![
                ev(Some("ping"), "{\"foo\":true}"),
                ev(Some("completion"), "{\"bar\":false}")
            ]
        );
    }

    #[test]
    fn py_multiple_data_lines_with_empty_line() {
        let events = decode_chunks(&[
            b"event: ping\n",
            b"data: {\n",
            b"data: \"foo\":\n",
            b"data: \n",
            b"data:\n",
            b"data: true}\n",
            b"\n\n",
        ]);
        assert_eq!(events, vec![ev(Some("ping"), "{\n\"foo\":\n\n\ntrue}")]);
        let v: serde_json::Value = events[0].json().unwrap();
        assert_eq!(v, serde_json::json!({"foo": true}));
    }

    #[test]
    fn py_data_json_escaped_double_new_line() {
        let events = decode_chunks(&[
            b"event: ping\n",
            b"data: {\"foo\": \"my long\\n\\ncontent\"}",
            b"\n\n",
        ]);
        assert_eq!(events.len(), 1);
        let v: serde_json::Value = events[0].json().unwrap();
        assert_eq!(v, serde_json::json!({"foo": "my long\n\ncontent"}));
    }

    #[test]
    fn py_multiple_data_lines() {
        let events = decode_chunks(&[
            b"event: ping\n",
            b"data: {\n",
            b"data: \"foo\":\n",
            b"data: true}\n",
            b"\n\n",
        ]);
        assert_eq!(events.len(), 1);
        let v: serde_json::Value = events[0].json().unwrap();
        assert_eq!(v, serde_json::json!({"foo": true}));
    }

    #[test]
    fn py_special_new_line_character() {
        let events = decode_chunks(&[
            b"data: {\"content\":\" culpa\"}\n",
            b"\n",
            b"data: {\"content\":\" \xe2\x80\xa8\"}\n",
            b"\n",
            b"data: {\"content\":\"foo\"}\n",
            b"\n",
        ]);
        let contents: Vec<String> = events
            .iter()
            .map(|e| {
                e.json::<serde_json::Value>().unwrap()["content"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(contents, vec![" culpa", " \u{2028}", "foo"]);
    }

    #[test]
    fn py_multi_byte_character_multiple_chunks() {
        let events = decode_chunks(&[
            b"data: {\"content\":\"",
            b"\xd0",
            b"\xb8\xd0\xb7\xd0",
            b"\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8",
            b"\"}\n",
            b"\n",
        ]);
        assert_eq!(events.len(), 1);
        let v: serde_json::Value = events[0].json().unwrap();
        assert_eq!(v, serde_json::json!({"content": "известни"}));
    }

    // ---- line endings ----

    #[test]
    fn line_endings_lf_cr_crlf() {
        let expected = vec![ev(Some("a"), "1\n2"), ev(None, "3")];
        assert_eq!(
            decode(b"event: a\ndata: 1\ndata: 2\n\ndata: 3\n\n"),
            expected
        );
        assert_eq!(
            decode(b"event: a\rdata: 1\rdata: 2\r\rdata: 3\r\r"),
            expected
        );
        assert_eq!(
            decode(b"event: a\r\ndata: 1\r\ndata: 2\r\n\r\ndata: 3\r\n\r\n"),
            expected
        );
        // Mixed endings.
        assert_eq!(
            decode(b"event: a\r\ndata: 1\rdata: 2\n\r\ndata: 3\r\n"),
            expected
        );
    }

    #[test]
    fn crlf_split_across_pushes_is_one_line_ending() {
        // Without the fix, "\r" | "\n" would produce an extra blank line and dispatch early.
        let events = decode_chunks(&[b"data: 1\r", b"\ndata: 2\r", b"\n\r", b"\n"]);
        assert_eq!(events, vec![ev(None, "1\n2")]);
        // An empty push between "\r" and "\n" keeps the pending state.
        let events = decode_chunks(&[b"data: 1\r", b"", b"\ndata: 2\r\n\r", b"", b"\n"]);
        assert_eq!(events, vec![ev(None, "1\n2")]);
        // "\r" then "\r": two line endings (a blank line), dispatches.
        let events = decode_chunks(&[b"data: 1\r", b"\rdata: 2\n\n"]);
        assert_eq!(events, vec![ev(None, "1"), ev(None, "2")]);
    }

    #[test]
    fn every_split_of_a_crlf_stream_matches() {
        let stream: &[u8] = b"event: x\r\ndata: a\r\n\r\n:c\r\ndata: b\rid: 7\r\n\r";
        let whole = decode(stream);
        assert_eq!(whole.len(), 2);
        for i in 0..=stream.len() {
            for j in i..=stream.len() {
                let parts = [&stream[..i], &stream[i..j], &stream[j..]];
                assert_eq!(decode_chunks(&parts), whole, "split at {i},{j}");
            }
        }
    }

    #[test]
    fn bom_is_skipped_even_when_split() {
        let expected = vec![ev(None, "x")];
        assert_eq!(decode(b"\xEF\xBB\xBFdata: x\n\n"), expected);
        assert_eq!(decode_bytewise(b"\xEF\xBB\xBFdata: x\n\n"), expected);
        assert_eq!(
            decode_chunks(&[b"\xEF", b"\xBB", b"", b"\xBFdata: x\n\n"]),
            expected
        );
        // Only at the very start.
        assert_eq!(
            decode(b"data: x\n\n\xEF\xBB\xBFdata: y\n\n"),
            vec![ev(None, "x")]
        );
        // A lone BOM-like prefix is content: "\xEF\xBB" + "data" is an unknown field.
        assert_eq!(
            decode(b"\xEF\xBBdata: x\n\ndata: y\n\n"),
            vec![ev(None, "y")]
        );
        // With a BOM the first field works; a second BOM is not skipped.
        assert_eq!(
            decode(b"\xEF\xBB\xBF\xEF\xBB\xBFdata: x\n\ndata: y\n\n"),
            vec![ev(None, "y")]
        );
    }

    #[test]
    fn comments_and_unknown_fields_are_ignored() {
        let events = decode(b": keep-alive\n:\nfoo: bar\nbaz\ndata: x\n: mid comment\n\n");
        assert_eq!(events, vec![ev(None, "x")]);
        // A comment-only block dispatches nothing.
        assert!(decode(b": hello\n\n: again\n\n").is_empty());
    }

    #[test]
    fn field_parsing_rules() {
        // Only one leading space is stripped; later colons stay in the value.
        assert_eq!(decode(b"data:  two\n\n"), vec![ev(None, " two")]);
        assert_eq!(decode(b"data:no-space\n\n"), vec![ev(None, "no-space")]);
        assert_eq!(decode(b"data: a:b: c\n\n"), vec![ev(None, "a:b: c")]);
        // A line without a colon is a field with an empty value.
        assert_eq!(decode(b"data\n\n"), vec![ev(None, "")]);
        assert_eq!(decode(b"data\ndata\n\n"), vec![ev(None, "\n")]);
        // Field names are case-sensitive and exact.
        assert!(decode(b"Data: x\n\ndata : y\n\n").is_empty());
        // The last `event` line wins; empty event = no name.
        assert_eq!(
            decode(b"event: a\nevent: b\ndata: x\n\n"),
            vec![ev(Some("b"), "x")]
        );
        assert_eq!(
            decode(b"event: a\nevent:\ndata: x\n\n"),
            vec![ev(None, "x")]
        );
        // A tab is not stripped.
        assert_eq!(decode(b"data:\tx\n\n"), vec![ev(None, "\tx")]);
    }

    #[test]
    fn nothing_dispatched_without_fields() {
        assert!(decode(b"\n\n\n\r\n\r").is_empty());
        // An empty event name alone does not count.
        assert!(decode(b"event:\n\n").is_empty());
        // Fields reset after dispatch: extra blank lines dispatch nothing.
        assert_eq!(decode(b"data: x\n\n\n\n"), vec![ev(None, "x")]);
        // An empty data line does count.
        assert_eq!(decode(b"data:\n\n"), vec![ev(None, "")]);
    }

    #[test]
    fn id_rules() {
        let events = decode(b"id: 1\ndata: a\n\ndata: b\n\nid: x\0y\ndata: c\n\nid\ndata: d\n\n");
        let ids: Vec<Option<&str>> = events.iter().map(|e| e.id.as_deref()).collect();
        // Persisted across events, NUL-containing id ignored, empty id clears.
        assert_eq!(ids, vec![Some("1"), Some("1"), Some("1"), None]);
        // An id line alone dispatches an (empty) event.
        let events = decode(b"id: 5\n\n");
        assert_eq!(
            events,
            vec![SseEvent {
                id: Some("5".into()),
                ..SseEvent::default()
            }]
        );
        // A NUL id alone dispatches nothing.
        assert!(decode(b"id: \0\n\n").is_empty());
    }

    #[test]
    fn retry_rules() {
        let events = decode(
            b"retry: 1500\ndata: a\n\ndata: b\n\nretry: 12a\ndata: c\n\nretry: -1\nretry:\nretry: 99999999999999999999999\ndata: d\n\nretry: 7\n\n",
        );
        let retries: Vec<Option<u64>> = events.iter().map(|e| e.retry).collect();
        assert_eq!(retries, vec![Some(1500), None, None, None, Some(7)]);
        assert_eq!(events[4].data, "");
        // " 12" after the stripped space is still "12"; "  12" is not all digits.
        assert_eq!(decode(b"retry: 12\n\n")[0].retry, Some(12));
        assert!(decode(b"retry:  12\n\n").is_empty());
    }

    #[test]
    fn multi_byte_utf8_split_everywhere() {
        let stream = "event: ünï\ndata: 😀 ✓ известни\ndata: 中文\n\n".as_bytes();
        let expected = vec![ev(Some("ünï"), "😀 ✓ известни\n中文")];
        assert_eq!(decode(stream), expected);
        assert_eq!(decode_bytewise(stream), expected);
        for i in 0..=stream.len() {
            assert_eq!(decode_chunks(&[&stream[..i], &stream[i..]]), expected);
        }
    }

    #[test]
    fn invalid_utf8_is_replaced() {
        let events = decode(b"event: a\xFFb\ndata: x\xC3\ndata: \xF0\x9F\x98\n\n");
        assert_eq!(events, vec![ev(Some("a\u{FFFD}b"), "x\u{FFFD}\n\u{FFFD}")]);
    }

    #[test]
    fn eof_flushes_pending_event() {
        assert_eq!(decode(b"data: x"), vec![ev(None, "x")]);
        assert_eq!(decode(b"event: e\ndata: x\n"), vec![ev(Some("e"), "x")]);
        assert_eq!(decode(b"data: x\r"), vec![ev(None, "x")]);
        assert!(decode(b"data: x\n\n: trailing comment").len() == 1);
        assert!(decode(b"").is_empty());
        let mut d = SseDecoder::new();
        d.push(b"data: x\n\ndata: y").unwrap();
        assert_eq!(d.finish().unwrap(), Some(ev(None, "y")));
        assert_eq!(d.next_event(), Some(ev(None, "x")));
    }

    #[test]
    fn finish_resets_for_a_new_stream() {
        let mut d = SseDecoder::new();
        d.push(b"id: 1\ndata: a\n\ndata: b").unwrap();
        assert_eq!(d.finish().unwrap().unwrap().data, "b");
        d.push(b"\xEF\xBB\xBFdata: c\n\n").unwrap();
        assert_eq!(d.finish().unwrap(), None);
        let events: Vec<_> = d.drain().collect();
        assert_eq!(events.len(), 2);
        assert_eq!(events[1], ev(None, "c"));
    }

    #[test]
    fn queue_accessors() {
        let mut d = SseDecoder::default();
        d.push(b"data: 1\n\ndata: 2\n\ndata: 3").unwrap();
        assert_eq!(d.pending(), 2);
        assert_eq!(d.next_event().unwrap().data, "1");
        assert_eq!(d.pending(), 1);
        assert_eq!(d.drain().count(), 1);
        assert_eq!(d.next_event(), None);
    }

    #[test]
    fn line_limit() {
        let mut d = SseDecoder::with_limits(8, 1000);
        d.push(b"data: 12\n\n").unwrap(); // exactly 8 bytes: fine
        assert_eq!(d.next_event().unwrap().data, "12");
        // A complete line over the limit.
        let err = d.push(b"data: 123\n").unwrap_err();
        assert_eq!(err, SseError::LineTooLong { limit: 8 });
        // Sticky.
        assert_eq!(d.push(b"\n"), Err(err.clone()));
        assert_eq!(d.finish(), Err(err));

        // An incomplete line growing over the limit across pushes.
        let mut d = SseDecoder::with_limits(8, 1000);
        d.push(b"data").unwrap();
        d.push(b": 12").unwrap();
        assert!(matches!(
            d.push(b"3"),
            Err(SseError::LineTooLong { limit: 8 })
        ));
        // Events completed before the failing line stay available.
        let mut d = SseDecoder::with_limits(8, 1000);
        assert!(d.push(b"data: 1\n\ndata: 123456789\n\n").is_err());
        assert_eq!(d.next_event().unwrap().data, "1");
        assert!(d.to_owned().push(b"").is_err());
    }

    #[test]
    fn event_limit() {
        let mut d = SseDecoder::with_limits(100, 5);
        d.push(b"data: ab\ndata: cd\n\n").unwrap(); // "ab\ncd" = 5 bytes
        assert_eq!(d.next_event().unwrap().data, "ab\ncd");
        let err = d.push(b"data: ab\ndata: cde\n\n").unwrap_err();
        assert_eq!(err, SseError::EventTooLarge { limit: 5 });
        assert!(err.to_string().contains("larger than 5 bytes"));
        let err = SseError::LineTooLong { limit: 3 };
        assert!(err.to_string().contains("longer than 3 bytes"));
        let _: &dyn std::error::Error = &err;
    }

    #[test]
    fn large_transcript_in_odd_chunks() {
        let mut stream = Vec::new();
        let mut expected = Vec::new();
        for i in 0..2000 {
            let data = format!(
                "{{\"type\":\"content_block_delta\",\"index\":0,\"delta\":{{\"type\":\"text_delta\",\"text\":\"chunk {i} ünïcødé\"}}}}"
            );
            stream.extend_from_slice(b"event: content_block_delta\r\ndata: ");
            stream.extend_from_slice(data.as_bytes());
            stream.extend_from_slice(b"\r\n\r\n");
            expected.push(ev(Some("content_block_delta"), &data));
        }
        for size in [1usize, 7, 64, 4096] {
            let chunks: Vec<&[u8]> = stream.chunks(size).collect();
            assert_eq!(decode_chunks(&chunks), expected, "chunk size {size}");
        }
    }

    // ---- property tests ----

    #[derive(Debug, Clone)]
    struct GenEvent {
        event: Option<String>,
        data: Vec<String>,
        id: Option<String>,
        retry: Option<u64>,
        comment: Option<String>,
    }

    fn value_text() -> impl Strategy<Value = String> {
        // No line terminators; includes colons, spaces, NUL-free unicode.
        proptest::string::string_regex("[a-z0-9 :\"{}\\\\é中😀\u{2028}\u{85}]{0,12}").unwrap()
    }

    fn gen_event() -> impl Strategy<Value = GenEvent> {
        (
            proptest::option::of(proptest::string::string_regex("[a-z_ü]{1,8}").unwrap()),
            proptest::collection::vec(value_text(), 0..4),
            proptest::option::of(proptest::string::string_regex("[a-z0-9]{1,5}").unwrap()),
            proptest::option::of(0u64..100_000),
            proptest::option::of(value_text()),
        )
            .prop_map(|(event, data, id, retry, comment)| GenEvent {
                event,
                data,
                id,
                retry,
                comment,
            })
    }

    /// Serialises events with the given line endings (cycled); returns the bytes and the
    /// events a correct decoder must produce.
    fn render(events: &[GenEvent], endings: &[u8], bom: bool) -> (Vec<u8>, Vec<SseEvent>) {
        let mut out = Vec::new();
        if bom {
            out.extend_from_slice(&BOM);
        }
        let mut n = 0usize;
        let mut prev_cr = false;
        let mut eol = |out: &mut Vec<u8>| {
            let mut kind = endings.get(n % endings.len().max(1)).copied().unwrap_or(0) % 3;
            // "\r" followed by a separate "\n" ending would read as one "\r\n" ending.
            if prev_cr && kind == 0 {
                kind = 1;
            }
            let e: &[u8] = match kind {
                0 => b"\n",
                1 => b"\r",
                _ => b"\r\n",
            };
            prev_cr = kind == 1;
            n += 1;
            out.extend_from_slice(e);
        };
        let mut expected = Vec::new();
        let mut last_id: Option<String> = None;
        for e in events {
            if let Some(c) = &e.comment {
                out.push(b':');
                out.extend_from_slice(c.as_bytes());
                eol(&mut out);
            }
            if let Some(name) = &e.event {
                out.extend_from_slice(format!("event: {name}").as_bytes());
                eol(&mut out);
            }
            for d in &e.data {
                out.extend_from_slice(format!("data: {d}").as_bytes());
                eol(&mut out);
            }
            if let Some(id) = &e.id {
                out.extend_from_slice(format!("id: {id}").as_bytes());
                eol(&mut out);
                last_id = Some(id.clone());
            }
            if let Some(r) = e.retry {
                out.extend_from_slice(format!("retry: {r}").as_bytes());
                eol(&mut out);
            }
            eol(&mut out);
            if e.event.is_some() || !e.data.is_empty() || e.id.is_some() || e.retry.is_some() {
                expected.push(SseEvent {
                    event: e.event.clone(),
                    data: e.data.join("\n"),
                    id: last_id.clone(),
                    retry: e.retry,
                });
            }
        }
        (out, expected)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn any_chunking_yields_same_events(
            events in proptest::collection::vec(gen_event(), 0..8),
            endings in proptest::collection::vec(any::<u8>(), 1..6),
            bom in any::<bool>(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..12),
        ) {
            let (bytes, expected) = render(&events, &endings, bom);
            let whole = decode(&bytes);
            prop_assert_eq!(&whole, &expected);
            let mut points: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut prev = 0;
            for p in points {
                chunks.push(&bytes[prev..p]);
                prev = p;
            }
            chunks.push(&bytes[prev..]);
            prop_assert_eq!(&decode_chunks(&chunks), &expected);
        }

        #[test]
        fn arbitrary_bytes_never_panic_and_chunking_is_invisible(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b':'), Just(b' '), Just(0xEF), any::<u8>(),
                            Just(b'd'), Just(b'a'), Just(b't')],
                0..200),
            cut in any::<prop::sample::Index>(),
        ) {
            let whole = decode(&bytes);
            let at = cut.index(bytes.len() + 1);
            prop_assert_eq!(&decode_chunks(&[&bytes[..at], &bytes[at..]]), &whole);
            prop_assert_eq!(&decode_bytewise(&bytes), &whole);
        }
    }
}
