//! Integration tests of the HTTP client core against local mock servers (127.0.0.1 only).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anthropic::client::{ApiRequest, MultipartForm, MultipartPart};
use anthropic::{Client, ClientBuilder, Error, RequestOptions};
use futures::StreamExt;
use http::{HeaderName, HeaderValue, Method};
use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{any, body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const KEY: &str = "sk-ant-test-SECRET-key";
const TOKEN: &str = "tok-SECRET-bearer";

/// A client for `server` with a key, no environment and fast retries via tiny retry-after-ms.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .read_env(false)
        .api_key(KEY)
        .base_url(server.uri())
}

fn get(path: &str) -> ApiRequest {
    ApiRequest::new(Method::GET, path)
}

fn post_json(path: &str, body: Value) -> ApiRequest {
    ApiRequest::new(Method::POST, path).json_body(body)
}

fn error_body(kind: &str) -> Value {
    json!({"type": "error", "error": {"type": kind, "message": "boom"}, "request_id": "req_body"})
}

/// A status response that asks for an immediate (1 ms) retry.
fn failing(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status)
        .insert_header("retry-after-ms", "1")
        .set_body_json(error_body("api_error"))
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header_of<'r>(req: &'r Request, name: &str) -> Option<&'r str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn retry_counts(reqs: &[Request]) -> Vec<String> {
    reqs.iter()
        .map(|r| {
            header_of(r, "x-stainless-retry-count")
                .unwrap_or("-")
                .to_owned()
        })
        .collect()
}

async fn ok_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_ok")
                .set_body_json(json!({"ok": true})),
        )
        .mount(&server)
        .await;
    server
}

// ---------- authentication ----------

#[tokio::test]
async fn api_key_is_sent_as_x_api_key() {
    let server = ok_server().await;
    let client = builder(&server).build().unwrap();
    client.execute(get("/v1/models")).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "x-api-key"), Some(KEY));
    assert_eq!(header_of(&reqs[0], "authorization"), None);
}

#[tokio::test]
async fn auth_token_is_sent_as_bearer() {
    let server = ok_server().await;
    let client = Client::builder()
        .read_env(false)
        .auth_token(TOKEN)
        .base_url(server.uri())
        .build()
        .unwrap();
    client.execute(get("/v1/models")).await.unwrap();
    let reqs = requests(&server).await;
    let expected = format!("Bearer {TOKEN}");
    assert_eq!(
        header_of(&reqs[0], "authorization"),
        Some(expected.as_str())
    );
    assert_eq!(header_of(&reqs[0], "x-api-key"), None);
}

#[tokio::test]
async fn key_and_token_are_both_sent() {
    let server = ok_server().await;
    let client = builder(&server).auth_token(TOKEN).build().unwrap();
    client.execute(get("/v1/models")).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "x-api-key"), Some(KEY));
    assert!(header_of(&reqs[0], "authorization").is_some());
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = ok_server().await;
    let client = Client::builder()
        .read_env(false)
        .base_url(server.uri())
        .build()
        .expect("missing credentials are not a construction error");
    let err = client.execute(get("/v1/models")).await.unwrap_err();
    assert_eq!(err.kind_name(), "invalid_request");
    let msg = err.to_string();
    assert!(
        msg.contains("ANTHROPIC_API_KEY") && msg.contains("ANTHROPIC_AUTH_TOKEN"),
        "{msg}"
    );
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn removing_or_setting_an_auth_header_skips_the_check() {
    let server = ok_server().await;
    let bare = Client::builder().read_env(false).base_url(server.uri());
    let removed = bare
        .clone()
        .remove_default_header("x-api-key")
        .build()
        .unwrap();
    removed.execute(get("/a")).await.unwrap();
    let set = bare.build().unwrap();
    let opts = RequestOptions::new().header("authorization", "Bearer custom");
    set.execute(get("/b").options(opts)).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    assert_eq!(header_of(&reqs[1], "authorization"), Some("Bearer custom"));
}

#[tokio::test]
async fn environment_supplies_key_token_and_base_url() {
    // The only test that reads the environment; all others use `read_env(false)`.
    let server = ok_server().await;
    std::env::set_var("ANTHROPIC_API_KEY", "env-key");
    std::env::set_var("ANTHROPIC_AUTH_TOKEN", "env-token");
    std::env::set_var("ANTHROPIC_BASE_URL", format!("{}/env-prefix", server.uri()));
    let client = Client::new();
    std::env::remove_var("ANTHROPIC_API_KEY");
    std::env::remove_var("ANTHROPIC_AUTH_TOKEN");
    std::env::remove_var("ANTHROPIC_BASE_URL");
    client.execute(get("/v1/models")).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs[0].url.path(), "/env-prefix/v1/models");
    assert_eq!(header_of(&reqs[0], "x-api-key"), Some("env-key"));
    assert_eq!(
        header_of(&reqs[0], "authorization"),
        Some("Bearer env-token")
    );
}

// ---------- headers ----------

#[tokio::test]
async fn sdk_default_headers_are_sent() {
    let server = ok_server().await;
    let client = builder(&server).build().unwrap();
    client
        .execute(post_json("/v1/messages", json!({"a": 1})))
        .await
        .unwrap();
    client.execute(get("/v1/models")).await.unwrap();
    let reqs = requests(&server).await;
    let post = &reqs[0];
    let version = env!("CARGO_PKG_VERSION");
    let expected = [
        ("accept", "application/json".to_owned()),
        ("content-type", "application/json".to_owned()),
        ("anthropic-version", "2023-06-01".to_owned()),
        ("user-agent", format!("Anthropic/Rust {version}")),
        ("x-stainless-lang", "rust".to_owned()),
        ("x-stainless-package-version", version.to_owned()),
        ("x-stainless-runtime", "rustc".to_owned()),
        ("x-stainless-retry-count", "0".to_owned()),
        ("x-stainless-timeout", "600".to_owned()),
    ];
    for (name, value) in expected {
        assert_eq!(header_of(post, name), Some(value.as_str()), "{name}");
    }
    for name in [
        "x-stainless-os",
        "x-stainless-arch",
        "x-stainless-runtime-version",
    ] {
        assert!(
            header_of(post, name).is_some_and(|v| !v.is_empty()),
            "{name}"
        );
    }
    assert_eq!(
        header_of(&reqs[1], "content-type"),
        None,
        "no body, no content-type"
    );
}

#[tokio::test]
async fn header_precedence_and_removal() {
    let server = ok_server().await;
    let client = builder(&server)
        .default_header("x-layer", "client")
        .default_header("x-client-only", "c")
        .default_header("user-agent", "my-app/1.0")
        .remove_default_header("x-stainless-os")
        .build()
        .unwrap();
    let req = get("/v1/files/f/content")
        .header(
            HeaderName::from_static("x-layer"),
            HeaderValue::from_static("endpoint"),
        )
        .header(
            HeaderName::from_static("x-endpoint-only"),
            HeaderValue::from_static("e"),
        );
    client.execute(req.clone()).await.unwrap();
    let opts = RequestOptions::new()
        .header("x-layer", "request")
        .header("accept", "application/binary")
        .remove_header("x-client-only")
        .remove_header("x-endpoint-only");
    client.execute(req.options(opts)).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "x-layer"), Some("endpoint"));
    assert_eq!(header_of(&reqs[0], "x-client-only"), Some("c"));
    assert_eq!(header_of(&reqs[0], "x-endpoint-only"), Some("e"));
    assert_eq!(header_of(&reqs[0], "user-agent"), Some("my-app/1.0"));
    assert_eq!(header_of(&reqs[0], "x-stainless-os"), None);
    assert_eq!(header_of(&reqs[0], "accept"), Some("application/json"));
    assert_eq!(header_of(&reqs[1], "x-layer"), Some("request"));
    assert_eq!(header_of(&reqs[1], "accept"), Some("application/binary"));
    assert_eq!(header_of(&reqs[1], "x-client-only"), None);
    assert_eq!(header_of(&reqs[1], "x-endpoint-only"), None);
}

#[tokio::test]
async fn timeout_header_follows_the_effective_timeout() {
    let server = ok_server().await;
    let client = builder(&server)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    client.execute(get("/a")).await.unwrap();
    let opts = RequestOptions::new().timeout(Duration::from_millis(2500));
    client.execute(get("/b").options(opts)).await.unwrap();
    client
        .execute(get("/c").options(RequestOptions::new().timeout(None)))
        .await
        .unwrap();
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "x-stainless-timeout"), Some("30"));
    assert_eq!(header_of(&reqs[1], "x-stainless-timeout"), Some("2.5"));
    assert_eq!(header_of(&reqs[2], "x-stainless-timeout"), None);
}

#[tokio::test]
async fn invalid_header_in_options_is_an_error() {
    let server = ok_server().await;
    let client = builder(&server).build().unwrap();
    let opts = RequestOptions::new().header("x-bad", "a\nb");
    let err = client.execute(get("/a").options(opts)).await.unwrap_err();
    assert_eq!(err.kind_name(), "invalid_request");
    assert!(requests(&server).await.is_empty());
}

// ---------- URL, query and body ----------

#[tokio::test]
async fn base_url_path_prefix_is_kept() {
    let server = ok_server().await;
    for base in [
        format!("{}/proxy", server.uri()),
        format!("{}/proxy/", server.uri()),
    ] {
        let client = builder(&server).base_url(base).build().unwrap();
        let resp = client.execute(get("/v1/messages?beta=true")).await.unwrap();
        assert_eq!(resp.url().path(), "/proxy/v1/messages");
    }
    let reqs = requests(&server).await;
    for r in &reqs {
        assert_eq!(r.url.path(), "/proxy/v1/messages");
        assert_eq!(r.url.query(), Some("beta=true"));
    }
}

#[tokio::test]
async fn default_endpoint_and_extra_query_merge() {
    let server = ok_server().await;
    let client = builder(&server)
        .default_query("tenant", "t1")
        .default_query("limit", "1")
        .build()
        .unwrap();
    let req = get("/v1/models?beta=true")
        .query("limit", "20")
        .query("after_id", "m_1")
        .options(
            RequestOptions::new()
                .query("after_id", "m_2")
                .query("debug", "1"),
        );
    client.execute(req).await.unwrap();
    let reqs = requests(&server).await;
    let mut pairs: Vec<(String, String)> = reqs[0].url.query_pairs().into_owned().collect();
    pairs.sort();
    let expected = [
        ("after_id", "m_2"),
        ("beta", "true"),
        ("debug", "1"),
        ("limit", "20"),
        ("tenant", "t1"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    assert_eq!(pairs, expected);
}

#[tokio::test]
async fn extra_body_fields_override_top_level_fields() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(body_json(
            json!({"model": "override", "max_tokens": 5, "metadata": {"user_id": "u"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .expect(1)
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let opts = RequestOptions::new()
        .body_field("model", "override")
        .body_field("metadata", json!({"user_id": "u"}));
    let req = post_json("/v1/messages", json!({"model": "m", "max_tokens": 5})).options(opts);
    let value: Value = client.execute_json(req).await.unwrap();
    assert_eq!(value, json!({}));
    server.verify().await;
}

#[tokio::test]
async fn multipart_body_is_rebuilt_for_each_attempt() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(failing(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": "file_1"})))
        .mount(&server)
        .await;
    let dir = std::env::temp_dir().join(format!("anthropic-client-core-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("notes.md");
    std::fs::write(&file, "# from disk").unwrap();
    let form = MultipartForm::new()
        .text("purpose", "testing")
        .part(MultipartPart::bytes(
            "file",
            "hello.txt",
            &b"hello bytes"[..],
        ))
        .part(MultipartPart::file("files[]", &file));
    let client = builder(&server).build().unwrap();
    let resp = client
        .execute(ApiRequest::new(Method::POST, "/v1/files").multipart(form))
        .await
        .unwrap();
    assert_eq!(resp.retries_taken(), 1);
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 2);
    for r in &reqs {
        let ct = header_of(r, "content-type").unwrap();
        assert!(ct.starts_with("multipart/form-data; boundary="), "{ct}");
        let body = String::from_utf8_lossy(&r.body);
        assert!(body.contains("name=\"purpose\"\r\n\r\ntesting"), "{body}");
        assert!(
            body.contains("filename=\"hello.txt\"\r\nContent-Type: text/plain"),
            "{body}"
        );
        assert!(
            body.contains("hello bytes") && body.contains("# from disk"),
            "{body}"
        );
        assert!(body.contains("filename=\"notes.md\""), "{body}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

// ---------- retries ----------

#[tokio::test]
async fn retryable_statuses_are_retried_with_retry_count() {
    for status in [408u16, 409, 429, 500, 529] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(failing(status))
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();
        let err = client.execute(get("/v1/models")).await.unwrap_err();
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let reqs = requests(&server).await;
        assert_eq!(retry_counts(&reqs), ["0", "1", "2"], "status {status}");
    }
}

#[tokio::test]
async fn success_after_retries_reports_retries_taken() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(failing(529))
        .up_to_n_times(2)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"done": true})))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let resp = client
        .execute(post_json("/v1/messages", json!({})))
        .await
        .unwrap();
    assert_eq!(resp.retries_taken(), 2);
    assert_eq!(resp.json::<Value>().await.unwrap(), json!({"done": true}));
    assert_eq!(retry_counts(&requests(&server).await), ["0", "1", "2"]);
}

#[tokio::test]
async fn client_errors_are_not_retried() {
    for status in [400u16, 401, 403, 404, 413, 422] {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(failing(status))
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();
        client.execute(get("/v1/models")).await.unwrap_err();
        assert_eq!(requests(&server).await.len(), 1, "status {status}");
    }
}

#[tokio::test]
async fn x_should_retry_overrides_the_status() {
    let server = MockServer::start().await;
    Mock::given(path("/yes"))
        .respond_with(failing(400).insert_header("x-should-retry", "true"))
        .mount(&server)
        .await;
    Mock::given(path("/no"))
        .respond_with(failing(500).insert_header("x-should-retry", "false"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    assert_eq!(
        client.execute(get("/yes")).await.unwrap_err().kind_name(),
        "bad_request"
    );
    assert_eq!(
        client.execute(get("/no")).await.unwrap_err().kind_name(),
        "internal_server"
    );
    let reqs = requests(&server).await;
    let count = |p: &str| reqs.iter().filter(|r| r.url.path() == p).count();
    assert_eq!((count("/yes"), count("/no")), (3, 1));
}

#[tokio::test]
async fn retry_after_headers_are_honoured() {
    let server = MockServer::start().await;
    Mock::given(path("/ms"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after-ms", "50"))
        .mount(&server)
        .await;
    Mock::given(path("/secs"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "0.05"))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(1).build().unwrap();
    let err = client.execute(get("/ms")).await.unwrap_err();
    assert!(err.is_rate_limit());
    assert_eq!(err.retry_after(), Some(Duration::from_millis(50)));
    let err = client.execute(get("/secs")).await.unwrap_err();
    assert_eq!(err.retry_after(), Some(Duration::from_millis(50)));
    let reqs = requests(&server).await;
    assert_eq!(retry_counts(&reqs), ["0", "1", "0", "1"]);
}

#[tokio::test]
async fn max_retries_zero_disables_retries() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(failing(500))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    client.execute(get("/a")).await.unwrap_err();
    let client = builder(&server).build().unwrap();
    let opts = RequestOptions::new().max_retries(0);
    client.execute(get("/b").options(opts)).await.unwrap_err();
    let no_retries = client.with_options(|o| o.max_retries(0));
    no_retries.execute(get("/c")).await.unwrap_err();
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 3);
}

#[tokio::test]
async fn retry_count_header_can_be_set_or_removed() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(failing(500))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(1).build().unwrap();
    let opts = RequestOptions::new().header("x-stainless-retry-count", "custom");
    client.execute(get("/set").options(opts)).await.unwrap_err();
    let opts = RequestOptions::new().remove_header("x-stainless-retry-count");
    client
        .execute(get("/removed").options(opts))
        .await
        .unwrap_err();
    let reqs = requests(&server).await;
    assert_eq!(retry_counts(&reqs), ["custom", "custom", "-", "-"]);
}

#[tokio::test]
async fn attempt_timeout_is_retried_then_reported() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(1).build().unwrap();
    let opts = RequestOptions::new().timeout(Duration::from_millis(50));
    let err = client
        .execute(get("/slow").options(opts))
        .await
        .unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(err.kind_name(), "timeout");
    assert!(err.is_retryable());
    assert_eq!(retry_counts(&requests(&server).await), ["0", "1"]);
}

/// A TCP server that accepts connections and closes them at once, counting them.
async fn slamming_server() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            let mut buf = [0u8; 1024];
            let _ = socket.read(&mut buf).await;
            drop(socket);
        }
    });
    (format!("http://{addr}"), count)
}

#[tokio::test]
async fn connection_errors_are_retried() {
    let (uri, count) = slamming_server().await;
    let client = Client::builder()
        .read_env(false)
        .api_key(KEY)
        .base_url(uri)
        .max_retries(1)
        .build()
        .unwrap();
    let err = client.execute(get("/v1/models")).await.unwrap_err();
    assert_eq!(err.kind_name(), "connection", "{err}");
    assert!(err.is_retryable());
    assert_eq!(count.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn closed_port_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let client = Client::builder()
        .read_env(false)
        .api_key(KEY)
        .base_url(format!("http://{addr}"))
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.execute(get("/v1/models")).await.unwrap_err();
    assert!(matches!(err, Error::Connection(_)), "{err:?}");
    assert!(err.to_string().starts_with("Connection error."), "{err}");
    assert!(!err.to_string().contains(KEY));
}

// ---------- errors ----------

#[tokio::test]
async fn error_kinds_by_status_carry_request_id_and_body() {
    let cases = [
        (400, "bad_request", "invalid_request_error"),
        (401, "authentication", "authentication_error"),
        (403, "permission_denied", "permission_error"),
        (404, "not_found", "not_found_error"),
        (409, "conflict", "invalid_request_error"),
        (413, "request_too_large", "request_too_large"),
        (422, "unprocessable_entity", "invalid_request_error"),
        (429, "rate_limit", "rate_limit_error"),
        (500, "internal_server", "api_error"),
        (503, "internal_server", "api_error"),
        (529, "overloaded", "overloaded_error"),
        (418, "api", "teapot_error"),
    ];
    let server = MockServer::start().await;
    for (status, _, api_type) in cases {
        Mock::given(path(format!("/s/{status}")))
            .respond_with(
                ResponseTemplate::new(status)
                    .insert_header("request-id", format!("req_{status}").as_str())
                    .set_body_json(error_body(api_type)),
            )
            .mount(&server)
            .await;
    }
    let client = builder(&server).max_retries(0).build().unwrap();
    for (status, kind, api_type) in cases {
        let err = client
            .execute(get(&format!("/s/{status}")))
            .await
            .unwrap_err();
        assert_eq!(err.kind_name(), kind);
        assert_eq!(err.status().unwrap().as_u16(), status);
        assert_eq!(err.request_id(), Some(format!("req_{status}").as_str()));
        assert_eq!(err.api_error_type(), Some(api_type));
        let api = err.api_error().unwrap();
        assert_eq!(api.error_message(), Some("boom"));
        assert_eq!(api.body().unwrap()["request_id"], "req_body");
        let prefix = format!("Error code: {status} - {{");
        assert!(err.to_string().starts_with(&prefix), "{err}");
    }
    let rate = client.execute(get("/s/429")).await.unwrap_err();
    assert!(rate.is_rate_limit() && !rate.is_overloaded());
    assert!(matches!(rate, Error::RateLimit(_)));
    let overloaded = client.execute(get("/s/529")).await.unwrap_err();
    assert!(overloaded.is_overloaded() && overloaded.is_retryable());
}

#[tokio::test]
async fn non_json_error_body_is_kept_as_text() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(502).set_body_string("<html>Bad gateway</html>"))
        .mount(&server)
        .await;
    let client = builder(&server).max_retries(0).build().unwrap();
    let err = client.execute(get("/a")).await.unwrap_err();
    let api = err.api_error().unwrap();
    assert_eq!(api.body(), None);
    assert_eq!(api.body_text(), "<html>Bad gateway</html>");
    assert_eq!(err.to_string(), "<html>Bad gateway</html>");
    assert_eq!(err.request_id(), None);
}

#[tokio::test]
async fn undecodable_success_body_is_a_decode_error_with_excerpt() {
    let server = MockServer::start().await;
    let body = format!("not json {}", "x".repeat(2000));
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let err = client.execute_json::<Value>(get("/a")).await.unwrap_err();
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert!(decode.excerpt().starts_with("not json"));
    assert_eq!(decode.excerpt().len(), 512);
    assert_eq!(err.kind_name(), "decode");
}

#[tokio::test]
async fn debug_output_never_shows_secrets() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(401).set_body_json(error_body("authentication_error")))
        .mount(&server)
        .await;
    let b = builder(&server)
        .auth_token(TOKEN)
        .default_header("x-api-key", "sk-header-SECRET")
        .default_header("authorization", "Bearer hdr-SECRET");
    let client = b.clone().build().unwrap();
    let opts = RequestOptions::new()
        .header("x-api-key", "sk-request-SECRET")
        .header("x-custom-token", "tok-request-SECRET");
    let err = client
        .execute(get("/a").options(opts.clone()))
        .await
        .unwrap_err();
    let copy = client.with_options(|o| o.max_retries(1));
    let outputs = [
        format!("{b:?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{copy:?}"),
        format!("{opts:?}"),
        format!("{err:?}"),
        format!("{err}"),
    ];
    for out in outputs {
        assert!(!out.contains("SECRET"), "{out}");
        assert!(!out.contains(KEY) && !out.contains(TOKEN), "{out}");
    }
    assert!(format!("{client:?}").contains("[redacted]"));
}

// ---------- client options and responses ----------

#[tokio::test]
async fn with_options_overrides_and_merges() {
    let server = ok_server().await;
    let base = builder(&server)
        .default_header("x-base", "1")
        .default_query("q1", "1")
        .build()
        .unwrap();
    let derived = base.with_options(|o| {
        o.timeout(Duration::from_secs(7))
            .default_header("x-derived", "2")
            .default_query("q2", "2")
    });
    assert_eq!(derived.timeout(), Some(Duration::from_secs(7)));
    assert!(base.has_default_timeout() && !derived.has_default_timeout());
    assert_eq!(derived.max_retries(), base.max_retries());
    derived.execute(get("/a")).await.unwrap();
    let reqs = requests(&server).await;
    assert_eq!(header_of(&reqs[0], "x-base"), Some("1"));
    assert_eq!(header_of(&reqs[0], "x-derived"), Some("2"));
    assert_eq!(header_of(&reqs[0], "x-api-key"), Some(KEY));
    assert_eq!(header_of(&reqs[0], "x-stainless-timeout"), Some("7"));
    assert_eq!(reqs[0].url.query(), Some("q1=1&q2=2"));
}

#[tokio::test]
async fn bad_configuration_is_reported_per_request() {
    let server = ok_server().await;
    let client = builder(&server).build().unwrap();
    let broken = client.with_options(|o| o.base_url("not a url"));
    let err = broken.execute(get("/a")).await.unwrap_err();
    assert_eq!(err.kind_name(), "invalid_request");
    assert!(err.to_string().contains("base URL"), "{err}");
    let err = Client::builder()
        .read_env(false)
        .base_url("nope")
        .build()
        .unwrap_err();
    assert_eq!(err.kind_name(), "invalid_request");
}

#[tokio::test]
async fn response_metadata_and_body_stream() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/v1/files/f_1/content"))
        .and(query_param("beta", "true"))
        .and(header("accept", "application/binary"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("request-id", "req_stream")
                .set_body_bytes(vec![7u8; 100_000]),
        )
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let req = get("/v1/files/f_1/content?beta=true")
        .options(RequestOptions::new().header("accept", "application/binary"));
    let resp = client.execute(req).await.unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.request_id(), Some("req_stream"));
    assert_eq!(resp.retries_taken(), 0);
    assert_eq!(resp.url().path(), "/v1/files/f_1/content");
    let mut stream = resp.bytes_stream();
    let mut total = 0;
    while let Some(chunk) = stream.next().await {
        total += chunk.unwrap().len();
    }
    assert_eq!(total, 100_000);
}

/// A server that sends response headers and part of the body, then stalls.
async fn stalling_server() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = socket.read(&mut buf).await;
                let head = "HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\npartial";
                let _ = socket.write_all(head.as_bytes()).await;
                tokio::time::sleep(Duration::from_secs(5)).await;
            });
        }
    });
    format!("http://{addr}")
}

#[tokio::test]
async fn stalled_body_read_times_out() {
    let uri = stalling_server().await;
    let client = Client::builder()
        .read_env(false)
        .api_key(KEY)
        .base_url(uri)
        .timeout(Duration::from_millis(100))
        .build()
        .unwrap();
    let resp = client.execute(get("/a")).await.unwrap();
    let err = resp.text().await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
}

#[tokio::test]
async fn redirects_are_followed_only_within_the_origin() {
    let other = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .mount(&other)
        .await;
    let redirector = MockServer::start().await;
    Mock::given(path("/same"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/moved"))
        .mount(&redirector)
        .await;
    Mock::given(path("/moved"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"moved": true})))
        .mount(&redirector)
        .await;
    Mock::given(path("/cross"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/stolen", other.uri()).as_str()),
        )
        .mount(&redirector)
        .await;
    let client = builder(&redirector).build().unwrap();
    let moved: Value = client.execute_json(get("/same")).await.unwrap();
    assert_eq!(moved, json!({"moved": true}));
    let resp = client.execute(get("/cross")).await.unwrap();
    assert_eq!(resp.status(), 302);
    assert!(
        requests(&other).await.is_empty(),
        "the key must not leave the origin"
    );
}

#[tokio::test]
async fn https_uses_the_bundled_tls_stack_without_a_global_provider() {
    // A TLS handshake against a plain-HTTP server fails cleanly: no panic for want of a
    // process-wide rustls crypto provider.
    let server = ok_server().await;
    let https = server.uri().replacen("http://", "https://", 1);
    let client = builder(&server)
        .base_url(https)
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.execute(get("/v1/models")).await.unwrap_err();
    assert_eq!(err.kind_name(), "connection", "{err}");
}
