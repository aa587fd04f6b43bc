//! OTLP export of spans: one per capability call, one per attempt of a request to the app.
//!
//! Nothing is built unless `OTEL_EXPORTER_OTLP_ENDPOINT` (or
//! `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: no exporter, no thread, no `tracing` layer;
//! [`global`] is then `None` and every caller skips its spans. With it, the process gets one
//! batch exporter over OTLP/HTTP (protobuf; the endpoint, headers and protocol follow the
//! standard `OTEL_EXPORTER_OTLP_*` variables), flushed by [`shutdown`] within [`FLUSH_TIMEOUT`]
//! when `serve` has finished its requests in flight or a one-shot call has printed its answer,
//! so a dead collector never holds the process longer than that.
//!
//! | Span | Kind | Attributes |
//! |---|---|---|
//! | the capability's name | server (`serve`) or internal (a one-shot call) | `connector.capability`, `connector.outcome` (`success`, `error`, `timeout`), `connector.error_code` |
//! | the HTTP method | client | `http.request.method`, `url.scheme`, `server.address`, `server.port` (the app's origin), `http.response.status_code`, `error.type` |
//!
//! No attribute ever holds an id, a credential, a path, a query or free text. The capability's
//! span continues the caller's `traceparent` (same trace id, its span as parent; in a one-shot
//! call the `TRACEPARENT` variable); each attempt's span is a child of it, and the attempt's own
//! `traceparent` names it, so the app's spans hang below it.

use crate::trace::TraceParent;

/// The standard variable naming the collector's base URL (`/v1/traces` is added).
pub(crate) const ENDPOINT_ENV: &str = "OTEL_EXPORTER_OTLP_ENDPOINT";
/// The standard variable naming the collector's traces URL, as is.
pub(crate) const TRACES_ENDPOINT_ENV: &str = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
/// The one-shot call's parent trace context (OpenTelemetry's environment carrier).
const TRACEPARENT_ENV: &str = "TRACEPARENT";
/// Its `tracestate`.
const TRACESTATE_ENV: &str = "TRACESTATE";

/// The longest an export (and the final flush) may take.
#[cfg_attr(not(feature = "otlp"), allow(dead_code))]
pub(crate) const FLUSH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

/// Whether the environment asks for an exporter.
fn configured() -> bool {
    [ENDPOINT_ENV, TRACES_ENDPOINT_ENV]
        .iter()
        .any(|name| std::env::var(name).is_ok_and(|value| !value.trim().is_empty()))
}

/// The parent a one-shot call continues: `TRACEPARENT` (and `TRACESTATE`), when valid.
pub(crate) fn parent_from_env() -> Option<TraceParent> {
    let parent = std::env::var(TRACEPARENT_ENV).ok()?;
    let state = std::env::var(TRACESTATE_ENV).ok();
    TraceParent::parse(&parent, state.as_deref())
}

/// How a capability call ended, for its span.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "otlp"), allow(dead_code))]
pub(crate) enum Outcome {
    /// A success envelope.
    Success,
    /// An error envelope with this wire error code.
    Error(&'static str),
    /// The server's request timeout ended it.
    Timeout,
}

#[cfg(feature = "otlp")]
pub(crate) use enabled::{CapabilitySpan, Exporter, global, init, shutdown};

#[cfg(not(feature = "otlp"))]
pub(crate) use disabled::{CapabilitySpan, Exporter, global, init, shutdown};

#[cfg(feature = "otlp")]
mod enabled {
    use std::borrow::Cow;
    use std::sync::{Arc, OnceLock};

    use opentelemetry::trace::{
        Span as _, SpanContext, SpanKind, Status, TraceContextExt as _, TraceFlags, TraceId,
        TraceState, Tracer as _, TracerProvider as _,
    };
    use opentelemetry::{Context, KeyValue};
    use opentelemetry_otlp::WithExportConfig as _;
    use opentelemetry_sdk::trace::{SdkTracer, SdkTracerProvider};

    use super::{FLUSH_TIMEOUT, Outcome, TraceParent};

    static EXPORTER: OnceLock<Option<Exporter>> = OnceLock::new();

    /// The process's span exporter.
    pub(crate) struct Exporter {
        provider: SdkTracerProvider,
        tracer: SdkTracer,
    }

    impl std::fmt::Debug for Exporter {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("Exporter").finish_non_exhaustive()
        }
    }

    /// Builds the exporter when the environment asks for one (once per process); a problem is
    /// said on stderr and leaves the process without one.
    pub(crate) fn init(app_id: &str, version: &str) -> Option<&'static Exporter> {
        EXPORTER
            .get_or_init(|| {
                if !super::configured() {
                    return None;
                }
                match build(app_id, version) {
                    Ok(exporter) => Some(exporter),
                    Err(problem) => {
                        tracing::warn!("OTLP export is off: {problem}");
                        None
                    }
                }
            })
            .as_ref()
    }

    /// The exporter, once [`init`] built one.
    pub(crate) fn global() -> Option<&'static Exporter> {
        EXPORTER.get().and_then(Option::as_ref)
    }

    /// Exports the spans still queued, waiting at most [`FLUSH_TIMEOUT`].
    pub(crate) fn shutdown() {
        if let Some(exporter) = global()
            && let Err(problem) = exporter.provider.shutdown_with_timeout(FLUSH_TIMEOUT)
        {
            tracing::warn!("OTLP export: the last spans were not delivered: {problem}");
        }
    }

    fn build(app_id: &str, version: &str) -> Result<Exporter, String> {
        // reqwest is built without a default crypto provider (an https collector needs one).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let exporter = opentelemetry_otlp::SpanExporter::builder()
            .with_http()
            .with_timeout(FLUSH_TIMEOUT)
            .build()
            .map_err(|error| error.to_string())?;
        let mut resource = opentelemetry_sdk::Resource::builder()
            .with_attribute(KeyValue::new("service.version", version.to_owned()));
        if std::env::var_os("OTEL_SERVICE_NAME").is_none() {
            resource = resource.with_service_name(app_id.to_owned());
        }
        let provider = SdkTracerProvider::builder()
            .with_batch_exporter(exporter)
            .with_resource(resource.build())
            .build();
        let tracer = provider.tracer("connector-sdk");
        Ok(Exporter { provider, tracer })
    }

    impl Exporter {
        /// Starts the span of a capability call: a child of `parent` when given, else a new
        /// trace's root. `served` says whether it answers an HTTP request (`serve`).
        pub(crate) fn capability(
            &self,
            capability: &str,
            parent: Option<&TraceParent>,
            served: bool,
        ) -> CapabilitySpan {
            let context = parent.and_then(remote).map_or_else(Context::new, |remote| {
                Context::new().with_remote_span_context(remote)
            });
            let kind = if served {
                SpanKind::Server
            } else {
                SpanKind::Internal
            };
            let span = self
                .tracer
                .span_builder(Cow::Owned(capability.to_owned()))
                .with_kind(kind)
                .with_attributes([KeyValue::new("connector.capability", capability.to_owned())])
                .start_with_context(&self.tracer, &context);
            let own = span.span_context().clone();
            let trace = TraceParent::parse(&traceparent(&own), parent.and_then(TraceParent::state));
            CapabilitySpan {
                span,
                spans: Arc::new(Attempts {
                    tracer: self.tracer.clone(),
                    parent: Context::new().with_remote_span_context(own),
                }),
                trace,
            }
        }
    }

    /// The caller's span as a remote parent.
    fn remote(parent: &TraceParent) -> Option<SpanContext> {
        let trace_id = TraceId::from_hex(parent.trace_id()).ok()?;
        let span_id = opentelemetry::trace::SpanId::from_hex(parent.parent_id()).ok()?;
        let flags = if parent.sampled() {
            TraceFlags::SAMPLED
        } else {
            TraceFlags::default()
        };
        let state = parent
            .state()
            .and_then(|state| state.parse::<TraceState>().ok())
            .unwrap_or_default();
        Some(SpanContext::new(trace_id, span_id, flags, true, state))
    }

    /// The `traceparent` naming `context`'s span.
    fn traceparent(context: &SpanContext) -> String {
        format!(
            "00-{:032x}-{:016x}-{:02x}",
            context.trace_id(),
            context.span_id(),
            context.trace_flags()
        )
    }

    /// A capability call's span.
    pub(crate) struct CapabilitySpan {
        span: opentelemetry_sdk::trace::Span,
        spans: Arc<Attempts>,
        trace: Option<TraceParent>,
    }

    impl std::fmt::Debug for CapabilitySpan {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.debug_struct("CapabilitySpan").finish_non_exhaustive()
        }
    }

    impl CapabilitySpan {
        /// The trace the call's requests to the app continue.
        pub(crate) fn trace(&self) -> Option<TraceParent> {
            self.trace.clone()
        }

        /// Where the call's requests to the app open their spans.
        pub(crate) fn spans(&self) -> Arc<dyn crate::trace::Spans> {
            Arc::clone(&self.spans) as _
        }

        /// Ends the span with the call's outcome.
        pub(crate) fn end(mut self, outcome: Outcome) {
            let (word, code) = match outcome {
                Outcome::Success => ("success", None),
                Outcome::Error(code) => ("error", Some(code)),
                Outcome::Timeout => ("timeout", None),
            };
            self.span
                .set_attribute(KeyValue::new("connector.outcome", word));
            if let Some(code) = code {
                self.span
                    .set_attribute(KeyValue::new("connector.error_code", code));
            }
            if !matches!(outcome, Outcome::Success) {
                self.span.set_status(Status::error(code.unwrap_or(word)));
            }
            self.span.end();
        }
    }

    /// Opens the spans of a call's attempts, children of the call's span.
    struct Attempts {
        tracer: SdkTracer,
        parent: Context,
    }

    impl crate::trace::Spans for Attempts {
        fn upstream(
            &self,
            method: &'static str,
            url: &url::Url,
        ) -> Box<dyn crate::trace::UpstreamSpan> {
            let mut attributes = vec![
                KeyValue::new("http.request.method", method),
                KeyValue::new("url.scheme", url.scheme().to_owned()),
            ];
            if let Some(host) = url.host_str() {
                attributes.push(KeyValue::new("server.address", host.to_owned()));
            }
            if let Some(port) = url.port_or_known_default() {
                attributes.push(KeyValue::new("server.port", i64::from(port)));
            }
            let span = self
                .tracer
                .span_builder(method)
                .with_kind(SpanKind::Client)
                .with_attributes(attributes)
                .start_with_context(&self.tracer, &self.parent);
            Box::new(Attempt(span))
        }
    }

    struct Attempt(opentelemetry_sdk::trace::Span);

    impl crate::trace::UpstreamSpan for Attempt {
        fn traceparent(&self) -> String {
            traceparent(self.0.span_context())
        }

        fn end(mut self: Box<Self>, status: Option<u16>) {
            match status {
                Some(status) => {
                    self.0.set_attribute(KeyValue::new(
                        "http.response.status_code",
                        i64::from(status),
                    ));
                    if status >= 400 {
                        self.0
                            .set_attribute(KeyValue::new("error.type", status.to_string()));
                        self.0.set_status(Status::error(""));
                    }
                }
                None => {
                    self.0
                        .set_attribute(KeyValue::new("error.type", "no_response"));
                    self.0.set_status(Status::error(""));
                }
            }
            self.0.end();
        }
    }
}

#[cfg(not(feature = "otlp"))]
mod disabled {
    use super::{Outcome, TraceParent};

    /// Without the `otlp` feature there is no exporter (this type has no value).
    #[derive(Debug)]
    pub(crate) enum Exporter {}

    /// Without the `otlp` feature there are no spans (no [`Exporter`] makes one).
    #[derive(Debug)]
    pub(crate) struct CapabilitySpan(&'static Exporter);

    /// Says once that the variable is set but this build cannot export.
    pub(crate) fn init(_app_id: &str, _version: &str) -> Option<&'static Exporter> {
        if super::configured() {
            tracing::warn!(
                "{} is set, but this connector was built without the SDK's `otlp` feature: no \
                 spans are exported",
                super::ENDPOINT_ENV
            );
        }
        None
    }

    pub(crate) fn global() -> Option<&'static Exporter> {
        None
    }

    pub(crate) fn shutdown() {}

    impl Exporter {
        pub(crate) fn capability(
            &self,
            _capability: &str,
            _parent: Option<&TraceParent>,
            _served: bool,
        ) -> CapabilitySpan {
            match *self {}
        }
    }

    impl CapabilitySpan {
        pub(crate) fn trace(&self) -> Option<TraceParent> {
            match *self.0 {}
        }

        pub(crate) fn spans(&self) -> std::sync::Arc<dyn crate::trace::Spans> {
            match *self.0 {}
        }

        pub(crate) fn end(self, _outcome: Outcome) {
            match *self.0 {}
        }
    }
}
