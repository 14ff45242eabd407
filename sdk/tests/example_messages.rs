//! The `messages` example is a stable interface (flags, one line of JSON on stdout, exit code 1
//! with `KIND: MESSAGE` on stderr): these tests run the built example against a local mock.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::{json, Value};
use wiremock::matchers::{body_partial_json, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// `target/<profile>/examples/messages`, next to this test binary: built by a plain `cargo test`
/// (or `cargo build --examples`; `cargo test --all-targets` only builds examples as tests).
fn example() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|d| d.parent()).unwrap();
    dir.join("examples")
        .join(format!("messages{}", std::env::consts::EXE_SUFFIX))
}

async fn run(server: &MockServer, args: &[&str], stdin: Option<&str>) -> Output {
    let (url, args, stdin) = (
        server.uri(),
        args.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
        stdin.map(str::to_owned),
    );
    tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = Command::new(example())
            .args(&args)
            .env("ANTHROPIC_API_KEY", "sk-example")
            .env_remove("ANTHROPIC_AUTH_TOKEN")
            .env("ANTHROPIC_BASE_URL", url)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the messages example binary is missing: `cargo build -p anthropic --examples` (`make unit` does it first)");
        let mut pipe = child.stdin.take().unwrap();
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes()).unwrap();
        }
        drop(pipe);
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap()
}

const REQUEST: &str = r#"{"model": "claude-sonnet-4-5", "max_tokens": 64, "messages": [{"role": "user", "content": "Hi"}]}"#;

fn message() -> Value {
    json!({
        "id": "msg_ex", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": "Hello there", "citations": null}],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 3, "output_tokens": 2}
    })
}

#[tokio::test(flavor = "multi_thread")]
async fn prints_the_message_as_one_json_line() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message()))
        .mount(&server)
        .await;
    let out = run(&server, &["-"], Some(REQUEST)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed["id"], "msg_ex");
    assert_eq!(printed["content"][0]["text"], "Hello there");
}

#[tokio::test(flavor = "multi_thread")]
async fn streams_text_to_stderr_and_the_final_message_to_stdout() {
    let server = MockServer::start().await;
    let sse = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_s\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":3,\"output_tokens\":1}}}\n\n",
        "event: ping\ndata: {\"type\":\"ping\"}\n\n",
        "event: content_block_start\n",
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\",\"citations\":null}}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello \"}}\n\n",
        "event: content_block_delta\n",
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"stream\"}}\n\n",
        "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n",
        "event: message_delta\n",
        "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":4}}\n\n",
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n",
    );
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(body_partial_json(json!({"stream": true})))
        .respond_with(ResponseTemplate::new(200).set_body_raw(sse, "text/event-stream"))
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("anthropic-example-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("request.json");
    std::fs::write(&file, REQUEST).unwrap();
    let out = run(
        &server,
        &[
            "--stream",
            "--max-retries",
            "0",
            "--timeout",
            "30",
            file.to_str().unwrap(),
        ],
        None,
    )
    .await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("Hello stream"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 1);
    let printed: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(printed["content"][0]["text"], "Hello stream");
    assert_eq!(printed["stop_reason"], "end_turn");
    assert_eq!(printed["usage"]["output_tokens"], 4);
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test(flavor = "multi_thread")]
async fn failures_exit_1_with_kind_and_message_on_stderr() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(429).set_body_json(
            json!({"type": "error", "error": {"type": "rate_limit_error", "message": "Slow down"}}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    let out = run(&server, &["--max-retries", "0", "-"], Some(REQUEST)).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(out.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("rate_limit: "), "{stderr}");
    assert!(stderr.contains("Slow down"), "{stderr}");
    assert!(!stderr.contains("sk-example"));

    let out = run(&server, &["-"], Some("{\"model\": 5}")).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("invalid_input: "));

    let out = run(&server, &["--timeout"], None).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).starts_with("usage: "));
}
