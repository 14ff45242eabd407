//! Streaming over HTTP against local servers (127.0.0.1 only): the request the helpers send,
//! retries, errors before and inside the stream, chunked delivery, idle timeouts, and
//! cancellation (dropping or closing the stream closes the connection).

use std::path::Path;
use std::time::Duration;

use anthropic::streaming::MessageStreamEvent;
use anthropic::types::{
    BetaMessageCreateParams, BetaMessageParam, CompletionCreateParams, ContentBlock,
    MessageCreateParams, MessageParam, Model, RawMessageStreamEvent,
};
use anthropic::{Client, Error};
use futures::StreamExt;
use http::{HeaderName, HeaderValue};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn fixture(name: &str) -> Vec<u8> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/streaming");
    std::fs::read(dir.join(format!("{name}.sse"))).unwrap()
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .read_env(false)
        .api_key("sk-ant-test")
        .base_url(base_url)
        .build()
        .unwrap()
}

fn params() -> MessageCreateParams {
    MessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        vec![MessageParam::user("Hello")],
        1024,
    )
}

fn sse(body: Vec<u8>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .insert_header("request-id", "req_stream_1")
        .set_body_raw(body, "text/event-stream")
}

async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 1);
    requests.remove(0)
}

fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn messages_stream_sends_stream_true_and_the_helper_header() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(sse(fixture("text")))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let mut stream = client.messages().stream(params()).await.unwrap();
    assert_eq!(stream.request_id(), Some("req_stream_1"));
    let mut text = String::new();
    while let Some(piece) = stream.next_text().await.unwrap() {
        text.push_str(&piece);
    }
    assert_eq!(text, "Hello, world!");
    let message = stream.final_message().await.unwrap();
    assert_eq!(message.text(), "Hello, world!");
    assert_eq!(message.usage.output_tokens, 12);

    let request = only_request(&server).await;
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["stream"], json!(true));
    assert_eq!(body["max_tokens"], json!(1024));
    assert_eq!(
        header(&request, "x-stainless-stream-helper"),
        Some("messages")
    );
}

#[tokio::test]
async fn beta_stream_uses_the_beta_path_betas_and_per_call_options() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .and(query_param("beta", "true"))
        .respond_with(sse(fixture("beta_compaction_mcp")))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        vec![BetaMessageParam::user("Hi")],
        512,
    );
    let message = client
        .beta()
        .messages()
        .stream(params)
        .betas(["fine-grained-tool-streaming-2025-05-14"])
        .header(
            HeaderName::from_static("x-trace"),
            HeaderValue::from_static("t-1"),
        )
        .max_retries(0)
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    assert_eq!(message.text(), "Found one repository.");
    assert_eq!(
        message.context_management.unwrap().applied_edits.len(),
        1,
        "context_management from message_delta"
    );
    assert_eq!(message.usage.iterations.map(|i| i.len()), Some(2));

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "x-stainless-stream-helper"),
        Some("beta.messages")
    );
    assert_eq!(
        header(&request, "anthropic-beta"),
        Some("fine-grained-tool-streaming-2025-05-14")
    );
    assert_eq!(header(&request, "x-trace"), Some("t-1"));
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["stream"], json!(true));
}

#[tokio::test]
async fn create_stream_yields_raw_events_without_pings() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(sse(fixture("text")))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let events: Vec<RawMessageStreamEvent> = client
        .messages()
        .create_stream(params())
        .await
        .unwrap()
        .map(Result::unwrap)
        .collect()
        .await;
    let tags: Vec<&str> = events.iter().filter_map(|e| e.tag()).collect();
    assert_eq!(
        tags,
        [
            "message_start",
            "content_block_start",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_delta",
            "content_block_stop",
            "message_delta",
            "message_stop"
        ]
    );
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-stainless-stream-helper"), None);
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["stream"], json!(true));
}

#[tokio::test]
async fn completions_create_stream_decodes_completion_events() {
    let body = concat!(
        "event: completion\n",
        "data: {\"type\":\"completion\",\"id\":\"compl_1\",\"completion\":\" Hello\",",
        "\"stop_reason\":null,\"model\":\"claude-2.1\"}\n\n",
        "event: ping\ndata: {\"type\": \"ping\"}\n\n",
        "event: completion\n",
        "data: {\"type\":\"completion\",\"id\":\"compl_1\",\"completion\":\"!\",",
        "\"stop_reason\":\"stop_sequence\",\"model\":\"claude-2.1\"}\n\n",
        "event: some_future_event\ndata: {\"type\": \"x\"}\n\n",
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/complete"))
        .respond_with(sse(body.as_bytes().to_vec()))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let params = CompletionCreateParams::new("claude-2.1", "\n\nHuman: Hi\n\nAssistant:", 20);
    let pieces: Vec<String> = client
        .completions()
        .create_stream(params)
        .await
        .unwrap()
        .map(|c| c.unwrap().completion)
        .collect()
        .await;
    assert_eq!(pieces, [" Hello", "!"]);
    let request = only_request(&server).await;
    let body: Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["stream"], json!(true));
}

#[tokio::test]
async fn the_initial_request_is_retried() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(
            ResponseTemplate::new(529)
                .insert_header("retry-after-ms", "1")
                .set_body_json(json!({"type": "error", "error": {"type": "overloaded_error", "message": "busy"}})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(sse(fixture("tool_use")))
        .mount(&server)
        .await;
    let client = client(&server.uri());
    let message = client
        .messages()
        .stream(params())
        .await
        .unwrap()
        .final_message()
        .await
        .unwrap();
    assert_eq!(message.tool_uses().count(), 1);
    assert_eq!(server.received_requests().await.unwrap().len(), 2);
}

#[tokio::test]
async fn an_error_status_fails_before_streaming() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(400).set_body_json(
            json!({"type": "error", "error": {"type": "invalid_request_error", "message": "bad"}}),
        ))
        .mount(&server)
        .await;
    let err = client(&server.uri())
        .messages()
        .stream(params())
        .await
        .unwrap_err();
    assert!(matches!(err, Error::BadRequest(_)), "{err:?}");
}

#[tokio::test]
async fn an_error_event_is_a_typed_error_with_the_request_id() {
    let body = concat!(
        "event: message_start\n",
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",",
        "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],",
        "\"stop_reason\":null,\"stop_sequence\":null,\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}}\n\n",
        "event: error\n",
        "data: {\"type\":\"error\",\"error\":{\"type\":\"rate_limit_error\",\"message\":\"slow down\"}}\n\n",
    );
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(sse(body.as_bytes().to_vec()))
        .mount(&server)
        .await;
    let mut stream = client(&server.uri())
        .messages()
        .stream(params())
        .await
        .unwrap();
    let err = stream.next_text().await.unwrap_err();
    assert!(err.is_rate_limit(), "{err:?}");
    assert_eq!(err.request_id(), Some("req_stream_1"));
    assert_eq!(err.api_error().unwrap().error_message(), Some("slow down"));
    assert_eq!(err.status(), None);
    // The snapshot is still there, and the stream is over.
    assert_eq!(stream.current_snapshot().unwrap().id, "msg_1");
    assert!(stream.next().await.is_none());
    let err = stream.final_message().await.unwrap_err();
    assert_eq!(err.kind_name(), "incomplete_stream");
}

// ---------- raw TCP servers: chunked delivery, timeouts, cancellation ----------

const HEADERS: &str = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\
request-id: req_tcp\r\nconnection: close\r\n\r\n";

/// Accepts one connection, reads the request head and body, and hands the socket to `serve`.
async fn one_shot_server<F, Fut>(serve: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        read_request(&mut socket).await;
        serve(socket).await;
    });
    format!("http://{addr}")
}

async fn read_request(socket: &mut TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        let n = socket.read(&mut chunk).await.unwrap();
        assert!(n > 0, "client closed before sending the request");
        buf.extend_from_slice(&chunk[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .map(|v| v.trim().parse().unwrap())
                .unwrap_or(0);
            while buf.len() < end + 4 + length {
                let n = socket.read(&mut chunk).await.unwrap();
                buf.extend_from_slice(&chunk[..n]);
            }
            return;
        }
    }
}

#[tokio::test]
async fn a_body_arriving_in_tiny_pieces_accumulates_the_same() {
    let body = fixture("tool_use");
    let expected = {
        let stream = anthropic::streaming::MessageStream::<anthropic::types::Message>::from_body(
            futures::stream::iter([Ok(bytes::Bytes::from(body.clone()))]),
        );
        stream.final_message().await.unwrap()
    };
    let uri = one_shot_server(move |mut socket| async move {
        socket.write_all(HEADERS.as_bytes()).await.unwrap();
        for (i, piece) in body.chunks(7).enumerate() {
            socket.write_all(piece).await.unwrap();
            socket.flush().await.unwrap();
            if i % 50 == 0 {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        }
    })
    .await;
    let stream = client(&uri).messages().stream(params()).await.unwrap();
    assert_eq!(stream.request_id(), Some("req_tcp"));
    let message = stream.final_message().await.unwrap();
    assert_eq!(message, expected);
    let ContentBlock::ToolUse(tool) = &message.content[1] else {
        panic!("{message:?}")
    };
    assert_eq!(tool.input["location"], "São Paulo, \"SP\"");
}

#[tokio::test]
async fn a_connection_closed_early_is_an_incomplete_stream_with_the_partial_message() {
    let body = fixture("truncated");
    let uri = one_shot_server(move |mut socket| async move {
        socket.write_all(HEADERS.as_bytes()).await.unwrap();
        socket.write_all(&body).await.unwrap();
    })
    .await;
    let stream = client(&uri).messages().stream(params()).await.unwrap();
    let err = stream.final_message().await.unwrap_err();
    let Error::IncompleteStream(incomplete) = &err else {
        panic!("{err:?}")
    };
    assert!(err.is_retryable());
    let partial: anthropic::types::Message = incomplete.partial_as().unwrap();
    let ContentBlock::ToolUse(tool) = &partial.content[1] else {
        panic!("{partial:?}")
    };
    assert_eq!(tool.input["query"], "rust streaming");
}

/// A server that sends the first events of a text stream, then a ping every 10 ms until
/// writing fails; it reports (through the channel) when the client has gone away.
async fn pinging_server() -> (String, oneshot::Receiver<()>) {
    let (closed_tx, closed_rx) = oneshot::channel();
    let head = fixture("text");
    let uri = one_shot_server(move |mut socket| async move {
        // Everything up to the second text delta.
        let text = String::from_utf8(head).unwrap();
        let cut = text.match_indices("content_block_delta").nth(3).unwrap().0;
        let first = &text[..text[..cut].rfind("event:").unwrap()];
        socket.write_all(HEADERS.as_bytes()).await.unwrap();
        socket.write_all(first.as_bytes()).await.unwrap();
        loop {
            tokio::time::sleep(Duration::from_millis(10)).await;
            let ping = b"event: ping\ndata: {\"type\": \"ping\"}\n\n";
            if socket.write_all(ping).await.is_err() || socket.flush().await.is_err() {
                let _ = closed_tx.send(());
                return;
            }
        }
    })
    .await;
    (uri, closed_rx)
}

#[tokio::test]
async fn dropping_the_stream_closes_the_connection() {
    let (uri, mut closed) = pinging_server().await;
    let client = client(&uri);
    let mut stream = client.messages().stream(params()).await.unwrap();
    assert_eq!(stream.next_text().await.unwrap().as_deref(), Some("Hello"));
    // While the stream is alive (and not read), the connection stays open.
    let early = tokio::time::timeout(Duration::from_millis(150), &mut closed).await;
    assert!(early.is_err(), "closed too early");
    drop(stream);
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("the server noticed the closed connection")
        .unwrap();
}

#[tokio::test]
async fn close_closes_the_connection_and_keeps_the_snapshot() {
    let (uri, closed) = pinging_server().await;
    let client = client(&uri);
    let mut stream = client.messages().stream(params()).await.unwrap();
    let first = stream.next().await.unwrap().unwrap();
    assert!(matches!(first, MessageStreamEvent::Raw(_)));
    assert_eq!(stream.next_text().await.unwrap().as_deref(), Some("Hello"));
    stream.close();
    tokio::time::timeout(Duration::from_secs(5), closed)
        .await
        .expect("the server noticed the closed connection")
        .unwrap();
    assert!(stream.next().await.is_none());
    assert_eq!(stream.current_snapshot().unwrap().text(), "Hello");
}

#[tokio::test]
async fn an_idle_stream_times_out() {
    let uri = one_shot_server(|mut socket| async move {
        let text = String::from_utf8(fixture("text")).unwrap();
        let first_delta = text.find("event: content_block_delta").unwrap();
        socket.write_all(HEADERS.as_bytes()).await.unwrap();
        socket
            .write_all(&text.as_bytes()[..first_delta])
            .await
            .unwrap();
        tokio::time::sleep(Duration::from_secs(30)).await;
    })
    .await;
    let mut stream = client(&uri)
        .messages()
        .stream(params())
        .timeout(Duration::from_millis(1000))
        .await
        .unwrap();
    let err = stream.next_text().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(stream.current_snapshot().unwrap().content.len(), 1);
}
