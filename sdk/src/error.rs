//! The SDK's error type.
//!
//! Every fallible operation returns [`Result<T>`](Result), whose error is one [`Error`] enum.
//! API status errors get one variant per well-known status (mirroring the official Python
//! SDK's exception classes), each carrying an [`ApiError`] with the status, the response headers,
//! the `request-id` and the parsed error body.

use std::error::Error as StdError;
use std::fmt;
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use serde_json::Value;

/// `Result` with the SDK's [`Error`] as the default error type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// A boxed error that can cross threads, used as the source of transport errors.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// The most bytes of a response body kept in a [`DecodeError`] excerpt.
pub const BODY_EXCERPT_LIMIT: usize = 512;

const TIMEOUT_MESSAGE: &str = "Request timed out or interrupted. This could be due to a network \
timeout, dropped connection, or request cancellation. See \
https://docs.anthropic.com/en/api/errors#long-requests for more details.";

/// Any error returned by the SDK.
///
/// The status variants (`BadRequest` … `Api`) are produced both for HTTP error responses and for
/// `error` events that arrive inside a stream (then [`ApiError::status`] is `None`).
///
/// ```
/// # fn handle(err: anthropic::Error) {
/// match &err {
///     anthropic::Error::RateLimit(e) => eprintln!("slow down (request {:?})", e.request_id()),
///     e if e.is_retryable() => eprintln!("transient: {e}"),
///     e => eprintln!("{} error: {e}", e.kind_name()),
/// }
/// # }
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// 400, or an in-stream `invalid_request_error`.
    BadRequest(ApiError),
    /// 401, or an in-stream `authentication_error`.
    Authentication(ApiError),
    /// 403, or an in-stream `permission_error`.
    PermissionDenied(ApiError),
    /// 404, or an in-stream `not_found_error`.
    NotFound(ApiError),
    /// 409.
    Conflict(ApiError),
    /// 413, or an in-stream `request_too_large`.
    RequestTooLarge(ApiError),
    /// 422.
    UnprocessableEntity(ApiError),
    /// 429, or an in-stream `rate_limit_error`.
    RateLimit(ApiError),
    /// 529, or an in-stream `overloaded_error`.
    Overloaded(ApiError),
    /// Any other status ≥ 500, or an in-stream `api_error` / `timeout_error`.
    InternalServer(ApiError),
    /// Any other error status, or an in-stream error of another type.
    Api(ApiError),
    /// The request could not be sent or the response could not be read.
    Connection(TransportError),
    /// An attempt (or a read of the response body) exceeded the configured timeout.
    Timeout(TransportError),
    /// A response body was not the JSON the SDK expected.
    Decode(DecodeError),
    /// The request was rejected before sending: bad input or client configuration.
    InvalidRequest(String),
    /// A successful response did not have the expected shape (e.g. a malformed stream line,
    /// events out of order, or invalid JSON in a streamed tool input).
    InvalidResponse(String),
    /// A message stream ended before its `message_stop` event; carries what had arrived.
    IncompleteStream(IncompleteStream),
    /// A structured-output reply (`parse::<T>()`) did not decode as `T`; holds the raw text.
    OutputParse(OutputParseError),
}

/// `Some(...)` of the [`ApiError`] carried by the status variants, `None` for the others.
macro_rules! api_variants {
    ($value:expr, $e:ident => $some:expr) => {
        match $value {
            Error::BadRequest($e)
            | Error::Authentication($e)
            | Error::PermissionDenied($e)
            | Error::NotFound($e)
            | Error::Conflict($e)
            | Error::RequestTooLarge($e)
            | Error::UnprocessableEntity($e)
            | Error::RateLimit($e)
            | Error::Overloaded($e)
            | Error::InternalServer($e)
            | Error::Api($e) => Some($some),
            _ => None,
        }
    };
}

impl Error {
    /// Builds the error for an HTTP error response from its parts (status ≥ 400).
    ///
    /// The body is parsed as JSON when possible and kept as text otherwise.
    pub fn from_response_parts(status: StatusCode, headers: HeaderMap, body: &[u8]) -> Error {
        let text = String::from_utf8_lossy(body).trim().to_owned();
        let json: Option<Value> = serde_json::from_str(&text).ok();
        let message = match (&json, text.is_empty()) {
            (Some(v), _) => format!("Error code: {} - {}", status.as_u16(), v),
            (None, false) => text.clone(),
            (None, true) => format!("Error code: {}", status.as_u16()),
        };
        let request_id = header_str(&headers, "request-id")
            .map(str::to_owned)
            .or_else(|| body_request_id(json.as_ref()));
        let api = ApiError(Box::new(ApiErrorInner {
            status: Some(status),
            headers,
            request_id,
            body: json,
            body_text: text,
            message,
        }));
        Self::classify_status(status, api)
    }

    /// Builds the error for an `error` event received inside a stream.
    ///
    /// The kind follows the API error type: `overloaded_error` → [`Error::Overloaded`],
    /// `rate_limit_error` → [`Error::RateLimit`], `api_error` → [`Error::InternalServer`], and so
    /// on; unknown types give [`Error::Api`]. The status is `None`.
    pub fn from_stream_error(error_type: impl Into<String>, message: impl Into<String>) -> Error {
        let (error_type, message) = (error_type.into(), message.into());
        let body = serde_json::json!({
            "type": "error",
            "error": { "type": error_type, "message": message },
        });
        let api = ApiError(Box::new(ApiErrorInner {
            status: None,
            headers: HeaderMap::new(),
            request_id: None,
            body_text: body.to_string(),
            body: Some(body),
            message: format!("{error_type}: {message}"),
        }));
        match error_type.as_str() {
            "invalid_request_error" => Error::BadRequest(api),
            "authentication_error" => Error::Authentication(api),
            "permission_error" => Error::PermissionDenied(api),
            "not_found_error" => Error::NotFound(api),
            "request_too_large" => Error::RequestTooLarge(api),
            "rate_limit_error" => Error::RateLimit(api),
            "overloaded_error" => Error::Overloaded(api),
            "api_error" | "timeout_error" => Error::InternalServer(api),
            _ => Error::Api(api),
        }
    }

    /// A [`Error::Decode`] for `body` that failed to parse with `source`.
    pub fn decode(source: serde_json::Error, body: &[u8]) -> Error {
        Error::Decode(DecodeError(Box::new(DecodeInner {
            source,
            excerpt: excerpt(body),
        })))
    }

    /// An [`Error::InvalidRequest`] with `message`.
    pub fn invalid_request(message: impl Into<String>) -> Error {
        Error::InvalidRequest(message.into())
    }

    /// An [`Error::InvalidResponse`] with `message`.
    pub fn invalid_response(message: impl Into<String>) -> Error {
        Error::InvalidResponse(message.into())
    }

    /// An [`Error::IncompleteStream`]: the stream ended after `events` events without
    /// `message_stop`; `partial` is the message accumulated so far (`None` if not even
    /// `message_start` arrived).
    pub fn incomplete_stream(partial: Option<Value>, events: u64) -> Error {
        Error::IncompleteStream(IncompleteStream(Box::new(IncompleteInner {
            partial,
            events,
        })))
    }

    /// Sets the `request-id` of an in-stream API error that has none (stream errors learn it
    /// from the response headers, not from the event).
    pub(crate) fn with_request_id(mut self, request_id: Option<&str>) -> Error {
        if let (Some(id), Some(api)) = (request_id, self.api_error_mut()) {
            if api.0.request_id.is_none() {
                api.0.request_id = Some(id.to_owned());
            }
        }
        self
    }

    fn api_error_mut(&mut self) -> Option<&mut ApiError> {
        api_variants!(self, e => e)
    }

    pub(crate) fn connection(source: impl Into<BoxError>) -> Error {
        Error::Connection(TransportError::new(
            "Connection error.",
            Some(source.into()),
        ))
    }

    pub(crate) fn timeout(source: Option<BoxError>) -> Error {
        Error::Timeout(TransportError::new(TIMEOUT_MESSAGE, source))
    }

    /// Maps a `reqwest` error: timeouts to [`Error::Timeout`], the rest to [`Error::Connection`].
    pub(crate) fn from_reqwest(err: reqwest::Error) -> Error {
        // Drop the URL: it is logged elsewhere and may carry user-info from a proxy base URL.
        let err = err.without_url();
        if err.is_timeout() {
            Error::timeout(Some(Box::new(err)))
        } else {
            Error::connection(err)
        }
    }

    fn classify_status(status: StatusCode, api: ApiError) -> Error {
        match status.as_u16() {
            400 => Error::BadRequest(api),
            401 => Error::Authentication(api),
            403 => Error::PermissionDenied(api),
            404 => Error::NotFound(api),
            409 => Error::Conflict(api),
            413 => Error::RequestTooLarge(api),
            422 => Error::UnprocessableEntity(api),
            429 => Error::RateLimit(api),
            529 => Error::Overloaded(api),
            s if s >= 500 => Error::InternalServer(api),
            _ => Error::Api(api),
        }
    }

    /// The API error details, for the status variants.
    pub fn api_error(&self) -> Option<&ApiError> {
        api_variants!(self, e => e)
    }

    /// The HTTP status of an API error response (`None` for other errors and in-stream errors).
    pub fn status(&self) -> Option<StatusCode> {
        self.api_error().and_then(ApiError::status)
    }

    /// The `request-id` of the failed response, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::request_id)
    }

    /// The API's error type from the body, e.g. `"rate_limit_error"`.
    pub fn api_error_type(&self) -> Option<&str> {
        self.api_error().and_then(ApiError::error_type)
    }

    /// Whether the SDK's retry policy considers this error transient.
    ///
    /// Connection errors, timeouts and streams cut short are; status errors follow the retry
    /// rules (an `x-should-retry` header, then 408, 409, 429 and ≥ 500); in-stream errors are
    /// when they are rate-limit, overloaded or internal server errors.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Connection(_) | Error::Timeout(_) | Error::IncompleteStream(_) => true,
            _ => match self.api_error() {
                Some(api) => match api.status() {
                    Some(status) => crate::client::retry::should_retry(status, api.headers()),
                    None => matches!(
                        self,
                        Error::RateLimit(_) | Error::Overloaded(_) | Error::InternalServer(_)
                    ),
                },
                None => false,
            },
        }
    }

    /// Whether this is a rate-limit error (HTTP 429 or an in-stream `rate_limit_error`).
    pub fn is_rate_limit(&self) -> bool {
        matches!(self, Error::RateLimit(_))
    }

    /// Whether this is an overloaded error (HTTP 529 or an in-stream `overloaded_error`).
    pub fn is_overloaded(&self) -> bool {
        matches!(self, Error::Overloaded(_))
    }

    /// Whether this is a timeout.
    pub fn is_timeout(&self) -> bool {
        matches!(self, Error::Timeout(_))
    }

    /// The delay the server asked for, from `retry-after-ms` or `retry-after` (seconds or an
    /// HTTP date). Only positive values are returned; no upper cap is applied here.
    pub fn retry_after(&self) -> Option<Duration> {
        let headers = self.api_error()?.headers();
        let secs = crate::client::retry::parse_retry_after(headers, SystemTime::now())?;
        if secs > 0.0 {
            Duration::try_from_secs_f64(secs).ok()
        } else {
            None
        }
    }

    /// The partial message of an [`Error::IncompleteStream`], as JSON.
    pub fn partial_message(&self) -> Option<&Value> {
        match self {
            Error::IncompleteStream(e) => e.partial(),
            _ => None,
        }
    }

    /// A stable snake_case name for the kind, e.g. `"rate_limit"`, `"timeout"`.
    ///
    /// One name per variant, never renamed: `bad_request`, `authentication`,
    /// `permission_denied`, `not_found`, `conflict`, `request_too_large`,
    /// `unprocessable_entity`, `rate_limit`, `overloaded`, `internal_server`, `api`,
    /// `connection`, `timeout`, `decode`, `invalid_request`, `invalid_response`,
    /// `incomplete_stream`.
    pub fn kind_name(&self) -> &'static str {
        match self {
            Error::BadRequest(_) => "bad_request",
            Error::Authentication(_) => "authentication",
            Error::PermissionDenied(_) => "permission_denied",
            Error::NotFound(_) => "not_found",
            Error::Conflict(_) => "conflict",
            Error::RequestTooLarge(_) => "request_too_large",
            Error::UnprocessableEntity(_) => "unprocessable_entity",
            Error::RateLimit(_) => "rate_limit",
            Error::Overloaded(_) => "overloaded",
            Error::InternalServer(_) => "internal_server",
            Error::Api(_) => "api",
            Error::Connection(_) => "connection",
            Error::Timeout(_) => "timeout",
            Error::Decode(_) => "decode",
            Error::InvalidRequest(_) => "invalid_request",
            Error::InvalidResponse(_) => "invalid_response",
            Error::IncompleteStream(_) => "incomplete_stream",
            Error::OutputParse(_) => "output_parse",
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Connection(e) | Error::Timeout(e) => fmt::Display::fmt(e, f),
            Error::Decode(e) => fmt::Display::fmt(e, f),
            Error::InvalidRequest(m) | Error::InvalidResponse(m) => f.write_str(m),
            Error::IncompleteStream(e) => fmt::Display::fmt(e, f),
            Error::OutputParse(e) => fmt::Display::fmt(e, f),
            other => match other.api_error() {
                Some(api) => fmt::Display::fmt(api, f),
                None => f.write_str(other.kind_name()),
            },
        }
    }
}

impl StdError for Error {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            Error::Connection(e) | Error::Timeout(e) => e.source(),
            Error::Decode(e) => Some(&e.0.source),
            Error::OutputParse(e) => Some(&e.0.source),
            _ => None,
        }
    }
}

/// Details of an API error: from an error response, or from an in-stream `error` event.
pub struct ApiError(Box<ApiErrorInner>);

struct ApiErrorInner {
    status: Option<StatusCode>,
    headers: HeaderMap,
    request_id: Option<String>,
    body: Option<Value>,
    body_text: String,
    message: String,
}

impl ApiError {
    /// The HTTP status; `None` for an error received inside a stream.
    pub fn status(&self) -> Option<StatusCode> {
        self.0.status
    }

    /// The response headers (empty for in-stream errors).
    pub fn headers(&self) -> &HeaderMap {
        &self.0.headers
    }

    /// The `request-id` header (or the body's `request_id`).
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }

    /// The body parsed as JSON, usually `{"type":"error","error":{"type":…,"message":…}}`.
    pub fn body(&self) -> Option<&Value> {
        self.0.body.as_ref()
    }

    /// The body as text (trimmed), whether or not it was JSON.
    pub fn body_text(&self) -> &str {
        &self.0.body_text
    }

    /// The API's error type, e.g. `"overloaded_error"`.
    pub fn error_type(&self) -> Option<&str> {
        self.error_field("type")
    }

    /// The API's human-readable error message.
    pub fn error_message(&self) -> Option<&str> {
        self.error_field("message")
    }

    /// The full message, as shown by `Display` (e.g. `Error code: 429 - {…}`).
    pub fn message(&self) -> &str {
        &self.0.message
    }

    fn error_field(&self, key: &str) -> Option<&str> {
        self.0.body.as_ref()?.get("error")?.get(key)?.as_str()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Headers are left out: responses don't carry secrets, but they are long.
        f.debug_struct("ApiError")
            .field("status", &self.0.status)
            .field("request_id", &self.0.request_id)
            .field("message", &self.0.message)
            .finish()
    }
}

/// Details of a message stream that ended before `message_stop`.
///
/// The partial message is kept as JSON so that one error type serves both
/// [`Message`](crate::types::Message) and [`BetaMessage`](crate::types::BetaMessage) streams;
/// [`partial_as`](Self::partial_as) decodes it.
pub struct IncompleteStream(Box<IncompleteInner>);

struct IncompleteInner {
    partial: Option<Value>,
    events: u64,
}

impl IncompleteStream {
    /// The message accumulated before the stream ended (`None` if `message_start` never came).
    pub fn partial(&self) -> Option<&Value> {
        self.0.partial.as_ref()
    }

    /// The partial message decoded as `T` (e.g. [`Message`](crate::types::Message)).
    pub fn partial_as<T: serde::de::DeserializeOwned>(&self) -> Option<T> {
        T::deserialize(self.0.partial.as_ref()?).ok()
    }

    /// Takes the partial message out.
    pub fn into_partial(self) -> Option<Value> {
        self.0.partial
    }

    /// How many events arrived before the end.
    pub fn events(&self) -> u64 {
        self.0.events
    }
}

impl fmt::Display for IncompleteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the stream ended before `message_stop` (after {} events{})",
            self.0.events,
            if self.0.partial.is_some() {
                "; the partial message is attached"
            } else {
                ", none of them `message_start`"
            }
        )
    }
}

impl fmt::Debug for IncompleteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IncompleteStream")
            .field("events", &self.0.events)
            .field("has_partial", &self.0.partial.is_some())
            .finish()
    }
}

/// Details of a connection error or timeout.
pub struct TransportError(Box<TransportInner>);

struct TransportInner {
    message: String,
    source: Option<BoxError>,
}

impl TransportError {
    fn new(summary: &str, source: Option<BoxError>) -> TransportError {
        let mut message = summary.to_owned();
        let mut cause: Option<&(dyn StdError + 'static)> = source.as_deref().map(|e| e as _);
        let mut separator = " Caused by: ";
        while let Some(err) = cause {
            message.push_str(separator);
            message.push_str(&err.to_string());
            separator = ": ";
            cause = err.source();
        }
        TransportError(Box::new(TransportInner { message, source }))
    }

    /// The message, including the chain of underlying causes.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source.as_deref().map(|e| e as _)
    }
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.message)
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("message", &self.0.message)
            .finish()
    }
}

/// Details of a response body that could not be decoded.
pub struct DecodeError(Box<DecodeInner>);

struct DecodeInner {
    source: serde_json::Error,
    excerpt: String,
}

impl DecodeError {
    /// The underlying JSON error.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.0.source
    }

    /// The start of the body (at most [`BODY_EXCERPT_LIMIT`] bytes, lossily decoded).
    pub fn excerpt(&self) -> &str {
        &self.0.excerpt
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "failed to decode the response body: {}; body starts with: {:?}",
            self.0.source, self.0.excerpt
        )
    }
}

impl fmt::Debug for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DecodeError")
            .field("source", &self.0.source)
            .field("excerpt", &self.0.excerpt)
            .finish()
    }
}

/// Details of a structured output that did not decode as the requested type.
pub struct OutputParseError(Box<OutputParseInner>);

struct OutputParseInner {
    type_name: &'static str,
    text: String,
    stop_reason: Option<String>,
    path: String,
    source: serde_json::Error,
}

impl OutputParseError {
    pub(crate) fn new(
        type_name: &'static str,
        text: String,
        stop_reason: Option<String>,
        path: String,
        source: serde_json::Error,
    ) -> OutputParseError {
        OutputParseError(Box::new(OutputParseInner {
            type_name,
            text,
            stop_reason,
            path,
            source,
        }))
    }

    /// The model's text, exactly as received.
    pub fn text(&self) -> &str {
        &self.0.text
    }

    /// The reply's `stop_reason` (`max_tokens` or `refusal` explain most failures).
    pub fn stop_reason(&self) -> Option<&str> {
        self.0.stop_reason.as_deref()
    }

    /// Where in the value decoding failed (`items[2].price`; empty for the root).
    pub fn path(&self) -> &str {
        &self.0.path
    }

    /// The Rust type that was requested.
    pub fn type_name(&self) -> &str {
        self.0.type_name
    }

    /// The underlying JSON error.
    pub fn json_error(&self) -> &serde_json::Error {
        &self.0.source
    }
}

impl fmt::Display for OutputParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the model's output did not decode as {}",
            self.0.type_name
        )?;
        if !self.0.path.is_empty() {
            write!(f, " at `{}`", self.0.path)?;
        }
        write!(f, ": {}", self.0.source)?;
        if let Some(reason) = &self.0.stop_reason {
            write!(f, " (stop_reason: {reason})")?;
        }
        write!(
            f,
            "; text starts with: {:?}",
            excerpt(self.0.text.as_bytes())
        )
    }
}

impl fmt::Debug for OutputParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OutputParseError")
            .field("type_name", &self.0.type_name)
            .field("path", &self.0.path)
            .field("stop_reason", &self.0.stop_reason)
            .field("source", &self.0.source)
            .field("text", &self.0.text)
            .finish()
    }
}

fn excerpt(body: &[u8]) -> String {
    let mut end = body.len().min(BODY_EXCERPT_LIMIT);
    // Cut at a UTF-8 boundary when the body is text.
    while end > 0 && end < body.len() && (body[end] & 0b1100_0000) == 0b1000_0000 {
        end -= 1;
    }
    String::from_utf8_lossy(&body[..end]).into_owned()
}

fn header_str<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn body_request_id(body: Option<&Value>) -> Option<String> {
    body?.get("request_id")?.as_str().map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excerpt_cuts_at_char_boundary() {
        let body = "é".repeat(400); // 800 bytes
        let e = excerpt(body.as_bytes());
        assert!(e.len() <= BODY_EXCERPT_LIMIT);
        assert_eq!(e, "é".repeat(256));
        assert_eq!(excerpt(b"short"), "short");
    }

    #[test]
    fn status_mapping() {
        let cases = [
            (400, "bad_request"),
            (401, "authentication"),
            (403, "permission_denied"),
            (404, "not_found"),
            (409, "conflict"),
            (413, "request_too_large"),
            (422, "unprocessable_entity"),
            (429, "rate_limit"),
            (529, "overloaded"),
            (500, "internal_server"),
            (503, "internal_server"),
            (418, "api"),
        ];
        for (status, kind) in cases {
            let status = StatusCode::from_u16(status).unwrap();
            let err = Error::from_response_parts(status, HeaderMap::new(), b"");
            assert_eq!(err.kind_name(), kind, "{status}");
            assert_eq!(err.status(), Some(status));
        }
    }

    #[test]
    fn messages_follow_the_reference() {
        let s = StatusCode::BAD_REQUEST;
        let e = Error::from_response_parts(s, HeaderMap::new(), b"  ");
        assert_eq!(e.to_string(), "Error code: 400");
        let e = Error::from_response_parts(s, HeaderMap::new(), b"plain failure\n");
        assert_eq!(e.to_string(), "plain failure");
        assert_eq!(e.api_error().unwrap().body(), None);
        let body = br#"{"type":"error","error":{"type":"invalid_request_error","message":"bad"},"request_id":"req_body"}"#;
        let e = Error::from_response_parts(s, HeaderMap::new(), body);
        assert!(e.to_string().starts_with("Error code: 400 - {"));
        assert_eq!(e.api_error_type(), Some("invalid_request_error"));
        assert_eq!(e.api_error().unwrap().error_message(), Some("bad"));
        assert_eq!(e.request_id(), Some("req_body"));
    }

    #[test]
    fn stream_errors_map_by_type() {
        let e = Error::from_stream_error("overloaded_error", "Overloaded");
        assert!(e.is_overloaded());
        assert!(e.is_retryable());
        assert_eq!(e.status(), None);
        assert_eq!(e.api_error_type(), Some("overloaded_error"));
        assert_eq!(e.to_string(), "overloaded_error: Overloaded");
        let e = Error::from_stream_error("invalid_request_error", "no");
        assert_eq!(e.kind_name(), "bad_request");
        assert!(!e.is_retryable());
        assert_eq!(
            Error::from_stream_error("brand_new", "x").kind_name(),
            "api"
        );
        let e = Error::invalid_response("bad line 3");
        assert_eq!(e.kind_name(), "invalid_response");
        assert_eq!(e.to_string(), "bad line 3");
        assert!(!e.is_retryable());
    }

    #[test]
    fn error_is_small_and_thread_safe() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<Error>();
        assert!(std::mem::size_of::<Error>() <= 32);
    }
}
