//! A real rate-limit policy: a token bucket per credential (`--rate-limit RPS[/BURST]`),
//! announced in the header style real apps use (`--rate-limit-headers`), `429` with
//! `Retry-After` when a request finds the bucket empty.
//!
//! Header styles (every answer of `/api/*`, the 429s included):
//! - `ietf`: `RateLimit-Limit: <quota per window>`, `RateLimit-Remaining`, `RateLimit-Reset`
//!   (whole seconds until the bucket is full again) and `RateLimit-Policy: <q>;w=<s>;burst=<b>`;
//! - `x-epoch`: `X-RateLimit-Limit: <bucket capacity>`, `X-RateLimit-Remaining`,
//!   `X-RateLimit-Reset: <Unix time the bucket is full again, with milliseconds>`;
//! - `x-seconds`: the same with `X-RateLimit-Reset: <seconds until then, with milliseconds>`;
//! - `none`: nothing but the 429's `Retry-After`.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// How the app announces its rate limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum HeaderStyle {
    /// IETF `RateLimit-*` fields and `RateLimit-Policy`.
    #[default]
    Ietf,
    /// `X-RateLimit-*` with the reset as a Unix time.
    XEpoch,
    /// `X-RateLimit-*` with the reset in seconds from now.
    XSeconds,
    /// No rate-limit headers at all (a 429 still carries `Retry-After`).
    None,
}

impl HeaderStyle {
    /// Every style, in order.
    pub const ALL: [Self; 4] = [Self::Ietf, Self::XEpoch, Self::XSeconds, Self::None];

    /// The style's name on the command line.
    pub const fn name(self) -> &'static str {
        match self {
            Self::Ietf => "ietf",
            Self::XEpoch => "x-epoch",
            Self::XSeconds => "x-seconds",
            Self::None => "none",
        }
    }
}

impl fmt::Display for HeaderStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for HeaderStyle {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|style| style.name() == name)
            .ok_or_else(|| {
                format!("unknown header style `{name}`: expected ietf, x-epoch, x-seconds or none")
            })
    }
}

/// A token bucket: `per_second` requests a second, `burst` at once, per credential.
///
/// ```
/// let policy: mock_app::RateLimitPolicy = "20/10".parse().unwrap();
/// assert_eq!((policy.per_second, policy.burst), (20.0, 10));
/// let policy: mock_app::RateLimitPolicy = "5".parse().unwrap();
/// assert_eq!(policy.burst, 5);
/// assert!("0".parse::<mock_app::RateLimitPolicy>().is_err());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RateLimitPolicy {
    /// Requests a second, sustained.
    pub per_second: f64,
    /// Requests at once (the bucket's capacity).
    pub burst: u32,
}

impl FromStr for RateLimitPolicy {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let (rate, burst) = match text.split_once('/') {
            Some((rate, burst)) => (rate, Some(burst)),
            None => (text, None),
        };
        let per_second: f64 = rate
            .trim()
            .parse()
            .ok()
            .filter(|r: &f64| r.is_finite() && *r > 0.0 && *r <= 1e6)
            .ok_or_else(|| format!("`{text}`: the rate must be a number of requests a second"))?;
        let burst = match burst {
            Some(burst) => burst
                .trim()
                .parse()
                .ok()
                .filter(|b| *b > 0)
                .ok_or_else(|| format!("`{text}`: the burst must be a positive whole number"))?,
            None => per_second.ceil().max(1.0) as u32,
        };
        Ok(Self { per_second, burst })
    }
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// The app's buckets and what they did.
pub(crate) struct Limits {
    policy: RateLimitPolicy,
    style: HeaderStyle,
    buckets: Mutex<HashMap<String, Bucket>>,
    pub(crate) stats: Arc<RateLimitStats>,
}

/// What the rate-limit policy did since the app started.
#[derive(Debug, Default)]
pub struct RateLimitStats {
    admitted: AtomicU64,
    throttled: AtomicU64,
}

impl RateLimitStats {
    /// Requests the policy let through.
    pub fn admitted(&self) -> u64 {
        self.admitted.load(Ordering::Relaxed)
    }

    /// Requests answered 429 by the policy.
    pub fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }
}

/// One request's verdict.
struct Verdict {
    allowed: bool,
    remaining: f64,
    /// Seconds until the bucket is full again.
    until_full: f64,
    /// Seconds until the next token.
    until_next: f64,
}

impl Limits {
    pub(crate) fn new(policy: RateLimitPolicy, style: HeaderStyle) -> Self {
        Self {
            policy,
            style,
            buckets: Mutex::new(HashMap::new()),
            stats: Arc::default(),
        }
    }

    fn take(&self, key: &str) -> Verdict {
        let now = Instant::now();
        let capacity = f64::from(self.policy.burst);
        let rate = self.policy.per_second;
        let mut buckets = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        let bucket = buckets.entry(key.to_owned()).or_insert(Bucket {
            tokens: capacity,
            at: now,
        });
        let elapsed = now.saturating_duration_since(bucket.at).as_secs_f64();
        bucket.tokens = elapsed.mul_add(rate, bucket.tokens).min(capacity);
        bucket.at = now;
        let allowed = bucket.tokens >= 1.0;
        if allowed {
            bucket.tokens -= 1.0;
        }
        Verdict {
            allowed,
            remaining: bucket.tokens,
            until_full: (capacity - bucket.tokens) / rate,
            until_next: ((1.0 - bucket.tokens) / rate).max(0.0),
        }
    }

    /// The quota of the IETF policy: `q` requests per `w` whole seconds.
    fn quota(&self) -> (u64, u64) {
        let rate = self.policy.per_second;
        let window = (1..=60u64)
            .find(|w| (rate * *w as f64).fract().abs() < 1e-9)
            .unwrap_or(1);
        (((rate * window as f64).round() as u64).max(1), window)
    }

    fn announce(&self, headers: &mut HeaderMap, verdict: &Verdict) {
        let mut put = |name: &'static str, value: String| {
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(name, value);
            }
        };
        let remaining = verdict.remaining.max(0.0).floor() as u64;
        match self.style {
            HeaderStyle::Ietf => {
                let (quota, window) = self.quota();
                put("ratelimit-limit", quota.to_string());
                put("ratelimit-remaining", remaining.to_string());
                put(
                    "ratelimit-reset",
                    (verdict.until_full.ceil() as u64).to_string(),
                );
                put(
                    "ratelimit-policy",
                    format!("{quota};w={window};burst={}", self.policy.burst),
                );
            }
            HeaderStyle::XEpoch | HeaderStyle::XSeconds => {
                put("x-ratelimit-limit", self.policy.burst.to_string());
                put("x-ratelimit-remaining", remaining.to_string());
                let reset = if self.style == HeaderStyle::XEpoch {
                    SystemTime::now()
                        .duration_since(SystemTime::UNIX_EPOCH)
                        .unwrap_or_default()
                        .as_secs_f64()
                        + verdict.until_full
                } else {
                    verdict.until_full
                };
                // Rounded up to the millisecond: never earlier than the bucket is full.
                put(
                    "x-ratelimit-reset",
                    format!("{:.3}", (reset * 1000.0).ceil() / 1000.0),
                );
            }
            HeaderStyle::None => {}
        }
    }
}

/// The credential a request is counted against.
fn credential(headers: &HeaderMap) -> String {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    format!(
        "{}\n{}",
        text(header::AUTHORIZATION.as_str()),
        text("x-api-key")
    )
}

/// The policy, before every `/api/*` route.
pub(crate) async fn enforce(
    State(limits): State<Arc<Limits>>,
    request: Request,
    next: Next,
) -> Response {
    let verdict = limits.take(&credential(request.headers()));
    let mut response = if verdict.allowed {
        limits.stats.admitted.fetch_add(1, Ordering::Relaxed);
        next.run(request).await
    } else {
        limits.stats.throttled.fetch_add(1, Ordering::Relaxed);
        let mut response = crate::error(StatusCode::TOO_MANY_REQUESTS, "rate limit exceeded");
        let seconds = verdict.until_next.ceil().max(1.0) as u64;
        if let Ok(value) = HeaderValue::from_str(&seconds.to_string()) {
            response.headers_mut().insert(header::RETRY_AFTER, value);
        }
        response
    };
    limits.announce(response.headers_mut(), &verdict);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bucket_allows_its_burst_then_refills_at_its_rate() {
        let limits = Limits::new("20/10".parse().unwrap(), HeaderStyle::Ietf);
        for n in 0..10 {
            assert!(limits.take("k").allowed, "request {n}");
        }
        let refused = limits.take("k");
        assert!(!refused.allowed);
        assert!(refused.until_next > 0.0 && refused.until_next <= 0.05);
        assert!(limits.take("other").allowed, "buckets are per credential");
        std::thread::sleep(std::time::Duration::from_millis(60));
        assert!(limits.take("k").allowed);
    }

    #[test]
    fn the_ietf_quota_is_whole_requests_per_whole_seconds() {
        let quota = |policy: &str| Limits::new(policy.parse().unwrap(), HeaderStyle::Ietf).quota();
        assert_eq!(quota("20/10"), (20, 1));
        assert_eq!(quota("0.5"), (1, 2));
        assert_eq!(quota("2.5/3"), (5, 2));
    }

    #[test]
    fn styles_round_trip() {
        for style in HeaderStyle::ALL {
            assert_eq!(style.name().parse::<HeaderStyle>(), Ok(style));
        }
        assert!("github".parse::<HeaderStyle>().is_err());
    }
}
