//! Streaming throughput: SSE bytes → typed events → accumulated message, on generated
//! transcripts (see `support/transcript.rs`), against the bare cost of parsing the same event
//! payloads with `serde_json` alone.
//!
//! `cargo bench -p anthropic --bench streaming` (or `make bench`). The transcripts are also
//! written to `target/streaming-bench/` for `benches/python/bench_python_sdk.py`.

#[path = "support/transcript.rs"]
mod transcript;

use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

use anthropic::streaming::{EventDecoder, MessageStream, PartialJson, SseDecoder};
use anthropic::types::{Message, RawMessageStreamEvent};
use bytes::Bytes;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures::StreamExt;
use transcript::Transcript;

/// The body as a network would deliver it: 16 KiB reads.
fn chunks(bytes: &[u8]) -> Vec<Bytes> {
    bytes
        .chunks(16 * 1024)
        .map(Bytes::copy_from_slice)
        .collect()
}

fn body(
    chunks: &[Bytes],
) -> impl futures::Stream<Item = anthropic::Result<Bytes>> + Send + 'static {
    let owned: Vec<Bytes> = chunks.to_vec(); // cheap: `Bytes` clones share the data
    futures::stream::iter(owned.into_iter().map(Ok))
}

/// The `data` of every event, as the floor benchmarks parse them.
fn payloads(bytes: &[u8]) -> Vec<String> {
    let mut sse = SseDecoder::new();
    sse.push(bytes).unwrap();
    let mut out: Vec<String> = sse.drain().map(|e| e.data).collect();
    out.extend(sse.finish().unwrap().map(|e| e.data));
    out
}

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
    target.join("streaming-bench")
}

fn describe(t: &Transcript, events: usize) {
    let dir = out_dir();
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(format!("{}.sse", t.name)), &t.bytes).unwrap();
    eprintln!(
        "transcript {}: {} bytes, {} SSE events ({} text deltas, {} input_json deltas, \
         tool input {} bytes) -> {}",
        t.name,
        t.bytes.len(),
        events,
        t.text_deltas,
        t.json_deltas,
        t.tool_input_bytes,
        dir.join(format!("{}.sse", t.name)).display()
    );
}

fn bench_transcript(c: &mut Criterion, t: &Transcript) {
    let chunks = chunks(&t.bytes);
    let payloads = payloads(&t.bytes);
    describe(t, payloads.len());

    // Sanity: the accumulated message is complete and its tool input is exact.
    let message: Message =
        futures::executor::block_on(MessageStream::from_body(body(&chunks)).final_message())
            .unwrap();
    assert_eq!(message.tool_uses().count(), 1);

    let mut group = c.benchmark_group(t.name);
    group.throughput(Throughput::Bytes(t.bytes.len() as u64));
    group.sample_size(30);
    group.measurement_time(Duration::from_secs(6));

    group.bench_function(BenchmarkId::new("accumulate", "final_message"), |b| {
        b.iter(|| {
            let stream = MessageStream::<Message>::from_body(body(&chunks));
            black_box(futures::executor::block_on(stream.final_message()).unwrap())
        })
    });
    group.bench_function(BenchmarkId::new("accumulate", "all_events"), |b| {
        b.iter(|| {
            futures::executor::block_on(async {
                let mut stream = MessageStream::<Message>::from_body(body(&chunks));
                let mut n = 0usize;
                while let Some(event) = stream.next().await {
                    black_box(event.unwrap());
                    n += 1;
                }
                (n, stream.current_snapshot().map(|m| m.content.len()))
            })
        })
    });
    group.bench_function(BenchmarkId::new("decode", "typed_events"), |b| {
        b.iter(|| {
            let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
            let mut n = 0usize;
            for chunk in &chunks {
                decoder.push(chunk).unwrap();
                while let Some(event) = decoder.next_event() {
                    black_box(event.unwrap());
                    n += 1;
                }
            }
            decoder.finish().unwrap();
            n
        })
    });
    group.bench_function(BenchmarkId::new("decode", "sse_only"), |b| {
        b.iter(|| {
            let mut sse = SseDecoder::new();
            let mut n = 0usize;
            for chunk in &chunks {
                sse.push(chunk).unwrap();
                for event in sse.drain() {
                    black_box(event);
                    n += 1;
                }
            }
            n
        })
    });
    group.bench_function(BenchmarkId::new("floor", "serde_json_value"), |b| {
        b.iter(|| {
            for data in &payloads {
                black_box(serde_json::from_str::<serde_json::Value>(data).unwrap());
            }
        })
    });
    group.bench_function(BenchmarkId::new("floor", "serde_json_typed"), |b| {
        b.iter(|| {
            for data in &payloads {
                black_box(serde_json::from_str::<RawMessageStreamEvent>(data).unwrap());
            }
        })
    });
    group.finish();
}

/// The tool input alone: the incremental parser over the streamed fragments, against one
/// `serde_json` parse of the whole input.
fn tool_input(c: &mut Criterion) {
    let t = transcript::tool_only();
    let mut decoder = EventDecoder::<RawMessageStreamEvent>::new();
    decoder.push(&t.bytes).unwrap();
    let mut fragments = Vec::new();
    while let Some(event) = decoder.next_event() {
        if let Ok(RawMessageStreamEvent::ContentBlockDelta(d)) = event {
            if let anthropic::types::RawContentBlockDelta::InputJsonDelta(j) = d.delta {
                fragments.push(j.partial_json);
            }
        }
    }
    let whole: String = fragments.concat();
    let mut group = c.benchmark_group("tool_input");
    group.throughput(Throughput::Bytes(whole.len() as u64));
    group.sample_size(30);
    group.bench_function("partial_json", |b| {
        b.iter(|| {
            let mut parser = PartialJson::new();
            for fragment in &fragments {
                parser.push(fragment).unwrap();
            }
            black_box(parser.snapshot());
        })
    });
    group.bench_function("serde_json_once", |b| {
        b.iter(|| black_box(serde_json::from_str::<serde_json::Value>(&whole).unwrap()))
    });
    group.finish();
}

fn streaming(c: &mut Criterion) {
    bench_transcript(c, &transcript::mixed());
    bench_transcript(c, &transcript::tool_only());
    bench_transcript(c, &transcript::tool_records());
}

criterion_group!(benches, streaming, tool_input);
criterion_main!(benches);
