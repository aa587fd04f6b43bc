//! One access-log record per request: method, path, status, duration, request id, trace id and the
//! platform's observability headers. Bodies are never logged.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use axum::extract::Request;
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// The request id: the caller's `X-Request-Id` when it gives a sane one, else a new one.
fn request_id(request: &Request) -> String {
    request
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|id| !id.is_empty() && id.len() <= 128)
        .map_or_else(
            || {
                format!(
                    "req-{}-{}",
                    std::process::id(),
                    NEXT_ID.fetch_add(1, Ordering::Relaxed)
                )
            },
            str::to_owned,
        )
}

pub(super) async fn log(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let id = request_id(&request);
    let method = request.method().clone();
    let path = request.uri().path().to_owned();
    let trace_id = super::trace_of(request.headers())
        .map(|trace| trace.trace_id().to_owned())
        .unwrap_or_default();
    let observability: Vec<String> = request
        .headers()
        .iter()
        .filter(|(name, _)| name.as_str().starts_with("x-lumos-observability-"))
        .filter_map(|(name, value)| Some(format!("{name}={}", value.to_str().ok()?)))
        .collect();
    // Every event of the request (the SDK's upstream exchanges included) carries its ids; an
    // error-level span, so they are there at every log level.
    let span = tracing::error_span!("request", request_id = %id, trace_id = %trace_id);
    let mut response = tracing::Instrument::instrument(next.run(request), span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert("x-request-id", value);
    }
    let (rate_limit_wait_ms, rate_limit_wait_reason) = response
        .extensions()
        .get::<crate::trace::RateLimitWait>()
        .and_then(crate::trace::RateLimitWait::total)
        .unwrap_or((0, ""));
    tracing::info!(
        %method, path = %crate::redact::text(&path), status = response.status().as_u16(),
        rate_limit_wait_ms, rate_limit_wait_reason,
        duration_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        request_id = %id, trace_id = %trace_id, observability = %observability.join(","),
        "http request"
    );
    response
}
