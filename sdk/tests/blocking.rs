//! The blocking client: same calls, resolved with `.send()`, lists and JSONL as iterators.
#![cfg(feature = "blocking")]

use anthropic::blocking::Client;
use anthropic::types::*;
use serde_json::json;
use wiremock::matchers::{method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A mock server running on its own runtime, so the test thread is outside any runtime.
fn server() -> (tokio::runtime::Runtime, MockServer) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let server = rt.block_on(MockServer::start());
    (rt, server)
}

fn client(server: &MockServer) -> Client {
    Client::build(
        Client::builder()
            .api_key("sk-blocking")
            .base_url(server.uri())
            .max_retries(0),
    )
    .unwrap()
}

fn message(text: &str) -> serde_json::Value {
    json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": text, "citations": null}],
        "stop_reason": "end_turn", "stop_sequence": null, "usage": {"input_tokens": 1, "output_tokens": 1}
    })
}

#[test]
fn create_list_download_results_and_errors() {
    let (rt, server) = server();
    rt.block_on(async {
        Mock::given(method("POST")).and(path("/v1/messages"))
            .respond_with(ResponseTemplate::new(200).insert_header("request-id", "req_b").set_body_json(message("sync hi")))
            .mount(&server).await;
        let model = |id: &str| json!({"type": "model", "id": id, "display_name": id, "created_at": "2025-01-01T00:00:00Z"});
        Mock::given(path("/v1/models")).and(query_param_is_missing("after_id"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [model("a")], "has_more": true, "first_id": "a", "last_id": "a"})))
            .mount(&server).await;
        Mock::given(path("/v1/models")).and(query_param("after_id", "a"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": [model("b")], "has_more": false, "first_id": "b", "last_id": "b"})))
            .mount(&server).await;
        Mock::given(path("/v1/files/f1/content"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(vec![7u8; 4096], "application/octet-stream"))
            .mount(&server).await;
        Mock::given(path("/v1/messages/batches/b1/results"))
            .respond_with(ResponseTemplate::new(200).set_body_raw("{\"custom_id\":\"x\",\"result\":{\"type\":\"expired\"}}\n\n{\"custom_id\":\"y\",\"result\":{\"type\":\"canceled\"}}\n", "application/x-jsonl"))
            .mount(&server).await;
        Mock::given(path("/v1/models/missing"))
            .respond_with(ResponseTemplate::new(404).set_body_json(json!({"type": "error", "error": {"type": "not_found_error", "message": "no such model"}})))
            .mount(&server).await;
    });
    let c = client(&server);

    let params = MessageCreateParams::new(Model::CLAUDE_SONNET_4_5, [MessageParam::user("hi")], 16);
    assert_eq!(
        c.messages().create(params.clone()).send().unwrap().text(),
        "sync hi"
    );
    let raw = c
        .messages()
        .create(params)
        .timeout(std::time::Duration::from_secs(5))
        .send_with_raw_response()
        .unwrap();
    assert_eq!(raw.request_id(), Some("req_b"));

    let ids: Vec<String> = c
        .models()
        .list(Default::default())
        .iter()
        .map(|m| m.unwrap().id)
        .collect();
    assert_eq!(ids, ["a", "b"]);
    let first = c.models().list(Default::default()).send().unwrap();
    assert!(first.has_more);

    let mut out = Vec::new();
    let n = c
        .beta()
        .files()
        .download("f1")
        .send()
        .unwrap()
        .write_to(&mut out)
        .unwrap();
    assert_eq!((n, out.len()), (4096, 4096));

    let results: Vec<_> = c
        .messages()
        .batches()
        .results("b1")
        .send()
        .unwrap()
        .map(|r| r.unwrap().custom_id)
        .collect();
    assert_eq!(results, ["x", "y"]);

    let err = c.models().retrieve("missing").send().unwrap_err();
    assert!(matches!(err, anthropic::Error::NotFound(_)), "{err:?}");
    assert!(!format!("{c:?}").contains("sk-blocking"));
}

#[test]
fn refuses_to_block_inside_an_async_runtime() {
    let (rt, server) = server();
    let c = client(&server);
    let err = rt.block_on(async { c.models().retrieve("x").send().unwrap_err() });
    assert!(err.to_string().contains("inside an async runtime"), "{err}");
}

#[test]
fn the_tool_runner_iterates_replies() {
    use anthropic::tools::{FnTool, ToolError};
    use wiremock::{Request, Respond};

    struct Script;
    impl Respond for Script {
        fn respond(&self, request: &Request) -> ResponseTemplate {
            let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
            let mut reply = message("done");
            if body["messages"].as_array().unwrap().len() == 1 {
                reply["content"] = json!([{"type": "tool_use", "id": "toolu_1", "name": "double", "input": {"n": 21}}]);
                reply["stop_reason"] = json!("tool_use");
            } else {
                assert_eq!(body["messages"][2]["content"][0]["content"], "42");
            }
            ResponseTemplate::new(200).set_body_json(reply)
        }
    }
    let (rt, server) = server();
    rt.block_on(
        Mock::given(method("POST"))
            .and(path("/v1/messages"))
            .respond_with(Script)
            .mount(&server),
    );
    let c = client(&server);
    let schema = json!({"type": "object", "properties": {"n": {"type": "integer"}}})
        .as_object()
        .cloned()
        .unwrap();
    let double = FnTool::with_schema("double", None, schema, |v: serde_json::Value| async move {
        Ok::<_, ToolError>((v["n"].as_i64().unwrap_or(0) * 2).to_string())
    });
    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user("double 21")],
        64,
    );
    let mut runner = c.beta().messages().tool_runner(params, [double]);
    let stops: Vec<_> = (&mut runner).map(|m| m.unwrap().stop_reason).collect();
    assert_eq!(stops.len(), 2);
    assert_eq!(rt.block_on(server.received_requests()).unwrap().len(), 2);
}

#[test]
fn message_streams_are_iterators() {
    let events = [
        json!({"type": "message_start", "message": {"id": "msg_s", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 2, "output_tokens": 1}}}),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "Hel"}}),
        json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "lo"}}),
        json!({"type": "content_block_stop", "index": 0}),
        json!({"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": null}, "usage": {"output_tokens": 3}}),
        json!({"type": "message_stop"}),
    ];
    let sse: String = events
        .iter()
        .map(|e| format!("event: {}\ndata: {e}\n\n", e["type"].as_str().unwrap()))
        .collect();
    let (rt, server) = server();
    rt.block_on(
        Mock::given(method("POST"))
            .and(path("/v1/messages"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(sse, "text/event-stream"))
            .mount(&server),
    );
    let c = client(&server);
    let params = MessageCreateParams::new(Model::CLAUDE_SONNET_4_5, [MessageParam::user("hi")], 16);

    let mut stream = c.messages().stream(params.clone()).send().unwrap();
    let mut text = String::new();
    while let Some(piece) = stream.next_text().unwrap() {
        text.push_str(&piece);
    }
    assert_eq!(text, "Hello");
    let message = stream.final_message().unwrap();
    assert_eq!(message.text(), "Hello");
    assert_eq!(message.usage.output_tokens, 3);

    let all: Vec<_> = c
        .messages()
        .stream(params.clone())
        .send()
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    assert!(all.len() >= events.len(), "every raw event, plus helpers");

    let raw: Vec<RawMessageStreamEvent> = c
        .messages()
        .create_stream(params)
        .send()
        .unwrap()
        .map(|e| e.unwrap())
        .collect();
    assert_eq!(raw.len(), events.len());
}
