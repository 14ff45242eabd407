//! The long-request guard: refuse non-streaming requests that may outlive the default timeout.

use crate::error::{Error, Result};

/// Models whose non-streaming requests are limited to a smaller `max_tokens` (8,192).
pub const MODEL_NONSTREAMING_TOKENS: &[(&str, u64)] = &[
    ("claude-opus-4-20250514", 8_192),
    ("claude-opus-4-0", 8_192),
    ("claude-4-opus-20250514", 8_192),
    ("anthropic.claude-opus-4-20250514-v1:0", 8_192),
    ("claude-opus-4@20250514", 8_192),
    ("claude-opus-4-1-20250805", 8_192),
    ("anthropic.claude-opus-4-1-20250805-v1:0", 8_192),
    ("claude-opus-4-1@20250805", 8_192),
];

/// The message of the error returned by [`nonstreaming_guard`].
pub const LONG_REQUEST_MESSAGE: &str = "Streaming is required for operations that may take longer \
than 10 minutes. Use the streaming API instead, or set an explicit per-request timeout to send \
this request anyway. See https://docs.anthropic.com/en/api/errors#long-requests for more details";

const MAXIMUM_TIME_SECS: f64 = 3600.0;
const DEFAULT_TIME_SECS: f64 = 600.0;
const TOKENS_PER_MAXIMUM_TIME: f64 = 128_000.0;

/// Checks a non-streaming `messages.create`-style request before it is sent.
///
/// Applies only when the client still has the default timeout and no per-request timeout was
/// given. It then fails with [`Error::InvalidRequest`] when the expected duration
/// (`3600 s · max_tokens / 128000`, i.e. `max_tokens > 21_333`) exceeds 600 s, or when `model`
/// is in [`MODEL_NONSTREAMING_TOKENS`] and `max_tokens` exceeds its limit.
///
/// ```
/// use anthropic::client::nonstreaming_guard;
/// assert!(nonstreaming_guard("claude-sonnet-4-5", 21_333, true, false).is_ok());
/// assert!(nonstreaming_guard("claude-sonnet-4-5", 30_000, true, false).is_err());
/// assert!(nonstreaming_guard("claude-sonnet-4-5", 30_000, true, true).is_ok());
/// assert!(nonstreaming_guard("claude-opus-4-0", 9_000, true, false).is_err());
/// ```
pub fn nonstreaming_guard(
    model: &str,
    max_tokens: u64,
    client_has_default_timeout: bool,
    request_timeout_set: bool,
) -> Result<()> {
    if !client_has_default_timeout || request_timeout_set {
        return Ok(());
    }
    let expected_secs = MAXIMUM_TIME_SECS * max_tokens as f64 / TOKENS_PER_MAXIMUM_TIME;
    let model_limit = MODEL_NONSTREAMING_TOKENS
        .iter()
        .find(|(name, _)| *name == model)
        .map(|&(_, limit)| limit);
    if expected_secs > DEFAULT_TIME_SECS || model_limit.is_some_and(|limit| max_tokens > limit) {
        return Err(Error::InvalidRequest(LONG_REQUEST_MESSAGE.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_is_21333_tokens() {
        assert!(nonstreaming_guard("m", 21_333, true, false).is_ok());
        let err = nonstreaming_guard("m", 21_334, true, false).unwrap_err();
        assert_eq!(err.kind_name(), "invalid_request");
        assert!(err.to_string().starts_with("Streaming is required"));
        assert!(nonstreaming_guard("m", u64::MAX, true, false).is_err());
    }

    #[test]
    fn opt_outs() {
        assert!(nonstreaming_guard("m", 100_000, false, false).is_ok());
        assert!(nonstreaming_guard("m", 100_000, true, true).is_ok());
    }

    #[test]
    fn model_table() {
        for (model, _) in MODEL_NONSTREAMING_TOKENS {
            assert!(nonstreaming_guard(model, 8_192, true, false).is_ok());
            assert!(nonstreaming_guard(model, 8_193, true, false).is_err());
        }
        assert!(nonstreaming_guard("claude-sonnet-4-5", 9_000, true, false).is_ok());
    }
}
