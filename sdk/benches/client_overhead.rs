//! Per-request client overhead: the SDK's `messages().create()` against a bare `reqwest` +
//! `serde_json` call doing the same request, both against one loopback HTTP/1.1 server that
//! answers every request with the same `Message` (keep-alive, no parsing beyond the headers).
//!
//! `make bench` runs it; results are recorded in BENCHMARKS.md.

use std::sync::Arc;

use anthropic::types::{Message, MessageCreateParams, MessageParam, Model};
use criterion::{criterion_group, criterion_main, Criterion};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

const MESSAGE: &str = r#"{"id":"msg_01XFDUDYJgAACzvnptvVoYEL","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929","content":[{"type":"text","text":"Hello! How can I help you today? I can answer questions, write, analyze and more.","citations":null}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":21,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"cache_creation":{"ephemeral_5m_input_tokens":0,"ephemeral_1h_input_tokens":0},"server_tool_use":null,"service_tier":"standard","inference_geo":null},"container":null}"#;

/// A minimal keep-alive HTTP/1.1 server on 127.0.0.1 answering every request with `MESSAGE`.
async fn serve() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let response: Arc<Vec<u8>> = Arc::new(
        format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nrequest-id: req_bench\r\ncontent-length: {}\r\n\r\n{MESSAGE}",
            MESSAGE.len()
        )
        .into_bytes(),
    );
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else {
                return;
            };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let mut filled = 0;
                loop {
                    let Ok(n) = socket.read(&mut buf[filled..]).await else {
                        return;
                    };
                    if n == 0 {
                        return;
                    }
                    filled += n;
                    // Answer once the headers and the announced body are in.
                    while let Some(end) = find(&buf[..filled], b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
                        let len = head
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|v| v.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        let total = end + 4 + len;
                        if filled < total {
                            break;
                        }
                        if socket.write_all(&response).await.is_err() {
                            return;
                        }
                        buf.copy_within(total..filled, 0);
                        filled -= total;
                    }
                    if filled == buf.len() {
                        buf.resize(buf.len() * 2, 0);
                    }
                }
            });
        }
    });
    format!("http://{addr}")
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The headers the SDK sends on every request besides the key and content type.
const SDK_HEADERS: &[(&str, &str)] = &[
    ("accept", "application/json"),
    ("user-agent", "Anthropic/Rust 0.1.0"),
    ("anthropic-version", "2023-06-01"),
    ("x-stainless-lang", "rust"),
    ("x-stainless-package-version", "0.1.0"),
    ("x-stainless-os", "Linux"),
    ("x-stainless-arch", "x64"),
    ("x-stainless-runtime", "rustc"),
    ("x-stainless-runtime-version", "1.85"),
    ("x-stainless-async", "async:tokio"),
    ("x-stainless-retry-count", "0"),
    ("x-stainless-timeout", "600"),
];

fn params() -> MessageCreateParams {
    MessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [MessageParam::user("Hello, Claude")],
        1024,
    )
    .system("You are terse.")
    .temperature(0.2)
}

fn overhead(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let base = rt.block_on(serve());
    let sdk = anthropic::Client::builder()
        .api_key("bench-key")
        .base_url(&base)
        .max_retries(0)
        .build()
        .unwrap();
    // The SDK's TLS setup (a plain `reqwest::Client::new()` would need a process crypto provider).
    let bare = anthropic::client::http_client_builder()
        .unwrap()
        .build()
        .unwrap();
    let url = format!("{base}/v1/messages");
    let p = params();

    let mut group = c.benchmark_group("messages_create_loopback");
    group.bench_function("bare_reqwest_serde_json", |b| {
        b.to_async(&rt).iter(|| async {
            // The same request the SDK sends: the params (owned, as the SDK takes them) and the
            // same headers.
            let params = p.clone();
            let body = serde_json::to_vec(&params).unwrap();
            let mut request = bare.post(&url);
            for (name, value) in SDK_HEADERS {
                request = request.header(*name, *value);
            }
            let resp = request
                .header("x-api-key", "bench-key")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .unwrap();
            let bytes = resp.bytes().await.unwrap();
            let m: Message = serde_json::from_slice(&bytes).unwrap();
            m
        })
    });
    group.bench_function("anthropic_sdk", |b| {
        b.to_async(&rt)
            .iter(|| async { sdk.messages().create(p.clone()).await.unwrap() })
    });
    group.finish();
}

criterion_group!(benches, overhead);
criterion_main!(benches);
