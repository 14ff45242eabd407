//! Client configuration and [`ClientBuilder`].

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use http::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::Url;

use super::headers::{HeaderOverrides, Secret};
use super::{tls, Client, Inner};
use crate::error::{Error, Result};

/// The API's address, used when neither the builder nor `ANTHROPIC_BASE_URL` gives one.
pub const DEFAULT_BASE_URL: &str = "https://api.anthropic.com";
/// The default timeout of each attempt: 600 s.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(600);
/// The default connect timeout: 5 s.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The default number of retries: 2 (so at most 3 attempts).
pub const DEFAULT_MAX_RETRIES: u32 = 2;

/// Environment variable holding the API key (sent as `x-api-key`).
pub const ENV_API_KEY: &str = "ANTHROPIC_API_KEY";
/// Environment variable holding a bearer token (sent as `Authorization: Bearer …`).
pub const ENV_AUTH_TOKEN: &str = "ANTHROPIC_AUTH_TOKEN";
/// Environment variable overriding the base URL.
pub const ENV_BASE_URL: &str = "ANTHROPIC_BASE_URL";

/// The resolved settings of a [`Client`].
#[derive(Clone)]
pub(crate) struct Config {
    pub(crate) api_key: Option<Secret>,
    pub(crate) auth_token: Option<Secret>,
    pub(crate) base_url: Url,
    pub(crate) timeout: Option<Duration>,
    pub(crate) connect_timeout: Duration,
    pub(crate) max_retries: u32,
    pub(crate) headers: HeaderOverrides,
    pub(crate) query: Vec<(String, String)>,
    /// A configuration problem reported by every request (set by the infallible constructors).
    pub(crate) setup_error: Option<String>,
}

impl fmt::Debug for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &self.api_key)
            .field("auth_token", &self.auth_token)
            .field("base_url", &self.base_url.as_str())
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &self.headers)
            .field("default_query", &self.query)
            .field("setup_error", &self.setup_error)
            .finish()
    }
}

/// Builds a [`Client`]; start with [`Client::builder`].
///
/// Unset credentials and base URL are read from `ANTHROPIC_API_KEY`, `ANTHROPIC_AUTH_TOKEN` and
/// `ANTHROPIC_BASE_URL` when [`build`](ClientBuilder::build) runs (empty values count as unset),
/// unless [`read_env(false)`](ClientBuilder::read_env) is set.
///
/// ```no_run
/// use std::time::Duration;
/// # fn main() -> anthropic::Result<()> {
/// let client = anthropic::Client::builder()
///     .api_key("sk-ant-…")
///     .base_url("https://gateway.example.com/anthropic/")
///     .timeout(Duration::from_secs(120))
///     .max_retries(4)
///     .default_header("anthropic-beta", "files-api-2025-04-14")
///     .build()?;
/// # Ok(()) }
/// ```
#[derive(Clone)]
pub struct ClientBuilder {
    api_key: Option<Secret>,
    auth_token: Option<Secret>,
    base_url: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    max_retries: u32,
    headers: HeaderOverrides,
    query: Vec<(String, String)>,
    http_client: Option<reqwest::Client>,
    /// The parent's pool, reused by `with_options` unless the connect timeout changes.
    inherited_http: Option<reqwest::Client>,
    inherited_error: Option<String>,
    read_env: bool,
}

impl Default for ClientBuilder {
    fn default() -> Self {
        ClientBuilder::new()
    }
}

impl ClientBuilder {
    /// A builder with the SDK defaults.
    pub fn new() -> ClientBuilder {
        ClientBuilder {
            api_key: None,
            auth_token: None,
            base_url: None,
            timeout: Some(DEFAULT_TIMEOUT),
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            max_retries: DEFAULT_MAX_RETRIES,
            headers: HeaderOverrides::default(),
            query: Vec::new(),
            http_client: None,
            inherited_http: None,
            inherited_error: None,
            read_env: true,
        }
    }

    /// A builder holding an existing client's settings and connection pool.
    pub(crate) fn from_client(client: &Client) -> ClientBuilder {
        let config = &client.inner.config;
        ClientBuilder {
            api_key: config.api_key.clone(),
            auth_token: config.auth_token.clone(),
            base_url: Some(config.base_url.to_string()),
            timeout: config.timeout,
            connect_timeout: config.connect_timeout,
            max_retries: config.max_retries,
            headers: config.headers.clone(),
            query: config.query.clone(),
            http_client: None,
            inherited_http: client.inner.http.clone(),
            inherited_error: config.setup_error.clone(),
            read_env: false,
        }
    }

    /// The API key, sent as `x-api-key`.
    pub fn api_key(mut self, api_key: impl Into<String>) -> ClientBuilder {
        self.api_key = Some(Secret::new(api_key));
        self
    }

    /// A bearer token, sent as `Authorization: Bearer <token>` (with the key, if both are set).
    pub fn auth_token(mut self, auth_token: impl Into<String>) -> ClientBuilder {
        self.auth_token = Some(Secret::new(auth_token));
        self
    }

    /// The base URL. A path prefix is kept (`http://host/proxy` sends `/v1/messages` to
    /// `http://host/proxy/v1/messages`).
    pub fn base_url(mut self, base_url: impl Into<String>) -> ClientBuilder {
        self.base_url = Some(base_url.into());
        self
    }

    /// The timeout of each attempt (default 600 s; `None` disables it). It bounds the wait for
    /// the response headers and then every wait for more of the body.
    pub fn timeout(mut self, timeout: impl Into<Option<Duration>>) -> ClientBuilder {
        self.timeout = timeout.into();
        self
    }

    /// The connect timeout (default 5 s). Ignored when a custom [`http_client`] is given.
    ///
    /// [`http_client`]: ClientBuilder::http_client
    pub fn connect_timeout(mut self, connect_timeout: Duration) -> ClientBuilder {
        self.connect_timeout = connect_timeout;
        self.inherited_http = None;
        self
    }

    /// How many times a failed request is retried (default 2; 0 disables retries).
    pub fn max_retries(mut self, max_retries: u32) -> ClientBuilder {
        self.max_retries = max_retries;
        self
    }

    /// Adds a default header, sent with every request; it overrides the SDK's own headers and
    /// is overridden by per-request ones. Invalid names or values fail [`build`].
    ///
    /// [`build`]: ClientBuilder::build
    pub fn default_header<N, V>(mut self, name: N, value: V) -> ClientBuilder
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
        V: TryInto<HeaderValue>,
    {
        self.headers.set(name, value);
        self
    }

    /// Adds every header of `headers` as a default header.
    pub fn default_headers(mut self, headers: HeaderMap) -> ClientBuilder {
        for (name, value) in &headers {
            self.headers.set(name.clone(), value.clone());
        }
        self
    }

    /// Stops sending a header, including one the SDK sends by default (e.g. `x-stainless-os`).
    ///
    /// Removing `x-api-key` or `authorization` also disables the missing-credentials check.
    pub fn remove_default_header<N>(mut self, name: N) -> ClientBuilder
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
    {
        self.headers.remove(name);
        self
    }

    /// Adds a query parameter sent with every request.
    pub fn default_query(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.query.push((key.into(), value.into()));
        self
    }

    /// Uses a custom `reqwest` client (proxies, TLS roots, …). Its own timeouts apply in addition
    /// to the SDK's; the connect timeout setting is ignored.
    pub fn http_client(mut self, client: reqwest::Client) -> ClientBuilder {
        self.http_client = Some(client);
        self
    }

    /// Whether `build` reads the `ANTHROPIC_*` environment variables (default `true`).
    pub fn read_env(mut self, read_env: bool) -> ClientBuilder {
        self.read_env = read_env;
        self
    }

    /// Builds the client, reporting configuration errors (an invalid base URL or header, or an
    /// HTTP client that cannot be created).
    ///
    /// Missing credentials are not an error here: requests fail with
    /// [`Error::InvalidRequest`] unless a key, a token or an explicit auth header is set.
    pub fn build(self) -> Result<Client> {
        let (client, error) = self.finish();
        match error {
            Some(message) => Err(Error::InvalidRequest(message)),
            None => Ok(client),
        }
    }

    /// Builds the client; a configuration error is logged and returned by every request.
    pub(crate) fn build_lenient(self) -> Client {
        let (client, error) = self.finish();
        if let Some(message) = error {
            tracing::warn!("anthropic client misconfigured: {message}");
        }
        client
    }

    fn finish(self) -> (Client, Option<String>) {
        let env = |name: &str| -> Option<String> {
            if !self.read_env {
                return None;
            }
            std::env::var(name).ok().filter(|v| !v.is_empty())
        };
        let api_key = self
            .api_key
            .clone()
            .or_else(|| env(ENV_API_KEY).map(Secret::new));
        let auth_token = self
            .auth_token
            .clone()
            .or_else(|| env(ENV_AUTH_TOKEN).map(Secret::new));
        let base_url = self.base_url.clone().or_else(|| env(ENV_BASE_URL));

        let mut errors: Vec<String> = self.inherited_error.iter().cloned().collect();
        errors.extend(self.headers.error().map(str::to_owned));
        let base_url = match parse_base_url(base_url.as_deref().unwrap_or(DEFAULT_BASE_URL)) {
            Ok(url) => url,
            Err(message) => {
                errors.push(message);
                // Never used: every request reports the error first.
                Url::parse(DEFAULT_BASE_URL).expect("the default base URL is valid")
            }
        };
        let http = match self.http_client.or(self.inherited_http) {
            Some(client) => Some(client),
            None => match tls::default_http_client(self.connect_timeout) {
                Ok(client) => Some(client),
                Err(message) => {
                    errors.push(message);
                    None
                }
            },
        };
        let setup_error = errors.into_iter().next();
        let config = Config {
            api_key,
            auth_token,
            base_url,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            max_retries: self.max_retries,
            headers: self.headers,
            query: self.query,
            setup_error: setup_error.clone(),
        };
        let client = Client {
            inner: Arc::new(Inner { config, http }),
        };
        (client, setup_error)
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("api_key", &self.api_key)
            .field("auth_token", &self.auth_token)
            .field("base_url", &self.base_url)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("max_retries", &self.max_retries)
            .field("default_headers", &self.headers)
            .field("default_query", &self.query)
            .field("custom_http_client", &self.http_client.is_some())
            .field("read_env", &self.read_env)
            .finish()
    }
}

/// Parses a base URL and makes its path end with `/`.
fn parse_base_url(raw: &str) -> std::result::Result<Url, String> {
    let invalid = |why: &str| format!("invalid base URL {raw:?}: {why}");
    let mut url = Url::parse(raw.trim()).map_err(|e| invalid(&e.to_string()))?;
    if !matches!(url.scheme(), "http" | "https") || url.cannot_be_a_base() {
        return Err(invalid("expected an http:// or https:// URL"));
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_url_gets_a_trailing_slash() {
        let u = parse_base_url("http://localhost:4010/proxy").unwrap();
        assert_eq!(u.as_str(), "http://localhost:4010/proxy/");
        let u = parse_base_url("https://api.anthropic.com").unwrap();
        assert_eq!(u.as_str(), "https://api.anthropic.com/");
        assert!(parse_base_url("not a url").is_err());
        assert!(parse_base_url("ftp://x/").is_err());
        assert!(parse_base_url("mailto:a@b").is_err());
    }

    #[test]
    fn builder_reports_bad_config() {
        let err = ClientBuilder::new()
            .read_env(false)
            .base_url("::nope")
            .build()
            .unwrap_err();
        assert_eq!(err.kind_name(), "invalid_request");
        let err = ClientBuilder::new()
            .read_env(false)
            .default_header("x-bad", "line\nbreak")
            .build()
            .unwrap_err();
        assert!(err.to_string().contains("x-bad"));
    }
}
