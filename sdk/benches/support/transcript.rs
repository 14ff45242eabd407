//! Deterministic large SSE transcripts for the streaming benchmarks.
//!
//! * `mixed`: ≈5,000 text deltas (words, punctuation, newlines, quotes, some multi-byte text)
//!   followed by a tool call whose ≈200 KB input (a source file as a string plus an array of
//!   records) streams in ≈4,000 `input_json_delta`s; pings every 500 events. ≈1.3 MB.
//! * `tool`: a tool call of the same kind alone. ≈0.75 MB.
//! * `tool_records`: a tool call whose ≈200 KB input is only small records (structured
//!   output), in ≈4,000 deltas.

use serde_json::{json, Value};

/// xorshift64*: a tiny deterministic generator (no dependency, same bytes everywhere).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "stream",
    "of",
    "tokens",
    "arrives",
    "in",
    "small",
    "pieces",
    "and",
    "each",
    "one",
    "is",
    "appended",
    "to",
    "a",
    "growing",
    "answer",
    "Rust",
    "parser",
    "linear",
    "time",
    "café",
    "naïve",
    "über",
    "日本語",
    "テキスト",
    "🦀",
    "—",
    "quote\"d",
    "tab\tbed",
    "résumé",
    "JSON",
    "event",
    "delta",
    "snapshot",
    "message",
    "model",
    "latency",
    "throughput",
];

/// A JSON object with its members in the given order (the API sends `type` first), from
/// already-encoded member values.
fn obj(members: &[(&str, String)]) -> String {
    let body: Vec<String> = members
        .iter()
        .map(|(key, value)| format!("\"{key}\":{value}"))
        .collect();
    format!("{{{}}}", body.join(","))
}

/// A value encoded as JSON.
fn enc(value: impl serde::Serialize) -> String {
    serde_json::to_string(&value).unwrap()
}

/// One SSE event, framed as the API frames it.
fn push_event(out: &mut String, name: &str, data: &str) {
    out.push_str("event: ");
    out.push_str(name);
    out.push_str("\ndata: ");
    out.push_str(data);
    out.push_str("\n\n");
}

fn ping(out: &mut String) {
    push_event(out, "ping", r#"{"type": "ping"}"#);
}

fn message_start(out: &mut String) {
    let usage = obj(&[
        ("input_tokens", enc(1200)),
        ("cache_creation_input_tokens", enc(0)),
        ("cache_read_input_tokens", enc(0)),
        ("output_tokens", enc(1)),
    ]);
    let message = obj(&[
        ("id", enc("msg_bench")),
        ("type", enc("message")),
        ("role", enc("assistant")),
        ("model", enc("claude-sonnet-4-5-20250929")),
        ("content", "[]".into()),
        ("stop_reason", "null".into()),
        ("stop_sequence", "null".into()),
        ("usage", usage),
    ]);
    let data = obj(&[("type", enc("message_start")), ("message", message)]);
    push_event(out, "message_start", &data);
}

fn message_end(out: &mut String, stop_reason: &str) {
    let delta = obj(&[
        ("stop_reason", enc(stop_reason)),
        ("stop_sequence", "null".into()),
    ]);
    let data = obj(&[
        ("type", enc("message_delta")),
        ("delta", delta),
        ("usage", obj(&[("output_tokens", enc(60000))])),
    ]);
    push_event(out, "message_delta", &data);
    push_event(out, "message_stop", r#"{"type":"message_stop"}"#);
}

fn block_start(out: &mut String, index: usize, block: String) {
    let data = obj(&[
        ("type", enc("content_block_start")),
        ("index", enc(index)),
        ("content_block", block),
    ]);
    push_event(out, "content_block_start", &data);
}

fn block_delta(out: &mut String, index: usize, kind: &str, key: &str, value: &str) {
    let delta = obj(&[("type", enc(kind)), (key, enc(value))]);
    let data = obj(&[
        ("type", enc("content_block_delta")),
        ("index", enc(index)),
        ("delta", delta),
    ]);
    push_event(out, "content_block_delta", &data);
}

fn block_stop(out: &mut String, index: usize) {
    let data = obj(&[("type", enc("content_block_stop")), ("index", enc(index))]);
    push_event(out, "content_block_stop", &data);
}

/// What the tool input is made of.
#[derive(Clone, Copy)]
enum Shape {
    /// A source file as one string (≈110 KB, with quotes, tabs and newlines to escape) and
    /// 800 small records (≈90 KB).
    FileAndRecords,
    /// ≈1,950 small records only (structured output).
    Records,
}

fn records(rng: &mut Rng, count: usize) -> Vec<Value> {
    (0..count)
        .map(|i| {
            json!({
                "id": i,
                "name": format!("{} {}", WORDS[rng.below(WORDS.len())], WORDS[rng.below(WORDS.len())]),
                "score": rng.below(1_000_000) as f64 / 1000.0,
                "active": rng.below(2) == 0,
                "tags": [WORDS[rng.below(WORDS.len())], WORDS[rng.below(WORDS.len())]],
                "parent": if i % 3 == 0 { Value::Null } else { json!(i / 3) },
            })
        })
        .collect()
}

/// The ≈200 KB tool input, as compact JSON text.
fn tool_input(rng: &mut Rng, shape: Shape) -> String {
    if let Shape::Records = shape {
        return serde_json::to_string(&json!({"records": records(rng, 1950)})).unwrap();
    }
    let mut file_text = String::new();
    let mut line = 0;
    while file_text.len() < 110_000 {
        line += 1;
        let indent = "    ".repeat(rng.below(4));
        match rng.below(5) {
            0 => file_text.push_str(&format!("{indent}// step {line}: \"quoted\" note — ok\n")),
            1 => file_text.push_str(&format!(
                "{indent}let value_{line} = compute(\"{}\", {line}, {:.3});\n",
                WORDS[rng.below(WORDS.len())],
                rng.below(10_000) as f64 / 7.0
            )),
            2 => file_text.push_str(&format!(
                "{indent}if value_{line} > 0 {{\n{indent}\treturn;\n{indent}}}\n"
            )),
            3 => file_text.push_str(&format!("{indent}println!(\"{{}}\\n\", value_{line});\n")),
            _ => file_text.push('\n'),
        }
    }
    let records = records(rng, 800);
    serde_json::to_string(&json!({
        "path": "src/generated/module.rs",
        "file_text": file_text,
        "records": records,
    }))
    .unwrap()
}

/// Splits `text` into about `parts` fragments of varying length, at character boundaries.
fn fragments<'a>(text: &'a str, parts: usize, rng: &mut Rng) -> Vec<&'a str> {
    let average = text.len() / parts;
    let mut out = Vec::with_capacity(parts + 1);
    let mut start = 0;
    while start < text.len() {
        let mut end = (start + average / 2 + rng.below(average + 1)).min(text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        out.push(&text[start..end]);
        start = end;
    }
    out
}

fn tool_block(
    out: &mut String,
    index: usize,
    shape: Shape,
    rng: &mut Rng,
    events: &mut usize,
) -> usize {
    let block = obj(&[
        ("type", enc("tool_use")),
        ("id", enc("toolu_bench")),
        ("name", enc("write_file")),
        ("input", "{}".into()),
    ]);
    block_start(out, index, block);
    let input = tool_input(rng, shape);
    for fragment in fragments(&input, 4000, rng) {
        block_delta(out, index, "input_json_delta", "partial_json", fragment);
        *events += 1;
        if *events % 500 == 0 {
            ping(out);
        }
    }
    block_stop(out, index);
    input.len()
}

/// A generated transcript and what it contains.
pub struct Transcript {
    pub name: &'static str,
    pub bytes: Vec<u8>,
    pub text_deltas: usize,
    pub json_deltas: usize,
    pub tool_input_bytes: usize,
}

pub fn mixed() -> Transcript {
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let mut out = String::with_capacity(1 << 21);
    message_start(&mut out);
    block_start(
        &mut out,
        0,
        obj(&[("type", enc("text")), ("text", enc(""))]),
    );
    let mut events = 0;
    for i in 0..5000 {
        let mut text = String::new();
        for _ in 0..1 + rng.below(4) {
            text.push_str(WORDS[rng.below(WORDS.len())]);
            text.push(' ');
        }
        if i % 40 == 39 {
            text.push_str(".\n\n");
        }
        block_delta(&mut out, 0, "text_delta", "text", &text);
        events += 1;
        if events % 500 == 0 {
            ping(&mut out);
        }
    }
    block_stop(&mut out, 0);
    let before = events;
    let tool_input_bytes = tool_block(&mut out, 1, Shape::FileAndRecords, &mut rng, &mut events);
    message_end(&mut out, "tool_use");
    Transcript {
        name: "mixed",
        bytes: out.into_bytes(),
        text_deltas: 5000,
        json_deltas: events - before,
        tool_input_bytes,
    }
}

pub fn tool_only() -> Transcript {
    tool_transcript("tool", Shape::FileAndRecords)
}

pub fn tool_records() -> Transcript {
    tool_transcript("tool_records", Shape::Records)
}

fn tool_transcript(name: &'static str, shape: Shape) -> Transcript {
    let mut rng = Rng(0x5EED_CAFE_F00D_1234);
    let mut out = String::with_capacity(1 << 20);
    message_start(&mut out);
    let mut events = 0;
    let tool_input_bytes = tool_block(&mut out, 0, shape, &mut rng, &mut events);
    message_end(&mut out, "tool_use");
    Transcript {
        name,
        bytes: out.into_bytes(),
        text_deltas: 0,
        json_deltas: events,
        tool_input_bytes,
    }
}
