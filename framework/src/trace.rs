//! W3C trace context (<https://www.w3.org/TR/trace-context/>) and the per-request scope the
//! SDK's HTTP client reads.
//!
//! `serve` reads an incoming `traceparent` (and `tracestate`) and runs the capability inside a
//! [`scope`]; every attempt of every request the connector then makes to its app carries a
//! `traceparent` with the same trace id and a new span id (and the `tracestate` unchanged), and
//! is counted in the server's metrics. The scope is a tokio task-local: a capability that
//! spawns its own tasks takes its requests out of it. Outside `serve` there is no scope and
//! nothing is added.
//!
//! It sits below `http` (which reads it) and `server` (which sets it): the server's metrics
//! reach the HTTP client through [`Upstream`], the OTLP exporter's spans through [`Spans`]
//! (with spans, an attempt's `traceparent` carries its own span's id).

use std::future::Future;
use std::sync::Arc;

/// Where the HTTP client counts its requests to the app (the server's metrics).
pub(crate) trait Upstream: Send + Sync {
    /// One attempt: its status, or `None` when no answer came.
    fn upstream(&self, url: &url::Url, status: Option<u16>);
    /// One retry.
    fn retry(&self, url: &url::Url);
}

/// Where the HTTP client opens a span for each attempt of a request to the app (the OTLP
/// exporter, when one is configured).
pub(crate) trait Spans: Send + Sync {
    /// Starts the span of one attempt; `url` gives its origin only.
    fn upstream(&self, method: &'static str, url: &url::Url) -> Box<dyn UpstreamSpan>;
}

/// The span of one attempt of a request to the app.
pub(crate) trait UpstreamSpan: Send + Sync {
    /// The attempt's `traceparent`: the trace, this span's id and its sampling flag.
    fn traceparent(&self) -> String;
    /// Ends the span with the answer's status, or `None` when no answer came.
    fn end(self: Box<Self>, status: Option<u16>);
}

/// A parsed `traceparent`: `00-<trace id>-<parent span id>-<flags>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TraceParent {
    trace_id: String,
    parent_id: String,
    flags: String,
    state: Option<String>,
}

fn is_lower_hex(text: &str, len: usize) -> bool {
    text.len() == len
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl TraceParent {
    /// Parses a `traceparent` header (version 00, or a later version's first four fields);
    /// `None` for anything invalid, as the specification says to ignore it. `tracestate` is
    /// kept only with a valid `traceparent`, and only if it is short printable ASCII.
    pub(crate) fn parse(traceparent: &str, tracestate: Option<&str>) -> Option<Self> {
        let mut parts = traceparent.trim().split('-');
        let (version, trace_id, parent, flags) =
            (parts.next()?, parts.next()?, parts.next()?, parts.next()?);
        let rest = parts.next();
        if !is_lower_hex(version, 2) || version == "ff" || (version == "00" && rest.is_some()) {
            return None;
        }
        if !is_lower_hex(trace_id, 32)
            || !is_lower_hex(parent, 16)
            || !is_lower_hex(flags, 2)
            || trace_id.bytes().all(|b| b == b'0')
            || parent.bytes().all(|b| b == b'0')
        {
            return None;
        }
        let state = tracestate
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.len() <= 512)
            .filter(|s| s.bytes().all(|b| (0x20..0x7f).contains(&b)))
            .map(str::to_owned);
        Some(Self {
            trace_id: trace_id.to_owned(),
            parent_id: parent.to_owned(),
            flags: flags.to_owned(),
            state,
        })
    }

    /// The span id of the caller's span (16 lower-case hex digits).
    #[cfg_attr(not(feature = "otlp"), allow(dead_code))]
    pub(crate) fn parent_id(&self) -> &str {
        &self.parent_id
    }

    /// Whether the caller sampled its span (the `sampled` flag).
    #[cfg_attr(not(feature = "otlp"), allow(dead_code))]
    pub(crate) fn sampled(&self) -> bool {
        u8::from_str_radix(&self.flags, 16).is_ok_and(|flags| flags & 1 == 1)
    }

    /// The trace id (32 lower-case hex digits).
    pub(crate) fn trace_id(&self) -> &str {
        &self.trace_id
    }

    /// The `traceparent` of a new child span: same trace id and flags, a new span id.
    pub(crate) fn child(&self) -> String {
        let mut id = [0u8; 8];
        while id == [0; 8] {
            if getrandom::fill(&mut id).is_err() {
                // No entropy: a time-derived id is still unique enough for a span.
                let nanos = std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(1, |d| d.as_nanos());
                id = (nanos as u64 | 1).to_be_bytes();
            }
        }
        let span: String = id.iter().map(|b| format!("{b:02x}")).collect();
        format!("00-{}-{span}-{}", self.trace_id, self.flags)
    }

    /// The `tracestate` to pass on, if any.
    pub(crate) fn state(&self) -> Option<&str> {
        self.state.as_deref()
    }
}

/// What one served request hands down to the HTTP client.
#[derive(Default)]
pub(crate) struct Scope {
    pub(crate) trace: Option<TraceParent>,
    pub(crate) metrics: Option<Arc<dyn Upstream>>,
    /// The OTLP spans of the request's attempts, children of its capability's span.
    pub(crate) spans: Option<Arc<dyn Spans>>,
    /// How long the request's HTTP clients waited for the app's rate limit, and why.
    pub(crate) waited: RateLimitWait,
}

/// The rate-limit waits of one served request, for its access-log record.
#[derive(Debug, Default, Clone)]
pub(crate) struct RateLimitWait {
    pub(crate) ms: Arc<std::sync::atomic::AtomicU64>,
    pub(crate) reason: Arc<std::sync::Mutex<Option<&'static str>>>,
}

impl RateLimitWait {
    /// Adds a wait; the last reason is kept.
    pub(crate) fn add(&self, ms: u64, reason: &'static str) {
        self.ms.fetch_add(ms, std::sync::atomic::Ordering::Relaxed);
        *self.reason.lock().unwrap_or_else(|p| p.into_inner()) = Some(reason);
    }

    /// The total in milliseconds and the last reason, when anything waited.
    pub(crate) fn total(&self) -> Option<(u64, &'static str)> {
        let ms = self.ms.load(std::sync::atomic::Ordering::Relaxed);
        let reason = *self.reason.lock().unwrap_or_else(|p| p.into_inner());
        reason.map(|reason| (ms, reason))
    }
}

impl std::fmt::Debug for Scope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scope")
            .field("trace", &self.trace)
            .finish_non_exhaustive()
    }
}

/// The trace context of one attempt of a request to the app, and its span.
pub(crate) struct Attempt<'a> {
    /// The `traceparent` to send, if the request is traced.
    pub(crate) traceparent: Option<String>,
    /// The `tracestate` to pass on, if any.
    pub(crate) tracestate: Option<&'a str>,
    span: Option<Box<dyn UpstreamSpan>>,
}

impl Scope {
    /// Starts one attempt of a request to the app: its span (with an exporter) and the
    /// `traceparent` it carries.
    pub(crate) fn attempt(&self, method: &'static str, url: &url::Url) -> Attempt<'_> {
        let span = self.spans.as_ref().map(|spans| spans.upstream(method, url));
        let traceparent = match (&span, &self.trace) {
            (Some(span), _) => Some(span.traceparent()),
            (None, Some(trace)) => Some(trace.child()),
            (None, None) => None,
        };
        Attempt {
            traceparent,
            tracestate: self.trace.as_ref().and_then(TraceParent::state),
            span,
        }
    }
}

impl Attempt<'_> {
    /// Ends the attempt's span with the answer's status, or `None` when no answer came.
    pub(crate) fn end(self, status: Option<u16>) {
        if let Some(span) = self.span {
            span.end(status);
        }
    }
}

tokio::task_local! {
    static SCOPE: Arc<Scope>;
}

/// Runs `future` inside `scope`.
pub(crate) async fn scope<F: Future>(scope: Arc<Scope>, future: F) -> F::Output {
    SCOPE.scope(scope, future).await
}

/// The current request's scope, inside `serve`.
pub(crate) fn current() -> Option<Arc<Scope>> {
    SCOPE.try_with(Arc::clone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    #[test]
    fn a_valid_traceparent_gives_children_with_its_trace_id_and_new_span_ids() {
        let parent = TraceParent::parse(VALID, Some("congo=t61rcWkgMzE")).unwrap();
        assert_eq!(parent.trace_id(), "4bf92f3577b34da6a3ce929d0e0e4736");
        assert_eq!(parent.parent_id(), "00f067aa0ba902b7");
        assert!(parent.sampled());
        assert!(
            !TraceParent::parse(&VALID.replace("-01", "-00"), None)
                .unwrap()
                .sampled()
        );
        let (a, b) = (parent.child(), parent.child());
        assert!(a.starts_with("00-4bf92f3577b34da6a3ce929d0e0e4736-") && a.ends_with("-01"));
        assert_ne!(a, b);
        assert!(!a.contains("00f067aa0ba902b7"));
        assert_eq!(parent.state(), Some("congo=t61rcWkgMzE"));
    }

    #[test]
    fn invalid_traceparents_are_ignored() {
        for bad in [
            "",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
            "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
            "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        ] {
            assert_eq!(TraceParent::parse(bad, None), None, "{bad}");
        }
        assert!(TraceParent::parse(&format!("01-{}-later", &VALID[3..]), None).is_some());
    }
}
