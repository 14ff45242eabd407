//! Building the SDK's own `reqwest` client.
//!
//! TLS backends, chosen by cargo feature:
//! * `rustls` (default): rustls with the *ring* crypto provider, passed to reqwest as a
//!   ready-made `ClientConfig`, so no process-wide provider is ever needed (reqwest's
//!   `rustls-no-provider` mode would otherwise panic). Server certificates are checked against
//!   the system's roots (`rustls-platform-verifier`), or Mozilla's bundled roots
//!   (`webpki-roots`) when the system has none.
//! * `native-tls` (opt-in; wins when both are enabled): the platform's TLS library.
//! * neither: plain `http://` only.

use std::time::Duration;

use reqwest::redirect::{Attempt, Policy};

/// Redirects followed at most.
const MAX_REDIRECTS: usize = 10;

/// The SDK's HTTP client: connect timeout, TCP keep-alive like the official SDK, same-origin
/// redirects only (so credentials never follow a redirect to another host), and TLS.
pub(crate) fn default_http_client(connect_timeout: Duration) -> Result<reqwest::Client, String> {
    let builder = reqwest::Client::builder()
        .connect_timeout(connect_timeout)
        .tcp_keepalive(Duration::from_secs(60))
        .tcp_keepalive_interval(Duration::from_secs(60))
        .tcp_keepalive_retries(5)
        .redirect(Policy::custom(same_origin_redirects));
    configure_tls(builder)?
        .build()
        .map_err(|e| format!("could not build the HTTP client: {e}"))
}

/// A `reqwest::ClientBuilder` with the SDK's TLS setup, for building your own HTTP client
/// (e.g. to pass to [`ClientBuilder::http_client`](crate::ClientBuilder::http_client) with a
/// proxy or custom pool settings).
///
/// Use it instead of `reqwest::Client::builder()` in programs that depend on this crate: with
/// the default `rustls` feature, reqwest is built without a process-wide crypto provider, so a
/// plain `reqwest::Client::new()` elsewhere in the program would panic when built.
///
/// ```
/// let http = anthropic::client::http_client_builder()?
///     .pool_max_idle_per_host(4)
///     .build()
///     .expect("HTTP client");
/// let client = anthropic::Client::builder().http_client(http).api_key("sk-…").build()?;
/// # Ok::<(), anthropic::Error>(())
/// ```
pub fn http_client_builder() -> crate::Result<reqwest::ClientBuilder> {
    configure_tls(reqwest::Client::builder()).map_err(crate::Error::invalid_request)
}

fn same_origin_redirects(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let previous = attempt.previous();
    if previous.len() > MAX_REDIRECTS {
        return attempt.error("too many redirects");
    }
    let same_origin = previous.first().is_some_and(|first| {
        let next = attempt.url();
        first.scheme() == next.scheme()
            && first.host_str() == next.host_str()
            && first.port_or_known_default() == next.port_or_known_default()
    });
    if same_origin {
        attempt.follow()
    } else {
        attempt.stop()
    }
}

#[cfg(feature = "native-tls")]
fn configure_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder.tls_backend_native())
}

#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
fn configure_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder.tls_backend_preconfigured(rustls_config()?))
}

#[cfg(not(any(feature = "rustls", feature = "native-tls")))]
fn configure_tls(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    Ok(builder)
}

/// A rustls configuration that carries its own crypto provider.
#[cfg(all(feature = "rustls", not(feature = "native-tls")))]
pub(crate) fn rustls_config() -> Result<rustls::ClientConfig, String> {
    use std::sync::Arc;

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("could not configure TLS: {e}"))?;
    let mut config = match rustls_platform_verifier::Verifier::new(provider) {
        Ok(verifier) => builder
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth(),
        Err(e) => {
            tracing::warn!("no usable system root certificates ({e}); using bundled Mozilla roots");
            let roots = rustls::RootCertStore {
                roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
            };
            builder.with_root_certificates(roots).with_no_client_auth()
        }
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

#[cfg(test)]
mod tests {
    #[test]
    fn builds_without_a_process_crypto_provider() {
        // No `CryptoProvider::install_default` anywhere: building must not panic.
        assert!(super::default_http_client(std::time::Duration::from_secs(5)).is_ok());
    }

    #[cfg(all(feature = "rustls", not(feature = "native-tls")))]
    #[test]
    fn rustls_config_offers_h2() {
        let config = super::rustls_config().unwrap();
        assert_eq!(config.alpn_protocols[0], b"h2");
        assert!(rustls::crypto::CryptoProvider::get_default().is_none());
    }
}
