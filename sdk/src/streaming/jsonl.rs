//! Incremental JSON Lines decoder (message batch results).
//!
//! ```
//! use anthropic::streaming::jsonl::JsonlDecoder;
//!
//! let mut decoder = JsonlDecoder::new();
//! decoder.push(b"{\"custom_id\":\"a\"}\r\n\n{\"custom_").unwrap();
//! decoder.push(b"id\":\"b\"}").unwrap();
//! decoder.finish(); // end of body: the unterminated last line counts
//! let mut ids = Vec::new();
//! while let Some(item) = decoder.decode_next::<serde_json::Value>() {
//!     ids.push(item.unwrap()["custom_id"].as_str().unwrap().to_owned());
//! }
//! assert_eq!(ids, ["a", "b"]);
//! ```
//!
//! Rules: lines end at `\n`, and one `\r` before it is removed (so a `\r\n` split across
//! chunks is harmless); lines that are empty or contain only JSON whitespace are skipped
//! (unlike the Python SDK, which fails on them); a final line without a newline is produced
//! after [`JsonlDecoder::finish`]. Lines must be UTF-8 ([`JsonlError::InvalidUtf8`] otherwise,
//! as JSON requires it). A line longer than the limit is an error at [`JsonlDecoder::push`]
//! time, so memory stays bounded while a line is incomplete.
//!
//! Each byte is scanned for `\n` once; consumed lines are released by compacting the buffer
//! only once they make up at least half of it, so the total work is linear.

use std::collections::VecDeque;
use std::fmt;

use serde::de::DeserializeOwned;

use crate::streaming::scan::find_lf;

/// Default limit for one line: 64 MiB (a batch result holds one whole message).
pub const DEFAULT_MAX_LINE_BYTES: usize = 64 << 20;

/// Longest excerpt of a bad line kept in an error, in characters.
const EXCERPT_CHARS: usize = 200;

/// An error from [`JsonlDecoder`]; every variant carries the 1-based line number.
#[derive(Debug)]
#[non_exhaustive]
pub enum JsonlError {
    /// A line exceeded the decoder's limit. The decoder is unusable afterwards.
    LineTooLong {
        /// 1-based line number.
        line: usize,
        /// The limit in bytes.
        limit: usize,
    },
    /// A line was not valid UTF-8. Decoding may continue with the next line.
    InvalidUtf8 {
        /// 1-based line number.
        line: usize,
        /// The start of the line (at most 200 characters, lossily decoded).
        excerpt: String,
    },
    /// A line was not valid JSON for the requested type. Decoding may continue.
    Json {
        /// 1-based line number.
        line: usize,
        /// The start of the line (at most 200 characters).
        excerpt: String,
        /// The underlying parse error (its positions are relative to the line).
        source: serde_json::Error,
    },
}

impl JsonlError {
    /// The 1-based number of the offending line (blank lines are counted).
    pub fn line(&self) -> usize {
        match self {
            JsonlError::LineTooLong { line, .. }
            | JsonlError::InvalidUtf8 { line, .. }
            | JsonlError::Json { line, .. } => *line,
        }
    }

    /// The start of the offending line, when one is kept.
    pub fn excerpt(&self) -> Option<&str> {
        match self {
            JsonlError::LineTooLong { .. } => None,
            JsonlError::InvalidUtf8 { excerpt, .. } | JsonlError::Json { excerpt, .. } => {
                Some(excerpt)
            }
        }
    }
}

impl fmt::Display for JsonlError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonlError::LineTooLong { line, limit } => {
                write!(f, "JSONL line {line} is longer than {limit} bytes")
            }
            JsonlError::InvalidUtf8 { line, excerpt } => {
                write!(f, "JSONL line {line} is not valid UTF-8: {excerpt:?}")
            }
            JsonlError::Json {
                line,
                excerpt,
                source,
            } => write!(f, "JSONL line {line}: {source}: {excerpt:?}"),
        }
    }
}

impl std::error::Error for JsonlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            JsonlError::Json { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// The first [`EXCERPT_CHARS`] characters of `line`, lossily decoded; `…` marks a cut.
fn excerpt(line: &[u8]) -> String {
    // 4 bytes per char at most: never decode more than needed.
    let head = line.get(..EXCERPT_CHARS * 4).unwrap_or(line);
    let text = String::from_utf8_lossy(head);
    let mut chars = text.chars();
    let mut out: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() || head.len() < line.len() {
        out.pop();
        out.push('…');
    }
    out
}

fn is_json_whitespace(b: &u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Incremental JSON Lines decoder; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct JsonlDecoder {
    buf: Vec<u8>,
    /// Start of the first line not yet returned.
    pos: usize,
    /// Exclusive ends of the complete lines not yet returned (the index of their `\n`).
    ends: VecDeque<usize>,
    /// Start of the incomplete last line.
    tail_start: usize,
    /// Lines handed out (or skipped as blank) so far.
    lines_consumed: usize,
    /// Lines found complete so far.
    lines_found: usize,
    max_line_bytes: usize,
    /// Set when a line exceeded the limit: `(line number, reported yet)`.
    too_long: Option<(usize, bool)>,
}

impl Default for JsonlDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl JsonlDecoder {
    /// A decoder with the default line limit ([`DEFAULT_MAX_LINE_BYTES`]).
    pub fn new() -> Self {
        Self::with_max_line_bytes(DEFAULT_MAX_LINE_BYTES)
    }

    /// A decoder rejecting lines longer than `max_line_bytes` (excluding the `\n`).
    pub fn with_max_line_bytes(max_line_bytes: usize) -> Self {
        JsonlDecoder {
            buf: Vec::new(),
            pos: 0,
            ends: VecDeque::new(),
            tail_start: 0,
            lines_consumed: 0,
            lines_found: 0,
            max_line_bytes,
            too_long: None,
        }
    }

    fn too_long_error(&self, line: usize) -> JsonlError {
        JsonlError::LineTooLong {
            line,
            limit: self.max_line_bytes,
        }
    }

    /// Feeds the next chunk of the body (split anywhere).
    ///
    /// Fails with [`JsonlError::LineTooLong`] when a line exceeds the limit; lines completed
    /// before it can still be read, and every later `push` fails the same way.
    pub fn push(&mut self, chunk: &[u8]) -> Result<(), JsonlError> {
        if let Some((line, _)) = self.too_long {
            return Err(self.too_long_error(line));
        }
        // Release consumed lines once they are at least half the buffer (amortised O(1)).
        if self.pos > 0 && self.pos >= self.buf.len() / 2 {
            let shift = self.pos;
            self.buf.drain(..shift);
            self.pos = 0;
            self.tail_start -= shift;
            for end in &mut self.ends {
                *end -= shift;
            }
        }
        let mut from = self.buf.len();
        self.buf.extend_from_slice(chunk);
        while let Some(rel) = self.buf.get(from..).and_then(find_lf) {
            let end = from + rel;
            if end - self.tail_start > self.max_line_bytes {
                return Err(self.fail_too_long());
            }
            self.ends.push_back(end);
            self.lines_found += 1;
            self.tail_start = end + 1;
            from = end + 1;
        }
        if self.buf.len() - self.tail_start > self.max_line_bytes {
            return Err(self.fail_too_long());
        }
        Ok(())
    }

    fn fail_too_long(&mut self) -> JsonlError {
        let line = self.lines_found + 1;
        self.too_long = Some((line, false));
        // Keep the complete lines; drop the oversized bytes.
        self.buf.truncate(self.tail_start);
        self.too_long_error(line)
    }

    /// Signals the end of the body: a buffered last line without `\n` becomes readable.
    /// Further pushes start a new line.
    pub fn finish(&mut self) {
        if self.too_long.is_none() && self.tail_start < self.buf.len() {
            // Terminate the line as if the newline had arrived.
            let end = self.buf.len();
            self.buf.push(b'\n');
            self.ends.push_back(end);
            self.lines_found += 1;
            self.tail_start = end + 1;
        }
    }

    /// The 1-based number of the line most recently returned (0 before the first).
    pub fn line_number(&self) -> usize {
        self.lines_consumed
    }

    /// Finds the next non-blank complete line: `(line number, start, end)` with the `\r`
    /// already stripped.
    fn next_range(&mut self) -> Option<Result<(usize, usize, usize), JsonlError>> {
        while let Some(end) = self.ends.pop_front() {
            let start = self.pos;
            self.pos = end.saturating_add(1).min(self.buf.len()).max(start);
            self.lines_consumed += 1;
            let Some(line) = self.buf.get(start..end) else {
                continue;
            };
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.iter().all(is_json_whitespace) {
                continue;
            }
            return Some(Ok((self.lines_consumed, start, start + line.len())));
        }
        match &mut self.too_long {
            Some((line, reported)) if !*reported => {
                *reported = true;
                let line = *line;
                Some(Err(self.too_long_error(line)))
            }
            _ => None,
        }
    }

    /// The next complete, non-blank line (without its line ending), or `None` until more
    /// data arrives. An invalid-UTF-8 line yields an error and is skipped; after a
    /// [`JsonlError::LineTooLong`] from `push`, that error is yielded once after the last
    /// good line.
    pub fn next_line(&mut self) -> Option<Result<&str, JsonlError>> {
        match self.next_range()? {
            Err(err) => Some(Err(err)),
            Ok((line_no, start, end)) => {
                let bytes = self.buf.get(start..end).unwrap_or_default();
                Some(
                    std::str::from_utf8(bytes).map_err(|_| JsonlError::InvalidUtf8 {
                        line: line_no,
                        excerpt: excerpt(bytes),
                    }),
                )
            }
        }
    }

    /// The next line parsed as `T`, or `None` until more data arrives. A line that fails to
    /// parse yields [`JsonlError::Json`] (with its line number and an excerpt) and is skipped.
    pub fn decode_next<T: DeserializeOwned>(&mut self) -> Option<Result<T, JsonlError>> {
        let (line_no, start, end) = match self.next_range()? {
            Ok(range) => range,
            Err(err) => return Some(Err(err)),
        };
        let bytes = self.buf.get(start..end).unwrap_or_default();
        Some(match std::str::from_utf8(bytes) {
            Err(_) => Err(JsonlError::InvalidUtf8 {
                line: line_no,
                excerpt: excerpt(bytes),
            }),
            Ok(text) => serde_json::from_str(text).map_err(|source| JsonlError::Json {
                line: line_no,
                excerpt: excerpt(bytes),
                source,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::{json, Value};

    fn lines(chunks: &[&[u8]]) -> Vec<String> {
        let mut d = JsonlDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c).unwrap();
            while let Some(l) = d.next_line() {
                out.push(l.unwrap().to_owned());
            }
        }
        d.finish();
        while let Some(l) = d.next_line() {
            out.push(l.unwrap().to_owned());
        }
        out
    }

    fn values(chunks: &[&[u8]]) -> Vec<Value> {
        let mut d = JsonlDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.push(c).unwrap();
            while let Some(v) = d.decode_next::<Value>() {
                out.push(v.unwrap());
            }
        }
        d.finish();
        while let Some(v) = d.decode_next::<Value>() {
            out.push(v.unwrap());
        }
        out
    }

    #[test]
    fn py_basic() {
        let got = values(&[b"{\"foo\":true}\n", b"{\"bar\":false}\n"]);
        assert_eq!(got, vec![json!({"foo": true}), json!({"bar": false})]);
    }

    #[test]
    fn py_multibyte_across_chunks() {
        let got = values(&[
            b"{\"content\":\"",
            b"\xd0",
            b"\xb8\xd0\xb7\xd0",
            b"\xb2\xd0\xb5\xd1\x81\xd1\x82\xd0\xbd\xd0\xb8",
            b"\"}\n",
        ]);
        assert_eq!(got, vec![json!({"content": "известни"})]);
    }

    #[test]
    fn py_newline_escapes_inside_strings() {
        let got = values(&[b"{\"a\":\"x\\ny\"}\n{\"b\":\"\\r\\n\\n\"}\n"]);
        assert_eq!(got, vec![json!({"a": "x\ny"}), json!({"b": "\r\n\n"})]);
    }

    #[test]
    fn lines_split_across_chunks() {
        assert_eq!(
            lines(&[b"{\"a\"", b":1}\n{", b"\"b\":2}", b"\n"]),
            ["{\"a\":1}", "{\"b\":2}"]
        );
        let doc: &[u8] = b"{\"a\":1}\n{\"b\":[1,2]}\n3\n";
        for i in 0..=doc.len() {
            for j in i..=doc.len() {
                assert_eq!(
                    values(&[&doc[..i], &doc[i..j], &doc[j..]]),
                    vec![json!({"a": 1}), json!({"b": [1, 2]}), json!(3)]
                );
            }
        }
    }

    #[test]
    fn crlf_and_crlf_split() {
        assert_eq!(lines(&[b"1\r\n2\r\n"]), ["1", "2"]);
        assert_eq!(lines(&[b"1\r", b"\n2\r", b"\n"]), ["1", "2"]);
        assert_eq!(lines(&[b"1\r", b"", b"\n", b"2"]), ["1", "2"]);
        // Only one trailing \r is stripped; a lone \r mid-line is kept (JSON whitespace).
        assert_eq!(lines(&[b"1\r\r\n[1,\r2]\n"]), ["1\r", "[1,\r2]"]);
        assert_eq!(
            values(&[b"1\r\r\n[1,\r2]\n"]),
            vec![json!(1), json!([1, 2])]
        );
    }

    #[test]
    fn blank_lines_skipped_but_counted() {
        let mut d = JsonlDecoder::new();
        d.push(b"\n  \n\t\r\n1\n\n\nnope\n").unwrap();
        assert_eq!(d.decode_next::<Value>().unwrap().unwrap(), json!(1));
        assert_eq!(d.line_number(), 4);
        let err = d.decode_next::<Value>().unwrap().unwrap_err();
        assert_eq!(err.line(), 7);
        assert_eq!(err.excerpt(), Some("nope"));
        assert!(err.to_string().contains("line 7"), "{err}");
        assert!(std::error::Error::source(&err).is_some());
        assert!(d.decode_next::<Value>().is_none());
    }

    #[test]
    fn final_line_flushed_at_finish() {
        let mut d = JsonlDecoder::new();
        d.push(b"1\n2").unwrap();
        assert_eq!(d.next_line().unwrap().unwrap(), "1");
        assert!(d.next_line().is_none());
        d.finish();
        assert_eq!(d.next_line().unwrap().unwrap(), "2");
        assert!(d.next_line().is_none());
        d.finish(); // idempotent
        assert!(d.next_line().is_none());
        // Pushing after finish starts a new line.
        d.push(b"34\n").unwrap();
        assert_eq!(d.next_line().unwrap().unwrap(), "34");
        // Whitespace-only tail is still skipped.
        assert!(lines(&[b"1\n  "]) == ["1"]);
        assert!(lines(&[b""]).is_empty());
    }

    #[test]
    fn bad_line_error_and_recovery() {
        let mut d = JsonlDecoder::new();
        d.push(b"{\"ok\":1}\n{\"bad\":}\n{\"ok\":2}\n").unwrap();
        assert!(d.decode_next::<Value>().unwrap().is_ok());
        match d.decode_next::<Value>().unwrap() {
            Err(JsonlError::Json { line, excerpt, .. }) => {
                assert_eq!(line, 2);
                assert_eq!(excerpt, "{\"bad\":}");
            }
            other => panic!("unexpected {other:?}"),
        }
        assert_eq!(d.decode_next::<Value>().unwrap().unwrap(), json!({"ok": 2}));
    }

    #[test]
    fn typed_decoding_error() {
        let mut d = JsonlDecoder::new();
        d.push(b"{\"a\":1}\n").unwrap();
        let err = d.decode_next::<Vec<u8>>().unwrap().unwrap_err();
        assert!(matches!(err, JsonlError::Json { line: 1, .. }));
    }

    #[test]
    fn excerpt_is_bounded() {
        let long = format!("[\"{}\", oops]", "é".repeat(1000));
        let mut d = JsonlDecoder::new();
        d.push(long.as_bytes()).unwrap();
        d.finish();
        let err = d.decode_next::<Value>().unwrap().unwrap_err();
        let ex = err.excerpt().unwrap();
        assert_eq!(ex.chars().count(), 200);
        assert!(ex.ends_with('…'));
        assert_eq!(excerpt(b"short"), "short");
        assert_eq!(excerpt("a".repeat(200).as_bytes()).chars().count(), 200);
        assert!(!excerpt("a".repeat(200).as_bytes()).ends_with('…'));
    }

    #[test]
    fn invalid_utf8_line() {
        let mut d = JsonlDecoder::new();
        d.push(b"\"a\xFF\"\n2\n").unwrap();
        let err = d.next_line().unwrap().unwrap_err();
        assert!(
            matches!(&err, JsonlError::InvalidUtf8 { line: 1, excerpt } if excerpt == "\"a\u{FFFD}\"")
        );
        assert_eq!(d.decode_next::<Value>().unwrap().unwrap(), json!(2));
        d.push(b"\xFF\n").unwrap();
        assert!(matches!(
            d.decode_next::<Value>(),
            Some(Err(JsonlError::InvalidUtf8 { line: 3, .. }))
        ));
    }

    #[test]
    fn line_limit() {
        let mut d = JsonlDecoder::with_max_line_bytes(4);
        d.push(b"1234\n12").unwrap();
        d.push(b"34").unwrap();
        let err = d.push(b"5").unwrap_err();
        assert!(matches!(err, JsonlError::LineTooLong { line: 2, limit: 4 }));
        assert!(err.excerpt().is_none());
        assert!(d.push(b"\n").is_err());
        assert_eq!(d.next_line().unwrap().unwrap(), "1234");
        assert!(matches!(
            d.next_line(),
            Some(Err(JsonlError::LineTooLong { line: 2, .. }))
        ));
        assert!(d.next_line().is_none());

        // A complete line over the limit inside one chunk.
        let mut d = JsonlDecoder::with_max_line_bytes(4);
        assert!(matches!(
            d.push(b"1\n12345\n"),
            Err(JsonlError::LineTooLong { line: 2, .. })
        ));
        // The `\r` of a `\r\n` counts towards the limit.
        let mut d = JsonlDecoder::with_max_line_bytes(4);
        assert!(d.push(b"1234\r\n").is_err());
    }

    #[test]
    fn buffer_is_compacted() {
        let mut d = JsonlDecoder::new();
        for i in 0..10_000 {
            d.push(format!("{{\"i\":{i}}}\n").as_bytes()).unwrap();
            assert_eq!(d.decode_next::<Value>().unwrap().unwrap(), json!({"i": i}));
        }
        assert!(d.buf.len() < 64, "buffer grew to {}", d.buf.len());
        // Pushing many lines without reading keeps them all.
        let mut d = JsonlDecoder::new();
        for i in 0..1000 {
            d.push(format!("{i}\n").as_bytes()).unwrap();
        }
        for i in 0..1000 {
            assert_eq!(d.decode_next::<u32>().unwrap().unwrap(), i);
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn any_chunking_same_lines(
            docs in proptest::collection::vec(
                prop_oneof![
                    Just(json!(null)), any::<i64>().prop_map(|n| json!(n)),
                    "[a-z \\n\\r\"é😀]{0,10}".prop_map(|s| json!({"s": s})),
                    proptest::collection::vec(any::<bool>(), 0..4).prop_map(|v| json!(v)),
                ], 0..10),
            crlf in proptest::collection::vec(any::<bool>(), 10),
            blank in proptest::collection::vec(any::<bool>(), 10),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..10),
            trailing_newline in any::<bool>(),
        ) {
            let mut text = String::new();
            for (i, v) in docs.iter().enumerate() {
                if i > 0 { text.push_str(if crlf[i] { "\r\n" } else { "\n" }); }
                if blank[i] { text.push_str(" \n"); }
                text.push_str(&v.to_string());
            }
            if trailing_newline { text.push('\n'); }
            let bytes = text.as_bytes();
            let mut points: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
            points.sort_unstable();
            let mut chunks: Vec<&[u8]> = Vec::new();
            let mut prev = 0;
            for p in points { chunks.push(&bytes[prev..p]); prev = p; }
            chunks.push(&bytes[prev..]);
            prop_assert_eq!(values(&chunks), docs);
        }

        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(
                prop_oneof![Just(b'\r'), Just(b'\n'), Just(b' '), Just(b'1'), any::<u8>()], 0..100),
            cut in any::<prop::sample::Index>(),
        ) {
            let at = cut.index(bytes.len() + 1);
            let mut d = JsonlDecoder::with_max_line_bytes(16);
            let mut n = 0;
            for part in [&bytes[..at], &bytes[at..]] {
                let _ = d.push(part);
                while let Some(r) = d.decode_next::<Value>() { let _ = r; n += 1; prop_assert!(n < 1000); }
            }
            d.finish();
            while let Some(r) = d.next_line() { let _ = r; n += 1; prop_assert!(n < 1000); }
        }
    }
}
