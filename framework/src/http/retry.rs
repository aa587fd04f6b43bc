//! When to retry: the policy, the server's own wait (`Retry-After`, rate-limit resets), backoff.
//!
//! Every number here comes from the app, so all arithmetic is checked or saturating: an absurd
//! `Retry-After: 1e300` is "longer than any deadline", never a panic.

use std::time::{Duration, SystemTime};

use http::{HeaderMap, StatusCode};
use retry_policies::policies::ExponentialBackoff;
use retry_policies::{Jitter, RetryDecision, RetryPolicy as _};

use super::Method;

/// When and how often failed requests are retried.
///
/// Retried: HTTP 408, 429, 502, 503 and 504, and connect or timeout failures. Never retried:
/// every other status (400, 401, 403, 404, 409, 422 … are terminal). Writes (POST, PATCH) are
/// retried only with [`RetryPolicy::retry_writes`]. A server's `Retry-After` (seconds or an
/// HTTP date), `RateLimit-Reset` or `X-RateLimit-Reset` decides the wait when present;
/// otherwise the wait grows exponentially with jitter. No wait goes past the call's deadline
/// (see [`crate::http::HttpClientBuilder::deadline`]): when the app asks for more time than is
/// left, the call fails at once, saying how long the app wanted.
///
/// ```
/// use std::time::Duration;
/// use connector_sdk::http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .backoff(Duration::from_millis(100), Duration::from_secs(5))
///     .retry_writes(true);
/// assert_eq!(policy.max_retries_value(), 5);
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    min_backoff: Duration,
    max_backoff: Duration,
    retry_writes: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            min_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            retry_writes: false,
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub fn none() -> Self {
        Self::default().max_retries(0)
    }

    /// How many times a request is retried at most (default 3).
    #[must_use]
    pub fn max_retries(mut self, retries: u32) -> Self {
        self.max_retries = retries;
        self
    }

    /// The configured number of retries.
    pub fn max_retries_value(&self) -> u32 {
        self.max_retries
    }

    /// The bounds of the exponential backoff (defaults 250 ms and 20 s).
    #[must_use]
    pub fn backoff(mut self, min: Duration, max: Duration) -> Self {
        self.min_backoff = min;
        self.max_backoff = max.max(min);
        self
    }

    /// Whether POST and PATCH requests are retried too (default no: they may not be idempotent).
    #[must_use]
    pub fn retry_writes(mut self, retry: bool) -> Self {
        self.retry_writes = retry;
        self
    }

    /// Whether requests with `method` may be retried at all.
    pub(crate) fn retries_method(&self, method: Method) -> bool {
        self.retry_writes || method.is_idempotent()
    }

    /// The backoff before retry number `retries + 1`, or `None` when retries are used up.
    pub(crate) fn backoff_wait(&self, retries: u32, started: SystemTime) -> Option<Duration> {
        if retries >= self.max_retries {
            return None;
        }
        let backoff = ExponentialBackoff::builder()
            .retry_bounds(self.min_backoff, self.max_backoff)
            .jitter(Jitter::Bounded)
            .build_with_max_retries(self.max_retries);
        match backoff.should_retry(started, retries) {
            RetryDecision::Retry { execute_after } => Some(
                execute_after
                    .duration_since(SystemTime::now())
                    .unwrap_or_default(),
            ),
            RetryDecision::DoNotRetry => None,
        }
    }
}

/// Whether a status is worth retrying.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

/// Seconds from a header as a duration; values too large for a `Duration` saturate.
fn seconds(value: f64) -> Option<Duration> {
    if !(value.is_finite() && value >= 0.0) {
        return None;
    }
    Some(Duration::try_from_secs_f64(value).unwrap_or(Duration::MAX))
}

/// The time until `at` (a Unix time in seconds), saturating both ways.
fn until_unix(at: f64, now: SystemTime) -> Option<Duration> {
    let since_epoch = seconds(at)?;
    Some(match SystemTime::UNIX_EPOCH.checked_add(since_epoch) {
        Some(at) => at.duration_since(now).unwrap_or_default(),
        None => Duration::MAX,
    })
}

/// The wait a server asks for: `Retry-After` (seconds or HTTP date), else `RateLimit-Reset` /
/// `X-RateLimit-Reset` (seconds, or a Unix time when it is that large). Never panics; absurd
/// values come back as [`Duration::MAX`], which no deadline allows.
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = text("retry-after") {
        if let Ok(value) = value.parse::<f64>() {
            return seconds(value);
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return Some(date.duration_since(now).unwrap_or_default());
        }
    }
    for name in ["ratelimit-reset", "x-ratelimit-reset"] {
        if let Some(value) = text(name).and_then(|v| v.parse::<f64>().ok())
            && value.is_finite()
            && value >= 0.0
        {
            // Large values are Unix timestamps, small ones are delays.
            return if value > 1_000_000_000.0 {
                until_unix(value, now)
            } else {
                seconds(value)
            };
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("2"));
        assert_eq!(server_wait(&headers, now), Some(Duration::from_secs(2)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(7));
        headers.insert("retry-after", HeaderValue::from_str(&later).unwrap());
        assert_eq!(server_wait(&headers, now), Some(Duration::from_secs(7)));
    }

    #[test]
    fn rate_limit_reset_delays_and_timestamps() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-reset", HeaderValue::from_static("1700000005"));
        assert_eq!(server_wait(&headers, now), Some(Duration::from_secs(5)));
        let mut headers = HeaderMap::new();
        headers.insert("ratelimit-reset", HeaderValue::from_static("3"));
        assert_eq!(server_wait(&headers, now), Some(Duration::from_secs(3)));
    }

    #[test]
    fn absurd_waits_saturate_instead_of_panicking() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for (name, value) in [
            ("retry-after", "1e300"),
            ("retry-after", "1e19"),
            ("retry-after", "18446744073709551616"),
            ("x-ratelimit-reset", "1e300"),
            ("x-ratelimit-reset", "1e19"),
            ("ratelimit-reset", "1e300"),
        ] {
            let mut headers = HeaderMap::new();
            headers.insert(name, HeaderValue::from_static(value));
            let wait = server_wait(&headers, now).unwrap();
            assert!(wait > Duration::from_secs(1_000_000), "{name}: {value}");
        }
        let mut headers = HeaderMap::new();
        headers.insert("retry-after", HeaderValue::from_static("-5"));
        assert_eq!(server_wait(&headers, now), None);
        headers.insert("retry-after", HeaderValue::from_static("NaN"));
        assert_eq!(server_wait(&headers, now), None);
    }

    proptest::proptest! {
        #[test]
        fn any_header_value_is_a_wait_or_nothing(
            value in "\\PC{0,40}",
            number in proptest::num::f64::ANY,
            name in proptest::sample::select(vec!["retry-after", "ratelimit-reset", "x-ratelimit-reset"]),
        ) {
            let now = SystemTime::now();
            for text in [value, number.to_string(), format!("{number:e}")] {
                if let Ok(header) = HeaderValue::from_str(&text) {
                    let mut headers = HeaderMap::new();
                    headers.insert(name, header);
                    let _ = server_wait(&headers, now);
                }
            }
        }
    }

    #[test]
    fn terminal_statuses_are_not_retried() {
        for status in [400, 401, 403, 404, 409, 422, 500] {
            assert!(
                !retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
        for status in [408, 429, 502, 503, 504] {
            assert!(
                retryable_status(StatusCode::from_u16(status).unwrap()),
                "{status}"
            );
        }
    }
}
