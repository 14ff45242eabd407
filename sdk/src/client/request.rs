//! Transport-agnostic request descriptions built by the endpoint code.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderName, HeaderValue};
use http::Method;
use serde::Serialize;
use serde_json::{Map, Value};

use super::headers::HeaderOverrides;
use crate::error::{Error, Result};

/// One API call: method, relative path, query, endpoint headers, body and per-request options.
///
/// ```
/// use anthropic::client::{ApiRequest, RequestOptions};
/// use http::Method;
///
/// let req = ApiRequest::new(Method::GET, "/v1/models")
///     .query("limit", "20")
///     .options(RequestOptions::new().max_retries(0));
/// assert_eq!(req.path, "/v1/models");
/// ```
#[derive(Debug, Clone)]
pub struct ApiRequest {
    /// The HTTP method.
    pub method: Method,
    /// The path relative to the base URL (e.g. `/v1/messages?beta=true`; it may carry a query),
    /// or an absolute `http(s)://` URL, used as is.
    pub path: String,
    /// Query parameters, added after any query in `path`.
    pub query: Vec<(String, String)>,
    /// Endpoint headers (e.g. `anthropic-beta`); they override the client's default headers.
    pub headers: Vec<(HeaderName, HeaderValue)>,
    /// The body.
    pub body: RequestBody,
    /// Per-request options from the caller; they override everything else.
    pub options: RequestOptions,
}

impl ApiRequest {
    /// A request with no query, headers, body or options.
    pub fn new(method: Method, path: impl Into<String>) -> ApiRequest {
        ApiRequest {
            method,
            path: path.into(),
            query: Vec::new(),
            headers: Vec::new(),
            body: RequestBody::Empty,
            options: RequestOptions::default(),
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> ApiRequest {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets an endpoint header (replacing an earlier one of the same name).
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> ApiRequest {
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value));
        self
    }

    /// Sets a JSON body.
    pub fn json_body(mut self, body: Value) -> ApiRequest {
        self.body = RequestBody::Json(body);
        self
    }

    /// Serializes `body` as the JSON body.
    ///
    /// The body is encoded once, straight to bytes (no intermediate `Value`).
    pub fn json<T: Serialize + ?Sized>(mut self, body: &T) -> Result<ApiRequest> {
        let bytes = serde_json::to_vec(body).map_err(|e| {
            Error::InvalidRequest(format!("could not serialize the request body: {e}"))
        })?;
        self.body = RequestBody::JsonBytes(Bytes::from(bytes));
        Ok(self)
    }

    /// Sets a multipart body.
    pub fn multipart(mut self, form: MultipartForm) -> ApiRequest {
        self.body = RequestBody::Multipart(form);
        self
    }

    /// Merges the caller's options over the ones already set.
    pub fn options(mut self, options: RequestOptions) -> ApiRequest {
        self.options = std::mem::take(&mut self.options).merge(options);
        self
    }
}

/// The body of an [`ApiRequest`].
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub enum RequestBody {
    /// No body.
    #[default]
    Empty,
    /// A JSON body, sent with `content-type: application/json`.
    Json(Value),
    /// An already encoded JSON body (a JSON object), sent with `content-type: application/json`.
    JsonBytes(Bytes),
    /// A `multipart/form-data` body, rebuilt for every attempt.
    Multipart(MultipartForm),
}

/// The parts of a `multipart/form-data` body.
///
/// Parts hold bytes or file paths, so a fresh form is built for every attempt; files are read
/// when each attempt is sent.
#[derive(Debug, Clone, Default)]
pub struct MultipartForm {
    parts: Vec<MultipartPart>,
}

impl MultipartForm {
    /// An empty form.
    pub fn new() -> MultipartForm {
        MultipartForm::default()
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> MultipartForm {
        self.part(MultipartPart::text(name, value))
    }

    /// Adds a part.
    pub fn part(mut self, part: MultipartPart) -> MultipartForm {
        self.parts.push(part);
        self
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[MultipartPart] {
        &self.parts
    }

    /// Builds the `reqwest` form for one attempt, reading file parts now.
    pub(crate) async fn build(&self) -> Result<reqwest::multipart::Form> {
        let mut form = reqwest::multipart::Form::new();
        for part in &self.parts {
            form = form.part(part.name.clone(), part.build().await?);
        }
        Ok(form)
    }
}

/// One part of a [`MultipartForm`]: a text field or a file.
#[derive(Clone)]
pub struct MultipartPart {
    name: String,
    content: PartContent,
    filename: Option<String>,
    content_type: Option<String>,
}

#[derive(Clone)]
enum PartContent {
    Text(String),
    Bytes(Bytes),
    Path(PathBuf),
}

impl MultipartPart {
    /// A text field.
    pub fn text(name: impl Into<String>, value: impl Into<String>) -> MultipartPart {
        MultipartPart::with(name, PartContent::Text(value.into()), None)
    }

    /// A file part from bytes in memory.
    pub fn bytes(
        name: impl Into<String>,
        filename: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> MultipartPart {
        let filename = Some(filename.into());
        MultipartPart::with(name, PartContent::Bytes(data.into()), filename)
    }

    /// A file part read from `path` when each attempt is sent; the filename defaults to the
    /// path's last component.
    pub fn file(name: impl Into<String>, path: impl Into<PathBuf>) -> MultipartPart {
        let path = path.into();
        let filename = path.file_name().map(|n| n.to_string_lossy().into_owned());
        MultipartPart::with(name, PartContent::Path(path), filename)
    }

    fn with(name: impl Into<String>, content: PartContent, filename: Option<String>) -> Self {
        MultipartPart {
            name: name.into(),
            content,
            filename,
            content_type: None,
        }
    }

    /// Sets the filename sent in `Content-Disposition`.
    pub fn filename(mut self, filename: impl Into<String>) -> MultipartPart {
        self.filename = Some(filename.into());
        self
    }

    /// Sets the part's `Content-Type` (file parts default to a guess from the filename).
    pub fn content_type(mut self, content_type: impl Into<String>) -> MultipartPart {
        self.content_type = Some(content_type.into());
        self
    }

    /// The field name.
    pub fn name(&self) -> &str {
        &self.name
    }

    async fn build(&self) -> Result<reqwest::multipart::Part> {
        use reqwest::multipart::Part;
        let part = match &self.content {
            PartContent::Text(text) => Part::text(text.clone()),
            PartContent::Bytes(data) => {
                Part::stream_with_length(reqwest::Body::from(data.clone()), data.len() as u64)
            }
            PartContent::Path(path) => {
                let data = tokio::fs::read(path).await.map_err(|e| {
                    Error::InvalidRequest(format!("could not read `{}`: {e}", path.display()))
                })?;
                Part::bytes(data)
            }
        };
        let part = match &self.filename {
            Some(filename) => part.file_name(filename.clone()),
            None => part,
        };
        let content_type = match (&self.content_type, &self.content, &self.filename) {
            (Some(ct), _, _) => Some(ct.clone()),
            (None, PartContent::Text(_), _) => None,
            (None, _, Some(filename)) => Some(
                mime_guess::from_path(filename)
                    .first_or_octet_stream()
                    .to_string(),
            ),
            (None, _, None) => Some("application/octet-stream".to_owned()),
        };
        match content_type {
            Some(ct) => part.mime_str(&ct).map_err(|_| {
                Error::InvalidRequest(format!(
                    "invalid content type {ct:?} for part `{}`",
                    self.name
                ))
            }),
            None => Ok(part),
        }
    }
}

impl fmt::Debug for MultipartPart {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut d = f.debug_struct("MultipartPart");
        d.field("name", &self.name);
        match &self.content {
            PartContent::Text(t) => d.field("text_len", &t.len()),
            PartContent::Bytes(b) => d.field("bytes_len", &b.len()),
            PartContent::Path(p) => d.field("path", p),
        };
        d.field("filename", &self.filename)
            .field("content_type", &self.content_type)
            .finish()
    }
}

/// Per-request options: timeout, retries, extra headers, query and body fields.
///
/// They take precedence over the client's settings.
///
/// ```
/// use std::time::Duration;
/// use anthropic::RequestOptions;
///
/// let opts = RequestOptions::new()
///     .timeout(Duration::from_secs(20))
///     .max_retries(5)
///     .header("anthropic-beta", "files-api-2025-04-14")
///     .remove_header("x-stainless-retry-count")
///     .query("debug", "1")
///     .body_field("metadata", serde_json::json!({"user_id": "u-1"}));
/// assert!(opts.has_timeout());
/// ```
#[derive(Clone, Default)]
pub struct RequestOptions {
    pub(crate) timeout: Option<Option<Duration>>,
    pub(crate) max_retries: Option<u32>,
    pub(crate) headers: HeaderOverrides,
    pub(crate) query: Vec<(String, String)>,
    pub(crate) body: Map<String, Value>,
}

impl RequestOptions {
    /// No overrides.
    pub fn new() -> RequestOptions {
        RequestOptions::default()
    }

    /// The timeout for each attempt (`None` disables the timeout).
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> RequestOptions {
        self.timeout = Some(timeout.into());
        self
    }

    /// How many times to retry (0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> RequestOptions {
        self.max_retries = Some(max_retries);
        self
    }

    /// Sets a header, overriding the SDK's, the client's and the endpoint's.
    ///
    /// An invalid name or value makes the request fail with [`Error::InvalidRequest`].
    pub fn header<N, V>(mut self, name: N, value: V) -> RequestOptions
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
        V: TryInto<HeaderValue>,
    {
        self.headers.set(name, value);
        self
    }

    /// Removes a header, including one the SDK would send by default.
    pub fn remove_header<N>(mut self, name: N) -> RequestOptions
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
    {
        self.headers.remove(name);
        self
    }

    /// Adds a query parameter; it replaces parameters of the same name from other sources.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<String>) -> RequestOptions {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Sets a top-level field of the JSON body, overriding the field the SDK would send.
    pub fn body_field(mut self, key: impl Into<String>, value: impl Into<Value>) -> RequestOptions {
        self.body.insert(key.into(), value.into());
        self
    }

    /// Combines two sets of options; `other` wins where both set something.
    pub fn merge(mut self, other: RequestOptions) -> RequestOptions {
        if other.timeout.is_some() {
            self.timeout = other.timeout;
        }
        if other.max_retries.is_some() {
            self.max_retries = other.max_retries;
        }
        self.headers.extend(&other.headers);
        self.query.extend(other.query);
        self.body.extend(other.body);
        self
    }

    /// Whether a per-request timeout was set (even `None`); see the long-request guard.
    pub fn has_timeout(&self) -> bool {
        self.timeout.is_some()
    }

    /// The per-request timeout, if one was set (`Some(None)` means no timeout).
    pub fn timeout_override(&self) -> Option<Option<Duration>> {
        self.timeout
    }

    /// The per-request retry limit, if one was set.
    pub fn max_retries_override(&self) -> Option<u32> {
        self.max_retries
    }
}

impl fmt::Debug for RequestOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RequestOptions")
            .field("timeout", &self.timeout)
            .field("max_retries", &self.max_retries)
            .field("headers", &self.headers)
            .field("query", &self.query)
            .field("body_fields", &self.body.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// Percent-encodes one path segment (RFC 3986 unreserved characters are kept).
///
/// Fails with [`Error::InvalidRequest`] for an empty value, and for `.` or `..`, which URL
/// parsers would treat as relative path segments.
///
/// ```
/// use anthropic::client::encode_path_param;
/// assert_eq!(encode_path_param("file_id", "file 1/ä").unwrap(), "file%201%2F%C3%A4");
/// let err = encode_path_param("file_id", "").unwrap_err();
/// assert_eq!(err.to_string(), "Expected a non-empty value for `file_id` but received ''");
/// ```
pub fn encode_path_param(name: &str, value: &str) -> Result<String> {
    if value.is_empty() {
        return Err(Error::InvalidRequest(format!(
            "Expected a non-empty value for `{name}` but received ''"
        )));
    }
    if value == "." || value == ".." {
        return Err(Error::InvalidRequest(format!(
            "Expected a path segment for `{name}` but received '{value}'"
        )));
    }
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(value.len());
    for &b in value.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(b >> 4)]));
            out.push(char::from(HEX[usize::from(b & 0xF)]));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn path_params() {
        assert_eq!(
            encode_path_param("id", "msgbatch_01-AZ.~_").unwrap(),
            "msgbatch_01-AZ.~_"
        );
        assert_eq!(encode_path_param("id", "a b?#%").unwrap(), "a%20b%3F%23%25");
        assert_eq!(
            encode_path_param("id", "..").unwrap_err().kind_name(),
            "invalid_request"
        );
        assert_eq!(encode_path_param("id", "...").unwrap(), "...");
    }

    #[test]
    fn options_merge() {
        let a = RequestOptions::new()
            .timeout(Duration::from_secs(1))
            .max_retries(1)
            .body_field("a", 1)
            .body_field("b", 1);
        let b = RequestOptions::new().max_retries(3).body_field("b", 2);
        let m = a.merge(b);
        assert_eq!(m.timeout_override(), Some(Some(Duration::from_secs(1))));
        assert_eq!(m.max_retries_override(), Some(3));
        assert_eq!(m.body["b"], 2);
        assert_eq!(m.body["a"], 1);
    }

    #[tokio::test]
    async fn multipart_builds_each_time() {
        let form = MultipartForm::new()
            .text("purpose", "test")
            .part(MultipartPart::bytes("file", "a.txt", &b"hello"[..]))
            .part(MultipartPart::file("missing", "/definitely/not/here.bin"));
        let err = form.build().await.unwrap_err();
        assert_eq!(err.kind_name(), "invalid_request");
        let ok = MultipartForm::new().part(MultipartPart::bytes("f", "x.json", vec![1u8]));
        assert!(ok.build().await.is_ok());
        assert!(ok.build().await.is_ok());
    }
}
