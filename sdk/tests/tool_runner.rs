//! The tool runner and structured outputs against an in-process mock (127.0.0.1 only) that
//! plays scripted replies and records every request.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use anthropic::tools::{self, DynTool, FnTool, Tool, ToolError, ToolOutput};
use anthropic::types::*;
use anthropic::{Client, Error};
use futures::StreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

/// Replies with the scripted bodies in order (a 500 when the script runs out).
struct Script(Mutex<VecDeque<Value>>);

impl Respond for Script {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        match self.0.lock().unwrap().pop_front() {
            Some(body) => ResponseTemplate::new(200).set_body_json(body),
            None => ResponseTemplate::new(500)
                .insert_header("x-should-retry", "false")
                .set_body_json(json!({"type": "error", "error": {"type": "api_error", "message": "script exhausted"}})),
        }
    }
}

async fn mock(replies: Vec<Value>) -> (MockServer, Client) {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(Script(Mutex::new(replies.into())))
        .mount(&server)
        .await;
    let client = Client::builder()
        .read_env(false)
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();
    (server, client)
}

async fn bodies(server: &MockServer) -> Vec<Value> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .iter()
        .map(|r| serde_json::from_slice(&r.body).unwrap())
        .collect()
}

fn reply(id: &str, stop_reason: &str, content: Value) -> Value {
    json!({
        "id": id, "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": content, "stop_reason": stop_reason, "stop_sequence": null,
        "usage": {"input_tokens": 10, "output_tokens": 5}
    })
}

fn tool_use(id: &str, name: &str, input: Value) -> Value {
    json!({"type": "tool_use", "id": id, "name": name, "input": input})
}

fn text(t: &str) -> Value {
    json!({"type": "text", "text": t, "citations": null})
}

/// The value with its keys sorted (`serde_json/preserve_order` may be on in workspace builds).
#[cfg_attr(not(feature = "schemars"), allow(dead_code))]
fn sorted(value: &Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            Value::Object(
                keys.into_iter()
                    .map(|k| (k.clone(), sorted(&map[k])))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(sorted).collect()),
        other => other.clone(),
    }
}

fn beta_params(prompt: &str) -> BetaMessageCreateParams {
    BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user(prompt)],
        1024,
    )
}

/// A tool that answers `<name>:<input.x>` after `delay`.
fn echo(name: &'static str, delay: Duration) -> DynTool {
    let schema = json!({"type": "object", "properties": {"x": {"type": "string"}}});
    FnTool::with_schema(
        name,
        Some(format!("Echoes x ({name}).")),
        schema.as_object().cloned().unwrap(),
        move |input: Value| async move {
            tokio::time::sleep(delay).await;
            Ok::<_, ToolError>(format!("{name}:{}", input["x"].as_str().unwrap_or("?")))
        },
    )
    .into()
}

#[tokio::test]
async fn runs_tools_until_a_reply_without_tool_calls() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                text("Let me check both."),
                tool_use("tu_a", "alpha", json!({"x": "1"})),
                {"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"query": "q"}},
                {"type": "web_search_tool_result", "tool_use_id": "srv_1", "content": []},
                tool_use("tu_b", "beta", json!({"x": "2"})),
                tool_use("tu_c", "missing", json!({})),
            ]),
        ),
        reply("msg_2", "tool_use", json!([tool_use("tu_d", "alpha", json!({"x": "3"}))])),
        reply("msg_3", "end_turn", json!([text("Done.")])),
    ])
    .await;
    let params = beta_params("Go").tools([tools::builtin::web_search()]);
    let runner = client.beta().messages().tool_runner(
        params,
        [echo("alpha", Duration::ZERO), echo("beta", Duration::ZERO)],
    );
    let messages: Vec<BetaMessage> = runner.map(|m| m.unwrap()).collect().await;
    let ids: Vec<&str> = messages.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["msg_1", "msg_2", "msg_3"]);

    let requests = bodies(&server).await;
    assert_eq!(requests.len(), 3);
    // Every request carries the server tool and the runner's tools, once.
    for body in &requests {
        let names: Vec<&str> = body["tools"]
            .as_array()
            .unwrap()
            .iter()
            .map(|t| t["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["web_search", "alpha", "beta"]);
    }
    assert_eq!(
        requests[0]["messages"],
        json!([{"role": "user", "content": "Go"}])
    );
    // Second request: the assistant turn as sent, then one user turn with the results of the
    // client tool calls only, in Claude's order.
    let history = requests[1]["messages"].as_array().unwrap();
    assert_eq!(history.len(), 3);
    assert_eq!(history[1]["role"], "assistant");
    assert_eq!(history[1]["content"].as_array().unwrap().len(), 6);
    assert_eq!(history[1]["content"][2]["type"], "server_tool_use");
    assert_eq!(
        history[2],
        json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "tu_a", "content": "alpha:1"},
            {"type": "tool_result", "tool_use_id": "tu_b", "content": "beta:2"},
            {"type": "tool_result", "tool_use_id": "tu_c", "content": "Error: Tool 'missing' not found", "is_error": true}
        ]})
    );
    let history = requests[2]["messages"].as_array().unwrap();
    assert_eq!(history.len(), 5);
    assert_eq!(
        history[4],
        json!({"role": "user", "content": [
            {"type": "tool_result", "tool_use_id": "tu_d", "content": "alpha:3"}
        ]})
    );
    let request = &server.received_requests().await.unwrap()[0];
    assert_eq!(request.headers["x-stainless-helper"], "BetaToolRunner");
}

#[tokio::test]
async fn tool_errors_panics_and_bad_inputs_become_error_results() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                tool_use("tu_1", "fails", json!({})),
                tool_use("tu_2", "panics", json!({})),
                tool_use("tu_3", "typed", json!({"n": "not a number"})),
                tool_use("tu_4", "typed", json!({"n": 41})),
            ]),
        ),
        reply("msg_2", "end_turn", json!([text("ok")])),
    ])
    .await;
    let schema = json!({"type": "object"}).as_object().cloned().unwrap();
    let fails = FnTool::with_schema("fails", None, schema.clone(), |_: Value| async {
        Err::<String, _>(std::io::Error::other("the disk is full"))
    });
    let panics = FnTool::with_schema("panics", None, schema.clone(), |_: Value| async {
        if true {
            panic!("boom");
        }
        "never".to_owned()
    });
    #[derive(serde::Deserialize)]
    struct Typed {
        n: i64,
    }
    let typed = FnTool::with_schema("typed", None, schema, |t: Typed| async move {
        Ok::<_, ToolError>((t.n + 1).to_string())
    });
    let tools: Vec<DynTool> = vec![fails.into(), panics.into(), typed.into()];
    let last = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), tools)
        .until_done()
        .await
        .unwrap();
    assert_eq!(last.text(), "ok");
    let requests = bodies(&server).await;
    assert_eq!(
        requests[1]["messages"][2]["content"],
        json!([
            {"type": "tool_result", "tool_use_id": "tu_1", "content": "the disk is full", "is_error": true},
            {"type": "tool_result", "tool_use_id": "tu_2", "content": "Error: the tool panicked: boom", "is_error": true},
            {"type": "tool_result", "tool_use_id": "tu_3", "content": "invalid input at `n`: invalid type: string \"not a number\", expected i64", "is_error": true},
            {"type": "tool_result", "tool_use_id": "tu_4", "content": "42"}
        ])
    );
}

/// Two tools that each wait for the other: they can only finish if they run concurrently.
#[tokio::test]
async fn tools_of_one_turn_run_concurrently_and_keep_their_order() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                tool_use("tu_slow", "left", json!({})),
                tool_use("tu_fast", "right", json!({})),
            ]),
        ),
        reply("msg_2", "end_turn", json!([text("both done")])),
    ])
    .await;
    let barrier = Arc::new(tokio::sync::Barrier::new(2));
    let schema = json!({"type": "object"}).as_object().cloned().unwrap();
    let make = |name: &'static str, after: Duration| {
        let barrier = barrier.clone();
        DynTool::new(FnTool::with_schema(
            name,
            None,
            schema.clone(),
            move |_: Value| {
                let barrier = barrier.clone();
                async move {
                    barrier.wait().await;
                    tokio::time::sleep(after).await;
                    Ok::<_, ToolError>(name.to_owned())
                }
            },
        ))
    };
    // `left` finishes last: its result must still come first.
    let tools = [
        make("left", Duration::from_millis(50)),
        make("right", Duration::ZERO),
    ];
    let run = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), tools)
        .until_done();
    let last = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the tools did not run concurrently (deadlock at the barrier)")
        .unwrap();
    assert_eq!(last.text(), "both done");
    let requests = bodies(&server).await;
    let ids: Vec<&str> = requests[1]["messages"][2]["content"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["tool_use_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["tu_slow", "tu_fast"]);
}

/// With a concurrency limit of one, the same two tools would deadlock: the limit is honoured.
#[tokio::test]
async fn concurrency_is_bounded() {
    let (_server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                tool_use("a", "slow", json!({"x": "1"})),
                tool_use("b", "slow", json!({"x": "2"}))
            ]),
        ),
        reply("msg_2", "end_turn", json!([text("done")])),
    ])
    .await;
    let in_flight = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let max_seen = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let (f, m) = (in_flight.clone(), max_seen.clone());
    let schema = json!({"type": "object"}).as_object().cloned().unwrap();
    let slow = FnTool::with_schema("slow", None, schema, move |_: Value| {
        let (f, m) = (f.clone(), m.clone());
        async move {
            let now = f.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
            m.fetch_max(now, std::sync::atomic::Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(20)).await;
            f.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
            Ok::<_, ToolError>("ok".to_owned())
        }
    });
    client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [slow])
        .max_concurrency(1)
        .until_done()
        .await
        .unwrap();
    assert_eq!(max_seen.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn max_iterations_stops_the_loop() {
    let looping = |id: &str| {
        reply(
            id,
            "tool_use",
            json!([tool_use(
                &format!("tu_{id}"),
                "alpha",
                json!({"x": "again"})
            )]),
        )
    };
    let (server, client) = mock(vec![looping("1"), looping("2"), looping("3"), looping("4")]).await;
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [echo("alpha", Duration::ZERO)])
        .max_iterations(2);
    let mut seen = Vec::new();
    while let Some(message) = runner.next().await {
        seen.push(message.unwrap().id);
    }
    assert_eq!(seen, ["1", "2"]);
    assert_eq!(runner.iterations(), 2);
    assert_eq!(runner.last_message().unwrap().id, "2");
    assert_eq!(bodies(&server).await.len(), 2);
    // Zero iterations: nothing is sent and until_done says so.
    let err = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [echo("alpha", Duration::ZERO)])
        .max_iterations(0)
        .until_done()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("max_iterations"), "{err}");
}

#[tokio::test]
async fn callers_can_edit_the_conversation_between_turns() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                tool_use("tu_1", "alpha", json!({"x": "1"})),
                tool_use("tu_2", "delete_all", json!({}))
            ]),
        ),
        reply("msg_2", "end_turn", json!([text("first answer")])),
        reply("msg_3", "end_turn", json!([text("follow-up answer")])),
    ])
    .await;
    let schema = json!({"type": "object"}).as_object().cloned().unwrap();
    let ran_delete = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = ran_delete.clone();
    let delete_all = FnTool::with_schema("delete_all", None, schema, move |_: Value| {
        flag.store(true, std::sync::atomic::Ordering::SeqCst);
        async { Ok::<_, ToolError>("deleted".to_owned()) }
    });
    let tools: Vec<DynTool> = vec![echo("alpha", Duration::ZERO), delete_all.into()];
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), tools);

    // Turn 1: refuse `delete_all`, run `alpha` ourselves, and change the system prompt.
    let first = runner.next().await.unwrap().unwrap();
    let calls: Vec<_> = first.tool_uses().map(|t| t.id.clone()).collect();
    assert_eq!(calls, ["tu_1", "tu_2"]);
    runner.set_tool_response(BetaMessageParam::user(vec![
        BetaContentBlockParam::from(BetaToolResultBlockParam::new("tu_1").content("manual")),
        BetaContentBlockParam::from(
            BetaToolResultBlockParam::new("tu_2")
                .content("refused by the user")
                .is_error(true),
        ),
    ]));
    runner.params_mut().system = Some("Be brief.".into());

    // Turn 2 ends the conversation, unless we append a follow-up question.
    let second = runner.next().await.unwrap().unwrap();
    assert_eq!(second.text(), "first answer");
    assert!(runner.tool_response().await.is_none());
    runner.append_messages([BetaMessageParam::user("And tomorrow?")]);
    let third = runner.next().await.unwrap().unwrap();
    assert_eq!(third.text(), "follow-up answer");
    assert!(runner.next().await.is_none());
    assert!(!ran_delete.load(std::sync::atomic::Ordering::SeqCst));

    let requests = bodies(&server).await;
    assert_eq!(requests[1]["system"], "Be brief.");
    assert_eq!(
        requests[1]["messages"][2]["content"],
        json!([
            {"type": "tool_result", "tool_use_id": "tu_1", "content": "manual"},
            {"type": "tool_result", "tool_use_id": "tu_2", "content": "refused by the user", "is_error": true}
        ])
    );
    let history = requests[2]["messages"].as_array().unwrap();
    assert_eq!(history.len(), 5);
    assert_eq!(history[3]["content"][0]["text"], "first answer");
    assert_eq!(
        history[4],
        json!({"role": "user", "content": "And tomorrow?"})
    );
}

#[tokio::test]
async fn tool_response_runs_the_tools_once_and_is_reused() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([tool_use("tu_1", "counted", json!({}))]),
        ),
        reply("msg_2", "end_turn", json!([text("done")])),
    ])
    .await;
    let count = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let c = count.clone();
    let schema = json!({"type": "object"}).as_object().cloned().unwrap();
    let counted = FnTool::with_schema("counted", None, schema, move |_: Value| {
        let n = c.fetch_add(1, std::sync::atomic::Ordering::SeqCst) + 1;
        async move { Ok::<_, ToolError>(format!("call {n}")) }
    });
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [counted]);
    // Nothing is pending yet: this is ignored.
    runner.set_tool_response(BetaMessageParam::user("stale"));
    runner.next().await.unwrap().unwrap();
    let response = runner.tool_response().await.unwrap();
    assert_eq!(
        serde_json::to_value(&response).unwrap()["content"][0]["content"],
        "call 1"
    );
    assert_eq!(runner.tool_response().await.unwrap(), response);
    while runner.next().await.is_some() {}
    assert_eq!(count.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert_eq!(
        bodies(&server).await[1]["messages"][2]["content"][0]["content"],
        "call 1"
    );
}

#[tokio::test]
async fn pause_turn_is_sent_back_and_containers_are_reused() {
    let mut paused = reply(
        "msg_1",
        "pause_turn",
        json!([{"type": "server_tool_use", "id": "srv_1", "name": "web_search", "input": {"query": "x"}}]),
    );
    paused["container"] = json!({"id": "container_1", "expires_at": "2026-01-01T00:00:00Z"});
    let (server, client) = mock(vec![
        paused,
        reply("msg_2", "end_turn", json!([text("found it")])),
    ])
    .await;
    let last = client
        .beta()
        .messages()
        .tool_runner(beta_params("Search"), Vec::<DynTool>::new())
        .until_done()
        .await
        .unwrap();
    assert_eq!(last.text(), "found it");
    let requests = bodies(&server).await;
    let history = requests[1]["messages"].as_array().unwrap();
    assert_eq!(
        history.len(),
        2,
        "the paused turn is sent back alone: {history:?}"
    );
    assert_eq!(history[1]["content"][0]["type"], "server_tool_use");
    assert_eq!(requests[1]["container"], "container_1");
}

#[tokio::test]
async fn other_stop_reasons_end_the_run_without_running_tools() {
    let (server, client) = mock(vec![reply(
        "msg_1",
        "max_tokens",
        json!([tool_use("tu_1", "alpha", json!({"x": "cut"}))]),
    )])
    .await;
    let last = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [echo("alpha", Duration::ZERO)])
        .until_done()
        .await
        .unwrap();
    assert_eq!(last.stop_reason, Some(BetaStopReason::MaxTokens));
    assert_eq!(bodies(&server).await.len(), 1);
}

#[tokio::test]
async fn api_errors_end_the_stream_and_duplicate_tools_are_refused() {
    let (_server, client) = mock(vec![]).await;
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [echo("alpha", Duration::ZERO)]);
    let err = runner.next().await.unwrap().unwrap_err();
    assert!(matches!(err, Error::InternalServer(_)), "{err:?}");
    assert!(runner.next().await.is_none());

    let err = client
        .beta()
        .messages()
        .tool_runner(
            beta_params("Go"),
            [echo("alpha", Duration::ZERO), echo("alpha", Duration::ZERO)],
        )
        .until_done()
        .await
        .unwrap_err();
    assert!(err.to_string().contains("two tools"), "{err}");
}

#[tokio::test]
async fn the_messages_api_runner_uses_the_non_beta_types() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([tool_use("tu_1", "alpha", json!({"x": "1"}))]),
        ),
        reply("msg_2", "end_turn", json!([text("fine")])),
    ])
    .await;
    let params =
        MessageCreateParams::new(Model::CLAUDE_SONNET_4_5, [MessageParam::user("Go")], 1024);
    let last: Message = client
        .messages()
        .tool_runner(params, [echo("alpha", Duration::ZERO)])
        .until_done()
        .await
        .unwrap();
    assert_eq!(last.text(), "fine");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].url.query(),
        None,
        "the non-beta endpoint has no ?beta=true"
    );
    assert_eq!(requests[0].headers["x-stainless-helper"], "ToolRunner");
    let body: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(body["tools"][0]["name"], "alpha");
    assert_eq!(
        body["messages"][2],
        json!({"role": "user", "content": [{"type": "tool_result", "tool_use_id": "tu_1", "content": "alpha:1"}]})
    );
}

#[tokio::test]
async fn memory_commands_of_one_turn_run_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let memory = tools::FsMemory::new(dir.path()).unwrap();
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                tool_use("m1", "memory", json!({"command": "create", "path": "/memories/a.md", "file_text": "one\n"})),
                tool_use("m2", "memory", json!({"command": "str_replace", "path": "/memories/a.md", "old_str": "one", "new_str": "two"})),
                tool_use("m3", "memory", json!({"command": "view", "path": "/memories/../etc"})),
            ]),
        ),
        reply("msg_2", "end_turn", json!([text("noted")])),
    ])
    .await;
    client
        .beta()
        .messages()
        .tool_runner(beta_params("Remember"), [memory])
        .until_done()
        .await
        .unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.path().join("a.md")).unwrap(),
        "two\n"
    );
    let requests = bodies(&server).await;
    assert_eq!(
        requests[0]["tools"],
        json!([{"type": "memory_20250818", "name": "memory"}])
    );
    let results = requests[1]["messages"][2]["content"].as_array().unwrap();
    assert_eq!(
        results[0]["content"],
        "File created successfully at: /memories/a.md"
    );
    assert!(results[1].get("is_error").is_none(), "{results:?}");
    assert_eq!(results[2]["is_error"], true);
}

#[cfg(feature = "schemars")]
mod structured_outputs {
    use super::*;
    use serde_json::Map;

    /// A typed structured output.
    #[derive(Debug, PartialEq, serde::Deserialize, schemars::JsonSchema)]
    struct Order {
        /// What was ordered.
        product: String,
        /// How many.
        quantity: u32,
        /// Unit price in dollars.
        price: f64,
    }

    #[tokio::test]
    async fn parse_sends_the_strict_schema_and_decodes_the_reply() {
        let (server, client) = mock(vec![
            reply(
                "msg_1",
                "end_turn",
                json!([text(r#"{"product": "tea", "quantity": 2, "price": 5.5}"#)]),
            ),
            reply(
                "msg_2",
                "max_tokens",
                json!([text(r#"{"product": "tea", "quan"#)]),
            ),
        ])
        .await;
        let params = beta_params("Extract the order")
            .output_config(BetaOutputConfig::new().effort(BetaEffortLevel::Low));
        let parsed = client
            .beta()
            .messages()
            .parse::<Order>(params.clone())
            .await
            .unwrap();
        assert_eq!(
            parsed.output,
            Order {
                product: "tea".into(),
                quantity: 2,
                price: 5.5
            }
        );
        assert_eq!(parsed.message.id, "msg_1");
        let request = &server.received_requests().await.unwrap()[0];
        assert!(
            request.headers.get("anthropic-beta").is_none(),
            "structured outputs need no beta header"
        );
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        assert!(body.get("output_format").is_none());
        assert_eq!(body["output_config"]["effort"], "low");
        insta::assert_snapshot!(
            "order_output_format",
            serde_json::to_string_pretty(&sorted(&body["output_config"]["format"])).unwrap()
        );

        let err = client
            .beta()
            .messages()
            .parse::<Order>(params.clone())
            .await
            .unwrap_err();
        let Error::OutputParse(e) = &err else {
            panic!("{err:?}")
        };
        assert_eq!(e.text(), r#"{"product": "tea", "quan"#);
        assert_eq!(e.stop_reason(), Some("max_tokens"));

        // A format set by hand is refused before anything is sent.
        let with_format = beta_params("x")
            .output_config(BetaOutputConfig::new().format(BetaJsonOutputFormat::new(Map::new())));
        let err = client
            .beta()
            .messages()
            .parse::<Order>(with_format)
            .await
            .unwrap_err();
        assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
        assert_eq!(bodies(&server).await.len(), 2);
    }

    #[tokio::test]
    async fn parse_on_the_messages_api() {
        let (server, client) = mock(vec![reply(
            "msg_1",
            "end_turn",
            json!([text(r#"{"product": "mug", "quantity": 1, "price": 3}"#)]),
        )])
        .await;
        let params = MessageCreateParams::new(
            Model::CLAUDE_SONNET_4_5,
            [MessageParam::user("Extract")],
            256,
        );
        let (message, order) = client
            .messages()
            .parse::<Order>(params)
            .await
            .unwrap()
            .into_parts();
        assert_eq!(order.product, "mug");
        assert_eq!(message.id, "msg_1");
        let body = &bodies(&server).await[0];
        assert_eq!(body["output_config"]["format"]["type"], "json_schema");
        assert_eq!(
            body["output_config"]["format"]["schema"]["additionalProperties"],
            false
        );
    }
}

#[test]
fn tools_are_send_and_the_runner_is_a_send_stream() {
    fn assert_send<T: Send>(_: &T) {}
    let client = Client::builder()
        .read_env(false)
        .api_key("k")
        .build()
        .unwrap();
    let runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("x"), [echo("alpha", Duration::ZERO)]);
    assert_send(&runner);
    let fut = runner.until_done();
    assert_send(&fut);
    let output = ToolOutput::json(&json!({"a": 1})).unwrap();
    assert_eq!(output.as_text(), Some(r#"{"a":1}"#));
    let _ = echo("x", Duration::ZERO).definition();
    let _ = Tool::name(&tools::FsMemory::new(std::env::temp_dir()).unwrap());
}

/// A stand-in for the SDK's `MessageStream` (built on another branch): the reply is fetched
/// whole, then handed out as one text "delta".
struct FakeStream {
    message: BetaMessage,
    text_read: bool,
    finals: Arc<std::sync::atomic::AtomicUsize>,
}

impl FakeStream {
    async fn next_text(&mut self) -> Option<String> {
        if self.text_read {
            return None;
        }
        self.text_read = true;
        Some(self.message.text())
    }
}

impl tools::TurnStream for FakeStream {
    type Message = BetaMessage;

    async fn final_message(&mut self) -> anthropic::Result<BetaMessage> {
        self.finals
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(self.message.clone())
    }
}

fn streaming(
    runner: tools::BetaToolRunner,
    finals: Arc<std::sync::atomic::AtomicUsize>,
) -> tools::StreamingToolRunner<tools::BetaApi, FakeStream> {
    runner.streaming_with(move |client, params, options, betas| {
        let finals = finals.clone();
        async move {
            let message = client
                .beta()
                .messages()
                .create(params)
                .options(options)
                .betas(betas)
                .await?;
            Ok(FakeStream {
                message,
                text_read: false,
                finals,
            })
        }
    })
}

#[tokio::test]
async fn the_streaming_runner_yields_one_stream_per_turn() {
    let (server, client) = mock(vec![
        reply(
            "msg_1",
            "tool_use",
            json!([
                text("Checking."),
                tool_use("tu_1", "alpha", json!({"x": "1"})),
                tool_use("tu_2", "beta", json!({"x": "2"}))
            ]),
        ),
        reply(
            "msg_2",
            "tool_use",
            json!([tool_use("tu_3", "alpha", json!({"x": "3"}))]),
        ),
        reply("msg_3", "end_turn", json!([text("All done.")])),
    ])
    .await;
    let finals = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let runner = client.beta().messages().tool_runner(
        beta_params("Go"),
        [echo("alpha", Duration::ZERO), echo("beta", Duration::ZERO)],
    );
    let mut runner = streaming(runner, finals.clone()).betas(["context-management-2025-06-27"]);
    let mut texts = Vec::new();
    let mut turn = 0;
    while let Some(stream) = runner.next_turn().await {
        let stream = stream.unwrap();
        turn += 1;
        // The second turn's stream is left unread: the runner reads it.
        if turn != 2 {
            while let Some(text) = stream.next_text().await {
                texts.push(text);
            }
        }
    }
    assert_eq!(texts, ["Checking.", "All done."]);
    assert_eq!(turn, 3);
    assert_eq!(finals.load(std::sync::atomic::Ordering::SeqCst), 3);
    assert_eq!(runner.last_message().unwrap().id, "msg_3");
    let requests = server.received_requests().await.unwrap();
    assert_eq!(
        requests[0].headers["anthropic-beta"],
        "context-management-2025-06-27"
    );
    assert_eq!(requests[0].headers["x-stainless-helper"], "BetaToolRunner");
    let second: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(
        second["messages"][2]["content"],
        json!([
            {"type": "tool_result", "tool_use_id": "tu_1", "content": "alpha:1"},
            {"type": "tool_result", "tool_use_id": "tu_2", "content": "beta:2"}
        ])
    );
    let third: Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(third["messages"].as_array().unwrap().len(), 5);
}

#[tokio::test]
async fn the_streaming_runner_honours_max_iterations_and_tool_response() {
    let looping = |id: &str| {
        reply(
            id,
            "tool_use",
            json!([tool_use(&format!("tu_{id}"), "alpha", json!({"x": id}))]),
        )
    };
    let (server, client) = mock(vec![looping("1"), looping("2"), looping("3")]).await;
    let finals = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let runner = client
        .beta()
        .messages()
        .tool_runner(beta_params("Go"), [echo("alpha", Duration::ZERO)])
        .max_iterations(2);
    let mut runner = streaming(runner, finals);
    runner.next_turn().await.unwrap().unwrap();
    let response = runner.tool_response().await.unwrap().unwrap();
    assert_eq!(
        serde_json::to_value(&response).unwrap()["content"][0]["content"],
        "alpha:1"
    );
    let last = runner.until_done().await.unwrap();
    assert_eq!(last.id, "2");
    assert_eq!(bodies(&server).await.len(), 2);
}
