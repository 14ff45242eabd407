//! The retry policy of the official SDK: which responses are retried and how long to wait.

use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};

/// First backoff delay, in seconds.
pub const INITIAL_RETRY_DELAY: f64 = 0.5;
/// Largest backoff delay, in seconds.
pub const MAX_RETRY_DELAY: f64 = 8.0;
/// A server-requested delay is honoured only within `(0, MAX_RETRY_AFTER]` seconds.
pub const MAX_RETRY_AFTER: f64 = 60.0;

/// Whether a response with this status and these headers should be retried.
///
/// `x-should-retry: true|false` decides when present; otherwise 408, 409, 429 and every
/// status ≥ 500 are retried.
pub(crate) fn should_retry(status: StatusCode, headers: &HeaderMap) -> bool {
    match headers.get("x-should-retry").map(|v| v.as_bytes()) {
        Some(b"true") => return true,
        Some(b"false") => return false,
        _ => {}
    }
    matches!(status.as_u16(), 408 | 409 | 429) || status.as_u16() >= 500
}

/// The server-requested delay in seconds, unfiltered: `retry-after-ms` (milliseconds), else
/// `retry-after` as seconds, else `retry-after` as an HTTP date relative to `now`.
pub(crate) fn parse_retry_after(headers: &HeaderMap, now: SystemTime) -> Option<f64> {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(ms) = text("retry-after-ms").and_then(parse_float) {
        return Some(ms / 1000.0);
    }
    let value = text("retry-after")?;
    if let Some(secs) = parse_float(value) {
        return Some(secs);
    }
    let date = httpdate::parse_http_date(value.trim()).ok()?;
    Some(match date.duration_since(now) {
        Ok(ahead) => ahead.as_secs_f64(),
        Err(behind) => -behind.duration().as_secs_f64(),
    })
}

/// Like Python's `float()`: surrounding whitespace is allowed.
fn parse_float(s: &str) -> Option<f64> {
    s.trim().parse::<f64>().ok()
}

/// How long to sleep before retry number `retries_taken + 1`.
///
/// A server-requested delay within `(0, 60]` s is used exactly; otherwise exponential backoff
/// `min(0.5 · 2^n, 8)` s scaled by `jitter` (a value in `(0.75, 1.0]`, see [`jitter`]).
pub(crate) fn retry_delay(
    retries_taken: u64,
    headers: Option<&HeaderMap>,
    jitter: f64,
    now: SystemTime,
) -> Duration {
    if let Some(secs) = headers.and_then(|h| parse_retry_after(h, now)) {
        if secs > 0.0 && secs <= MAX_RETRY_AFTER {
            return Duration::from_secs_f64(secs);
        }
    }
    let n = retries_taken.min(1000) as i32;
    let nominal = (INITIAL_RETRY_DELAY * 2f64.powi(n)).min(MAX_RETRY_DELAY);
    Duration::try_from_secs_f64(nominal * jitter).unwrap_or(Duration::ZERO)
}

/// A random backoff multiplier in `(0.75, 1.0]`, i.e. `1 - 0.25 · U[0, 1)`.
pub(crate) fn jitter() -> f64 {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    // Each `RandomState` is randomly keyed, so hashing a counter gives independent values
    // without a PRNG dependency.
    let bits = RandomState::new().hash_one(COUNTER.fetch_add(1, Ordering::Relaxed));
    let unit = (bits >> 11) as f64 / (1u64 << 53) as f64; // [0, 1)
    1.0 - 0.25 * unit
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        map
    }

    /// The reference's `test_parse_retry_after_header` table (max_retries = 3, clock fixed at
    /// 1696004797 = Fri, 29 Sep 2023 16:26:37 GMT), with the jitter fixed at 1.0 so backoff
    /// values are exact; "remaining" r maps to retries_taken 3 - r.
    #[test]
    fn reference_retry_after_table() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_696_004_797);
        let cases: &[(i64, &str, f64)] = &[
            (3, "20", 20.0),
            (3, "0", 0.5),
            (3, "-10", 0.5),
            (3, "60", 60.0),
            (3, "61", 0.5),
            (3, "Fri, 29 Sep 2023 16:26:57 GMT", 20.0),
            (3, "Fri, 29 Sep 2023 16:26:37 GMT", 0.5),
            (3, "Fri, 29 Sep 2023 16:26:27 GMT", 0.5),
            (3, "Fri, 29 Sep 2023 16:27:37 GMT", 60.0),
            (3, "Fri, 29 Sep 2023 16:27:38 GMT", 0.5),
            (3, "99999999999999999999999999999999999", 0.5),
            (3, "Zun, 29 Sep 2023 16:26:27 GMT", 0.5),
            (3, "", 0.5),
            (2, "", 1.0),
            (1, "", 2.0),
            (-1100, "", 8.0),
        ];
        for &(remaining, retry_after, expected) in cases {
            let taken = (3 - remaining) as u64;
            let h = headers(&[("retry-after", retry_after)]);
            let got = retry_delay(taken, Some(&h), 1.0, now).as_secs_f64();
            assert!(
                (got - expected).abs() < 1e-9,
                "{retry_after:?} remaining={remaining}: {got}"
            );
        }
    }

    #[test]
    fn retry_after_ms_takes_precedence() {
        let now = SystemTime::now();
        let cases: &[(&[(&'static str, &str)], f64)] = &[
            (&[], 0.5),
            (&[("retry-after-ms", "1500")], 1.5),
            (&[("retry-after-ms", "50"), ("retry-after", "30")], 0.05),
            (&[("retry-after-ms", "junk"), ("retry-after", "30")], 30.0),
            (&[("retry-after-ms", "0")], 0.5),
            (&[("retry-after-ms", "60001")], 0.5),
            (&[("retry-after", " 2.5 ")], 2.5),
        ];
        for &(hs, expected) in cases {
            let got = retry_delay(0, Some(&headers(hs)), 1.0, now).as_secs_f64();
            assert!((got - expected).abs() < 1e-9, "{hs:?}: {got}");
        }
    }

    #[test]
    fn backoff_sequence_and_jitter() {
        let now = SystemTime::now();
        let nominal: Vec<f64> = (0..6)
            .map(|n| retry_delay(n, None, 1.0, now).as_secs_f64())
            .collect();
        assert_eq!(nominal, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]);
        let low = retry_delay(0, None, 0.75, now).as_secs_f64();
        assert!((low - 0.375).abs() < 1e-12);
        for _ in 0..1000 {
            let j = jitter();
            assert!(j > 0.75 && j <= 1.0, "{j}");
        }
    }

    #[test]
    fn past_date_falls_back() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let past = httpdate::fmt_http_date(now - Duration::from_secs(5));
        let h = headers(&[("retry-after", &past)]);
        assert_eq!(parse_retry_after(&h, now), Some(-5.0));
        assert_eq!(
            retry_delay(0, Some(&h), 1.0, now),
            Duration::from_millis(500)
        );
    }

    #[test]
    fn should_retry_rules() {
        let none = HeaderMap::new();
        for s in [408, 409, 429, 500, 502, 503, 529] {
            assert!(should_retry(StatusCode::from_u16(s).unwrap(), &none), "{s}");
        }
        for s in [400, 401, 403, 404, 413, 422] {
            assert!(
                !should_retry(StatusCode::from_u16(s).unwrap(), &none),
                "{s}"
            );
        }
        let yes = headers(&[("x-should-retry", "true")]);
        let no = headers(&[("x-should-retry", "false")]);
        assert!(should_retry(StatusCode::BAD_REQUEST, &yes));
        assert!(!should_retry(StatusCode::INTERNAL_SERVER_ERROR, &no));
    }
}
