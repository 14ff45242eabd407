//! Default headers, header overrides and secret handling.

use std::fmt;

use http::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, USER_AGENT};

/// The `anthropic-version` header sent with every request.
pub const ANTHROPIC_VERSION: &str = "2023-06-01";

/// The `User-Agent`: `Anthropic/Rust <crate version>`, the format of the official SDKs
/// (`Anthropic/Python 0.74.0`).
pub const USER_AGENT_VALUE: &str = concat!("Anthropic/Rust ", env!("CARGO_PKG_VERSION"));

/// The value of `x-stainless-runtime-version`: the crate's minimum supported Rust version (the
/// exact compiler version is not available without a build script).
pub const RUNTIME_VERSION: &str = match option_env!("CARGO_PKG_RUST_VERSION") {
    Some(v) if !v.is_empty() => v,
    _ => "unknown",
};

pub(crate) const RETRY_COUNT: &str = "x-stainless-retry-count";
pub(crate) const TIMEOUT: &str = "x-stainless-timeout";
pub(crate) const API_KEY: &str = "x-api-key";

/// The SDK's default headers (without credentials or `content-type`).
pub(crate) fn sdk_defaults() -> HeaderMap {
    // Built once per process; each request clones it.
    static DEFAULTS: std::sync::OnceLock<HeaderMap> = std::sync::OnceLock::new();
    DEFAULTS.get_or_init(build_sdk_defaults).clone()
}

fn build_sdk_defaults() -> HeaderMap {
    let mut map = HeaderMap::with_capacity(16);
    let mut put = |name: &'static str, value: &str| {
        if let Ok(value) = HeaderValue::from_str(value) {
            map.insert(HeaderName::from_static(name), value);
        }
    };
    put("accept", "application/json");
    put("user-agent", USER_AGENT_VALUE);
    put("anthropic-version", ANTHROPIC_VERSION);
    put("x-stainless-lang", "rust");
    put("x-stainless-package-version", env!("CARGO_PKG_VERSION"));
    put("x-stainless-os", &os_name());
    put("x-stainless-arch", &arch_name());
    put("x-stainless-runtime", "rustc");
    put("x-stainless-runtime-version", RUNTIME_VERSION);
    put("x-stainless-async", "async:tokio");
    debug_assert!(map.contains_key(ACCEPT) && map.contains_key(USER_AGENT));
    map
}

/// `x-stainless-os`, spelled like the official SDKs.
fn os_name() -> String {
    match std::env::consts::OS {
        "linux" => "Linux".into(),
        "macos" => "MacOS".into(),
        "windows" => "Windows".into(),
        "freebsd" => "FreeBSD".into(),
        "openbsd" => "OpenBSD".into(),
        "ios" => "iOS".into(),
        "android" => "Android".into(),
        "" => "Unknown".into(),
        other => format!("Other:{other}"),
    }
}

/// `x-stainless-arch`, spelled like the official SDKs.
fn arch_name() -> String {
    match std::env::consts::ARCH {
        "x86_64" => "x64".into(),
        "aarch64" => "arm64".into(),
        "arm" => "arm".into(),
        "x86" => "x32".into(),
        "" => "unknown".into(),
        other => format!("other:{other}"),
    }
}

/// A secret string (API key or token) whose `Debug` never shows it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(String);

impl Secret {
    pub(crate) fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// A sensitive header value for this secret, with `prefix` (e.g. `"Bearer "`).
    pub(crate) fn header_value(&self, prefix: &str) -> Option<HeaderValue> {
        let mut value = HeaderValue::from_str(&format!("{prefix}{}", self.0)).ok()?;
        value.set_sensitive(true);
        Some(value)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"[redacted]\"")
    }
}

/// An ordered list of header changes: set (`Some`) or remove (`None`).
///
/// Invalid names or values are recorded and reported when the client is built or the request is
/// sent, so that setters stay infallible.
#[derive(Clone, Default)]
pub(crate) struct HeaderOverrides {
    entries: Vec<(HeaderName, Option<HeaderValue>)>,
    error: Option<String>,
}

impl HeaderOverrides {
    pub(crate) fn set<N, V>(&mut self, name: N, value: V)
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
        V: TryInto<HeaderValue>,
    {
        let name = match name.try_into() {
            Ok(name) => name,
            Err(e) => return self.fail(format!("invalid header name: {e}")),
        };
        match value.try_into() {
            Ok(mut value) => {
                if is_sensitive(&name) {
                    value.set_sensitive(true);
                }
                self.entries.push((name, Some(value)));
            }
            // The value itself is not echoed: it may be a credential.
            Err(_) => self.fail(format!("invalid value for header `{name}`")),
        }
    }

    pub(crate) fn remove<N>(&mut self, name: N)
    where
        N: TryInto<HeaderName>,
        N::Error: fmt::Display,
    {
        match name.try_into() {
            Ok(name) => self.entries.push((name, None)),
            Err(e) => self.fail(format!("invalid header name: {e}")),
        }
    }

    pub(crate) fn extend(&mut self, other: &HeaderOverrides) {
        self.entries.extend(other.entries.iter().cloned());
        if self.error.is_none() {
            self.error.clone_from(&other.error);
        }
    }

    fn fail(&mut self, message: String) {
        self.error.get_or_insert(message);
    }

    pub(crate) fn error(&self) -> Option<&str> {
        self.error.as_deref()
    }

    /// Applies the changes in order.
    pub(crate) fn apply(&self, map: &mut HeaderMap) {
        for (name, value) in &self.entries {
            match value {
                Some(value) => {
                    map.insert(name.clone(), value.clone());
                }
                None => {
                    map.remove(name);
                }
            }
        }
    }

    /// Whether the header is set or removed here.
    pub(crate) fn mentions(&self, name: &str) -> bool {
        self.entries.iter().any(|(n, _)| n == name)
    }

    /// Whether the last change to the header removes it.
    pub(crate) fn removes(&self, name: &str) -> bool {
        self.entries
            .iter()
            .rev()
            .find(|(n, _)| n == name)
            .is_some_and(|(_, v)| v.is_none())
    }
}

impl fmt::Debug for HeaderOverrides {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut list = f.debug_list();
        for (name, value) in &self.entries {
            match value {
                Some(v) if v.is_sensitive() || is_sensitive(name) => {
                    list.entry(&format_args!("{name}: [redacted]"))
                }
                Some(v) => list.entry(&format_args!("{name}: {v:?}")),
                None => list.entry(&format_args!("{name}: <removed>")),
            };
        }
        list.finish()
    }
}

/// Header names whose values are treated as secrets in `Debug` output.
pub(crate) fn is_sensitive(name: &HeaderName) -> bool {
    let n = name.as_str();
    [
        "auth",
        "key",
        "token",
        "secret",
        "cookie",
        "signature",
        "password",
    ]
    .iter()
    .any(|s| n.contains(s))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_debug_is_redacted() {
        let s = Secret::new("sk-ant-very-secret");
        assert_eq!(format!("{s:?}"), "\"[redacted]\"");
        assert!(s.header_value("Bearer ").unwrap().is_sensitive());
    }

    #[test]
    fn overrides_apply_in_order_and_redact() {
        let mut o = HeaderOverrides::default();
        o.set("x-one", "1");
        o.set("x-api-key", "sk-secret");
        o.remove("x-one");
        o.set("bad name", "v");
        o.set("x-two", "bad\nvalue");
        assert_eq!(
            o.error(),
            Some("invalid header name: invalid HTTP header name")
        );
        let mut map = HeaderMap::new();
        map.insert("x-one", HeaderValue::from_static("0"));
        o.apply(&mut map);
        assert!(!map.contains_key("x-one"));
        assert!(o.removes("x-one") && o.mentions("x-api-key") && !o.removes("x-api-key"));
        let debug = format!("{o:?}");
        assert!(!debug.contains("sk-secret"), "{debug}");
        assert!(debug.contains("x-api-key: [redacted]"));
    }

    #[test]
    fn defaults_are_complete() {
        let d = sdk_defaults();
        for name in [
            "accept",
            "user-agent",
            "anthropic-version",
            "x-stainless-lang",
            "x-stainless-package-version",
            "x-stainless-os",
            "x-stainless-arch",
            "x-stainless-runtime",
            "x-stainless-runtime-version",
        ] {
            assert!(d.contains_key(name), "{name}");
        }
        assert_eq!(d["x-stainless-runtime-version"], RUNTIME_VERSION);
        assert_eq!(RUNTIME_VERSION, env!("CARGO_PKG_RUST_VERSION"));
    }
}
