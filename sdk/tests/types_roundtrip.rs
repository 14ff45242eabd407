//! The generated types against realistic API JSON: decode, check the typed view, re-encode
//! byte-for-byte equal (as JSON values), and stay forward compatible with unknown data.

use anthropic::types::*;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/types/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Decodes `json` as `T`, checks that every field and variant was recognised (nothing landed
/// in an `extra` map or an `Unknown`/`Other` fallback) and that re-encoding gives the input.
fn roundtrip_known<T: DeserializeOwned + Serialize + std::fmt::Debug>(json: &Value) -> T {
    let typed: T = serde_json::from_value(json.clone()).expect("decodes");
    let debug = format!("{typed:?}");
    assert!(
        !debug.contains("extra: {\""),
        "unrecognised field in {debug}"
    );
    assert!(
        !debug.contains("Unknown("),
        "unrecognised variant in {debug}"
    );
    assert!(
        !debug.contains("Other("),
        "unrecognised enum value in {debug}"
    );
    assert_eq!(
        &serde_json::to_value(&typed).unwrap(),
        json,
        "re-encoding differs"
    );
    typed
}

#[test]
fn message_with_every_response_block_type() {
    let json: Value = serde_json::from_str(&fixture("message_all_blocks.json")).unwrap();
    let m: Message = roundtrip_known(&json);
    assert_eq!(m.model, Model::new("claude-sonnet-4-5-20250929"));
    assert_eq!(m.stop_reason, Some(StopReason::ToolUse));
    assert_eq!(m.stop_sequence, None);
    let tags: Vec<_> = m.content.iter().map(|b| b.tag().unwrap()).collect();
    assert_eq!(
        tags,
        [
            "thinking",
            "redacted_thinking",
            "text",
            "server_tool_use",
            "web_search_tool_result",
            "code_execution_tool_result",
            "container_upload",
            "tool_use"
        ]
    );
    let ContentBlock::Text(text) = &m.content[2] else {
        panic!("text block")
    };
    let citations = text.citations.as_ref().unwrap();
    assert!(matches!(citations[0], TextCitation::CharLocation(ref c) if c.end_char_index == 12));
    assert!(
        matches!(citations[1], TextCitation::PageLocation(ref c) if c.document_title.is_none())
    );
    assert!(matches!(
        citations[2],
        TextCitation::WebSearchResultLocation(_)
    ));
    let ContentBlock::ToolUse(tool) = &m.content[7] else {
        panic!("tool_use block")
    };
    assert_eq!(tool.input["days"], json!([1, 2.5, null, true]));
    assert!(
        tool.caller.is_none(),
        "caller may be absent (overlay correction)"
    );
    assert_eq!(
        m.usage
            .cache_creation
            .as_ref()
            .unwrap()
            .ephemeral_5m_input_tokens,
        1024
    );
    assert_eq!(
        m.usage
            .server_tool_use
            .as_ref()
            .unwrap()
            .web_search_requests,
        1
    );
    let expires = &m.container.as_ref().unwrap().expires_at;
    assert_eq!(expires.as_str(), "2025-10-18T23:57:04.123456Z");
    assert_eq!(m.text(), "According to the document, ");
}

#[test]
fn batch_and_its_results() {
    let json: Value = serde_json::from_str(&fixture("message_batch.json")).unwrap();
    let batch: MessageBatch = roundtrip_known(&json);
    assert_eq!(batch.processing_status, MessageBatchProcessingStatus::Ended);
    assert_eq!(batch.request_counts.succeeded, 95);
    assert!(batch.results_url.as_deref().unwrap().ends_with("/results"));
    assert_eq!(batch.created_at.unix_timestamp().unwrap(), 1_724_179_044);

    let lines = fixture("batch_results.jsonl");
    let results: Vec<MessageBatchIndividualResponse> = lines
        .lines()
        .map(|l| roundtrip_known(&serde_json::from_str(l).unwrap()))
        .collect();
    assert!(
        matches!(&results[0].result, MessageBatchResult::Succeeded(s) if s.message.text() == "Hi")
    );
    let MessageBatchResult::Errored(e) = &results[1].result else {
        panic!("errored")
    };
    assert!(
        matches!(&e.error.error, ErrorObject::InvalidRequestError(x) if x.message.contains("max_tokens"))
    );
    assert!(matches!(results[2].result, MessageBatchResult::Canceled(_)));
    assert!(matches!(results[3].result, MessageBatchResult::Expired(_)));
}

#[test]
fn model_list_file_metadata_and_error_body() {
    let list: ModelListResponse =
        roundtrip_known(&serde_json::from_str(&fixture("model_list.json")).unwrap());
    assert_eq!(list.data.len(), 2);
    assert_eq!(list.last_id.as_deref(), Some("claude-haiku-4-5-20251001"));
    assert!(list.has_more);

    let file: FileMetadata =
        roundtrip_known(&serde_json::from_str(&fixture("file_metadata.json")).unwrap());
    assert_eq!(file.size_bytes, 1_048_576);
    assert_eq!(file.downloadable, Some(false));

    let err: ErrorResponse =
        roundtrip_known(&serde_json::from_str(&fixture("error_overloaded.json")).unwrap());
    assert_eq!(err.error.tag(), Some("overloaded_error"));
    assert_eq!(
        err.request_id.as_deref(),
        Some("req_011CSHoEeqs5C35K2UUqR7Fy")
    );
}

#[test]
fn full_create_request_decodes_typed_and_reencodes_exactly() {
    let json: Value = serde_json::from_str(&fixture("create_params_full.json")).unwrap();
    let params: MessageCreateParams = roundtrip_known(&json);
    assert!(matches!(
        params.messages[0].content,
        MessageContent::Text(_)
    ));
    let tags: Vec<_> = params
        .tools
        .as_ref()
        .unwrap()
        .iter()
        .map(|t| t.tag().unwrap_or("custom"))
        .collect();
    assert_eq!(
        tags,
        [
            "custom",
            "bash_20250124",
            "text_editor_20250728",
            "web_search_20250305"
        ]
    );
    assert!(
        matches!(params.tools.as_ref().unwrap()[0], ToolUnion::Custom(_)),
        "a tool without `type` is a custom tool"
    );
    assert!(
        matches!(params.thinking, Some(ThinkingConfigParam::Enabled(ref t)) if t.budget_tokens == 2048)
    );
}

#[test]
fn built_requests_omit_unset_fields_and_never_send_null() {
    let params = MessageCreateParams::new(
        Model::CLAUDE_SONNET_4_5,
        vec![MessageParam::user("Hello, Claude")],
        1024,
    )
    .system("You are terse.")
    .temperature(0.2)
    .stop_sequences(["END"]);
    assert_eq!(
        serde_json::to_value(&params).unwrap(),
        json!({
            "model": "claude-sonnet-4-5",
            "messages": [{"role": "user", "content": "Hello, Claude"}],
            "max_tokens": 1024,
            "system": "You are terse.",
            "temperature": 0.2,
            "stop_sequences": ["END"]
        })
    );
    let text = serde_json::to_string(&params).unwrap();
    assert!(!text.contains("null"), "{text}");

    let tool = Tool::new("get_weather", ToolInputSchema::new().required(["city"]))
        .description("Get the weather")
        .cache_control(CacheControlEphemeral::new().ttl(CacheControlEphemeralTtl::V1h));
    assert_eq!(
        serde_json::to_value(ToolUnion::from(tool)).unwrap(),
        json!({
            "name": "get_weather",
            "description": "Get the weather",
            "input_schema": {"type": "object", "required": ["city"]},
            "cache_control": {"type": "ephemeral", "ttl": "1h"}
        })
    );
    let block = ToolResultBlockParam::new("toolu_1")
        .content("42")
        .is_error(false);
    assert_eq!(
        serde_json::to_value(ContentBlockParam::from(block)).unwrap(),
        json!({"type": "tool_result", "tool_use_id": "toolu_1", "content": "42", "is_error": false})
    );
}

#[test]
fn unknown_fields_values_and_variants_are_kept_and_reencoded() {
    let json = json!({
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": "claude-future-9",
        "content": [
            {"type": "text", "text": "hi", "citations": null, "sparkle": {"level": 3}},
            {"type": "hologram_block", "frames": [1, 2, 3]}
        ],
        "stop_reason": "needs_coffee",
        "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 2, "quantum_tokens": 7},
        "brand_new_top_level": ["x"]
    });
    let m: Message = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(m.model.as_str(), "claude-future-9");
    assert_eq!(
        m.stop_reason,
        Some(StopReason::Other("needs_coffee".into()))
    );
    assert_eq!(m.extra["brand_new_top_level"], json!(["x"]));
    assert_eq!(m.usage.extra["quantum_tokens"], json!(7));
    let ContentBlock::Text(t) = &m.content[0] else {
        panic!()
    };
    assert_eq!(t.extra["sparkle"], json!({"level": 3}));
    assert!(matches!(&m.content[1], ContentBlock::Unknown(v) if v["frames"] == json!([1, 2, 3])));
    assert_eq!(m.content[1].tag(), Some("hologram_block"));
    // Required-but-nullable fields the input left out come back as explicit `null`s (the
    // spec requires them); everything else, known or not, re-encodes as received.
    let mut expected = json.clone();
    expected["container"] = Value::Null;
    for k in [
        "cache_creation",
        "cache_creation_input_tokens",
        "cache_read_input_tokens",
        "inference_geo",
        "server_tool_use",
        "service_tier",
    ] {
        expected["usage"][k] = Value::Null;
    }
    assert_eq!(serde_json::to_value(&m).unwrap(), expected);

    let event: RawMessageStreamEvent =
        serde_json::from_value(json!({"type": "message_teleport", "to": "mars"})).unwrap();
    assert!(matches!(event, RawMessageStreamEvent::Unknown(_)));
    let delta: RawContentBlockDelta =
        serde_json::from_value(json!({"type": "smell_delta", "smell": "rose"})).unwrap();
    assert_eq!(
        serde_json::to_value(&delta).unwrap(),
        json!({"type": "smell_delta", "smell": "rose"})
    );
}

#[test]
fn a_known_variant_with_a_bad_payload_is_a_clear_error() {
    let err =
        serde_json::from_value::<ContentBlock>(json!({"type": "text", "text": 5})).unwrap_err();
    let msg = err.to_string();
    assert!(msg.contains("invalid `text` ContentBlock"), "{msg}");
    let err =
        serde_json::from_value::<TextBlock>(json!({"type": "image", "text": "x"})).unwrap_err();
    assert!(err.to_string().contains("the string \"text\""), "{err}");
}
