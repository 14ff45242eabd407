//! Endpoint behaviour against an in-process mock (wiremock, 127.0.0.1): pagination, multipart
//! uploads, JSONL results, binary downloads, beta headers, the long-request guard, path
//! parameters and raw responses.

use anthropic::types::*;
use anthropic::{Client, Error};
use futures::TryStreamExt;
use serde_json::{json, Value};
use wiremock::matchers::{header, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .api_key("sk-test")
        .base_url(server.uri())
        .max_retries(0)
        .build()
        .unwrap()
}

fn model(id: &str) -> Value {
    json!({"type": "model", "id": id, "display_name": id, "created_at": "2025-01-01T00:00:00Z"})
}

fn page(ids: &[&str], has_more: bool) -> Value {
    json!({
        "data": ids.iter().map(|id| model(id)).collect::<Vec<_>>(),
        "has_more": has_more,
        "first_id": ids.first(),
        "last_id": ids.last(),
    })
}

fn message(text: &str) -> Value {
    json!({
        "id": "msg_1", "type": "message", "role": "assistant", "model": "claude-sonnet-4-5",
        "content": [{"type": "text", "text": text, "citations": null}],
        "stop_reason": "end_turn", "stop_sequence": null,
        "usage": {"input_tokens": 1, "output_tokens": 1}
    })
}

#[tokio::test]
async fn list_auto_paginates_forward_lazily() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .and(query_param_is_missing("after_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m1", "m2"], true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .and(query_param("after_id", "m2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m3"], true)))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/v1/models"))
        .and(query_param("after_id", "m3"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m4"], false)))
        .expect(1)
        .mount(&server)
        .await;
    let c = client(&server);

    let ids: Vec<String> = c
        .models()
        .list(ModelListParams::new().limit(2))
        .into_stream()
        .map_ok(|m| m.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["m1", "m2", "m3", "m4"]);
    // The page size is kept on every following request.
    for r in server.received_requests().await.unwrap() {
        assert!(r.url.query().unwrap_or("").contains("limit=2"), "{}", r.url);
    }
}

#[tokio::test]
async fn pages_and_next_page_follow_before_id_backwards() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages/batches"))
        .and(query_param("before_id", "start"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"data": [], "has_more": false, "first_id": null, "last_id": null}),
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/models"))
        .and(query_param("before_id", "m9"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m7", "m8"], true)))
        .mount(&server)
        .await;
    Mock::given(path("/v1/models"))
        .and(query_param("before_id", "m7"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m6"], false)))
        .mount(&server)
        .await;
    let c = client(&server);

    let first = c
        .models()
        .list(ModelListParams::new().before_id("m9"))
        .await
        .unwrap();
    assert!(first.has_next_page());
    let second = first.next_page().await.unwrap().expect("a second page");
    assert_eq!(second.data[0].id, "m6");
    assert!(!second.has_next_page());
    assert!(second.next_page().await.unwrap().is_none());

    let pages: Vec<_> = c
        .models()
        .list(ModelListParams::new().before_id("m9"))
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);

    let empty = c
        .messages()
        .batches()
        .list(BatchListParams::new().before_id("start"))
        .await
        .unwrap();
    assert!(empty.data.is_empty() && !empty.has_next_page());
}

#[tokio::test]
async fn cursor_pages_send_the_next_page_token() {
    let server = MockServer::start().await;
    let skill = |id: &str| json!({"type": "skill", "id": id, "display_title": id, "source": "custom", "latest_version": "1", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"});
    Mock::given(path("/v1/skills"))
        .and(query_param_is_missing("page"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [skill("s1")], "has_more": true, "next_page": "tok2"}),
            ),
        )
        .mount(&server)
        .await;
    Mock::given(path("/v1/skills"))
        .and(query_param("page", "tok2"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"data": [skill("s2")], "has_more": false, "next_page": null}),
            ),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let ids: Vec<String> = c
        .beta()
        .skills()
        .list(BetaSkillListParams::new().source("custom"))
        .into_stream()
        .map_ok(|s| s.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(ids, ["s1", "s2"]);
    let requests = server.received_requests().await.unwrap();
    assert!(requests
        .iter()
        .all(|r| r.headers.get("anthropic-beta").unwrap() == "skills-2025-10-02"));
    assert!(requests
        .iter()
        .all(|r| r.url.query().unwrap().contains("source=custom")));
}

#[tokio::test]
async fn a_failing_page_ends_the_stream_with_the_error() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/models"))
        .and(query_param_is_missing("after_id"))
        .respond_with(ResponseTemplate::new(200).set_body_json(page(&["m1"], true)))
        .mount(&server)
        .await;
    Mock::given(path("/v1/models"))
        .and(query_param("after_id", "m1"))
        .respond_with(ResponseTemplate::new(404).set_body_json(
            json!({"type": "error", "error": {"type": "not_found_error", "message": "gone"}}),
        ))
        .mount(&server)
        .await;
    let c = client(&server);
    let items: Vec<anthropic::Result<ModelInfo>> =
        futures::StreamExt::collect(c.models().list(Default::default()).into_stream()).await;
    assert_eq!(items.len(), 2);
    assert!(items[0].is_ok());
    assert!(matches!(items[1], Err(Error::NotFound(_))));
}

fn multipart_parts(r: &Request) -> Vec<(String, String)> {
    let ct = r
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .to_string();
    let boundary = ct.split("boundary=").nth(1).expect("boundary").to_string();
    let body = String::from_utf8_lossy(&r.body).to_string();
    body.split(&format!("--{boundary}"))
        .filter(|p| p.contains("Content-Disposition"))
        .map(|p| {
            let (head, content) = p.split_once("\r\n\r\n").unwrap();
            (
                head.trim().to_string(),
                content.trim_end_matches("\r\n").to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn file_upload_is_multipart_with_filename_and_content_type() {
    let server = MockServer::start().await;
    let meta = json!({"id": "file_1", "type": "file", "filename": "hello.txt", "mime_type": "text/plain", "size_bytes": 6, "created_at": "2025-01-01T00:00:00Z"});
    Mock::given(method("POST"))
        .and(path("/v1/files"))
        .and(query_param("beta", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_json(meta))
        .mount(&server)
        .await;
    let c = client(&server);
    let dir = std::env::temp_dir().join(format!("anthropic-upload-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("hello.txt");
    std::fs::write(&path, "hello\n").unwrap();

    let meta = c
        .beta()
        .files()
        .upload(FileUploadParams::new(UploadFile::from_path(&path)))
        .betas(["foo-beta"])
        .await
        .unwrap();
    assert_eq!(meta.id, "file_1");
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(
        r.headers.get("anthropic-beta").unwrap(),
        "foo-beta,files-api-2025-04-14",
        "caller's betas first, then the resource's"
    );
    assert!(r
        .headers
        .get("content-type")
        .unwrap()
        .to_str()
        .unwrap()
        .starts_with("multipart/form-data; boundary="));
    let parts = multipart_parts(r);
    assert_eq!(parts.len(), 1);
    assert!(
        parts[0]
            .0
            .contains(r#"Content-Disposition: form-data; name="file"; filename="hello.txt""#),
        "{}",
        parts[0].0
    );
    assert!(
        parts[0]
            .0
            .to_ascii_lowercase()
            .contains("content-type: text/plain"),
        "{}",
        parts[0].0
    );
    assert_eq!(parts[0].1, "hello\n");
    std::fs::remove_dir_all(dir).ok();
}

#[tokio::test]
async fn skill_upload_sends_only_file_parts_named_files_brackets() {
    let server = MockServer::start().await;
    let created = json!({"type": "skill", "id": "skill_1", "display_title": "Mine", "source": "custom", "latest_version": "1", "created_at": "2025-01-01T00:00:00Z", "updated_at": "2025-01-01T00:00:00Z"});
    Mock::given(method("POST"))
        .and(path("/v1/skills"))
        .respond_with(ResponseTemplate::new(200).set_body_json(created))
        .mount(&server)
        .await;
    let c = client(&server);
    let params = BetaSkillCreateParams::new().display_title("Mine").files([
        UploadFile::from_bytes("my_skill/SKILL.md", b"---\nname: x\n---\n".to_vec()),
        UploadFile::from_reader("my_skill/run.py", &b"print(1)\n"[..])
            .unwrap()
            .content_type("text/x-python"),
    ]);
    c.beta().skills().create(params).await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    let parts = multipart_parts(r);
    let names: Vec<&str> = parts
        .iter()
        .map(|(h, _)| {
            h.split("name=\"")
                .nth(1)
                .unwrap()
                .split('"')
                .next()
                .unwrap()
        })
        .collect();
    assert_eq!(names, ["display_title", "files[]", "files[]"]);
    assert_eq!(parts[0].1, "Mine");
    assert!(
        parts[1].0.contains(r#"filename="my_skill/SKILL.md""#),
        "{}",
        parts[1].0
    );
    assert!(parts[2].0.contains("text/x-python"));
    assert_eq!(parts[2].1, "print(1)\n");
}

#[tokio::test]
async fn batch_results_stream_typed_jsonl_lines() {
    let server = MockServer::start().await;
    let ok = json!({"custom_id": "a", "result": {"type": "succeeded", "message": message("hi")}});
    let canceled = json!({"custom_id": "b", "result": {"type": "canceled"}});
    let future = json!({"custom_id": "c", "result": {"type": "teleported", "where": "mars"}});
    let body = format!("{ok}\r\n\n{canceled}\n   \n{future}");
    Mock::given(method("GET"))
        .and(path("/v1/messages/batches/msgbatch_1/results"))
        .and(header("accept", "application/binary"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_9")
                .set_body_raw(body, "application/x-jsonl"),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let stream = c.messages().batches().results("msgbatch_1").await.unwrap();
    assert_eq!(stream.request_id(), Some("req_9"));
    let items: Vec<MessageBatchIndividualResponse> = stream.try_collect().await.unwrap();
    assert_eq!(items.len(), 3);
    assert!(
        matches!(&items[0].result, MessageBatchResult::Succeeded(s) if s.message.text() == "hi")
    );
    assert!(matches!(items[1].result, MessageBatchResult::Canceled(_)));
    assert!(matches!(&items[2].result, MessageBatchResult::Unknown(v) if v["where"] == "mars"));
}

#[tokio::test]
async fn a_bad_jsonl_line_is_an_error_naming_the_line() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/messages/batches/b/results"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            "{\"custom_id\":\"a\",\"result\":{\"type\":\"canceled\"}}\nnot json\n",
            "application/x-jsonl",
        ))
        .mount(&server)
        .await;
    let items: Vec<_> = futures::StreamExt::collect::<Vec<_>>(
        client(&server)
            .messages()
            .batches()
            .results("b")
            .await
            .unwrap(),
    )
    .await;
    assert!(items[0].is_ok());
    let err = items[1].as_ref().unwrap_err().to_string();
    assert!(err.contains("line 2"), "{err}");
}

#[tokio::test]
async fn downloads_stream_to_a_file() {
    let server = MockServer::start().await;
    let payload: Vec<u8> = (0..200_000u32).map(|i| (i % 251) as u8).collect();
    Mock::given(method("GET"))
        .and(path("/v1/files/file_1/content"))
        .and(header("accept", "application/binary"))
        .respond_with(
            ResponseTemplate::new(200).set_body_raw(payload.clone(), "application/octet-stream"),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let out = std::env::temp_dir().join(format!("anthropic-download-{}.bin", std::process::id()));
    let download = c.beta().files().download("file_1").await.unwrap();
    assert_eq!(download.content_type(), Some("application/octet-stream"));
    let written = download.write_to_file(&out).await.unwrap();
    assert_eq!(written, payload.len() as u64);
    assert_eq!(std::fs::read(&out).unwrap(), payload);
    std::fs::remove_file(out).ok();
    let bytes = c
        .files()
        .download("file_1")
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(bytes.len(), payload.len());
    let r = &server.received_requests().await.unwrap()[1];
    assert_eq!(
        r.headers.get("anthropic-beta").unwrap(),
        "files-api-2025-04-14"
    );
}

#[tokio::test]
async fn fixed_betas_and_header_overrides() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages/count_tokens"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"input_tokens": 7})))
        .mount(&server)
        .await;
    let c = client(&server);
    let params =
        BetaMessageCountTokensParams::new([BetaMessageParam::user("hi")], "claude-sonnet-4-5");
    let n = c
        .beta()
        .messages()
        .count_tokens(params.clone())
        .await
        .unwrap();
    assert_eq!(n.input_tokens, 7);
    c.beta()
        .messages()
        .count_tokens(params.clone())
        .betas(["a", "token-counting-2024-11-01"])
        .await
        .unwrap();
    c.beta()
        .messages()
        .count_tokens(params)
        .betas(["ignored"])
        .header("anthropic-beta".parse().unwrap(), "mine".parse().unwrap())
        .await
        .unwrap();
    let got: Vec<String> = server
        .received_requests()
        .await
        .unwrap()
        .iter()
        .map(|r| {
            r.headers
                .get("anthropic-beta")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        got,
        [
            "token-counting-2024-11-01",
            "a,token-counting-2024-11-01",
            "mine"
        ]
    );
    // Non-beta calls send no beta header unless asked.
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message("x")))
        .mount(&server)
        .await;
    c.messages()
        .create(MessageCreateParams::new(
            "claude-sonnet-4-5",
            [MessageParam::user("hi")],
            10,
        ))
        .await
        .unwrap();
    let last = server.received_requests().await.unwrap().pop().unwrap();
    assert!(last.headers.get("anthropic-beta").is_none());
    assert_eq!(last.url.path(), "/v1/messages");
    assert_eq!(last.url.query(), None);
}

#[tokio::test]
async fn long_non_streaming_requests_are_refused_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(message("ok")))
        .mount(&server)
        .await;
    let c = client(&server);
    let big = MessageCreateParams::new("claude-sonnet-4-5", [MessageParam::user("hi")], 30_000);
    let err = c.messages().create(big.clone()).await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
    assert!(err.to_string().contains("Streaming is required"), "{err}");
    let opus = MessageCreateParams::new("claude-opus-4-0", [MessageParam::user("hi")], 9_000);
    assert!(c.messages().create(opus).await.is_err());
    let beta_big =
        BetaMessageCreateParams::new("claude-sonnet-4-5", [BetaMessageParam::user("hi")], 30_000);
    assert!(c.beta().messages().create(beta_big).await.is_err());
    assert!(
        server.received_requests().await.unwrap().is_empty(),
        "nothing was sent"
    );
    // An explicit timeout is the caller's decision: the request goes out.
    c.messages()
        .create(big.clone())
        .timeout(std::time::Duration::from_secs(3600))
        .await
        .unwrap();
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
    let ok = MessageCreateParams::new("claude-sonnet-4-5", [MessageParam::user("hi")], 21_333);
    c.messages().create(ok).await.unwrap();
}

#[tokio::test]
async fn path_parameters_are_encoded_and_empty_ones_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(model("x")))
        .mount(&server)
        .await;
    let c = client(&server);
    c.models().retrieve("a b/c?d").await.unwrap();
    let r = &server.received_requests().await.unwrap()[0];
    assert_eq!(r.url.path(), "/v1/models/a%20b%2Fc%3Fd");
    let err = c.models().retrieve("").await.unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)));
    assert!(err.to_string().contains("model_id"), "{err}");
    let err = c
        .skills()
        .versions()
        .retrieve("skill_1", "")
        .await
        .unwrap_err();
    assert!(err.to_string().contains("version"), "{err}");
    assert_eq!(server.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn raw_responses_expose_status_headers_and_parse_on_demand() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/messages"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_123")
                .set_body_json(message("raw!")),
        )
        .mount(&server)
        .await;
    let c = client(&server);
    let raw = c
        .messages()
        .create(MessageCreateParams::new(
            "claude-sonnet-4-5",
            [MessageParam::user("hi")],
            10,
        ))
        .with_raw_response()
        .await
        .unwrap();
    assert_eq!(raw.status().as_u16(), 200);
    assert_eq!(raw.request_id(), Some("req_123"));
    assert_eq!(raw.retries_taken(), 0);
    assert_eq!(raw.parse().unwrap().text(), "raw!");
    assert!(format!("{raw:?}").contains("req_123"));
}

#[tokio::test]
async fn api_errors_are_typed_with_request_id() {
    let server = MockServer::start().await;
    Mock::given(method("POST")).respond_with(
        ResponseTemplate::new(529)
            .insert_header("request-id", "req_busy")
            .insert_header("x-should-retry", "false")
            .set_body_json(json!({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})),
    )
    .mount(&server).await;
    let err = client(&server)
        .messages()
        .create(MessageCreateParams::new(
            "claude-sonnet-4-5",
            [MessageParam::user("hi")],
            10,
        ))
        .await
        .unwrap_err();
    assert!(err.is_overloaded());
    assert_eq!(err.request_id(), Some("req_busy"));
    assert_eq!(err.api_error_type(), Some("overloaded_error"));
    assert!(!format!("{err:?}{err}").contains("sk-test"));
}
