//! OTLP export: with `OTEL_EXPORTER_OTLP_ENDPOINT` set, `serve` and a one-shot call send a fake
//! collector a span per capability call (continuing the caller's trace) and one per request to
//! the app (whose `traceparent` names it), with no id, credential, path or free text in any
//! attribute; a collector that never answers holds a one-shot call back by 2 s at most.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use opentelemetry_proto::tonic::collector::trace::v1::ExportTraceServiceRequest;
use opentelemetry_proto::tonic::common::v1::{AnyValue, KeyValue, any_value};
use opentelemetry_proto::tonic::trace::v1::Span;
use prost::Message;
use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TRACE_ID: &str = "0af7651916cd43dd8448eb211c80319c";
const PARENT_SPAN: &str = "b7ad6b7169203331";
const PASSWORD: &str = "pw-9f8e7d6c";
const API_KEY: &str = "key-3c2b1a09";
const USER_ID: &str = "u-55443322";
const EMAIL: &str = "person-1234@example.com";

/// A collector that accepts every `POST /v1/traces`.
async fn collector() -> MockServer {
    let collector = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/v1/traces"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&collector)
        .await;
    collector
}

/// The spans the collector received.
async fn spans(collector: &MockServer) -> (Vec<Span>, Vec<KeyValue>) {
    let mut spans = Vec::new();
    let mut resource = Vec::new();
    for request in collector.received_requests().await.unwrap_or_default() {
        assert_eq!(
            request
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/x-protobuf")
        );
        let export = ExportTraceServiceRequest::decode(request.body.as_slice()).unwrap();
        for resource_spans in export.resource_spans {
            resource.extend(resource_spans.resource.unwrap_or_default().attributes);
            for scope in resource_spans.scope_spans {
                spans.extend(scope.spans);
            }
        }
    }
    (spans, resource)
}

/// An app that records each request's `traceparent`.
async fn app() -> (MockServer, Arc<Mutex<Vec<String>>>) {
    let app = MockServer::start().await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    Mock::given(path("/api/users"))
        .respond_with(move |request: &Request| {
            let traceparent = request
                .headers
                .get("traceparent")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            record.lock().unwrap().push(traceparent);
            ResponseTemplate::new(200).set_body_json(json!({
                "users": [{"id": USER_ID, "email": EMAIL, "status": "active"}],
                "next": null
            }))
        })
        .mount(&app)
        .await;
    (app, seen)
}

fn request(app: &MockServer) -> String {
    json!({
        "auth": {"basic": {"username": "svc-account", "password": PASSWORD}},
        "request": {},
        "settings": {"host": app.uri(), "api_key": API_KEY},
        "page": {"size": 5},
    })
    .to_string()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn attribute<'a>(span: &'a Span, key: &str) -> Option<&'a any_value::Value> {
    span.attributes
        .iter()
        .find(|kv| kv.key == key)
        .and_then(|kv| kv.value.as_ref())
        .and_then(|value| value.value.as_ref())
}

fn text(value: Option<&AnyValue>) -> String {
    match value.and_then(|value| value.value.as_ref()) {
        Some(any_value::Value::StringValue(text)) => text.clone(),
        Some(other) => format!("{other:?}"),
        None => String::new(),
    }
}

/// Checks the capability span and its request span, and that nothing secret went out.
fn check(spans: &[Span], resource: &[KeyValue], seen: &[String], parent: Option<&str>) {
    let capability = spans
        .iter()
        .find(|span| span.name == "list_accounts")
        .unwrap_or_else(|| panic!("no capability span in {spans:#?}"));
    let upstream = spans
        .iter()
        .find(|span| span.name == "GET")
        .unwrap_or_else(|| panic!("no span of the request to the app in {spans:#?}"));
    let trace_id = hex(&capability.trace_id);
    if let Some(parent) = parent {
        assert_eq!(trace_id, TRACE_ID);
        assert_eq!(hex(&capability.parent_span_id), parent);
    }
    assert_eq!(
        attribute(capability, "connector.capability"),
        Some(&any_value::Value::StringValue("list_accounts".into()))
    );
    assert_eq!(
        attribute(capability, "connector.outcome"),
        Some(&any_value::Value::StringValue("success".into()))
    );
    assert_eq!(hex(&upstream.trace_id), trace_id);
    assert_eq!(upstream.parent_span_id, capability.span_id);
    assert_eq!(
        attribute(upstream, "http.response.status_code"),
        Some(&any_value::Value::IntValue(200))
    );
    assert_eq!(
        attribute(upstream, "server.address"),
        Some(&any_value::Value::StringValue("127.0.0.1".into()))
    );
    // The app's request names the request's span.
    assert_eq!(
        seen,
        [format!("00-{trace_id}-{}-01", hex(&upstream.span_id))]
    );
    let mut values: Vec<String> = resource.iter().map(|kv| text(kv.value.as_ref())).collect();
    for span in spans {
        values.push(span.name.clone());
        values.extend(span.status.as_ref().map(|status| status.message.clone()));
        let events = span.events.iter().flat_map(|event| &event.attributes);
        for kv in span.attributes.iter().chain(events) {
            values.push(text(kv.value.as_ref()));
        }
    }
    for leak in [
        PASSWORD,
        "svc-account",
        API_KEY,
        USER_ID,
        EMAIL,
        "/api/users",
    ] {
        assert!(
            values.iter().all(|value| !value.contains(leak)),
            "{leak:?} is in a span: {values:#?}"
        );
    }
}

#[test]
fn serve_exports_a_span_per_capability_and_per_app_request_in_the_callers_trace() {
    let runtime = crate::support::runtime(2);
    let (collector, (app, seen)) = runtime.block_on(async { (collector().await, app().await) });
    let mut server = crate::support::ServerProcess::start(
        crate::support::server_command(&["serve", "--port", "0"])
            .env("OTEL_EXPORTER_OTLP_ENDPOINT", collector.uri())
            .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .env_remove("OTEL_EXPORTER_OTLP_PROTOCOL"),
    );
    let url = server.url.clone();
    let body = request(&app);
    runtime.block_on(async {
        let answer = crate::support::http()
            .build()
            .unwrap()
            .post(format!("{url}/list_accounts"))
            .header("traceparent", format!("00-{TRACE_ID}-{PARENT_SPAN}-01"))
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    });
    // The batch is flushed on the graceful shutdown.
    server.terminate();
    assert!(server.exited_cleanly());
    let (spans, resource) = runtime.block_on(spans(&collector));
    let seen = seen.lock().unwrap().clone();
    check(&spans, &resource, &seen, Some(PARENT_SPAN));
    assert_eq!(spans.len(), 2, "{spans:#?}");
    assert!(
        resource
            .iter()
            .any(|kv| kv.key == "service.name" && text(kv.value.as_ref()) == "mock-connector"),
        "{resource:#?}"
    );
}

#[test]
fn a_one_shot_call_exports_its_spans_before_it_exits() {
    let runtime = crate::support::runtime(2);
    let (collector, (app, seen)) = runtime.block_on(async { (collector().await, app().await) });
    let output = std::process::Command::new(assert_cmd::cargo::cargo_bin!("mock-connector"))
        .args(["list_accounts", "--json", &request(&app)])
        .env("OTEL_EXPORTER_OTLP_ENDPOINT", collector.uri())
        .env("TRACEPARENT", format!("00-{TRACE_ID}-{PARENT_SPAN}-01"))
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_PROTOCOL")
        .output()
        .unwrap();
    assert!(output.status.success(), "{output:?}");
    let envelope: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(envelope["response"][0]["integration_specific_id"], USER_ID);
    let (spans, resource) = runtime.block_on(spans(&collector));
    let seen = seen.lock().unwrap().clone();
    check(&spans, &resource, &seen, Some(PARENT_SPAN));
}

#[test]
fn a_collector_that_never_answers_delays_a_one_shot_call_by_two_seconds_at_most() {
    let runtime = crate::support::runtime(2);
    let (app, _seen) = runtime.block_on(app());
    // Accepts connections (the kernel's backlog) and never answers.
    let silent = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let endpoint = format!("http://{}", silent.local_addr().unwrap());
    let run = |otlp: Option<&str>| {
        let mut command =
            std::process::Command::new(assert_cmd::cargo::cargo_bin!("mock-connector"));
        command
            .args(["list_accounts", "--json", &request(&app)])
            .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        if let Some(endpoint) = otlp {
            command.env("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint);
        }
        let started = Instant::now();
        let output = command.output().unwrap();
        assert!(output.status.success(), "{output:?}");
        started.elapsed()
    };
    let without = run(None);
    let with = run(Some(&endpoint));
    assert!(
        with < without + Duration::from_millis(2_800),
        "{with:?} with a silent collector, {without:?} without one"
    );
    drop(silent);
}
