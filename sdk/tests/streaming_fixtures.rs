//! The SSE fixture corpus (`tests/fixtures/streaming/*.sse`) through the whole streaming stack
//! (SSE decoding, typed events, accumulation, helper events), in memory.
//!
//! Each fixture has `<name>.expected.json`: every item the stream yields and the final
//! snapshot. They were produced with `UPDATE_FIXTURES=1 cargo test --test streaming_fixtures`
//! and reviewed by hand. The tests check that
//! * the result matches the expectation for the body in one chunk, one byte at a time, split
//!   once at every byte, and split at random points (a property test);
//! * the plain and the beta message types give the same result (the plain types handle the
//!   beta-only blocks through the generic unknown-block rules), up to `null` fields.

use std::path::{Path, PathBuf};

use anthropic::streaming::{MessageStream, MessageStreamEvent, StreamedMessage};
use anthropic::types::{BetaMessage, Message};
use bytes::Bytes;
use futures::StreamExt;
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/streaming")
}

fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(fixture_dir())
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix(".sse").map(str::to_owned)
        })
        .collect();
    names.sort();
    assert!(names.len() >= 25, "{names:?}");
    names
}

fn load(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir().join(format!("{name}.sse"))).unwrap()
}

/// Removes `null` members recursively (the plain and beta types differ in which absent
/// optional fields they write as `null`).
fn strip_nulls(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .filter(|(_, v)| !v.is_null())
                .map(|(k, v)| (k, strip_nulls(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip_nulls).collect()),
        other => other,
    }
}

fn render<M: StreamedMessage>(item: &anthropic::Result<MessageStreamEvent<M>>) -> Value {
    match item {
        Ok(MessageStreamEvent::Raw(event)) => json!({"raw": serde_json::to_value(event).unwrap()}),
        Ok(MessageStreamEvent::Text { index, text }) => json!({"text": text, "index": index}),
        Ok(MessageStreamEvent::InputJson {
            index,
            partial_json,
        }) => json!({"input_json": partial_json, "index": index}),
        Ok(MessageStreamEvent::Citation { index, citation }) => {
            json!({"citation": serde_json::to_value(citation).unwrap(), "index": index})
        }
        Ok(MessageStreamEvent::Thinking { index, thinking }) => {
            json!({"thinking": thinking, "index": index})
        }
        Ok(MessageStreamEvent::Signature { index, signature }) => {
            json!({"signature": signature, "index": index})
        }
        Ok(MessageStreamEvent::ContentBlockStop { index }) => json!({"content_block_stop": index}),
        Ok(MessageStreamEvent::MessageStop) => json!({"message_stop": true}),
        Ok(other) => json!({"other": format!("{other:?}")}),
        Err(e) => {
            let mut out = json!({"error": e.kind_name(), "message": e.to_string()});
            if let Some(api) = e.api_error() {
                out["api_error_type"] = json!(api.error_type());
                out["request_id"] = json!(api.request_id());
            }
            if let Some(partial) = e.partial_message() {
                out["partial"] = partial.clone();
            }
            out
        }
    }
}

fn body_of(chunks: &[Vec<u8>]) -> impl futures::Stream<Item = anthropic::Result<Bytes>> + Send {
    let chunks: Vec<_> = chunks.iter().map(|c| Ok(Bytes::from(c.clone()))).collect();
    futures::stream::iter(chunks)
}

/// The final state of a stream: snapshot, completeness, unapplied deltas.
fn state<M: StreamedMessage>(stream: &MessageStream<M>) -> Value {
    let accumulator = stream.accumulator();
    json!({
        "snapshot": stream.current_snapshot().map(|m| serde_json::to_value(m).unwrap()),
        "complete": accumulator.is_complete(),
        "unapplied_deltas": accumulator.unapplied_deltas().iter()
            .map(|(i, d)| json!({"index": i, "delta": d})).collect::<Vec<_>>(),
    })
}

/// Everything observable about one run: the items, the final snapshot and its state.
///
/// The same body is also read through the text-only path (`next_text`, which skips building
/// typed events for the common deltas) and through `until_done` (which also defers parsing
/// tool inputs to their end): they must give the same text, the same final state and the
/// same last error.
fn run<M: StreamedMessage>(chunks: Vec<Vec<u8>>) -> Value {
    let mut stream = MessageStream::<M>::from_body(body_of(&chunks));
    let mut items = Vec::new();
    futures::executor::block_on(async {
        while let Some(item) = stream.next().await {
            items.push(render(&item));
        }
    });
    let mut result = state(&stream);

    let mut fast = MessageStream::<M>::from_body(body_of(&chunks));
    let (text, error) = futures::executor::block_on(async {
        let mut text = String::new();
        loop {
            match fast.next_text().await {
                Ok(Some(piece)) => text.push_str(&piece),
                Ok(None) => return (text, None),
                Err(e) => return (text, Some(render::<M>(&Err(e)))),
            }
        }
    });
    let helper_text: String = items.iter().filter_map(|i| i["text"].as_str()).collect();
    assert_eq!(text, helper_text, "next_text vs text events");
    let last_error = items.last().filter(|i| i.get("error").is_some()).cloned();
    assert_eq!(error, last_error, "next_text vs events: the error");
    assert_eq!(state(&fast), result, "next_text vs events: the final state");

    // And through `until_done`, which parses each tool input once, at its end.
    let mut done = MessageStream::<M>::from_body(body_of(&chunks));
    let error = futures::executor::block_on(done.until_done())
        .err()
        .map(|e| render::<M>(&Err(e)));
    assert_eq!(error, last_error, "until_done vs events: the error");
    assert_eq!(
        state(&done),
        result,
        "until_done vs events: the final state"
    );

    result["items"] = Value::Array(items);
    strip_nulls(result)
}

fn run_both(chunks: Vec<Vec<u8>>) -> Value {
    let plain = run::<Message>(chunks.clone());
    let beta = run::<BetaMessage>(chunks);
    assert_eq!(plain, beta, "plain and beta differ");
    plain
}

fn expected(name: &str, actual: &Value) -> Value {
    let path = fixture_dir().join(format!("{name}.expected.json"));
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        let text = serde_json::to_string_pretty(actual).unwrap() + "\n";
        std::fs::write(&path, text).unwrap();
    }
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_FIXTURES=1 writes it)", path.display()));
    serde_json::from_str(&text).unwrap()
}

fn split_at(bytes: &[u8], cuts: &[usize]) -> Vec<Vec<u8>> {
    let mut chunks = Vec::new();
    let mut start = 0;
    for &cut in cuts {
        let cut = cut.clamp(start, bytes.len());
        chunks.push(bytes[start..cut].to_vec());
        start = cut;
    }
    chunks.push(bytes[start..].to_vec());
    chunks
}

#[test]
fn every_fixture_gives_its_expected_result() {
    for name in fixture_names() {
        let bytes = load(&name);
        let actual = run_both(vec![bytes.clone()]);
        assert_eq!(actual, expected(&name, &actual), "{name}");
        let one_byte = bytes.iter().map(|&b| vec![b]).collect();
        assert_eq!(run_both(one_byte), actual, "{name}: one byte at a time");
    }
}

#[test]
fn every_single_split_point_gives_the_same_result() {
    for name in fixture_names() {
        let bytes = load(&name);
        let whole = run::<Message>(vec![bytes.clone()]);
        // Every byte for small fixtures; a dense stride for the big ones keeps debug builds
        // fast (the property test below covers random points everywhere).
        let step = (bytes.len() / 1500).max(1);
        for cut in (1..bytes.len()).step_by(step) {
            assert_eq!(
                run::<Message>(split_at(&bytes, &[cut])),
                whole,
                "{name} split at {cut}"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    #[test]
    fn any_chunking_gives_the_same_result(
        which in any::<prop::sample::Index>(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..60),
    ) {
        let names = fixture_names();
        let name = &names[which.index(names.len())];
        let bytes = load(name);
        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let whole = run::<Message>(vec![bytes.clone()]);
        prop_assert_eq!(run::<Message>(split_at(&bytes, &cuts)), whole, "{}", name);
    }
}

// ---------- the helpers on a stream ----------

fn stream_of(name: &str) -> MessageStream {
    let bytes = Bytes::from(load(name));
    MessageStream::from_body(futures::stream::iter([Ok(bytes)]))
}

#[test]
fn text_stream_next_text_and_events_share_one_position() {
    futures::executor::block_on(async {
        let pieces: Vec<String> = stream_of("text")
            .text_stream()
            .map(Result::unwrap)
            .collect()
            .await;
        assert_eq!(pieces, ["Hello", ", wor", "ld", "!"]);

        let mut stream = stream_of("text");
        assert!(matches!(
            stream.next().await,
            Some(Ok(MessageStreamEvent::Raw(_)))
        ));
        assert!(matches!(
            stream.next().await,
            Some(Ok(MessageStreamEvent::Raw(_)))
        ));
        // The first text delta's raw event, then its helper is picked up by next_text.
        assert!(matches!(
            stream.next().await,
            Some(Ok(MessageStreamEvent::Raw(_)))
        ));
        assert_eq!(stream.next_text().await.unwrap().as_deref(), Some("Hello"));
        assert_eq!(stream.next_text().await.unwrap().as_deref(), Some(", wor"));
        assert_eq!(stream.current_snapshot().unwrap().text(), "Hello, wor");
        assert_eq!(stream.final_text().await.unwrap(), "Hello, world!");
    });
}

#[test]
fn final_text_needs_a_text_block() {
    futures::executor::block_on(async {
        let err = stream_of("empty_tool_input")
            .final_text()
            .await
            .unwrap_err();
        assert_eq!(err.kind_name(), "invalid_response");
        assert_eq!(
            stream_of("thinking").final_text().await.unwrap(),
            "27 * 453 = 12,231"
        );
    });
}

#[test]
fn the_final_tool_input_is_serde_json_of_all_fragments() {
    futures::executor::block_on(async {
        let mut stream = stream_of("tool_use");
        let mut fragments = String::new();
        while let Some(event) = stream.next().await {
            if let MessageStreamEvent::InputJson { partial_json, .. } = event.unwrap() {
                fragments.push_str(&partial_json);
            }
        }
        let want: serde_json::Map<String, Value> = serde_json::from_str(&fragments).unwrap();
        let message = stream.final_message().await.unwrap();
        let tool = message.tool_uses().next().unwrap();
        assert_eq!(tool.input, want);
        assert_eq!(tool.input["emoji"], "\u{1F327}\u{FE0F} rain \u{1F600}");
    });
}

#[test]
fn until_done_then_the_snapshot() {
    futures::executor::block_on(async {
        let mut stream = stream_of("web_search");
        stream.until_done().await.unwrap();
        let message = stream.current_snapshot().unwrap();
        assert_eq!(message.usage.input_tokens, 10682);
        assert_eq!(message.usage.cache_read_input_tokens, Some(2048));
        assert_eq!(
            message
                .usage
                .server_tool_use
                .as_ref()
                .unwrap()
                .web_search_requests,
            1
        );
        assert!(stream.next().await.is_none());
    });
}

// ---------- damaged input: never a panic, never chunk-dependent ----------

/// The outcome of `until_done` on a body: final state and error.
fn outcome(chunks: Vec<Vec<u8>>) -> Value {
    let mut stream = MessageStream::<Message>::from_body(body_of(&chunks));
    let error = futures::executor::block_on(stream.until_done())
        .err()
        .map(|e| e.kind_name());
    json!({"state": state(&stream), "error": error})
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn damaged_fixtures_never_panic_and_do_not_depend_on_chunking(
        which in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8),
        step in 1usize..64,
    ) {
        let names = fixture_names();
        let name = &names[which.index(names.len())];
        let mut bytes = load(name);
        for (at, byte) in &edits {
            let at = at.index(bytes.len());
            bytes[at] = *byte;
        }
        let whole = outcome(vec![bytes.clone()]);
        let chunked = outcome(bytes.chunks(step).map(<[u8]>::to_vec).collect());
        prop_assert_eq!(whole, chunked, "{}", name);
        // The events path copes too.
        let _ = run_events_only(bytes);
    }
}

fn run_events_only(bytes: Vec<u8>) -> usize {
    let mut stream = MessageStream::<BetaMessage>::from_body(body_of(&[bytes]));
    futures::executor::block_on(async {
        let mut n = 0;
        while let Some(item) = stream.next().await {
            let _ = item;
            n += 1;
        }
        n
    })
}

#[test]
fn an_abandoned_until_done_leaves_the_snapshot_up_to_date() {
    use futures::FutureExt;
    // Everything up to the tool block's stop, then a body that never ends.
    let text = String::from_utf8(load("tool_use")).unwrap();
    let cut = text.rfind("event: content_block_stop").unwrap();
    let head = Bytes::from(text[..cut].to_owned());
    let body = futures::stream::iter([Ok(head)]).chain(futures::stream::pending());
    let mut stream = MessageStream::<Message>::from_body(body);
    // Deferred tool-input parsing while `until_done` runs; dropping it mid-way must parse
    // what was deferred.
    assert!(stream.until_done().now_or_never().is_none());
    let message = stream.current_snapshot().unwrap();
    let tool = message.tool_uses().next().unwrap();
    let want = &run::<Message>(vec![load("tool_use")])["snapshot"]["content"][1]["input"];
    assert_eq!(&serde_json::to_value(&tool.input).unwrap(), want);
}
