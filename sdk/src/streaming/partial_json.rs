//! Incremental parser for partial JSON (streamed tool input), in linear time.
//!
//! While a `tool_use` block streams, the API sends its input as `input_json_delta` fragments
//! of one JSON document. [`PartialJson`] keeps its parser state between fragments, so every
//! byte is examined once, and it maintains the snapshot tree in place, so
//! [`PartialJson::snapshot`] is a free borrow. (The Python SDK re-parses the whole buffer on
//! every delta, which is quadratic in the input size.)
//!
//! ```
//! use anthropic::streaming::partial_json::PartialJson;
//! use serde_json::json;
//!
//! let mut parser = PartialJson::new();
//! parser.push(r#"{"city": "Par"#).unwrap();
//! assert_eq!(parser.snapshot(), &json!({"city": "Par"}));
//! parser.push(r#"is", "days": [1, 2"#).unwrap();
//! assert_eq!(parser.snapshot(), &json!({"city": "Paris", "days": [1, 2]}));
//! parser.push("]}").unwrap();
//! assert_eq!(parser.finish().unwrap(), json!({"city": "Paris", "days": [1, 2]}));
//! ```
//!
//! # Snapshot semantics
//!
//! The snapshot shows everything parsed so far, in the spirit of jiter's
//! `partial_mode="trailing-strings"` (the more useful mode for showing progress):
//!
//! * completed values appear as they are; open objects and arrays appear with the members
//!   completed so far;
//! * an object member appears once its value has started; a key still being read, or a key
//!   whose value has not started, is omitted;
//! * a string value being read appears with its text so far (a partial escape sequence, such
//!   as `\` or `\u00` or the first half of a surrogate pair, is not included until complete);
//! * a number being read appears if its text so far is a valid JSON number of at most 64
//!   bytes (`12` and `1.5` yes; `-`, `1.`, `1e` and `1e+` no);
//! * a literal (`true`, `false`, `null`) appears only when complete;
//! * before the top-level value has started (or while it is a partial literal or number),
//!   the snapshot is `null`.
//!
//! # Cost
//!
//! Parsing touches each pushed byte once. In addition each [`push`](PartialJson::push) costs
//! O(depth) map look-ups to detach the open containers from the snapshot tree and reattach
//! them (plus re-reading an in-progress number of at most 64 bytes), so the total work is
//! linear in the input for any fixed nesting depth. [`finish`](PartialJson::finish) parses
//! the whole buffer once more with `serde_json`, so its result is exactly
//! `serde_json::from_str` of the input.
//!
//! # Errors
//!
//! Input that cannot be the start of a JSON document (e.g. `{"a":}`, a control character
//! in a string, a lone surrogate escape, or anything after the top-level value) fails the
//! [`push`](PartialJson::push) that contains it with a [`PartialJsonError`] giving the byte
//! offset into [`buffer`](PartialJson::buffer); the parser then stays failed. Nesting deeper
//! than [`MAX_DEPTH`] (serde_json's own limit) is an error, so nothing recurses unboundedly.

use std::fmt;

use serde_json::{Map, Value};

use crate::streaming::scan::find_string_special;

/// Deepest nesting of objects and arrays accepted (the same limit as `serde_json::from_str`).
pub const MAX_DEPTH: usize = 127;

/// In-progress numbers longer than this are left out of the snapshot until complete.
const MAX_SHOWN_NUMBER_LEN: usize = 64;

/// Invalid JSON, found by [`PartialJson`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartialJsonError {
    offset: usize,
    message: String,
}

impl PartialJsonError {
    fn new(offset: usize, message: impl Into<String>) -> Self {
        PartialJsonError {
            offset,
            message: message.into(),
        }
    }

    /// A complete document whose top-level value is not the object a tool input must be.
    pub(crate) fn not_an_object() -> Self {
        PartialJsonError::new(0, "the input is not a JSON object")
    }

    /// Byte offset of the offending input in [`PartialJson::buffer`].
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// What is wrong, without the position (e.g. `"expected value"`).
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for PartialJsonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.message, self.offset)
    }
}

impl std::error::Error for PartialJsonError {}

/// What the grammar accepts next (when no token is in progress).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    /// A value: at the top level, after `:`, or after `,` in an array.
    Value,
    /// A value or `]` (just after `[`).
    ValueOrClose,
    /// A key or `}` (just after `{`).
    KeyOrClose,
    /// A key (after `,` in an object).
    Key,
    /// `:` after a key.
    Colon,
    /// `,` or the closing bracket of the innermost container.
    CommaOrClose,
    /// Only whitespace: the top-level value is complete.
    End,
}

/// Position inside a number, named after the last part read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum NumState {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

impl NumState {
    /// Whether the text so far is a complete number.
    fn is_terminal(self) -> bool {
        matches!(
            self,
            NumState::Zero | NumState::Int | NumState::Frac | NumState::ExpDigits
        )
    }

    fn next(self, b: u8) -> Option<NumState> {
        use NumState::*;
        Some(match (self, b) {
            (Minus, b'0') => Zero,
            (Minus, b'1'..=b'9') | (Int, b'0'..=b'9') => Int,
            (Zero | Int, b'.') => Dot,
            (Dot | Frac, b'0'..=b'9') => Frac,
            (Zero | Int | Frac, b'e' | b'E') => Exp,
            (Exp, b'+' | b'-') => ExpSign,
            (Exp | ExpSign | ExpDigits, b'0'..=b'9') => ExpDigits,
            _ => return None,
        })
    }
}

/// Escape-sequence state inside a string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Esc {
    None,
    /// After `\`.
    Backslash,
    /// Inside `\uXXXX`; `high` is the pending high surrogate when this is the second half.
    Hex {
        high: Option<u16>,
        digits: u8,
        acc: u16,
    },
    /// After a high surrogate escape: expecting `\`.
    NeedBackslash {
        high: u16,
    },
    /// After a high surrogate escape and `\`: expecting `u`.
    NeedU {
        high: u16,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lit {
    True,
    False,
    Null,
}

impl Lit {
    fn word(self) -> &'static [u8] {
        match self {
            Lit::True => b"true",
            Lit::False => b"false",
            Lit::Null => b"null",
        }
    }

    fn value(self) -> Value {
        match self {
            Lit::True => Value::Bool(true),
            Lit::False => Value::Bool(false),
            Lit::Null => Value::Null,
        }
    }
}

/// The token being read.
#[derive(Debug, Clone)]
enum Token {
    None,
    Str {
        /// Decoded text so far (moved out of / back into the tree around each push).
        text: String,
        is_key: bool,
        esc: Esc,
        /// The snapshot tree holds a slot for this value.
        in_tree: bool,
    },
    Num {
        /// Byte offset of the number's first character in the buffer.
        start: usize,
        state: NumState,
        in_tree: bool,
    },
    Lit {
        lit: Lit,
        matched: usize,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Object,
    Array,
}

/// One open object or array.
#[derive(Debug, Clone)]
struct Frame {
    kind: Kind,
    /// The container itself while detached (during a push); `Null` while it lives in the tree.
    container: Value,
    /// For objects: the key of the member whose value is being read.
    key: Option<String>,
    /// The parent (or the root) already holds a slot for this container.
    in_parent: bool,
}

/// Result of feeding bytes to a string or number token.
enum Step {
    /// The token needs more input (everything was consumed).
    Pending,
    /// The token ended; parsing resumes at this offset.
    Done(usize),
}

/// The parser proper, separate from the buffer so both can be borrowed at once.
#[derive(Debug, Clone)]
struct Parser {
    /// The snapshot tree (complete between pushes).
    root: Value,
    frames: Vec<Frame>,
    token: Token,
    expect: Expect,
    /// Work units (bytes examined, frames visited): lets tests prove linearity.
    #[cfg(test)]
    work: usize,
}

/// Incremental partial-JSON parser; see the [module docs](self).
#[derive(Debug, Clone)]
pub struct PartialJson {
    buf: String,
    parser: Parser,
    error: Option<PartialJsonError>,
}

impl Default for PartialJson {
    fn default() -> Self {
        Self::new()
    }
}

impl PartialJson {
    /// An empty parser.
    pub fn new() -> Self {
        PartialJson {
            buf: String::new(),
            parser: Parser {
                root: Value::Null,
                frames: Vec::new(),
                token: Token::None,
                expect: Expect::Value,
                #[cfg(test)]
                work: 0,
            },
            error: None,
        }
    }

    /// Appends the next fragment and parses it.
    ///
    /// Fails if the input so far cannot be the start of a JSON document; after that, every
    /// push returns the same error (the fragments are still appended to the buffer).
    pub fn push(&mut self, fragment: &str) -> Result<(), PartialJsonError> {
        let from = self.buf.len();
        self.buf.push_str(fragment);
        if let Some(err) = &self.error {
            return Err(err.clone());
        }
        if fragment.is_empty() {
            return Ok(());
        }
        self.parser.detach();
        let result = self.parser.feed(&self.buf, from);
        self.parser.attach(&self.buf);
        if let Err(err) = &result {
            self.error = Some(err.clone());
        }
        result
    }

    /// Like [`push`](Self::push), but the snapshot tree lives in `*snapshot` instead of in the
    /// parser, so a caller can keep it inside its own data (a tool block's `input`) and
    /// still update it in place.
    ///
    /// The tree is moved into the parser for the duration of the call and moved back out, in
    /// O(1). Pass the value the previous call left (on the first call, any value: it stays
    /// until the top-level value starts, then is replaced). Meanwhile
    /// [`snapshot`](Self::snapshot) is `null`. A tree changed between calls makes later
    /// snapshots wrong but never panics; [`finish`](Self::finish) does not depend on it.
    pub fn push_into(
        &mut self,
        fragment: &str,
        snapshot: &mut Value,
    ) -> Result<(), PartialJsonError> {
        std::mem::swap(&mut self.parser.root, snapshot);
        let result = self.push(fragment);
        std::mem::swap(&mut self.parser.root, snapshot);
        result
    }

    /// The value parsed so far (see the module docs for what is included). `null` until the
    /// top-level value has started.
    pub fn snapshot(&self) -> &Value {
        &self.parser.root
    }

    /// Everything pushed so far.
    pub fn buffer(&self) -> &str {
        &self.buf
    }

    /// The error that stopped the parser, if any.
    pub fn error(&self) -> Option<&PartialJsonError> {
        self.error.as_ref()
    }

    /// Whether the input so far is a complete JSON document (possibly followed by
    /// whitespace), i.e. whether [`finish`](Self::finish) is expected to succeed.
    pub fn is_complete(&self) -> bool {
        if self.error.is_some() {
            return false;
        }
        let p = &self.parser;
        match &p.token {
            Token::None => p.expect == Expect::End,
            Token::Num { state, .. } => p.frames.is_empty() && state.is_terminal(),
            _ => false,
        }
    }

    /// Ends the input and returns the complete value, which is exactly
    /// `serde_json::from_str(self.buffer())`; an incomplete document is an error.
    pub fn finish(self) -> Result<Value, PartialJsonError> {
        if let Some(err) = self.error {
            return Err(err);
        }
        serde_json::from_str(&self.buf).map_err(|e| {
            let text = e.to_string();
            let message = match text.rfind(" at line ") {
                Some(at) => text.get(..at).unwrap_or(&text).to_owned(),
                None => text,
            };
            PartialJsonError::new(byte_offset(&self.buf, e.line(), e.column()), message)
        })
    }

    #[cfg(test)]
    pub(crate) fn work(&self) -> usize {
        self.parser.work
    }
}

/// Converts serde_json's 1-based line and (byte) column into a byte offset.
fn byte_offset(text: &str, line: usize, column: usize) -> usize {
    let mut start = 0usize;
    for _ in 1..line {
        match text.get(start..).and_then(|rest| rest.find('\n')) {
            Some(nl) => start += nl + 1,
            None => return text.len(),
        }
    }
    start
        .saturating_add(column.saturating_sub(1))
        .min(text.len())
}

fn hex_digit(b: u8) -> Option<u16> {
    match b {
        b'0'..=b'9' => Some(u16::from(b - b'0')),
        b'a'..=b'f' => Some(u16::from(b - b'a' + 10)),
        b'A'..=b'F' => Some(u16::from(b - b'A' + 10)),
        _ => None,
    }
}

/// The slot of the member being read in `container` (the value at `key`, or the last element).
fn slot_mut<'a>(container: &'a mut Value, key: Option<&str>) -> Option<&'a mut Value> {
    match container {
        Value::Object(map) => key.and_then(|k| map.get_mut(k)),
        Value::Array(items) => items.last_mut(),
        _ => None,
    }
}

/// Puts `value` in the member slot of `container`: replaces the slot if `exists`, else adds it.
fn place(container: &mut Value, key: Option<&str>, value: Value, exists: bool) {
    match container {
        Value::Object(map) => {
            if let Some(k) = key {
                match map.get_mut(k) {
                    Some(slot) if exists => *slot = value,
                    _ => {
                        map.insert(k.to_owned(), value);
                    }
                }
            }
        }
        Value::Array(items) => match items.last_mut() {
            Some(slot) if exists => *slot = value,
            _ => items.push(value),
        },
        _ => {}
    }
}

/// Removes the member slot of `container`.
fn remove(container: &mut Value, key: Option<&str>) {
    match container {
        Value::Object(map) => {
            if let Some(k) = key {
                map.remove(k);
            }
        }
        Value::Array(items) => {
            items.pop();
        }
        _ => {}
    }
}

fn err<T>(offset: usize, message: &str) -> Result<T, PartialJsonError> {
    Err(PartialJsonError::new(offset, message))
}

impl Parser {
    #[cfg(test)]
    fn count(&mut self, n: usize) {
        self.work += n;
    }

    #[cfg(not(test))]
    #[inline(always)]
    fn count(&mut self, _n: usize) {}

    /// Moves the open containers out of the tree into `frames` (and an in-progress string's
    /// text into the token), so the parse loop can work on owned values in O(1) per step.
    fn detach(&mut self) {
        let n = self.frames.len();
        self.count(n);
        if n > 0 {
            let mut cur = std::mem::take(&mut self.root);
            for (idx, frame) in self.frames.iter_mut().enumerate() {
                let child = if idx + 1 < n {
                    slot_mut(&mut cur, frame.key.as_deref())
                        .map(std::mem::take)
                        .unwrap_or_default()
                } else {
                    Value::Null
                };
                frame.container = std::mem::replace(&mut cur, child);
            }
        }
        let Parser {
            root,
            frames,
            token,
            ..
        } = self;
        if let Token::Str {
            text,
            is_key: false,
            in_tree: true,
            ..
        } = token
        {
            let slot = match frames.last_mut() {
                None => Some(root),
                Some(frame) => slot_mut(&mut frame.container, frame.key.as_deref()),
            };
            if let Some(Value::String(s)) = slot {
                *text = std::mem::take(s);
            }
        }
    }

    /// Puts the in-progress scalar and the open containers back into the tree.
    fn attach(&mut self, buf: &str) {
        let n = self.frames.len();
        self.count(n);
        let Parser {
            root,
            frames,
            token,
            ..
        } = self;
        let mut number_len = 0;
        match token {
            Token::Str {
                text,
                is_key: false,
                in_tree,
                ..
            } => {
                let value = Value::String(std::mem::take(text));
                match frames.last_mut() {
                    None => *root = value,
                    Some(f) => place(&mut f.container, f.key.as_deref(), value, *in_tree),
                }
                *in_tree = true;
            }
            Token::Num {
                start,
                state,
                in_tree,
            } => {
                let text = buf.get(*start..).unwrap_or_default();
                let shown = if state.is_terminal() && text.len() <= MAX_SHOWN_NUMBER_LEN {
                    number_len = text.len();
                    serde_json::from_str::<Value>(text).ok()
                } else {
                    None
                };
                let is_shown = shown.is_some();
                match (shown, frames.last_mut()) {
                    (Some(v), None) => *root = v,
                    (Some(v), Some(f)) => place(&mut f.container, f.key.as_deref(), v, *in_tree),
                    (None, None) => *root = Value::Null,
                    (None, Some(f)) => {
                        if *in_tree {
                            remove(&mut f.container, f.key.as_deref());
                        }
                    }
                }
                *in_tree = is_shown;
            }
            Token::None | Token::Lit { .. } | Token::Str { is_key: true, .. } => {}
        }
        let mut pending: Option<(Value, bool)> = None;
        for frame in frames.iter_mut().rev() {
            let mut container = std::mem::take(&mut frame.container);
            if let Some((child, exists)) = pending.take() {
                place(&mut container, frame.key.as_deref(), child, exists);
            }
            pending = Some((container, frame.in_parent));
            frame.in_parent = true;
        }
        if let Some((container, _)) = pending {
            *root = container;
        }
        self.count(number_len);
    }

    /// Parses `buf[from..]`, continuing from the saved state.
    fn feed(&mut self, buf: &str, from: usize) -> Result<(), PartialJsonError> {
        let bytes = buf.as_bytes();
        let mut i = from;
        loop {
            match self.token {
                Token::None => {}
                Token::Str { .. } => match self.feed_string(buf, i)? {
                    Step::Pending => return Ok(()),
                    Step::Done(next) => {
                        i = next;
                        continue;
                    }
                },
                Token::Num { .. } => match self.feed_number(buf, i)? {
                    Step::Pending => return Ok(()),
                    Step::Done(next) => {
                        i = next;
                        continue;
                    }
                },
                Token::Lit { .. } => match self.feed_literal(bytes, i)? {
                    Step::Pending => return Ok(()),
                    Step::Done(next) => {
                        i = next;
                        continue;
                    }
                },
            }
            let Some(&b) = bytes.get(i) else {
                return Ok(());
            };
            self.count(1);
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r') {
                i += 1;
                continue;
            }
            match self.expect {
                Expect::Value | Expect::ValueOrClose => {
                    if b == b']' && self.expect == Expect::ValueOrClose {
                        self.close()?;
                    } else if b == b']' && self.frames.last().map(|f| f.kind) == Some(Kind::Array) {
                        // `]` right after `,`.
                        return err(i, "trailing comma");
                    } else {
                        self.start_value(b, i)?;
                    }
                }
                Expect::KeyOrClose | Expect::Key => {
                    if b == b'"' {
                        self.token = Token::Str {
                            text: String::new(),
                            is_key: true,
                            esc: Esc::None,
                            in_tree: false,
                        };
                    } else if b == b'}' && self.expect == Expect::KeyOrClose {
                        self.close()?;
                    } else if b == b'}' {
                        return err(i, "trailing comma");
                    } else {
                        return err(i, "key must be a string");
                    }
                }
                Expect::Colon => {
                    if b != b':' {
                        return err(i, "expected `:`");
                    }
                    self.expect = Expect::Value;
                }
                Expect::CommaOrClose => {
                    let kind = self.frames.last().map(|f| f.kind);
                    match (b, kind) {
                        (b',', Some(Kind::Object)) => self.expect = Expect::Key,
                        (b',', Some(Kind::Array)) => self.expect = Expect::Value,
                        (b'}', Some(Kind::Object)) | (b']', Some(Kind::Array)) => self.close()?,
                        (_, Some(Kind::Object)) => return err(i, "expected `,` or `}`"),
                        _ => return err(i, "expected `,` or `]`"),
                    }
                }
                Expect::End => return err(i, "trailing characters"),
            }
            i += 1;
        }
    }

    /// Starts the value whose first byte is `b` (at offset `i`).
    fn start_value(&mut self, b: u8, i: usize) -> Result<(), PartialJsonError> {
        match b {
            b'{' | b'[' => {
                if self.frames.len() >= MAX_DEPTH {
                    return err(i, "recursion limit exceeded");
                }
                let (kind, container, expect) = if b == b'{' {
                    (Kind::Object, Value::Object(Map::new()), Expect::KeyOrClose)
                } else {
                    (Kind::Array, Value::Array(Vec::new()), Expect::ValueOrClose)
                };
                self.frames.push(Frame {
                    kind,
                    container,
                    key: None,
                    in_parent: false,
                });
                self.expect = expect;
            }
            b'"' => {
                self.token = Token::Str {
                    text: String::new(),
                    is_key: false,
                    esc: Esc::None,
                    in_tree: false,
                };
            }
            b'-' | b'0'..=b'9' => {
                let state = match b {
                    b'-' => NumState::Minus,
                    b'0' => NumState::Zero,
                    _ => NumState::Int,
                };
                self.token = Token::Num {
                    start: i,
                    state,
                    in_tree: false,
                };
            }
            b't' | b'f' | b'n' => {
                let lit = match b {
                    b't' => Lit::True,
                    b'f' => Lit::False,
                    _ => Lit::Null,
                };
                self.token = Token::Lit { lit, matched: 1 };
            }
            _ => return err(i, "expected value"),
        }
        Ok(())
    }

    /// Closes the innermost container (the caller checked the bracket kind).
    fn close(&mut self) -> Result<(), PartialJsonError> {
        if let Some(frame) = self.frames.pop() {
            self.complete_value(frame.container, frame.in_parent);
        }
        Ok(())
    }

    /// Stores a finished value in its parent (or as the root).
    fn complete_value(&mut self, value: Value, in_tree: bool) {
        match self.frames.last_mut() {
            None => {
                self.root = value;
                self.expect = Expect::End;
            }
            Some(frame) => {
                let key = frame.key.take();
                match &mut frame.container {
                    Value::Object(map) => {
                        map.insert(key.unwrap_or_default(), value);
                    }
                    container => place(container, None, value, in_tree),
                }
                self.expect = Expect::CommaOrClose;
            }
        }
    }

    fn feed_string(&mut self, buf: &str, from: usize) -> Result<Step, PartialJsonError> {
        let bytes = buf.as_bytes();
        let mut i = from;
        let mut work = 0usize;
        let Token::Str { text, esc, .. } = &mut self.token else {
            return Ok(Step::Done(i));
        };
        let result = loop {
            match *esc {
                Esc::None => {
                    let rest = bytes.get(i..).unwrap_or_default();
                    let Some(k) = find_string_special(rest) else {
                        text.push_str(buf.get(i..).unwrap_or_default());
                        work += rest.len();
                        break Ok(Step::Pending);
                    };
                    // `k` is at an ASCII byte, hence a char boundary.
                    text.push_str(buf.get(i..i + k).unwrap_or_default());
                    work += k + 1;
                    let at = i + k;
                    i = at + 1;
                    match rest.get(k) {
                        Some(b'"') => break Ok(Step::Done(i)),
                        Some(b'\\') => *esc = Esc::Backslash,
                        _ => {
                            break err(
                                at,
                                "control character (\\u0000-\\u001F) found while parsing a string",
                            )
                        }
                    }
                }
                Esc::Backslash => {
                    let Some(&b) = bytes.get(i) else {
                        break Ok(Step::Pending);
                    };
                    work += 1;
                    let c = match b {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            *esc = Esc::Hex {
                                high: None,
                                digits: 0,
                                acc: 0,
                            };
                            i += 1;
                            continue;
                        }
                        _ => break err(i, "invalid escape"),
                    };
                    text.push(c);
                    *esc = Esc::None;
                    i += 1;
                }
                Esc::Hex { high, digits, acc } => {
                    let Some(&b) = bytes.get(i) else {
                        break Ok(Step::Pending);
                    };
                    work += 1;
                    let Some(d) = hex_digit(b) else {
                        break err(i, "invalid escape");
                    };
                    let acc = (acc << 4) | d;
                    i += 1;
                    if digits < 3 {
                        *esc = Esc::Hex {
                            high,
                            digits: digits + 1,
                            acc,
                        };
                        continue;
                    }
                    let code = match (high, acc) {
                        (None, 0xD800..=0xDBFF) => {
                            *esc = Esc::NeedBackslash { high: acc };
                            continue;
                        }
                        (None, 0xDC00..=0xDFFF) => {
                            break err(i - 1, "lone leading surrogate in hex escape")
                        }
                        (None, c) => u32::from(c),
                        (Some(h), 0xDC00..=0xDFFF) => {
                            0x10000 + ((u32::from(h) - 0xD800) << 10) + (u32::from(acc) - 0xDC00)
                        }
                        (Some(_), _) => break err(i - 1, "lone leading surrogate in hex escape"),
                    };
                    match char::from_u32(code) {
                        Some(c) => text.push(c),
                        None => break err(i - 1, "invalid unicode code point"),
                    }
                    *esc = Esc::None;
                }
                Esc::NeedBackslash { high } => {
                    let Some(&b) = bytes.get(i) else {
                        break Ok(Step::Pending);
                    };
                    work += 1;
                    if b != b'\\' {
                        break err(i, "unexpected end of hex escape");
                    }
                    *esc = Esc::NeedU { high };
                    i += 1;
                }
                Esc::NeedU { high } => {
                    let Some(&b) = bytes.get(i) else {
                        break Ok(Step::Pending);
                    };
                    work += 1;
                    if b != b'u' {
                        break err(i, "unexpected end of hex escape");
                    }
                    *esc = Esc::Hex {
                        high: Some(high),
                        digits: 0,
                        acc: 0,
                    };
                    i += 1;
                }
            }
        };
        self.count(work);
        if let Ok(Step::Done(_)) = result {
            if let Token::Str {
                text,
                is_key,
                in_tree,
                ..
            } = std::mem::replace(&mut self.token, Token::None)
            {
                if is_key {
                    if let Some(frame) = self.frames.last_mut() {
                        frame.key = Some(text);
                    }
                    self.expect = Expect::Colon;
                } else {
                    self.complete_value(Value::String(text), in_tree);
                }
            }
        }
        result
    }

    fn feed_number(&mut self, buf: &str, from: usize) -> Result<Step, PartialJsonError> {
        let bytes = buf.as_bytes();
        let mut i = from;
        let Token::Num {
            start,
            state,
            in_tree,
        } = &mut self.token
        else {
            return Ok(Step::Done(i));
        };
        let (start, in_tree) = (*start, *in_tree);
        loop {
            let Some(&b) = bytes.get(i) else {
                self.count(i - from);
                return Ok(Step::Pending);
            };
            match state.next(b) {
                Some(next) => {
                    *state = next;
                    i += 1;
                }
                None if state.is_terminal()
                    && !(*state == NumState::Zero && b.is_ascii_digit()) =>
                {
                    break;
                }
                None => return err(i, "invalid number"),
            }
        }
        self.count(i - from);
        let text = buf.get(start..i).unwrap_or_default();
        self.count(text.len());
        match serde_json::from_str::<Value>(text) {
            Ok(value) => {
                self.token = Token::None;
                self.complete_value(value, in_tree);
                Ok(Step::Done(i))
            }
            Err(_) => err(start, "number out of range"),
        }
    }

    fn feed_literal(&mut self, bytes: &[u8], from: usize) -> Result<Step, PartialJsonError> {
        let mut i = from;
        let Token::Lit { lit, matched } = &mut self.token else {
            return Ok(Step::Done(i));
        };
        let lit = *lit;
        let word = lit.word();
        while let Some(&expected) = word.get(*matched) {
            let Some(&b) = bytes.get(i) else {
                return Ok(Step::Pending);
            };
            if b != expected {
                return err(i, "expected ident");
            }
            *matched += 1;
            i += 1;
        }
        self.count(i - from);
        self.token = Token::None;
        self.complete_value(lit.value(), false);
        Ok(Step::Done(i))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use serde_json::json;

    /// Pushes `text` one char at a time; returns the snapshot after each char.
    fn snapshots_per_char(text: &str) -> Vec<Value> {
        let mut p = PartialJson::new();
        let mut out = Vec::new();
        for (idx, c) in text.char_indices() {
            p.push(&text[idx..idx + c.len_utf8()])
                .unwrap_or_else(|e| panic!("{e} in {text:?}"));
            out.push(p.snapshot().clone());
        }
        out
    }

    fn snapshot_of(fragments: &[&str]) -> Value {
        let mut p = PartialJson::new();
        for f in fragments {
            p.push(f).unwrap();
        }
        p.snapshot().clone()
    }

    fn parse_all(text: &str) -> Result<Value, PartialJsonError> {
        let mut p = PartialJson::new();
        p.push(text)?;
        p.finish()
    }

    /// `snap` could be an earlier snapshot of `full`.
    fn prefix_consistent(snap: &Value, full: &Value) -> bool {
        match (snap, full) {
            (Value::Null, _) => true,
            (Value::String(a), Value::String(b)) => b.starts_with(a.as_str()),
            (Value::Number(_), Value::Number(_)) => true,
            (Value::Array(a), Value::Array(b)) => {
                a.len() <= b.len() && a.iter().zip(b).all(|(x, y)| prefix_consistent(x, y))
            }
            (Value::Object(a), Value::Object(b)) => a
                .iter()
                .all(|(k, v)| b.get(k).is_some_and(|w| prefix_consistent(v, w))),
            (a, b) => a == b,
        }
    }

    #[test]
    fn snapshots_after_each_char_nested() {
        let text = r#"{"a": [1, -2.5e3, "x\"y", {"b": null}], "c": true, "d": {}}"#;
        let snaps = snapshots_per_char(text);
        let full: Value = serde_json::from_str(text).unwrap();
        assert_eq!(snaps.last(), Some(&full));
        for s in &snaps {
            assert!(prefix_consistent(s, &full), "{s} vs {full}");
        }
        let at = |prefix: &str| snaps[prefix.len() - 1].clone();
        assert_eq!(at("{"), json!({}));
        assert_eq!(at(r#"{"a"#), json!({}));
        assert_eq!(at(r#"{"a""#), json!({}));
        assert_eq!(at(r#"{"a":"#), json!({}));
        assert_eq!(at(r#"{"a": ["#), json!({"a": []}));
        assert_eq!(at(r#"{"a": [1"#), json!({"a": [1]}));
        assert_eq!(at(r#"{"a": [1, -"#), json!({"a": [1]}));
        assert_eq!(at(r#"{"a": [1, -2"#), json!({"a": [1, -2]}));
        assert_eq!(at(r#"{"a": [1, -2."#), json!({"a": [1]}));
        assert_eq!(at(r#"{"a": [1, -2.5"#), json!({"a": [1, -2.5]}));
        assert_eq!(at(r#"{"a": [1, -2.5e"#), json!({"a": [1]}));
        assert_eq!(at(r#"{"a": [1, -2.5e3"#), json!({"a": [1, -2500.0]}));
        assert_eq!(at(r#"{"a": [1, -2.5e3, ""#), json!({"a": [1, -2500.0, ""]}));
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\"#),
            json!({"a": [1, -2500.0, "x"]})
        );
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\""#),
            json!({"a": [1, -2500.0, "x\""]})
        );
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\"y", {"b": n"#),
            json!({"a": [1, -2500.0, "x\"y", {}]})
        );
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\"y", {"b": null"#),
            json!({"a": [1, -2500.0, "x\"y", {"b": null}]})
        );
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\"y", {"b": null}], "c": tru"#),
            json!({"a": [1, -2500.0, "x\"y", {"b": null}]})
        );
        assert_eq!(
            at(r#"{"a": [1, -2.5e3, "x\"y", {"b": null}], "c": true"#),
            json!({"a": [1, -2500.0, "x\"y", {"b": null}], "c": true})
        );
    }

    #[test]
    fn snapshots_of_scalars_at_top_level() {
        assert_eq!(snapshot_of(&[]), Value::Null);
        assert_eq!(snapshot_of(&["  "]), Value::Null);
        assert_eq!(snapshot_of(&["\"ab"]), json!("ab"));
        assert_eq!(snapshot_of(&["\"ab", "c\""]), json!("abc"));
        assert_eq!(snapshot_of(&["12"]), json!(12));
        assert_eq!(snapshot_of(&["12", "."]), Value::Null);
        assert_eq!(snapshot_of(&["12", ".", "5"]), json!(12.5));
        assert_eq!(snapshot_of(&["fals"]), Value::Null);
        assert_eq!(snapshot_of(&["fals", "e"]), json!(false));
        assert_eq!(snapshot_of(&["[tr", "ue,", "nu"]), json!([true]));
        // An in-progress number longer than 64 bytes is hidden until complete.
        let long = "1".repeat(80);
        assert_eq!(snapshot_of(&["[", &long]), json!([]));
        let mut p = PartialJson::new();
        p.push(&format!("[{long}")).unwrap();
        p.push("]").unwrap();
        assert_eq!(
            p.snapshot(),
            &serde_json::from_str::<Value>(&format!("[{long}]")).unwrap()
        );
    }

    #[test]
    fn strings_with_escapes_split_everywhere() {
        let text =
            r#"{"k\u00e9y": "a\\b\/c\n\t\r\b\f\"\u0041\u00e9\u4e2d\ud83d\ude00 ok", "e": ""}"#;
        let full: Value = serde_json::from_str(text).unwrap();
        let want = "a\\b/c\n\t\r\u{8}\u{c}\"Aé中😀 ok";
        assert_eq!(full["kéy"], json!(want));
        for (idx, snap) in snapshots_per_char(text).iter().enumerate() {
            assert!(prefix_consistent(snap, &full), "{idx}: {snap}");
            // A partial escape is never visible: the in-progress text is always a prefix of
            // the decoded text.
            if let Some(Value::String(s)) = snap.get("kéy") {
                assert!(want.starts_with(s.as_str()), "{s:?}");
            }
        }
        // Every two-way split.
        for i in 0..=text.len() {
            let mut p = PartialJson::new();
            p.push(&text[..i]).unwrap();
            p.push(&text[i..]).unwrap();
            assert_eq!(p.snapshot(), &full);
            assert_eq!(p.finish().unwrap(), full);
        }
    }

    #[test]
    fn surrogate_pair_split_shows_nothing_partial() {
        let snaps: Vec<Value> = [
            r#""x"#,
            r#"\ud83d"#,
            r#"\"#,
            r#"u"#,
            r#"de0"#,
            r#"0"#,
            r#"""#,
        ]
        .iter()
        .scan(PartialJson::new(), |p, f| {
            p.push(f).unwrap();
            Some(p.snapshot().clone())
        })
        .collect();
        assert_eq!(
            snaps,
            vec![
                json!("x"),
                json!("x"),
                json!("x"),
                json!("x"),
                json!("x"),
                json!("x😀"),
                json!("x😀")
            ]
        );
    }

    #[test]
    fn numbers_match_serde_json() {
        for text in [
            "0",
            "-0",
            "1",
            "-1",
            "1.5",
            "1e5",
            "1E+5",
            "1e-5",
            "-0.0e0",
            "18446744073709551615",
            "18446744073709551616",
            "-9223372036854775808",
            "-9223372036854775809",
            "0.1",
            "3.141592653589793238462643383279",
            "1e-400",
            "123456789012345678901234567890",
        ] {
            let expected: Value = serde_json::from_str(text).unwrap();
            for wrapped in [
                text.to_owned(),
                format!("[{text}]"),
                format!("{{\"n\":{text}}}"),
            ] {
                let want: Value = serde_json::from_str(&wrapped).unwrap();
                let mut p = PartialJson::new();
                for c in wrapped.chars() {
                    p.push(&c.to_string()).unwrap();
                }
                if wrapped != text {
                    assert_eq!(p.snapshot(), &want, "{wrapped}");
                }
                assert_eq!(p.finish().unwrap(), want, "{wrapped}");
            }
            assert_eq!(parse_all(text).unwrap(), expected);
        }
    }

    #[test]
    fn whitespace_everywhere() {
        let text = " \t\r\n{ \"a\" \n: [ 1 , 2 ] ,\r\n \"b\":\"c\" } \n ";
        let full: Value = serde_json::from_str(text).unwrap();
        for snap in snapshots_per_char(text) {
            assert!(prefix_consistent(&snap, &full));
        }
        assert_eq!(parse_all(text).unwrap(), full);
    }

    #[test]
    fn duplicate_keys_last_wins() {
        let text = r#"{"a": 1, "b": [2], "a": "x", "b": {"c": 3}}"#;
        let want: Value = serde_json::from_str(text).unwrap();
        assert_eq!(snapshots_per_char(text).last(), Some(&want));
        // Partial: the in-progress duplicate replaces the earlier value.
        assert_eq!(snapshot_of(&[r#"{"a": 1, "a": "x"#]), json!({"a": "x"}));
    }

    #[test]
    fn invalid_input_errors_with_offset() {
        let cases: &[(&str, usize, &str)] = &[
            (r#"{"a":}"#, 5, "expected value"),
            (r#"{"a" 1}"#, 5, "expected `:`"),
            (r#"{"a":1 "b"}"#, 7, "expected `,` or `}`"),
            ("[1 2]", 3, "expected `,` or `]`"),
            ("[1,]", 3, "trailing comma"),
            (r#"{"a":1,}"#, 7, "trailing comma"),
            ("{1:2}", 1, "key must be a string"),
            ("[1}", 2, "expected `,` or `]`"),
            (r#"{"a":1]"#, 6, "expected `,` or `}`"),
            ("{} x", 3, "trailing characters"),
            ("1 2", 2, "trailing characters"),
            ("01", 1, "invalid number"),
            ("-x", 1, "invalid number"),
            ("1.e5", 2, "invalid number"),
            ("[1e+]", 4, "invalid number"),
            ("tx", 1, "expected ident"),
            ("nul1", 3, "expected ident"),
            ("\"a\u{1}\"", 2, "control character"),
            (r#""\x""#, 2, "invalid escape"),
            (r#""\u12g4""#, 5, "invalid escape"),
            (r#""\udc00""#, 6, "lone leading surrogate"),
            (r#""\ud800x""#, 7, "unexpected end of hex escape"),
            (r#""\ud800\n""#, 8, "unexpected end of hex escape"),
            (r#""\ud800\ud800""#, 12, "lone leading surrogate"),
            ("[1e400]", 1, "number out of range"),
            ("]", 0, "expected value"),
            ("\u{feff}1", 0, "expected value"),
        ];
        for &(text, offset, message) in cases {
            let mut p = PartialJson::new();
            let e = p.push(text).unwrap_err();
            assert_eq!(e.offset(), offset, "{text:?}: {e}");
            assert!(e.message().contains(message), "{text:?}: {e}");
            assert!(e.to_string().contains(&format!("at byte {offset}")));
            // serde_json agrees that it is invalid.
            assert!(serde_json::from_str::<Value>(text).is_err(), "{text:?}");
            // Sticky, also across split pushes.
            assert_eq!(p.push("]"), Err(e.clone()));
            assert_eq!(p.error(), Some(&e));
            assert_eq!(p.buffer(), format!("{text}]"));
            assert!(!p.is_complete());
            assert_eq!(p.finish(), Err(e.clone()));
            let mut p = PartialJson::new();
            let mut got = None;
            for c in text.chars() {
                if let Err(e) = p.push(&c.to_string()) {
                    got = Some(e);
                    break;
                }
            }
            assert_eq!(got, Some(e), "{text:?} char by char");
        }
    }

    #[test]
    fn incomplete_input_fails_at_finish() {
        for text in [
            "", " ", "{", r#"{"a""#, r#"{"a":"#, "[1,", "\"ab", "tru", "-", "1.", r#""\u12"#,
        ] {
            let mut p = PartialJson::new();
            p.push(text).unwrap();
            assert!(!p.is_complete(), "{text:?}");
            let e = p.finish().unwrap_err();
            assert!(e.message().contains("EOF"), "{text:?}: {e}");
            assert!(e.offset() <= text.len());
        }
        for text in ["1", "{}", " [ ] ", "\"\"", "null\n", "-0.5e1"] {
            let mut p = PartialJson::new();
            p.push(text).unwrap();
            assert!(p.is_complete(), "{text:?}");
        }
    }

    #[test]
    fn depth_limit() {
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(serde_json::from_str::<Value>(&ok).is_ok());
        assert_eq!(
            parse_all(&ok).unwrap(),
            serde_json::from_str::<Value>(&ok).unwrap()
        );
        let too_deep = "[".repeat(MAX_DEPTH + 1);
        let mut p = PartialJson::new();
        let e = p.push(&too_deep).unwrap_err();
        assert_eq!(e.offset(), MAX_DEPTH);
        assert!(
            serde_json::from_str::<Value>(&(too_deep.clone() + &"]".repeat(MAX_DEPTH + 1)))
                .is_err()
        );
        // 100k opening brackets: no stack overflow, early error.
        let mut p = PartialJson::new();
        assert!(p.push(&"{\"a\":[".repeat(100_000)).is_err());
    }

    #[test]
    fn byte_offset_conversion() {
        assert_eq!(byte_offset("abc", 1, 2), 1);
        assert_eq!(byte_offset("a\nbc", 2, 2), 3);
        assert_eq!(byte_offset("a\nbc", 5, 2), 4);
        assert_eq!(byte_offset("", 1, 0), 0);
        let mut p = PartialJson::new();
        p.push("{\n  \"a\": [1,\n").unwrap();
        let e = p.finish().unwrap_err();
        // serde_json reports the EOF at the last newline (line 2, column 12).
        assert_eq!(e.offset(), 13);
    }

    /// A ~200 KB document typical of streamed tool input.
    fn big_document(items: usize) -> String {
        let mut v = Vec::new();
        for i in 0..items {
            v.push(json!({
                "id": i,
                "name": format!("item \"{i}\" ünï 😀\n"),
                "tags": ["a", "b", i % 7 == 0],
                "score": (i as f64) * 1.25,
                "none": null,
            }));
        }
        json!({"path": "/tmp/x", "items": v, "content": "x".repeat(items * 70)}).to_string()
    }

    #[test]
    fn one_byte_fragments_do_linear_work() {
        let mut ratios = Vec::new();
        for items in [700, 1400] {
            let text = big_document(items);
            let mut p = PartialJson::new();
            let mut start = 0;
            for (idx, _) in text.char_indices().skip(1) {
                p.push(&text[start..idx]).unwrap();
                start = idx;
            }
            p.push(&text[start..]).unwrap();
            let n = text.len();
            let work = p.work();
            ratios.push(work as f64 / n as f64);
            // Per byte: the byte itself plus detach/attach of <= 3 open containers per push,
            // plus re-reading short in-progress numbers.
            assert!(work <= 12 * n, "work {work} for {n} bytes");
            let want: Value = serde_json::from_str(&text).unwrap();
            assert_eq!(p.snapshot(), &want);
            assert_eq!(p.finish().unwrap(), want);
        }
        // Doubling the input does not increase the work per byte.
        assert!(ratios[1] <= ratios[0] * 1.1, "{ratios:?}");
    }

    #[test]
    fn a_big_string_streamed_in_small_pieces_is_linear() {
        let body = "é\\n".repeat(100_000);
        let text = format!("{{\"content\": \"{body}\"}}");
        let mut p = PartialJson::new();
        let mut start = 0;
        let mut snaps = 0;
        while start < text.len() {
            let mut end = (start + 7).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            p.push(&text[start..end]).unwrap();
            snaps += p.snapshot().get("content").is_some() as usize;
            start = end;
        }
        assert!(snaps > 1000);
        assert!(p.work() <= 4 * text.len(), "{} vs {}", p.work(), text.len());
        assert_eq!(
            p.snapshot()["content"].as_str().unwrap().len(),
            "é\n".len() * 100_000
        );
    }

    // ---- property tests ----

    fn arb_json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(|n| json!(n)),
            any::<u64>().prop_map(|n| json!(n)),
            (-1e12f64..1e12).prop_map(|f| json!(f)),
            any::<f64>()
                .prop_filter("finite", |f| f.is_finite())
                .prop_map(|f| json!(f)),
            "[a-z\"\\\\/\u{0}-\u{1f}é中😀\u{2028}\u{ffff}]{0,12}".prop_map(Value::String),
        ];
        leaf.prop_recursive(5, 48, 6, |inner| {
            prop_oneof![
                proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
                proptest::collection::vec(("[a-z\"\\\\é😀]{0,6}", inner), 0..6)
                    .prop_map(|kv| Value::Object(kv.into_iter().collect())),
            ]
        })
    }

    /// Splits `text` at the given (char-boundary-adjusted) points.
    fn split<'a>(text: &'a str, cuts: &[prop::sample::Index]) -> Vec<&'a str> {
        let mut points: Vec<usize> = cuts
            .iter()
            .map(|c| {
                let mut p = c.index(text.len() + 1);
                while !text.is_char_boundary(p) {
                    p -= 1;
                }
                p
            })
            .collect();
        points.sort_unstable();
        let mut out = Vec::new();
        let mut prev = 0;
        for p in points {
            out.push(&text[prev..p]);
            prev = p;
        }
        out.push(&text[prev..]);
        out
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn random_documents_any_split(
            value in arb_json(),
            pretty in any::<bool>(),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..24),
        ) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let want: Value = serde_json::from_str(&text).unwrap();
            let mut p = PartialJson::new();
            for fragment in split(&text, &cuts) {
                p.push(fragment).unwrap();
                let snap = p.snapshot();
                prop_assert!(prefix_consistent(snap, &want), "{} vs {}", snap, want);
            }
            prop_assert_eq!(p.snapshot(), &want);
            prop_assert!(p.is_complete());
            prop_assert_eq!(p.finish().unwrap(), want);
        }

        #[test]
        fn every_char_prefix_is_consistent(value in arb_json()) {
            let text = serde_json::to_string(&value).unwrap();
            let want: Value = serde_json::from_str(&text).unwrap();
            for snap in snapshots_per_char(&text) {
                prop_assert!(prefix_consistent(&snap, &want), "{} vs {}", snap, want);
            }
        }

        #[test]
        fn agrees_with_serde_json_on_mutated_input(
            value in arb_json(),
            edits in proptest::collection::vec(
                (any::<prop::sample::Index>(), 0u8..3,
                 prop::sample::select(vec!['{', '}', '[', ']', ',', ':', '"', '\\', 'u', 'e', '.', '-', '0', '1', ' ', 't', 'n', '\u{1}', 'é'])),
                1..3),
            cuts in proptest::collection::vec(any::<prop::sample::Index>(), 0..8),
        ) {
            let mut chars: Vec<char> = serde_json::to_string(&value).unwrap().chars().collect();
            for (at, op, c) in edits {
                let at = at.index(chars.len() + 1);
                match op {
                    0 => chars.insert(at, c),
                    1 if at < chars.len() => { chars.remove(at); }
                    _ if at < chars.len() => chars[at] = c,
                    _ => chars.push(c),
                }
            }
            let text: String = chars.into_iter().collect();
            let theirs = serde_json::from_str::<Value>(&text);
            let mut p = PartialJson::new();
            let mut pushed_ok = true;
            for fragment in split(&text, &cuts) {
                if p.push(fragment).is_err() {
                    pushed_ok = false;
                }
                let _ = p.snapshot();
            }
            match &theirs {
                Ok(v) => {
                    prop_assert!(pushed_ok, "we rejected valid {:?}: {:?}", text, p.error());
                    prop_assert_eq!(p.snapshot(), v);
                    prop_assert!(p.is_complete());
                }
                Err(e) if e.is_syntax() && !e.to_string().contains("number out of range") => {
                    // Not a prefix of any document: we must notice during the pushes.
                    prop_assert!(!pushed_ok, "we accepted invalid {:?} ({})", text, e);
                }
                Err(e) if e.is_eof() => prop_assert!(!p.is_complete(), "complete but {}", e),
                Err(_) => {}
            }
            let ours = p.finish();
            match (ours, theirs) {
                (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
                (Err(_), Err(_)) => {}
                (a, b) => prop_assert!(false, "{:?} vs {:?} for {:?}", a, b, text),
            }
        }

        #[test]
        fn arbitrary_fragments_never_panic(
            fragments in proptest::collection::vec("[{}\\[\\]\",:\\\\u0-9a-fA-F.eE+\\- \ntrulsn\u{1}é😀]{0,6}", 0..20),
        ) {
            let mut p = PartialJson::new();
            for f in &fragments {
                let _ = p.push(f);
                let _ = p.snapshot();
                let _ = p.is_complete();
            }
            let text: String = fragments.concat();
            let whole = parse_all(&text);
            let ours = p.finish();
            prop_assert_eq!(ours.is_ok(), whole.is_ok());
        }
    }
}
