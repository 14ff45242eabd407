//! Tools on real `MessageStream`s: the streaming runner (each turn is an SSE response from the
//! mock; the tool call streamed in `input_json_delta`s is run and its result sent back), and
//! structured outputs parsed when their block stops.

use anthropic::tools::FnTool;
use anthropic::types::*;
use anthropic::Client;
use serde_json::{json, Value};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

fn sse(events: &[Value]) -> String {
    events
        .iter()
        .map(|e| format!("event: {}\ndata: {}\n\n", e["type"].as_str().unwrap(), e))
        .collect()
}

fn start(id: &str) -> Value {
    json!({"type": "message_start", "message": {"id": id, "type": "message", "role": "assistant", "model": "claude-sonnet-4-5", "content": [], "stop_reason": null, "stop_sequence": null, "usage": {"input_tokens": 5, "output_tokens": 1}}})
}

fn end(stop: &str) -> Vec<Value> {
    vec![
        json!({"type": "message_delta", "delta": {"stop_reason": stop, "stop_sequence": null}, "usage": {"output_tokens": 9}}),
        json!({"type": "message_stop"}),
    ]
}

/// Turn 1 calls `get_weather` (input streamed in pieces), turn 2 answers in text.
struct Script;

impl Respond for Script {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let body: Value = serde_json::from_slice(&request.body).unwrap();
        let turns = body["messages"].as_array().unwrap().len();
        let mut events = Vec::new();
        if turns == 1 {
            events.push(start("msg_1"));
            events.push(json!({"type": "content_block_start", "index": 0, "content_block": {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}}));
            for piece in ["{\"ci", "ty\": \"Par", "is\"}"] {
                events.push(json!({"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta", "partial_json": piece}}));
            }
            events.push(json!({"type": "content_block_stop", "index": 0}));
            events.extend(end("tool_use"));
        } else {
            events.push(start("msg_2"));
            events.push(json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}));
            events.push(json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": "It is 15°C in Paris."}}));
            events.push(json!({"type": "content_block_stop", "index": 0}));
            events.extend(end("end_turn"));
        }
        ResponseTemplate::new(200).set_body_raw(sse(&events), "text/event-stream")
    }
}

#[tokio::test]
async fn each_turn_streams_and_tool_results_are_sent_back() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(Script)
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap();

    #[derive(serde::Deserialize, schemars::JsonSchema)]
    struct Weather {
        city: String,
    }
    let weather = FnTool::new(
        "get_weather",
        "Get the weather for a city.",
        |w: Weather| async move { Ok::<_, anthropic::tools::ToolError>(format!("15°C in {}", w.city)) },
    );

    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user("Weather in Paris?")],
        256,
    );
    let mut runner = client
        .beta()
        .messages()
        .tool_runner(params, [weather])
        .streaming();
    let mut texts = Vec::new();
    let mut turns = 0;
    while let Some(stream) = runner.next_turn().await {
        let stream = stream.unwrap();
        turns += 1;
        while let Some(text) = stream.next_text().await.unwrap() {
            texts.push(text);
        }
    }
    assert_eq!(turns, 2);
    assert_eq!(texts, ["It is 15°C in Paris."]);

    let requests = server.received_requests().await.unwrap();
    assert_eq!(requests.len(), 2);
    let second: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(second["stream"], true);
    let history = second["messages"].as_array().unwrap();
    assert_eq!(history[1]["role"], "assistant");
    assert_eq!(
        history[1]["content"][0]["input"],
        json!({"city": "Paris"}),
        "the streamed input, parsed"
    );
    assert_eq!(history[2]["content"][0]["type"], "tool_result");
    assert_eq!(history[2]["content"][0]["tool_use_id"], "toolu_1");
    assert_eq!(history[2]["content"][0]["content"], "15°C in Paris");
    assert_eq!(
        requests[0]
            .headers
            .get("x-stainless-stream-helper")
            .unwrap(),
        "beta.messages"
    );
}

#[tokio::test]
async fn structured_output_is_parsed_at_block_stop() {
    use anthropic::streaming::MessageStreamEvent;
    use futures::StreamExt;

    let mut events = vec![
        start("msg_o"),
        json!({"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
    ];
    for piece in ["{\"item\": \"te", "a\", \"qty\"", ": 3}"] {
        events.push(json!({"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": piece}}));
    }
    events.push(json!({"type": "content_block_stop", "index": 0}));
    events.extend(end("end_turn"));
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(sse(&events), "text/event-stream"))
        .mount(&server)
        .await;
    let client = Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .build()
        .unwrap();

    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Order {
        item: String,
        qty: u32,
    }
    let params = BetaMessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        [BetaMessageParam::user("order tea")],
        64,
    );
    let mut stream = client.beta().messages().stream(params).await.unwrap();
    let mut parsed = Vec::new();
    while let Some(event) = stream.next().await {
        if let MessageStreamEvent::ContentBlockStop { index } = event.unwrap() {
            assert!(
                stream.parse_block::<Value>(index + 1).is_none(),
                "no such block"
            );
            parsed.push(stream.parse_block::<Order>(index).unwrap().unwrap());
        }
    }
    assert_eq!(
        parsed,
        [Order {
            item: "tea".into(),
            qty: 3
        }]
    );
    let err = stream.parse_block::<Vec<u8>>(0).unwrap().unwrap_err();
    assert!(matches!(err, anthropic::Error::OutputParse(_)), "{err:?}");
}
