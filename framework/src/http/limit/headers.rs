//! Reading what an app says about its rate limit, in the header styles apps really use.
//!
//! Every value comes from the app, so nothing here trusts it: numbers that are negative,
//! non-finite, non-numeric or absurdly large are dropped or saturate, and durations are capped
//! at [`MAX_RESET`]; nothing panics.

use std::time::{Duration, SystemTime};

use http::HeaderMap;

/// The longest reset or window taken from a header; longer ones are taken as this.
pub(crate) const MAX_RESET: Duration = Duration::from_secs(24 * 3600);

/// Unix times below this are delays in seconds, not timestamps (`X-RateLimit-Reset` is either).
const EPOCH_THRESHOLD: f64 = 1_000_000_000.0;

/// What an app said about its rate limit in one answer (each part when it said it).
///
/// The SDK reads these itself from the IETF headers (`RateLimit-Limit`, `RateLimit-Remaining`,
/// `RateLimit-Reset`, `RateLimit-Policy`, and the newer `RateLimit` / `RateLimit-Policy`
/// structured fields) and from `X-RateLimit-*` / `X-Rate-Limit-*` (reset as delta seconds or
/// Unix time, `X-RateLimit-Reset-After`). A connector whose app says it another way gives a
/// [`RateLimit::extractor`](super::RateLimit::extractor) that returns one of these.
///
/// ```
/// use std::time::Duration;
/// use connector_sdk::http::RateLimitHeaders;
///
/// // "You have 40 of 50 requests left in this 60 s window, reset in 12 s."
/// let seen = RateLimitHeaders {
///     limit: Some(50),
///     remaining: Some(40),
///     reset_after: Some(Duration::from_secs(12)),
///     window: Some(Duration::from_secs(60)),
///     ..Default::default()
/// };
/// assert_eq!(seen.remaining, Some(40));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitHeaders {
    /// Requests allowed per window (the quota).
    pub limit: Option<u64>,
    /// Requests left now.
    pub remaining: Option<u64>,
    /// How long until the remaining count is back to the limit.
    pub reset_after: Option<Duration>,
    /// The window the limit is counted over.
    pub window: Option<Duration>,
    /// A token bucket's capacity, when the app says it refills continuously (the policy's
    /// `burst` parameter): requests then come back one by one at `limit / window`, not all at
    /// the reset.
    pub burst: Option<u64>,
}

impl RateLimitHeaders {
    /// Whether the app said anything at all.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// A header's text, trimmed.
fn text<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// A finite, non-negative number.
fn number(text: &str) -> Option<f64> {
    let value = text.trim().trim_matches('"').parse::<f64>().ok()?;
    (value.is_finite() && value >= 0.0).then_some(value)
}

/// A count: saturates at `u64::MAX`, fractions are cut.
fn count(text: &str) -> Option<u64> {
    // `as` saturates for floats; NaN and negatives are filtered by `number`.
    number(text).map(|value| value as u64)
}

/// Seconds as a duration, capped at [`MAX_RESET`].
pub(crate) fn capped_seconds(value: f64) -> Option<Duration> {
    if !(value.is_finite() && value >= 0.0) {
        return None;
    }
    Some(
        Duration::try_from_secs_f64(value)
            .unwrap_or(MAX_RESET)
            .min(MAX_RESET),
    )
}

/// A reset that is either a delay in seconds or a Unix time (when it is that large).
fn delay_or_epoch(text: &str, now: SystemTime) -> Option<Duration> {
    let value = number(text)?;
    if value < EPOCH_THRESHOLD {
        return capped_seconds(value);
    }
    let now = now
        .duration_since(SystemTime::UNIX_EPOCH)
        .unwrap_or_default()
        .as_secs_f64();
    capped_seconds((value - now).max(0.0))
}

/// The first number of a list header (`10, 10;w=1, 50;w=60` → 10).
fn leading_count(text: &str) -> Option<u64> {
    let first = text.split(',').next()?;
    count(first.split(';').next()?)
}

/// The parameters of the first item of a structured-field list: `10;w=1;burst=5` or
/// `"default";q=100;w=10`. Keys are lower-cased; values are raw text.
fn first_item_params(text: &str) -> Vec<(String, &str)> {
    let Some(first) = text.split(',').next() else {
        return Vec::new();
    };
    first
        .split(';')
        .skip(1)
        .filter_map(|param| {
            let (key, value) = param.split_once('=')?;
            Some((key.trim().to_ascii_lowercase(), value.trim()))
        })
        .collect()
}

fn param<'a>(params: &'a [(String, &str)], key: &str) -> Option<&'a str> {
    params
        .iter()
        .find(|(name, _)| name == key)
        .map(|(_, value)| *value)
}

/// `RateLimit-Policy`, in either draft's form: `10;w=1` (quota first) or
/// `"default";q=100;w=10` (named, with `q`); `burst` is kept when given.
fn policy(text: &str, seen: &mut RateLimitHeaders) {
    let params = first_item_params(text);
    let quota = param(&params, "q").and_then(count).or_else(|| {
        let head = text.split(',').next()?.split(';').next()?;
        count(head)
    });
    if seen.limit.is_none() {
        seen.limit = quota;
    }
    if let Some(window) = param(&params, "w").and_then(number) {
        seen.window = capped_seconds(window).filter(|w| !w.is_zero());
    }
    if let Some(burst) = param(&params, "burst").and_then(count) {
        seen.burst = Some(burst);
    }
}

/// Everything the headers say, in every style the SDK knows; `None` when they say nothing.
pub(crate) fn parse(headers: &HeaderMap, now: SystemTime) -> Option<RateLimitHeaders> {
    // IETF drafts up to 06: one header per field.
    let mut seen = RateLimitHeaders {
        limit: text(headers, "ratelimit-limit").and_then(leading_count),
        remaining: text(headers, "ratelimit-remaining").and_then(count),
        reset_after: text(headers, "ratelimit-reset").and_then(|t| delay_or_epoch(t, now)),
        ..RateLimitHeaders::default()
    };
    // IETF drafts 07+: `RateLimit: "default";r=50;t=30`.
    if let Some(combined) = text(headers, "ratelimit") {
        let params = first_item_params(combined);
        if let Some(remaining) = param(&params, "r").and_then(count) {
            seen.remaining = Some(remaining);
        }
        if let Some(reset) = param(&params, "t").and_then(|t| delay_or_epoch(t, now)) {
            seen.reset_after = Some(reset);
        }
    }
    if let Some(text) = text(headers, "ratelimit-policy") {
        policy(text, &mut seen);
    }
    // The X- styles (GitHub, Discord, Twitter …), when the IETF ones say nothing.
    for prefix in ["x-ratelimit-", "x-rate-limit-"] {
        let field = |name: &str| text(headers, &format!("{prefix}{name}"));
        if seen.limit.is_none() {
            seen.limit = field("limit").and_then(leading_count);
        }
        if seen.remaining.is_none() {
            seen.remaining = field("remaining").and_then(count);
        }
        if seen.reset_after.is_none() {
            seen.reset_after = field("reset-after")
                .and_then(number)
                .and_then(capped_seconds)
                .or_else(|| field("reset").and_then(|t| delay_or_epoch(t, now)));
        }
    }
    (!seen.is_empty()).then_some(seen)
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_str(value).unwrap());
        }
        map
    }

    fn now() -> SystemTime {
        SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
    }

    #[test]
    fn ietf_fields_and_policy_with_burst() {
        let seen = parse(
            &headers(&[
                ("RateLimit-Limit", "20"),
                ("RateLimit-Remaining", "7"),
                ("RateLimit-Reset", "1"),
                ("RateLimit-Policy", "20;w=1;burst=10"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(
            seen,
            RateLimitHeaders {
                limit: Some(20),
                remaining: Some(7),
                reset_after: Some(Duration::from_secs(1)),
                window: Some(Duration::from_secs(1)),
                burst: Some(10),
            }
        );
    }

    #[test]
    fn ietf_limit_lists_and_structured_fields() {
        let seen = parse(
            &headers(&[
                ("RateLimit-Limit", "10, 10;w=1, 50;w=60"),
                ("RateLimit-Remaining", "3"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(seen.limit, Some(10));
        let seen = parse(
            &headers(&[
                ("RateLimit", "\"default\";r=50;t=30"),
                ("RateLimit-Policy", "\"default\";q=100;w=60"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(seen.limit, Some(100));
        assert_eq!(seen.remaining, Some(50));
        assert_eq!(seen.reset_after, Some(Duration::from_secs(30)));
        assert_eq!(seen.window, Some(Duration::from_secs(60)));
        assert_eq!(seen.burst, None);
    }

    #[test]
    fn x_styles_with_reset_as_delay_epoch_or_reset_after() {
        let seen = parse(
            &headers(&[
                ("X-RateLimit-Limit", "5000"),
                ("X-RateLimit-Remaining", "4999"),
                ("X-RateLimit-Reset", "1700000060"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(seen.limit, Some(5000));
        assert_eq!(seen.remaining, Some(4999));
        assert_eq!(seen.reset_after, Some(Duration::from_secs(60)));
        // Discord: fractional epoch, and a fractional delay that wins over it.
        let seen = parse(
            &headers(&[
                ("X-RateLimit-Reset", "1700000001.250"),
                ("X-RateLimit-Reset-After", "0.5"),
            ]),
            now(),
        )
        .unwrap();
        assert_eq!(seen.reset_after, Some(Duration::from_millis(500)));
        let seen = parse(&headers(&[("X-RateLimit-Reset", "0.25")]), now()).unwrap();
        assert_eq!(seen.reset_after, Some(Duration::from_millis(250)));
        // Twitter's dashes.
        let seen = parse(&headers(&[("X-Rate-Limit-Remaining", "14")]), now()).unwrap();
        assert_eq!(seen.remaining, Some(14));
        // An epoch in the past is "now".
        let seen = parse(&headers(&[("X-RateLimit-Reset", "1600000000")]), now()).unwrap();
        assert_eq!(seen.reset_after, Some(Duration::ZERO));
    }

    #[test]
    fn no_rate_limit_headers_say_nothing() {
        assert_eq!(parse(&headers(&[("Retry-After", "3")]), now()), None);
        assert_eq!(parse(&HeaderMap::new(), now()), None);
    }

    #[test]
    fn hostile_values_are_dropped_or_saturate() {
        for (name, value) in [
            ("RateLimit-Remaining", "-5"),
            ("RateLimit-Remaining", "NaN"),
            ("RateLimit-Remaining", "inf"),
            ("RateLimit-Remaining", "lots"),
            ("X-RateLimit-Limit", "-1"),
        ] {
            assert_eq!(
                parse(&headers(&[(name, value)]), now()),
                None,
                "{name}: {value}"
            );
        }
        let seen = parse(&headers(&[("RateLimit-Remaining", "1e300")]), now()).unwrap();
        assert_eq!(seen.remaining, Some(u64::MAX));
        for value in ["1e300", "1e19", "99999999999999999999999"] {
            let seen = parse(&headers(&[("X-RateLimit-Reset", value)]), now()).unwrap();
            assert_eq!(seen.reset_after, Some(MAX_RESET), "{value}");
        }
        let seen = parse(&headers(&[("RateLimit-Policy", "10;w=0")]), now()).unwrap();
        assert_eq!(seen.window, None);
    }

    proptest::proptest! {
        #[test]
        fn any_header_values_parse_without_panicking(
            value in "\\PC{0,40}",
            number in proptest::num::f64::ANY,
            name in proptest::sample::select(vec![
                "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset", "ratelimit-policy",
                "ratelimit", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset",
                "x-ratelimit-reset-after", "x-rate-limit-reset",
            ]),
        ) {
            for text in [
                value.clone(),
                number.to_string(),
                format!("{number:e}"),
                format!("{number};w={value}"),
                format!("\"d\";r={number};t={number};q={value};w={number}"),
            ] {
                if let Ok(header) = HeaderValue::from_str(&text) {
                    let mut map = HeaderMap::new();
                    map.insert(name, header);
                    if let Some(seen) = parse(&map, SystemTime::now()) {
                        proptest::prop_assert!(seen.reset_after.is_none_or(|r| r <= MAX_RESET));
                        proptest::prop_assert!(seen.window.is_none_or(|w| w <= MAX_RESET && !w.is_zero()));
                    }
                }
            }
        }
    }
}
