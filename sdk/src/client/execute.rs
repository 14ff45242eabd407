//! Sending an [`ApiRequest`]: headers, URL, body, retries and error mapping.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use http::header::{HeaderMap, HeaderValue, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE};
use http::Method;
use reqwest::Url;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::headers::{self, API_KEY, RETRY_COUNT, TIMEOUT};
use super::request::{ApiRequest, MultipartForm, MultipartPart, RequestBody};
use super::response::{collect, ApiResponse};
use super::{retry, Client};
use crate::error::{Error, Result};

/// The most bytes of an error response body that are read.
const ERROR_BODY_LIMIT: usize = 1 << 20;

const MISSING_CREDENTIALS: &str = "Could not resolve authentication method. Expected either \
api_key or auth_token to be set (for example through the ANTHROPIC_API_KEY or \
ANTHROPIC_AUTH_TOKEN environment variables), or for one of the `x-api-key` or `authorization` \
headers to be explicitly set or removed.";

/// A request ready to be sent any number of times.
struct Prepared {
    method: Method,
    url: Url,
    headers: HeaderMap,
    send_retry_count: bool,
    body: PreparedBody,
    timeout: Option<Duration>,
    max_retries: u32,
}

enum PreparedBody {
    None,
    Bytes(Bytes),
    Multipart(MultipartForm),
}

impl Client {
    /// Sends the request, retrying per the client's policy, and returns the first successful
    /// response without reading its body (so it can be streamed).
    ///
    /// Error statuses become the matching [`Error`] variant after the last attempt.
    pub async fn execute(&self, request: ApiRequest) -> Result<ApiResponse> {
        let prepared = self.prepare(request)?;
        let http = self.inner.http.as_ref().ok_or_else(|| {
            Error::InvalidRequest("the HTTP client could not be created".to_owned())
        })?;
        let mut retries_taken: u32 = 0;
        loop {
            let request = prepared.build_attempt(http, retries_taken).await?;
            tracing::debug!("Sending HTTP Request: {} {}", prepared.method, prepared.url);
            let outcome = send(http, request, prepared.timeout).await;
            let can_retry = retries_taken < prepared.max_retries;
            let delay = match outcome {
                Ok(response) if !is_error_status(response.status()) => {
                    return Ok(ApiResponse::new(response, retries_taken, prepared.timeout));
                }
                Ok(response) => {
                    let status = response.status();
                    if !(can_retry && retry::should_retry(status, response.headers())) {
                        return Err(read_error(response, prepared.timeout).await);
                    }
                    let headers = response.headers().clone();
                    drop(response);
                    self.delay(retries_taken, Some(&headers))
                }
                Err(error) if can_retry => {
                    tracing::debug!("Attempt failed: {error}");
                    self.delay(retries_taken, None)
                }
                Err(error) => return Err(error),
            };
            tracing::info!(
                "Retrying request to {} in {:.3} seconds",
                prepared.url,
                delay.as_secs_f64()
            );
            tokio::time::sleep(delay).await;
            retries_taken += 1;
        }
    }

    /// Sends the request and decodes the JSON response body.
    pub async fn execute_json<T: DeserializeOwned>(&self, request: ApiRequest) -> Result<T> {
        self.execute(request).await?.json().await
    }

    fn delay(&self, retries_taken: u32, headers: Option<&HeaderMap>) -> Duration {
        let jitter = retry::jitter();
        retry::retry_delay(u64::from(retries_taken), headers, jitter, SystemTime::now())
    }

    /// Merges configuration, endpoint data and options into a [`Prepared`] request.
    fn prepare(&self, request: ApiRequest) -> Result<Prepared> {
        let config = &self.inner.config;
        if let Some(message) = &config.setup_error {
            return Err(Error::InvalidRequest(message.clone()));
        }
        let ApiRequest {
            method,
            path,
            query,
            headers: endpoint_headers,
            body,
            options,
        } = request;
        if let Some(message) = options.headers.error() {
            return Err(Error::InvalidRequest(message.to_owned()));
        }
        let timeout = options.timeout.unwrap_or(config.timeout);
        let max_retries = options.max_retries.unwrap_or(config.max_retries);
        let body = prepare_body(body, options.body)?;

        // SDK defaults < client defaults < endpoint headers < per-request headers.
        let mut headers = headers::sdk_defaults();
        if matches!(body, PreparedBody::Bytes(_)) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        if let Some(value) = config.api_key.as_ref().and_then(|k| k.header_value("")) {
            headers.insert(API_KEY, value);
        }
        if let Some(value) = config
            .auth_token
            .as_ref()
            .and_then(|t| t.header_value("Bearer "))
        {
            headers.insert(AUTHORIZATION, value);
        }
        config.headers.apply(&mut headers);
        for (name, value) in &endpoint_headers {
            headers.insert(name.clone(), value.clone());
        }
        options.headers.apply(&mut headers);

        let caller_mentions = |name: &str| {
            config.headers.mentions(name)
                || options.headers.mentions(name)
                || endpoint_headers.iter().any(|(n, _)| n == name)
        };
        let auth_removed =
            |name: &str| config.headers.removes(name) || options.headers.removes(name);
        let has_credential = [API_KEY, AUTHORIZATION.as_str()]
            .iter()
            .any(|name| headers.get(*name).is_some_and(|v| !v.is_empty()) || auth_removed(name));
        if !has_credential {
            return Err(Error::InvalidRequest(MISSING_CREDENTIALS.to_owned()));
        }
        if let Some(timeout) = timeout.filter(|_| !caller_mentions(TIMEOUT)) {
            if let Ok(value) = HeaderValue::from_str(&timeout.as_secs_f64().to_string()) {
                headers.insert(TIMEOUT, value);
            }
        }
        if matches!(body, PreparedBody::Multipart(_)) {
            // reqwest sets the multipart content type with its boundary.
            headers.remove(CONTENT_TYPE);
            headers.remove(CONTENT_LENGTH);
        }

        let url = build_url(
            &config.base_url,
            &path,
            [&config.query, &query, &options.query],
        )?;
        Ok(Prepared {
            method,
            url,
            headers,
            send_retry_count: !caller_mentions(RETRY_COUNT),
            body,
            timeout,
            max_retries,
        })
    }
}

impl Prepared {
    async fn build_attempt(
        &self,
        http: &reqwest::Client,
        retries_taken: u32,
    ) -> Result<reqwest::Request> {
        let mut headers = self.headers.clone();
        if self.send_retry_count {
            headers.insert(RETRY_COUNT, HeaderValue::from(retries_taken));
        }
        let builder = http.request(self.method.clone(), self.url.clone());
        let builder = match &self.body {
            PreparedBody::None => builder,
            PreparedBody::Bytes(bytes) => builder.body(bytes.clone()),
            PreparedBody::Multipart(form) => builder.multipart(form.build().await?),
        };
        builder
            .headers(headers)
            .build()
            .map_err(|e| Error::InvalidRequest(format!("could not build the HTTP request: {e}")))
    }
}

/// Sends one attempt, bounded by the per-attempt timeout (until the response headers arrive).
async fn send(
    http: &reqwest::Client,
    request: reqwest::Request,
    timeout: Option<Duration>,
) -> Result<reqwest::Response> {
    let response = match timeout {
        Some(limit) => match tokio::time::timeout(limit, http.execute(request)).await {
            Ok(result) => result,
            Err(_elapsed) => return Err(Error::timeout(None)),
        },
        None => http.execute(request).await,
    };
    response.map_err(Error::from_reqwest)
}

fn is_error_status(status: http::StatusCode) -> bool {
    status.is_client_error() || status.is_server_error()
}

/// Reads an error response's body (best effort) and maps it to an [`Error`].
async fn read_error(response: reqwest::Response, timeout: Option<Duration>) -> Error {
    let status = response.status();
    let headers = response.headers().clone();
    let stream = ApiResponse::new(response, 0, timeout).bytes_stream();
    let body = collect(stream, ERROR_BODY_LIMIT).await.unwrap_or_default();
    Error::from_response_parts(status, headers, &body)
}

/// Applies extra body fields and serializes JSON bodies once for all attempts.
fn prepare_body(body: RequestBody, extra: Map<String, Value>) -> Result<PreparedBody> {
    let json = match body {
        RequestBody::Empty if extra.is_empty() => return Ok(PreparedBody::None),
        RequestBody::Empty => Value::Object(extra),
        RequestBody::JsonBytes(bytes) if extra.is_empty() => return Ok(PreparedBody::Bytes(bytes)),
        RequestBody::JsonBytes(bytes) => {
            let mut value: Value = serde_json::from_slice(&bytes)
                .map_err(|e| Error::InvalidRequest(format!("the request body is not JSON: {e}")))?;
            let Value::Object(fields) = &mut value else {
                return Err(Error::InvalidRequest(
                    "extra body fields need a JSON object body".to_owned(),
                ));
            };
            fields.extend(extra);
            value
        }
        RequestBody::Json(mut value) => {
            if !extra.is_empty() {
                let Value::Object(fields) = &mut value else {
                    return Err(Error::InvalidRequest(
                        "extra body fields need a JSON object body".to_owned(),
                    ));
                };
                fields.extend(extra);
            }
            value
        }
        RequestBody::Multipart(mut form) => {
            for (key, value) in extra {
                let text = match value {
                    Value::String(s) => s,
                    other => other.to_string(),
                };
                form = form.part(MultipartPart::text(key, text));
            }
            return Ok(PreparedBody::Multipart(form));
        }
    };
    let bytes = serde_json::to_vec(&json)
        .map_err(|e| Error::InvalidRequest(format!("could not serialize the request body: {e}")))?;
    Ok(PreparedBody::Bytes(Bytes::from(bytes)))
}

/// Joins the base URL and a relative path (with any query), then merges the query layers:
/// each layer's keys replace those of the layers before it.
fn build_url(base: &Url, path: &str, layers: [&[(String, String)]; 3]) -> Result<Url> {
    let invalid = |e: &dyn std::fmt::Display| {
        Error::InvalidRequest(format!("invalid request URL for path {path:?}: {e}"))
    };
    let mut url;
    if path.starts_with("http://") || path.starts_with("https://") {
        url = Url::parse(path).map_err(|e| invalid(&e))?;
    } else {
        let (relative, query) = match path.split_once('?') {
            Some((relative, query)) => (relative, Some(query)),
            None => (path, None),
        };
        url = base.clone();
        url.set_path(&format!(
            "{}{}",
            base.path(),
            relative.trim_start_matches('/')
        ));
        url.set_query(query);
    }
    let mut pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    for layer in layers {
        pairs.retain(|(key, _)| !layer.iter().any(|(k, _)| k == key));
        pairs.extend(layer.iter().cloned());
    }
    if pairs.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn urls_keep_prefix_and_merge_queries() {
        let base = Url::parse("http://h:1/proxy/").unwrap();
        let none: &[(String, String)] = &[];
        let u = build_url(&base, "/v1/messages?beta=true", [none, none, none]).unwrap();
        assert_eq!(u.as_str(), "http://h:1/proxy/v1/messages?beta=true");
        let d = pairs(&[("a", "1"), ("b", "1")]);
        let r = pairs(&[("b", "2"), ("c", "2")]);
        let x = pairs(&[("c", "3"), ("beta", "false")]);
        let u = build_url(&base, "v1/x?beta=true", [&d, &r, &x]).unwrap();
        assert_eq!(u.query(), Some("a=1&b=2&c=3&beta=false"));
        let u = build_url(
            &base,
            "https://other.example/r.jsonl?sig=1",
            [none, none, none],
        );
        assert_eq!(u.unwrap().as_str(), "https://other.example/r.jsonl?sig=1");
    }

    #[test]
    fn body_merging() {
        let mut extra = Map::new();
        extra.insert("b".into(), Value::from(2));
        let body = RequestBody::Json(serde_json::json!({"a": 1, "b": 1}));
        let PreparedBody::Bytes(bytes) = prepare_body(body, extra.clone()).unwrap() else {
            panic!("expected bytes")
        };
        assert_eq!(&bytes[..], br#"{"a":1,"b":2}"#);
        let PreparedBody::Bytes(bytes) = prepare_body(RequestBody::Empty, extra.clone()).unwrap()
        else {
            panic!("expected bytes")
        };
        assert_eq!(&bytes[..], br#"{"b":2}"#);
        let err = prepare_body(RequestBody::Json(Value::from(1)), extra)
            .err()
            .unwrap();
        assert_eq!(err.kind_name(), "invalid_request");
        assert!(matches!(
            prepare_body(RequestBody::Empty, Map::new()),
            Ok(PreparedBody::None)
        ));
    }

    #[test]
    fn execute_future_is_send() {
        fn assert_send<T: Send>(_: &T) {}
        let client = crate::Client::builder().read_env(false).build().unwrap();
        let fut = client.execute(ApiRequest::new(Method::GET, "/v1/models"));
        assert_send(&fut);
    }
}
