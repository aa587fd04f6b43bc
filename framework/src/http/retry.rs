//! Retries that honour the server: `Retry-After`, rate-limit reset headers, a deadline.

use std::time::{Duration, Instant, SystemTime};

use http::{Extensions, HeaderMap, Method, StatusCode};
use reqwest::{Request, Response};
use reqwest_middleware::{Middleware, Next};
use retry_policies::policies::ExponentialBackoff;
use retry_policies::{Jitter, RetryDecision, RetryPolicy as _};

use crate::redact;

/// When and how often failed requests are retried.
///
/// Retried: HTTP 408, 429, 502, 503 and 504, and connect or timeout failures. Never retried:
/// every other status (400, 401, 403, 404, 409, 422 … are terminal). Writes (POST, PATCH) are
/// retried only with [`RetryPolicy::retry_writes`]. A server's `Retry-After` (seconds or an
/// HTTP date), `RateLimit-Reset` or `X-RateLimit-Reset` decides the wait when present;
/// otherwise the wait grows exponentially with jitter. No wait goes past the deadline.
///
/// ```
/// use std::time::Duration;
/// use connector_sdk::http::RetryPolicy;
///
/// let policy = RetryPolicy::default()
///     .max_retries(5)
///     .deadline(Duration::from_secs(30))
///     .retry_writes(true);
/// assert_eq!(policy.max_retries_value(), 5);
/// ```
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_retries: u32,
    min_backoff: Duration,
    max_backoff: Duration,
    deadline: Duration,
    retry_writes: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 3,
            min_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(20),
            deadline: Duration::from_secs(300),
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

    /// The budget for all waits, from the client's creation (default 300 s).
    #[must_use]
    pub fn deadline(mut self, deadline: Duration) -> Self {
        self.deadline = deadline;
        self
    }

    /// Whether POST and PATCH requests are retried too (default no: they may not be idempotent).
    #[must_use]
    pub fn retry_writes(mut self, retry: bool) -> Self {
        self.retry_writes = retry;
        self
    }
}

/// What the retry layer did for a response, kept in the response's extensions.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct RetryOutcome {
    /// How many retries were made.
    pub(crate) retries: u32,
    /// The wait the server still asked for when retries or the deadline ran out.
    pub(crate) wait_needed: Option<Duration>,
}

impl RetryOutcome {
    /// A note for error messages, when retries were made or more time was needed.
    pub(crate) fn note(&self) -> Option<String> {
        let wait_needed = self.wait_needed.filter(|wait| !wait.is_zero());
        match (self.retries, wait_needed) {
            (0, None) => None,
            (n, None) => Some(format!("after {n} retries")),
            (n, Some(wait)) => Some(format!(
                "after {n} retries; the app asked to wait {:.1} s more",
                wait.as_secs_f64()
            )),
        }
    }
}

/// The middleware.
pub(crate) struct Retry {
    policy: RetryPolicy,
    backoff: ExponentialBackoff,
    deadline: Instant,
}

impl Retry {
    pub(crate) fn new(policy: RetryPolicy) -> Self {
        let backoff = ExponentialBackoff::builder()
            .retry_bounds(policy.min_backoff, policy.max_backoff)
            .jitter(Jitter::Bounded)
            .build_with_max_retries(policy.max_retries);
        Self {
            deadline: Instant::now() + policy.deadline,
            policy,
            backoff,
        }
    }

    fn retries_method(&self, method: &Method) -> bool {
        self.policy.retry_writes
            || matches!(
                *method,
                Method::GET
                    | Method::HEAD
                    | Method::OPTIONS
                    | Method::PUT
                    | Method::DELETE
                    | Method::TRACE
            )
    }

    fn backoff_wait(&self, retries: u32, started: SystemTime) -> Option<Duration> {
        match self.backoff.should_retry(started, retries) {
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

/// The wait a server asks for: `Retry-After` (seconds or HTTP date), else `RateLimit-Reset` /
/// `X-RateLimit-Reset` (seconds, or a Unix time when it is that large).
pub(crate) fn server_wait(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let text = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
    };
    if let Some(value) = text("retry-after") {
        if let Ok(seconds) = value.parse::<f64>() {
            return (seconds.is_finite() && seconds >= 0.0)
                .then(|| Duration::from_secs_f64(seconds));
        }
        if let Ok(date) = httpdate::parse_http_date(value) {
            return Some(date.duration_since(now).unwrap_or_default());
        }
    }
    for name in ["ratelimit-reset", "x-ratelimit-reset"] {
        if let Some(seconds) = text(name).and_then(|v| v.parse::<f64>().ok())
            && seconds.is_finite()
            && seconds >= 0.0
        {
            // Large values are Unix timestamps, small ones are delays.
            if seconds > 1_000_000_000.0 {
                let at = SystemTime::UNIX_EPOCH + Duration::from_secs_f64(seconds);
                return Some(at.duration_since(now).unwrap_or_default());
            }
            return Some(Duration::from_secs_f64(seconds));
        }
    }
    None
}

#[async_trait::async_trait]
impl Middleware for Retry {
    async fn handle(
        &self,
        request: Request,
        extensions: &mut Extensions,
        next: Next<'_>,
    ) -> reqwest_middleware::Result<Response> {
        let started = SystemTime::now();
        let retries_allowed = self.retries_method(request.method());
        let method = request.method().clone();
        let url = redact::url(request.url().as_str());
        let mut retries = 0u32;
        let mut request = Some(request);
        loop {
            let Some(current) = request.take() else {
                unreachable!("a request is always kept for the next attempt")
            };
            let spare = if retries_allowed {
                current.try_clone()
            } else {
                None
            };
            let attempt_started = Instant::now();
            let result = next.clone().run(current, extensions).await;
            let elapsed = attempt_started.elapsed();
            let (wait, from_server) = match &result {
                Ok(response) => {
                    tracing::debug!(
                        %method, url = %url, status = response.status().as_u16(),
                        duration_ms = elapsed.as_millis() as u64, retries,
                        "http exchange"
                    );
                    if !retryable_status(response.status()) {
                        return result.map(|r| with_outcome(r, retries, None));
                    }
                    match server_wait(response.headers(), SystemTime::now()) {
                        Some(wait) => (Some(wait), true),
                        None => (self.backoff_wait(retries, started), false),
                    }
                }
                Err(error) => {
                    tracing::debug!(
                        %method, url = %url, error = %error,
                        duration_ms = elapsed.as_millis() as u64, retries,
                        "http exchange failed"
                    );
                    let transient = match error {
                        reqwest_middleware::Error::Reqwest(e) => e.is_timeout() || e.is_connect(),
                        reqwest_middleware::Error::Middleware(_) => false,
                    };
                    if !transient {
                        return result;
                    }
                    (self.backoff_wait(retries, started), false)
                }
            };
            let out_of_budget = |wait: Duration| Instant::now() + wait > self.deadline;
            let give_up = !retries_allowed
                || spare.is_none()
                || retries >= self.policy.max_retries
                || wait.is_none_or(out_of_budget);
            if give_up {
                let needed = if from_server { wait } else { None };
                return result.map(|r| with_outcome(r, retries, needed));
            }
            let wait = wait.unwrap_or_default();
            tracing::debug!(%method, url = %url, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
            retries += 1;
            request = spare;
        }
    }
}

fn with_outcome(mut response: Response, retries: u32, wait_needed: Option<Duration>) -> Response {
    response.extensions_mut().insert(RetryOutcome {
        retries,
        wait_needed,
    });
    response
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
