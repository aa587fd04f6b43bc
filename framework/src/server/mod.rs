//! Hosted mode: `<exe> serve`, the same capabilities over HTTP.
//!
//! `POST /<capability>` (or `POST /<app_id>/<capability>`, hyphens or underscores) with the
//! request envelope as the body answers HTTP 200 with exactly the envelope the command line
//! prints for it: the same dispatch, validation order, redaction and error envelopes. `GET
//! /info`, `GET /openapi.json`, `GET /docs` (an HTML reference of `/openapi.json`, rendered on
//! the server: no script, nothing from another origin), `GET /healthz` (liveness), `GET
//! /readyz` (readiness: 503 once shutdown began) and `GET /metrics` (Prometheus
//! text, or OpenMetrics when asked for) complete it.
//!
//! The routes speak [`ServeOptions::protocol`] (by default the integration's). In protocol 4,
//! `POST /app_info` answers too and `/openapi.json` is the `app_info` schema
//! ([`Integration::app_schema`]), as 4.x's server serves it.
//!
//! Unknown paths are 404 `{"detail": "Not Found"}` and wrong methods 405 `{"detail": "Method
//! Not Allowed"}`, as connector-py's servers answer (3.7.8's FastAPI wrote them compact, 4.x
//! with `json.dumps`'s spaces); bodies over the limit are 413, as JSON.
//!
//! Safe by default: it binds loopback; a non-loopback address needs a bearer token (from
//! `--token-file`, [`TOKEN_FILE_ENV`] or [`TOKEN_ENV`]) unless `--insecure` is given; with a
//! token every route but `/healthz` and `/readyz` (Kubernetes probes carry no token), and
//! `/metrics` with [`ServeOptions::metrics_public`], needs `Authorization: Bearer <token>`
//! (compared in constant time). Bodies are never logged; each request gets one access-log
//! record (method, path, status, duration, request id, trace id, the platform's
//! `X-Lumos-Observability-*` headers).
//!
//! A W3C `traceparent` (and `tracestate`) on a request continues in every request the
//! connector makes to its app: same trace id, a new span id per attempt.
//!
//! The server is stateless: each request carries its own credential, and the SDK's HTTP client
//! shares connection pools per app origin across requests without sharing any credential or
//! cookie. Run as many replicas as needed behind a load balancer.
//!
//! `GET /` is the developer [`console`]: the connection form, a capability runner and an info
//! view in the browser, built from `/info` and calling the routes above.

mod access;
pub mod console;
mod docs;
pub(crate) mod metrics;
mod options;
mod reload;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;
use tower::ServiceExt;

use crate::Integration;
use crate::capability::Connector;
use crate::integration::Envelope;
use crate::wire::Protocol;
use crate::wire::{CapabilityName, Secret};

pub use options::{DEFAULT_GRACE, GRACE_ENV, ServeOptions, TOKEN_ENV, TOKEN_FILE_ENV};

/// A connector's HTTP server: the routes, their limits and their guard.
///
/// ```
/// use connector_sdk::server::{HttpCall, Server, ServeOptions};
/// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
/// # struct Demo;
/// # impl Connector for Demo { type Settings = EmptySettings; }
///
/// let integration = Integration::builder(Demo, "demo", "1.0.0").build();
/// let server = Server::new(integration, ServeOptions::default());
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let answer = server.handle(HttpCall::get("/healthz")).await;
/// assert_eq!(answer.status, 200);
/// # });
/// ```
pub struct Server<C: Connector> {
    state: Arc<ServerState<C>>,
    router: Router,
}

impl<C: Connector> std::fmt::Debug for Server<C> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Server")
            .field("app_id", &self.state.integration.app_id())
            .finish_non_exhaustive()
    }
}

struct ServerState<C: Connector> {
    integration: Arc<Integration<C>>,
    protocol: Protocol,
    token: Option<Secret>,
    request_timeout: Duration,
    ready: AtomicBool,
    /// `None` with `--no-metrics`.
    metrics: Option<Arc<metrics::Metrics>>,
    /// The process's span exporter, when `OTEL_EXPORTER_OTLP_ENDPOINT` made one.
    otlp: Option<&'static crate::otlp::Exporter>,
}

/// A request to [`Server::handle`], in process.
#[derive(Debug, Clone)]
pub struct HttpCall {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path, e.g. `/list_accounts`.
    pub path: String,
    /// Request headers.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl HttpCall {
    /// `GET path`.
    pub fn get(path: &str) -> Self {
        Self {
            method: "GET".into(),
            path: path.into(),
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    /// `POST path` with a body.
    pub fn post(path: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            method: "POST".into(),
            path: path.into(),
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// Adds a header.
    #[must_use]
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// The server's answer to an [`HttpCall`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpAnswer {
    /// The HTTP status.
    pub status: u16,
    /// The response headers (names lower-case), in order.
    pub headers: Vec<(String, String)>,
    /// The body (JSON, or HTML for `/docs` and the console).
    pub body: Vec<u8>,
}

impl HttpAnswer {
    /// The first value of the header `name` (case-insensitive), if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

impl<C: Connector> Server<C> {
    /// The server of `integration`.
    pub fn new(integration: impl Into<Arc<Integration<C>>>, options: ServeOptions) -> Self {
        let integration = integration.into();
        let state = Arc::new(ServerState {
            protocol: options.protocol.unwrap_or_else(|| integration.protocol()),
            integration,
            token: options.token.clone(),
            request_timeout: options.request_timeout,
            ready: AtomicBool::new(true),
            metrics: options.metrics.then(|| Arc::new(metrics::Metrics::new())),
            otlp: crate::otlp::global(),
        });
        let (public_metrics, guarded_metrics) = if !options.metrics {
            (Router::new(), Router::new())
        } else if options.metrics_public {
            (
                Router::new().route("/metrics", get(metrics_route::<C>)),
                Router::new(),
            )
        } else {
            (
                Router::new(),
                Router::new().route("/metrics", get(metrics_route::<C>)),
            )
        };
        let guarded = guarded_metrics
            .route("/info", get(info::<C>))
            .route("/openapi.json", get(openapi::<C>))
            .route("/docs", get(docs::<C>))
            .route("/{capability}", post(capability::<C>))
            .route("/{app_id}/{capability}", post(prefixed::<C>))
            .fallback(not_found::<C>)
            .method_not_allowed_fallback(method_not_allowed::<C>)
            .layer(axum::middleware::from_fn_with_state(
                Arc::clone(&state),
                guard::<C>,
            ));
        let router = Router::new()
            .route("/healthz", get(healthz))
            .route("/readyz", get(readyz::<C>))
            .merge(public_metrics)
            .merge(console::routes())
            .merge(guarded)
            .layer(DefaultBodyLimit::max(options.max_body_bytes))
            .layer(tower::limit::GlobalConcurrencyLimitLayer::new(
                options.concurrency.max(1),
            ))
            .layer(axum::middleware::from_fn(access::log))
            .with_state(Arc::clone(&state));
        Self { state, router }
    }

    /// Answers one request in process, exactly as over the network.
    pub async fn handle(&self, call: HttpCall) -> HttpAnswer {
        let mut request = axum::http::Request::builder()
            .method(call.method.as_str())
            .uri(call.path.as_str());
        for (name, value) in &call.headers {
            request = request.header(name.as_str(), value.as_str());
        }
        let answer = match request.body(Body::from(call.body)) {
            Ok(request) => self.router.clone().oneshot(request).await,
            Err(error) => Ok(problem(StatusCode::BAD_REQUEST, &error.to_string())),
        };
        let response = answer.unwrap_or_else(|never| match never {});
        let status = response.status().as_u16();
        let headers = response
            .headers()
            .iter()
            .filter_map(|(name, value)| Some((name.to_string(), value.to_str().ok()?.to_owned())))
            .collect();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map(|bytes| bytes.to_vec())
            .unwrap_or_default();
        HttpAnswer {
            status,
            headers,
            body,
        }
    }

    /// Serves on `listener` until `shutdown` resolves, then finishes the requests in flight
    /// within `grace`.
    pub async fn serve(
        self,
        listener: tokio::net::TcpListener,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
        grace: Duration,
    ) -> std::io::Result<()> {
        let state = Arc::clone(&self.state);
        let (began_tx, began_rx) = tokio::sync::oneshot::channel::<()>();
        let signal = async move {
            shutdown.await;
            state.ready.store(false, Ordering::SeqCst);
            tracing::info!("shutting down: finishing the requests in flight");
            let _ = began_tx.send(());
        };
        let app = self
            .router
            .into_make_service_with_connect_info::<SocketAddr>();
        let server = axum::serve(listener, app).with_graceful_shutdown(signal);
        let deadline = async move {
            if began_rx.await.is_ok() {
                tokio::time::sleep(grace).await;
            } else {
                std::future::pending::<()>().await;
            }
        };
        tokio::select! {
            served = server => served,
            () = deadline => {
                tracing::warn!("the grace period ended with requests still in flight");
                Ok(())
            }
        }
    }
}

/// The multi-threaded runtime of `serve` and `console`; `None` (said on stderr) when the
/// system refuses its threads.
fn server_runtime() -> Option<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .inspect_err(|error| eprintln_safe(&format!("error: cannot start the runtime: {error}")))
        .ok()
}

/// Runs `<exe> serve`: binds, says where on stderr, serves until SIGTERM or SIGINT. With
/// `reload`, also until the executable changes on disk, and then restarts as its new build
/// ([`reload`]).
pub(crate) fn run<C: Connector>(
    integration: Integration<C>,
    options: ServeOptions,
    reload: bool,
) -> u8 {
    if let Err(refusal) = options.check() {
        eprintln_safe(&format!("error: {refusal}"));
        return 2;
    }
    let watch = match reload.then(reload::Watch::current) {
        Some(Ok(watch)) => {
            eprintln_safe(&format!(
                "note: --reload: watching {}; a new build restarts the server",
                watch.exe().display()
            ));
            Some(watch)
        }
        Some(Err(problem)) => {
            eprintln_safe(&format!("note: {problem}"));
            None
        }
        None => None,
    };
    let Some(runtime) = server_runtime() else {
        return 1;
    };
    let watched = watch.clone();
    let (code, changed) = runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind((options.host, options.port)).await {
            Ok(listener) => listener,
            Err(error) => {
                eprintln_safe(&format!(
                    "error: cannot listen on {}:{}: {error}",
                    options.host, options.port
                ));
                return (1, false);
            }
        };
        let address = listener.local_addr().map_or_else(
            |_| format!("{}:{}", options.host, options.port),
            |a| a.to_string(),
        );
        let grace = options.grace;
        let server = Server::new(integration, options);
        let changed = Arc::new(AtomicBool::new(false));
        let stop = {
            let changed = Arc::clone(&changed);
            async move {
                let rebuilt = async {
                    match &watched {
                        Some(watch) => watch.changed().await,
                        None => std::future::pending().await,
                    }
                };
                tokio::select! {
                    () = shutdown_signal() => {}
                    () = rebuilt => changed.store(true, Ordering::SeqCst),
                }
            }
        };
        eprintln_safe(&format!("listening on http://{address}"));
        let served = server.serve(listener, stop, grace).await;
        let changed = changed.load(Ordering::SeqCst);
        match served {
            Ok(()) => (0, changed),
            Err(error) => {
                eprintln_safe(&format!("error: the server failed: {error}"));
                (1, false)
            }
        }
    });
    drop(runtime);
    match watch {
        Some(watch) if changed => {
            eprintln_safe(&format!(
                "reloading: {} changed; restarting",
                watch.exe().display()
            ));
            let error = watch.restart();
            eprintln_safe(&format!("error: cannot restart the new build: {error}"));
            1
        }
        _ => code,
    }
}

#[allow(clippy::print_stderr)]
fn eprintln_safe(line: &str) {
    eprintln!("{line}");
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut terminate =
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(signal) => signal,
                Err(_) => {
                    let _ = interrupt.await;
                    return;
                }
            };
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = interrupt.await;
    }
}

/// The answer to an unknown route (404) or a wrong method (405), as connector-py's servers give
/// it: `{"detail": "Not Found"}`. 3.7.8's FastAPI wrote it compact, 4.x with `json.dumps`'s
/// spaces.
fn detail(protocol: Protocol, status: StatusCode) -> Response {
    let reason = status.canonical_reason().unwrap_or("Error");
    let body = match protocol {
        Protocol::V3_7_8 => json!({ "detail": reason }).to_string(),
        Protocol::V4 => format!("{{\"detail\": {}}}", json!(reason)),
    };
    json_response(status, body)
}

/// A JSON answer that is not an envelope (413, 401, 503, 504, …).
fn problem(status: StatusCode, message: &str) -> Response {
    let body = json!({
        "error": status.canonical_reason().unwrap_or("error").to_ascii_lowercase().replace(' ', "_"),
        "status": status.as_u16(),
        "message": message,
    });
    json_response(status, body.to_string())
}

fn json_response(status: StatusCode, body: String) -> Response {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() = status;
    response.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    response
}

async fn healthz() -> Response {
    json_response(StatusCode::OK, json!({"status": "ok"}).to_string())
}

async fn readyz<C: Connector>(State(state): State<Arc<ServerState<C>>>) -> Response {
    if state.ready.load(Ordering::SeqCst) {
        json_response(StatusCode::OK, json!({"status": "ready"}).to_string())
    } else {
        problem(StatusCode::SERVICE_UNAVAILABLE, "shutting down")
    }
}

async fn info<C: Connector>(State(state): State<Arc<ServerState<C>>>) -> Response {
    json_response(
        StatusCode::OK,
        state.integration.info_json_as(state.protocol),
    )
}

/// The document `/openapi.json` serves and `/docs` renders: the connector's spec, or in
/// protocol 4 its `app_info` schema, as 4.x's server serves.
fn openapi_document<C: Connector>(state: &ServerState<C>) -> serde_json::Value {
    match state.protocol {
        Protocol::V3_7_8 => crate::spec::connector(&state.integration),
        Protocol::V4 => state.integration.app_schema(),
    }
}

async fn openapi<C: Connector>(State(state): State<Arc<ServerState<C>>>) -> Response {
    json_response(StatusCode::OK, openapi_document(&state).to_string())
}

async fn docs<C: Connector>(State(state): State<Arc<ServerState<C>>>) -> Response {
    let page = docs::page(state.integration.app_id(), &openapi_document(&state));
    let mut response = Response::new(Body::from(page));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    headers.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(docs::csp()),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    response
}

async fn not_found<C: Connector>(State(state): State<Arc<ServerState<C>>>) -> Response {
    detail(state.protocol, StatusCode::NOT_FOUND)
}

async fn method_not_allowed<C: Connector>(
    State(state): State<Arc<ServerState<C>>>,
    uri: axum::http::Uri,
) -> Response {
    let known = ["/info", "/openapi.json", "/docs", "/readyz", "/healthz"].contains(&uri.path())
        || (uri.path() == "/metrics" && state.metrics.is_some())
        || console::paths().any(|path| path == uri.path())
        || target(&state, uri.path()).is_some();
    let status = if known {
        StatusCode::METHOD_NOT_ALLOWED
    } else {
        StatusCode::NOT_FOUND
    };
    detail(state.protocol, status)
}

/// The capability a path names: `/<capability>` or `/<app_id>/<capability>`, with hyphens or
/// underscores; registered capabilities only, and `app_info` in protocol 4.
fn target<C: Connector>(state: &ServerState<C>, path: &str) -> Option<&'static str> {
    let integration = &state.integration;
    let mut parts = path.trim_matches('/').split('/');
    let (first, second, rest) = (parts.next()?, parts.next(), parts.next());
    let name = match (second, rest) {
        (None, _) => first,
        (Some(name), None) if first == integration.app_id() => name,
        _ => return None,
    };
    let name = name.replace('-', "_");
    if name == "app_info" && state.protocol == Protocol::V4 {
        return Some("app_info");
    }
    if state.protocol == Protocol::V4
        && let Some(custom) = integration
            .custom_capabilities()
            .into_iter()
            .find(|custom| *custom == name)
    {
        return Some(custom);
    }
    let name = name.parse::<CapabilityName>().ok()?;
    integration
        .is_registered_in(name, state.protocol)
        .then_some(name.as_str())
}

async fn metrics_route<C: Connector>(
    State(state): State<Arc<ServerState<C>>>,
    headers: HeaderMap,
) -> Response {
    let openmetrics = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.contains("application/openmetrics-text"));
    let Some(metrics) = &state.metrics else {
        return detail(state.protocol, StatusCode::NOT_FOUND);
    };
    let (content_type, body) = metrics.encode(openmetrics);
    let mut response = Response::new(Body::from(body));
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    response
}

async fn capability<C: Connector>(
    State(state): State<Arc<ServerState<C>>>,
    Path(capability): Path<String>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    run_capability(&state, &format!("/{capability}"), &headers, body).await
}

async fn prefixed<C: Connector>(
    State(state): State<Arc<ServerState<C>>>,
    Path((app_id, capability)): Path<(String, String)>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    run_capability(&state, &format!("/{app_id}/{capability}"), &headers, body).await
}

/// The trace context of a request's headers, if it carries a valid one.
fn trace_of(headers: &HeaderMap) -> Option<crate::trace::TraceParent> {
    let parent = headers.get("traceparent")?.to_str().ok()?;
    let state = headers.get("tracestate").and_then(|v| v.to_str().ok());
    crate::trace::TraceParent::parse(parent, state)
}

async fn run_capability<C: Connector>(
    state: &ServerState<C>,
    path: &str,
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let started = Instant::now();
    let metrics = state.metrics.as_deref();
    let _in_flight = metrics.map(metrics::Metrics::in_flight);
    let count = |capability: &'static str, outcome: metrics::Outcome| {
        if let Some(metrics) = metrics {
            metrics.request(capability, outcome, started.elapsed());
        }
    };
    let Some(name) = target(state, path) else {
        count(metrics::UNKNOWN_CAPABILITY, metrics::Outcome::Rejected);
        return detail(state.protocol, StatusCode::NOT_FOUND);
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => {
            count(name, metrics::Outcome::Rejected);
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                return problem(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "the request body is too large",
                );
            }
            return problem(rejection.status(), &rejection.body_text());
        }
    };
    let upstream = state
        .metrics
        .as_ref()
        .map(|metrics| Arc::clone(metrics) as Arc<dyn crate::trace::Upstream>);
    let incoming = trace_of(headers);
    let span = state
        .otlp
        .map(|otlp| otlp.capability(name, incoming.as_ref(), true));
    let scope = Arc::new(crate::trace::Scope {
        trace: span
            .as_ref()
            .map_or(incoming, crate::otlp::CapabilitySpan::trace),
        metrics: upstream,
        spans: span.as_ref().map(crate::otlp::CapabilitySpan::spans),
        ..crate::trace::Scope::default()
    });
    let waited = scope.waited.clone();
    let dispatch = state
        .integration
        .dispatch_bytes_as(state.protocol, name, &body);
    let timed = tokio::time::timeout(
        state.request_timeout,
        crate::http::received_at(started, dispatch),
    );
    match crate::trace::scope(scope, timed).await {
        Ok(envelope) => {
            let outcome = match &envelope {
                Envelope::Success(_) | Envelope::Custom(_) => metrics::Outcome::Success,
                Envelope::Error(error) => metrics::Outcome::Error(error.error.error_code),
            };
            count(name, outcome);
            if let Some(span) = span {
                span.end(match outcome {
                    metrics::Outcome::Error(code) => crate::otlp::Outcome::Error(code.as_str()),
                    _ => crate::otlp::Outcome::Success,
                });
            }
            let mut response = json_response(StatusCode::OK, envelope.to_json());
            // For the access log: how long the app's rate limit held the request, and why.
            response.extensions_mut().insert(waited);
            response
        }
        Err(_) => {
            count(name, metrics::Outcome::Timeout);
            if let Some(span) = span {
                span.end(crate::otlp::Outcome::Timeout);
            }
            problem(
                StatusCode::GATEWAY_TIMEOUT,
                "the capability did not finish within the server's request timeout",
            )
        }
    }
}

/// With a token, every guarded route needs `Authorization: Bearer <token>`.
async fn guard<C: Connector>(
    State(state): State<Arc<ServerState<C>>>,
    headers: HeaderMap,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let Some(token) = &state.token else {
        return next.run(request).await;
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    let expected = token.expose().as_bytes();
    let matches: bool = subtle::ConstantTimeEq::ct_eq(presented.as_bytes(), expected).into();
    if matches {
        next.run(request).await
    } else {
        problem(StatusCode::UNAUTHORIZED, "a valid bearer token is required")
    }
}
