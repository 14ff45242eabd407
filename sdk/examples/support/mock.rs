//! The examples' stand-in for the API: with `--mock`, an in-process server on 127.0.0.1 answers
//! `POST /v1/messages` with replies computed from each request by the example's script, so
//! the examples run without a network or an API key. Without `--mock` the client is configured
//! from the environment (`ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`).

#![allow(dead_code)]

use anthropic::Client;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// Starts a mock whose replies are `script(request body)`.
pub async fn start(script: fn(&Value) -> Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(move |request: &Request| {
            let body: Value = serde_json::from_slice(&request.body).unwrap_or(Value::Null);
            ResponseTemplate::new(200).set_body_json(script(&body))
        })
        .mount(&server)
        .await;
    server
}

/// A client for the mock server.
pub fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .read_env(false)
        .api_key("sk-ant-mock")
        .base_url(server.uri())
        .build()
        .expect("a valid mock client")
}

/// The client the example uses: the mock's with `--mock`, else one from the environment.
/// The server is returned so that it lives as long as the client is used.
pub async fn client(script: fn(&Value) -> Value) -> (Client, Option<MockServer>) {
    if std::env::args().any(|a| a == "--mock") {
        let server = start(script).await;
        eprintln!("(using the in-process mock at {})", server.uri());
        (client_for(&server), Some(server))
    } else {
        (Client::new(), None)
    }
}

/// A reply of the model.
pub fn reply(stop_reason: &str, content: Value) -> Value {
    json!({
        "id": format!("msg_mock_{}", content.to_string().len()),
        "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": content, "stop_reason": stop_reason, "stop_sequence": null,
        "usage": {"input_tokens": 25, "output_tokens": 12}
    })
}

/// The `tool_result` blocks of the request's last message, as `(tool_use_id, text)`.
pub fn tool_results(body: &Value) -> Vec<(String, String)> {
    let last = body["messages"].as_array().and_then(|m| m.last());
    let Some(Value::Array(blocks)) = last.map(|m| &m["content"]) else {
        return Vec::new();
    };
    blocks
        .iter()
        .filter(|b| b["type"] == "tool_result")
        .map(|b| {
            let text = match &b["content"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            (
                b["tool_use_id"].as_str().unwrap_or_default().to_owned(),
                text,
            )
        })
        .collect()
}

/// How many assistant turns the request already holds.
pub fn assistant_turns(body: &Value) -> usize {
    body["messages"]
        .as_array()
        .map(|m| m.iter().filter(|m| m["role"] == "assistant").count())
        .unwrap_or(0)
}
