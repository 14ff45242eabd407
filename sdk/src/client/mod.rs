//! The HTTP client core: configuration, request execution, retries and responses.
//!
//! Endpoint code describes a call as an [`ApiRequest`] and runs it with [`Client::execute`]
//! (or [`Client::execute_json`]); everything else (headers, authentication, base URL and query
//! merging, retries, timeouts, error mapping) happens here.

mod config;
mod deprecations;
mod execute;
pub(crate) mod headers;
mod request;
mod response;
pub(crate) mod retry;
mod timeouts;
mod tls;

pub(crate) use deprecations::warn_if_deprecated;
pub use deprecations::{deprecation_warning, DEPRECATED_MODELS};
pub use tls::http_client_builder;

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;

pub use config::{
    ClientBuilder, DEFAULT_BASE_URL, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_RETRIES, DEFAULT_TIMEOUT,
    ENV_API_KEY, ENV_AUTH_TOKEN, ENV_BASE_URL,
};
pub use headers::{ANTHROPIC_VERSION, RUNTIME_VERSION, USER_AGENT_VALUE};
pub use request::{
    encode_path_param, ApiRequest, MultipartForm, MultipartPart, RequestBody, RequestOptions,
};
pub use response::{ApiResponse, ByteStream};
pub use retry::{INITIAL_RETRY_DELAY, MAX_RETRY_AFTER, MAX_RETRY_DELAY};
pub use timeouts::{nonstreaming_guard, LONG_REQUEST_MESSAGE, MODEL_NONSTREAMING_TOKENS};

use config::Config;

/// The Anthropic API client.
///
/// Cheap to clone: clones share the configuration and the HTTP connection pool.
///
/// ```no_run
/// # async fn demo() -> anthropic::Result<()> {
/// use anthropic::client::ApiRequest;
/// use std::time::Duration;
///
/// let client = anthropic::Client::new(); // ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, ANTHROPIC_BASE_URL
/// let patient = client.with_options(|o| o.max_retries(5).timeout(Duration::from_secs(20)));
/// let models: serde_json::Value = patient
///     .execute_json(ApiRequest::new(http::Method::GET, "/v1/models"))
///     .await?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    config: Config,
    /// `None` only when building the HTTP client failed (then `config.setup_error` is set).
    http: Option<reqwest::Client>,
}

impl Client {
    /// A client configured from the environment (`ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN`,
    /// `ANTHROPIC_BASE_URL`) with the default settings.
    ///
    /// Never fails or panics: a configuration problem (such as an invalid `ANTHROPIC_BASE_URL`)
    /// is logged and then returned by every request as [`Error::InvalidRequest`]. Use
    /// [`Client::builder`]`().build()` to catch it up front.
    ///
    /// [`Error::InvalidRequest`]: crate::Error::InvalidRequest
    pub fn new() -> Client {
        ClientBuilder::new().build_lenient()
    }

    /// A builder starting from the defaults and the environment.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::new()
    }

    /// A copy of this client with some settings changed, sharing its connection pool (unless
    /// the connect timeout or HTTP client is changed).
    ///
    /// Default headers and query parameters added here are merged with the existing ones.
    /// Invalid settings are reported by every request of the new client.
    pub fn with_options(&self, configure: impl FnOnce(ClientBuilder) -> ClientBuilder) -> Client {
        configure(ClientBuilder::from_client(self)).build_lenient()
    }

    /// The base URL (always ending with `/`).
    pub fn base_url(&self) -> &Url {
        &self.inner.config.base_url
    }

    /// The timeout of each attempt (`None`: no timeout).
    pub fn timeout(&self) -> Option<Duration> {
        self.inner.config.timeout
    }

    /// The number of retries after a failed attempt.
    pub fn max_retries(&self) -> u32 {
        self.inner.config.max_retries
    }

    /// Whether the client timeout is still the default (600 s); see [`nonstreaming_guard`].
    pub fn has_default_timeout(&self) -> bool {
        self.inner.config.timeout == Some(DEFAULT_TIMEOUT)
    }
}

impl Default for Client {
    fn default() -> Self {
        Client::new()
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("config", &self.inner.config)
            .finish_non_exhaustive()
    }
}
