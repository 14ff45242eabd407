//! What every endpoint method returns: a described request, tuned per call, sent by `.await`.
//!
//! ```no_run
//! # async fn demo() -> anthropic::Result<()> {
//! use std::time::Duration;
//! let client = anthropic::Client::new();
//! let batch = client
//!     .messages()
//!     .batches()
//!     .retrieve("msgbatch_01")
//!     .timeout(Duration::from_secs(10))
//!     .max_retries(5)
//!     .await?;
//! // The same call, with the HTTP status, headers and request id:
//! let raw = client.messages().batches().retrieve("msgbatch_01").with_raw_response().await?;
//! println!("{} {:?}", raw.status(), raw.request_id());
//! let batch = raw.parse()?;
//! # Ok(()) }
//! ```

use std::future::{Future, IntoFuture};
use std::marker::PhantomData;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use http::header::{HeaderMap, HeaderName, HeaderValue};
use http::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value;

use crate::client::{
    encode_path_param, nonstreaming_guard, ApiRequest, ApiResponse, RequestOptions,
};
use crate::error::{Error, Result};
use crate::Client;

/// A boxed future, as returned by the call types' `IntoFuture` impls.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// Builds an endpoint request from literal path pieces and the path parameters between them
/// (each percent-encoded; an empty one is an error before anything is sent).
pub(crate) fn endpoint(
    method: Method,
    pieces: &[&str],
    params: &[(&str, &str)],
) -> Result<ApiRequest> {
    let mut path = String::new();
    for (i, piece) in pieces.iter().enumerate() {
        path.push_str(piece);
        if let Some((name, value)) = params.get(i) {
            path.push_str(&encode_path_param(name, value)?);
        }
    }
    Ok(ApiRequest::new(method, path))
}

/// Adds a parameters struct as query parameters: unset fields are left out, lists are
/// comma-joined and nested objects use `key[sub]` (the official SDKs' encoding).
pub(crate) fn with_query<T: Serialize>(mut request: ApiRequest, params: &T) -> Result<ApiRequest> {
    let value = serde_json::to_value(params).map_err(|e| {
        Error::invalid_request(format!("could not encode the query parameters: {e}"))
    })?;
    if let Value::Object(map) = value {
        for (key, value) in map {
            push_query(&mut request.query, key, value);
        }
    }
    Ok(request)
}

fn push_query(query: &mut Vec<(String, String)>, key: String, value: Value) {
    match value {
        Value::Null => {}
        Value::String(s) => query.push((key, s)),
        Value::Array(items) => {
            let joined: Vec<String> = items
                .into_iter()
                .filter(|v| !v.is_null())
                .map(|v| match v {
                    Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect();
            query.push((key, joined.join(",")));
        }
        Value::Object(map) => {
            for (sub, v) in map {
                push_query(query, format!("{key}[{sub}]"), v);
            }
        }
        other => query.push((key, other.to_string())),
    }
}

/// The state every call type shares.
pub(crate) struct CallCore {
    client: Client,
    request: Result<ApiRequest>,
    fixed_betas: &'static [&'static str],
    betas: Vec<String>,
    guard: Option<(String, u64)>,
    accept: Option<&'static str>,
}

impl CallCore {
    fn new(client: &Client, request: Result<ApiRequest>) -> CallCore {
        CallCore {
            client: client.clone(),
            request,
            fixed_betas: &[],
            betas: Vec::new(),
            guard: None,
            accept: None,
        }
    }

    fn options(&mut self, options: RequestOptions) {
        if let Ok(request) = &mut self.request {
            let current = std::mem::take(&mut request.options);
            request.options = current.merge(options);
        }
    }

    /// The request as it will be sent, or why it cannot be.
    pub(crate) fn finish(self) -> Result<(Client, ApiRequest)> {
        let mut request = self.request?;
        if let Some((model, max_tokens)) = &self.guard {
            crate::client::warn_if_deprecated(model);
            nonstreaming_guard(
                model,
                *max_tokens,
                self.client.has_default_timeout(),
                request.options.has_timeout(),
            )?;
        }
        // The caller's betas first, then the resource's fixed ones (as the official SDKs merge them).
        let mut betas: Vec<&str> = self.betas.iter().map(String::as_str).collect();
        for fixed in self.fixed_betas {
            if !betas.contains(fixed) {
                betas.push(fixed);
            }
        }
        if !betas.is_empty() {
            let value = HeaderValue::from_str(&betas.join(",")).map_err(|_| {
                Error::invalid_request(format!(
                    "invalid anthropic-beta value: {:?}",
                    betas.join(",")
                ))
            })?;
            request = request.header(HeaderName::from_static("anthropic-beta"), value);
        }
        if let Some(accept) = self.accept {
            request = request.header(http::header::ACCEPT, HeaderValue::from_static(accept));
        }
        Ok((self.client, request))
    }

    pub(crate) async fn send(self) -> Result<ApiResponse> {
        let (client, request) = self.finish()?;
        client.execute(request).await
    }
}

/// The per-call settings every call type accepts, as a trait (so wrappers such as the blocking
/// client's `BlockingCall` can forward them). The same methods exist as inherent methods.
pub trait CallSettings: Sized {
    /// Merges per-request options (timeout, retries, extra headers, query and body fields).
    fn options(self, options: RequestOptions) -> Self;

    /// Beta features to enable (`anthropic-beta`), merged with the resource's own.
    fn betas<B: Into<crate::types::AnthropicBeta>>(
        self,
        betas: impl IntoIterator<Item = B>,
    ) -> Self;
}

/// Per-call settings shared by every call type.
macro_rules! call_settings {
    ($ty:ident $(<$g:ident>)?) => {
        impl $(<$g>)? CallSettings for $ty $(<$g>)? {
            fn options(self, options: RequestOptions) -> Self {
                $ty::options(self, options)
            }

            fn betas<B: Into<crate::types::AnthropicBeta>>(self, betas: impl IntoIterator<Item = B>) -> Self {
                $ty::betas(self, betas)
            }
        }

        impl $(<$g>)? $ty $(<$g>)? {
            /// Merges per-request options (timeout, retries, extra headers, query and body fields).
            pub fn options(mut self, options: RequestOptions) -> Self {
                self.core.options(options);
                self
            }

            /// The timeout of each attempt of this call.
            pub fn timeout(self, timeout: Duration) -> Self {
                self.options(RequestOptions::new().timeout(timeout))
            }

            /// How many times this call is retried after a retryable failure.
            pub fn max_retries(self, max_retries: u32) -> Self {
                self.options(RequestOptions::new().max_retries(max_retries))
            }

            /// Sends an extra header with this call (it overrides the client's).
            pub fn header(self, name: HeaderName, value: HeaderValue) -> Self {
                self.options(RequestOptions::new().header(name, value))
            }

            /// Beta features to enable (`anthropic-beta`), merged with the resource's own.
            pub fn betas<B: Into<crate::types::AnthropicBeta>>(mut self, betas: impl IntoIterator<Item = B>) -> Self {
                self.core.betas.extend(betas.into_iter().map(|b| b.into().as_str().to_owned()));
                self
            }

            #[allow(dead_code)] // not every call type has a resource with fixed betas
            pub(crate) fn fixed_betas(mut self, betas: &'static [&'static str]) -> Self {
                self.core.fixed_betas = betas;
                self
            }
        }
    };
}

/// A call answered by one JSON value of type `T`.
#[must_use = "a call does nothing until it is awaited"]
pub struct ApiCall<T> {
    core: CallCore,
    _out: PhantomData<fn() -> T>,
}

call_settings!(ApiCall<T>);

impl<T: DeserializeOwned + Send + 'static> ApiCall<T> {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        ApiCall {
            core: CallCore::new(client, request),
            _out: PhantomData,
        }
    }

    /// Refuses (before sending) a non-streaming request that may take longer than the
    /// default timeout allows, as the official SDKs do.
    pub(crate) fn nonstreaming_guard(mut self, model: &str, max_tokens: u64) -> Self {
        self.core.guard = Some((model.to_owned(), max_tokens));
        self
    }

    /// Sends the call and decodes the response.
    pub async fn send(self) -> Result<T> {
        self.core.send().await?.json().await
    }

    /// The response with its status, headers and request id; the body is decoded on demand.
    pub fn with_raw_response(self) -> RawCall<T> {
        RawCall {
            core: self.core,
            _out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for ApiCall<T> {
    type Output = Result<T>;
    type IntoFuture = BoxFuture<Result<T>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// [`ApiCall::with_raw_response`]: resolves to a [`RawResponse`].
#[must_use = "a call does nothing until it is awaited"]
pub struct RawCall<T> {
    core: CallCore,
    _out: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for RawCall<T> {
    type Output = Result<RawResponse<T>>;
    type IntoFuture = BoxFuture<Result<RawResponse<T>>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            let response = self.core.send().await?;
            let status = response.status();
            let headers = response.headers().clone();
            let retries_taken = response.retries_taken();
            let url = response.url().to_string();
            let body = response.bytes().await?;
            Ok(RawResponse {
                status,
                headers,
                retries_taken,
                url,
                body,
                _out: PhantomData,
            })
        })
    }
}

/// A successful response kept raw: metadata now, the typed value on demand.
pub struct RawResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    retries_taken: u32,
    url: String,
    body: Bytes,
    _out: PhantomData<fn() -> T>,
}

impl<T: DeserializeOwned> RawResponse<T> {
    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The `request-id` header, to quote when reporting a problem.
    pub fn request_id(&self) -> Option<&str> {
        self.headers.get("request-id").and_then(|v| v.to_str().ok())
    }

    /// How many retries it took.
    pub fn retries_taken(&self) -> u32 {
        self.retries_taken
    }

    /// The final URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The raw body.
    pub fn body(&self) -> &Bytes {
        &self.body
    }

    /// Decodes the body.
    pub fn parse(&self) -> Result<T> {
        serde_json::from_slice(&self.body).map_err(|e| Error::decode(e, &self.body))
    }
}

impl<T> std::fmt::Debug for RawResponse<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RawResponse")
            .field("status", &self.status)
            .field("url", &self.url)
            .field("request_id", &self.headers.get("request-id"))
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// A list call: `.await` gives the first page; `.into_stream()` every item of every page.
#[must_use = "a call does nothing until it is awaited or streamed"]
pub struct ListCall<P> {
    core: CallCore,
    _out: PhantomData<fn() -> P>,
}

call_settings!(ListCall<P>);

impl<P: crate::pagination::Paginated> ListCall<P> {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        ListCall {
            core: CallCore::new(client, request),
            _out: PhantomData,
        }
    }

    /// Fetches the first page.
    pub async fn send(self) -> Result<P> {
        let (client, request) = self.core.finish()?;
        crate::pagination::fetch_page(client, request).await
    }

    /// Every page, fetched lazily one after the other.
    pub fn pages(self) -> impl futures_util::Stream<Item = Result<P>> + Send + 'static {
        crate::pagination::pages::<P>(self.core.finish())
    }

    /// Every item of every page, fetched lazily.
    pub fn into_stream(self) -> impl futures_util::Stream<Item = Result<P::Item>> + Send + 'static {
        crate::pagination::items::<P>(self.core.finish())
    }
}

impl<P: crate::pagination::Paginated> IntoFuture for ListCall<P> {
    type Output = Result<P>;
    type IntoFuture = BoxFuture<Result<P>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A file download: resolves to a [`crate::download::BinaryResponse`] whose body is streamed.
#[must_use = "a call does nothing until it is awaited"]
pub struct DownloadCall {
    core: CallCore,
}

call_settings!(DownloadCall);

impl DownloadCall {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        let mut core = CallCore::new(client, request);
        core.accept = Some("application/binary");
        DownloadCall { core }
    }
}

impl IntoFuture for DownloadCall {
    type Output = Result<crate::download::BinaryResponse>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move {
            Ok(crate::download::BinaryResponse::new(
                self.core.send().await?,
            ))
        })
    }
}

/// A streaming call: resolves, once the response headers arrive, to an
/// [`EventStream`](crate::streaming::EventStream) of typed events.
///
/// Retries apply to the request until the response starts; the stream itself is not retried.
#[must_use = "a call does nothing until it is awaited"]
pub struct StreamCall<E> {
    core: CallCore,
    _out: PhantomData<fn() -> E>,
}

call_settings!(StreamCall<E>);

impl<E: crate::streaming::StreamEvent> StreamCall<E> {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        StreamCall {
            core: CallCore::new(client, request),
            _out: PhantomData,
        }
    }

    /// Sends the request and returns the event stream.
    pub async fn send(self) -> Result<crate::streaming::EventStream<E>> {
        Ok(crate::streaming::EventStream::new(self.core.send().await?))
    }
}

impl<E: crate::streaming::StreamEvent> IntoFuture for StreamCall<E> {
    type Output = Result<crate::streaming::EventStream<E>>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// `messages().stream(params)`: resolves, once the response headers arrive, to a
/// [`MessageStream`](crate::streaming::MessageStream).
///
/// Retries apply to the request until the response starts; the stream itself is not retried.
#[must_use = "a call does nothing until it is awaited"]
pub struct MessageStreamCall<M> {
    core: CallCore,
    _out: PhantomData<fn() -> M>,
}

call_settings!(MessageStreamCall<M>);

impl<M: crate::streaming::StreamedMessage> MessageStreamCall<M> {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        MessageStreamCall {
            core: CallCore::new(client, request),
            _out: PhantomData,
        }
    }

    /// Sends the request and returns the message stream.
    pub async fn send(self) -> Result<crate::streaming::MessageStream<M>> {
        Ok(crate::streaming::MessageStream::new(
            self.core.send().await?,
        ))
    }
}

impl<M: crate::streaming::StreamedMessage> IntoFuture for MessageStreamCall<M> {
    type Output = Result<crate::streaming::MessageStream<M>>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(self.send())
    }
}

/// A JSON-lines download (batch results): resolves to a stream of typed lines.
#[must_use = "a call does nothing until it is awaited"]
pub struct JsonlCall<T> {
    core: CallCore,
    _out: PhantomData<fn() -> T>,
}

call_settings!(JsonlCall<T>);

impl<T: DeserializeOwned + Send + 'static> JsonlCall<T> {
    pub(crate) fn new(client: &Client, request: Result<ApiRequest>) -> Self {
        let mut core = CallCore::new(client, request);
        core.accept = Some("application/binary");
        JsonlCall {
            core,
            _out: PhantomData,
        }
    }
}

impl<T: DeserializeOwned + Send + 'static> IntoFuture for JsonlCall<T> {
    type Output = Result<crate::download::JsonlStream<T>>;
    type IntoFuture = BoxFuture<Self::Output>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(async move { Ok(crate::download::JsonlStream::new(self.core.send().await?)) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn endpoint_encodes_params_and_rejects_empty_ones() {
        let r = endpoint(
            Method::GET,
            &["/v1/files/", "/content?beta=true"],
            &[("file_id", "a b/c")],
        )
        .unwrap();
        assert_eq!(r.path, "/v1/files/a%20b%2Fc/content?beta=true");
        let err = endpoint(Method::GET, &["/v1/files/", ""], &[("file_id", "")]).unwrap_err();
        assert!(err.to_string().contains("file_id"), "{err}");
    }

    #[test]
    fn query_encoding_matches_the_official_sdks() {
        let r = with_query(
            ApiRequest::new(Method::GET, "/x"),
            &json!({"limit": 20, "after_id": "a", "none": null, "ids": ["x", "y"], "f": {"a": true}}),
        )
        .unwrap();
        let mut q = r.query.clone();
        q.sort();
        assert_eq!(
            q,
            vec![
                ("after_id".to_string(), "a".to_string()),
                ("f[a]".to_string(), "true".to_string()),
                ("ids".to_string(), "x,y".to_string()),
                ("limit".to_string(), "20".to_string()),
            ]
        );
    }
}
