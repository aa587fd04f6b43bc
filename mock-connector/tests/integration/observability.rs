//! Hosted mode at scale: `/metrics` counts a load exactly (by capability, outcome and error
//! code), with the process's resident memory and open file descriptors, and `promtool check
//! metrics` accepts it; `/metrics` is behind the token unless
//! `--metrics-public`; a W3C `traceparent` continues in the requests to the app and appears in
//! the access log.

use std::sync::Arc;

use connector_sdk::server::{HttpCall, ServeOptions, Server};
use serde_json::json;
use wiremock::matchers::{header, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TRACE_ID: &str = "4bf92f3577b34da6a3ce929d0e0e4736";
const PARENT_SPAN: &str = "00f067aa0ba902b7";

/// An app whose `/api/users` answers a user for API key `good` and 403 for any other key.
async fn app() -> MockServer {
    let app = MockServer::start().await;
    Mock::given(path("/api/users"))
        .and(header("x-api-key", "good"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "users": [{"id": "1", "email": "a@example.com", "status": "active"}],
            "next": null
        })))
        .mount(&app)
        .await;
    Mock::given(path("/api/users"))
        .respond_with(ResponseTemplate::new(403).set_body_json(json!({"error": "forbidden"})))
        .mount(&app)
        .await;
    app
}

fn list_accounts(app: &MockServer, key: &str) -> String {
    json!({
        "auth": {"basic": {"username": "svc", "password": "s3cr3t-password"}},
        "request": {},
        "settings": {"host": app.uri(), "api_key": key},
        "page": {"size": 5},
    })
    .to_string()
}

/// The value of the sample `name{labels}` in Prometheus text, 0 when absent.
fn sample(text: &str, name_and_labels: &str) -> f64 {
    text.lines()
        .find_map(|line| line.strip_prefix(name_and_labels)?.strip_prefix(' '))
        .map_or(0.0, |value| value.trim().parse().unwrap())
}

/// Pipes `text` through `promtool check metrics`.
fn promtool_check(text: &str) {
    use std::io::Write;
    let child = std::process::Command::new("promtool")
        .args(["check", "metrics"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn();
    let mut child = child.unwrap_or_else(|error| {
        panic!(
            "promtool is not installed ({error}); run mock-connector/scripts/ensure-promtool.sh \
             (Debian package `prometheus`)"
        )
    });
    child
        .stdin
        .take()
        .unwrap()
        .write_all(text.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "promtool check metrics refused /metrics:\n{}{}\n--- the metrics:\n{text}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
}

#[test]
fn metrics_count_a_load_by_capability_and_error_code_and_promtool_accepts_them() {
    const GOOD: usize = 60;
    const FORBIDDEN: usize = 25;
    const UNKNOWN: usize = 5;
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(app());
    let token = "metrics-test-token";
    let options = ServeOptions {
        token: Some(token.into()),
        ..ServeOptions::default()
    };
    let server = Arc::new(Server::new(mock_connector::integration(), options));
    let bearer = format!("Bearer {token}");
    runtime.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..GOOD + FORBIDDEN + UNKNOWN {
            let (server, bearer) = (Arc::clone(&server), bearer.clone());
            let call = if i < GOOD {
                HttpCall::post("/list_accounts", list_accounts(&app, "good"))
            } else if i < GOOD + FORBIDDEN {
                HttpCall::post("/list-accounts", list_accounts(&app, &format!("key-{i}")))
            } else {
                HttpCall::post(&format!("/no_such_capability_{i}"), "{}")
            };
            tasks.push(tokio::spawn(async move {
                server.handle(call.header("authorization", &bearer)).await
            }));
        }
        for task in tasks {
            let answer = task.await.unwrap();
            assert!(matches!(answer.status, 200 | 404), "{answer:?}");
        }
    });

    // Behind the token like every other route.
    let refused = runtime.block_on(server.handle(HttpCall::get("/metrics")));
    assert_eq!(refused.status, 401);
    let answer =
        runtime.block_on(server.handle(HttpCall::get("/metrics").header("authorization", &bearer)));
    assert_eq!(answer.status, 200);
    assert!(
        answer
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain; version=0.0.4")),
        "{answer:?}"
    );
    let text = String::from_utf8(answer.body).unwrap();

    let requests = "connector_requests_total";
    assert_eq!(
        sample(
            &text,
            &format!(r#"{requests}{{capability="list_accounts",outcome="success",error_code=""}}"#)
        ),
        GOOD as f64,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            &format!(
                r#"{requests}{{capability="list_accounts",outcome="error",error_code="permission_denied"}}"#
            )
        ),
        FORBIDDEN as f64,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            &format!(r#"{requests}{{capability="unknown",outcome="rejected",error_code=""}}"#)
        ),
        UNKNOWN as f64,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            r#"connector_request_duration_seconds_count{capability="list_accounts"}"#
        ),
        (GOOD + FORBIDDEN) as f64,
        "{text}"
    );
    assert_eq!(sample(&text, "connector_requests_in_flight"), 0.0, "{text}");
    let origin = app.uri();
    assert_eq!(
        sample(
            &text,
            &format!(r#"connector_upstream_requests_total{{origin="{origin}",status="200"}}"#)
        ),
        GOOD as f64,
        "{text}"
    );
    assert_eq!(
        sample(
            &text,
            &format!(r#"connector_upstream_requests_total{{origin="{origin}",status="403"}}"#)
        ),
        FORBIDDEN as f64,
        "{text}"
    );
    // Bounded cardinality: no path, key, credential or unknown capability name in a label.
    for leak in [
        "/api/users",
        "key-6",
        "s3cr3t",
        "svc",
        token,
        "no_such_capability",
    ] {
        assert!(
            !text.contains(leak),
            "{leak:?} leaked into /metrics:\n{text}"
        );
    }
    // The process's own gauges, read at the scrape.
    assert!(
        sample(&text, "process_resident_memory_bytes") > 1024.0 * 1024.0,
        "{text}"
    );
    let fds = sample(&text, "process_open_fds");
    assert!(fds > 0.0, "{text}");
    assert!(fds <= sample(&text, "process_max_fds"), "{text}");
    promtool_check(&text);

    // OpenMetrics when the scraper asks for it.
    let open = runtime.block_on(
        server.handle(
            HttpCall::get("/metrics")
                .header("authorization", &bearer)
                .header("accept", "application/openmetrics-text; version=1.0.0"),
        ),
    );
    assert!(
        open.header("content-type")
            .is_some_and(|t| t.starts_with("application/openmetrics-text"))
    );
    assert!(String::from_utf8(open.body).unwrap().ends_with("# EOF\n"));
}

#[test]
fn metrics_public_serves_metrics_without_the_token_and_nothing_else() {
    let runtime = crate::support::runtime(2);
    let options = ServeOptions {
        token: Some("t0ken".into()),
        metrics_public: true,
        ..ServeOptions::default()
    };
    let server = Server::new(mock_connector::integration(), options);
    let metrics = runtime.block_on(server.handle(HttpCall::get("/metrics")));
    assert_eq!(metrics.status, 200);
    let info = runtime.block_on(server.handle(HttpCall::get("/info")));
    assert_eq!(info.status, 401);
    let post = runtime.block_on(server.handle(HttpCall::post("/metrics", "")));
    assert_eq!(post.status, 405);
}

#[test]
fn no_metrics_serves_no_metrics_and_still_answers() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(app());
    let options = ServeOptions {
        metrics: false,
        ..ServeOptions::default()
    };
    let server = Server::new(mock_connector::integration(), options);
    let answer = runtime.block_on(server.handle(HttpCall::post(
        "/list_accounts",
        list_accounts(&app, "good"),
    )));
    assert_eq!(answer.status, 200);
    let envelope: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(
        envelope["response"][0]["integration_specific_id"], "1",
        "{envelope}"
    );
    let metrics = runtime.block_on(server.handle(HttpCall::get("/metrics")));
    assert_eq!(metrics.status, 404, "{metrics:?}");
}

/// An app that records the `traceparent` and `tracestate` of each request it gets.
async fn tracing_app() -> (MockServer, Arc<std::sync::Mutex<Vec<(String, String)>>>) {
    let app = MockServer::start().await;
    let seen = Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    Mock::given(path("/api/users"))
        .respond_with(move |request: &Request| {
            let header = |name: &str| {
                request
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("")
                    .to_owned()
            };
            record
                .lock()
                .unwrap()
                .push((header("traceparent"), header("tracestate")));
            ResponseTemplate::new(200).set_body_json(json!({
                "users": [{"id": "1", "email": "a@example.com", "status": "active"}],
                "next": null
            }))
        })
        .mount(&app)
        .await;
    (app, seen)
}

#[test]
fn a_traceparent_continues_to_the_app_with_a_new_span_and_is_in_the_access_log() {
    let runtime = crate::support::runtime(2);
    let (app, seen) = runtime.block_on(tracing_app());
    let server = crate::support::ServerProcess::start(
        crate::support::server_command(&["serve", "--port", "0"])
            .env("LUMOS_LOG_LEVEL", "INFO")
            .env_remove("LUMOS_LOG_FORMAT"),
    );
    let url = server.url.clone();
    let traceparent = format!("00-{TRACE_ID}-{PARENT_SPAN}-01");
    let body = list_accounts(&app, "good");
    runtime.block_on(async {
        let client = crate::support::http().build().unwrap();
        for traced in [true, false] {
            let mut request = client
                .post(format!("{url}/list_accounts"))
                .body(body.clone());
            if traced {
                request = request
                    .header("traceparent", &traceparent)
                    .header("tracestate", "vendor=opaque");
            }
            let answer = request.send().await.unwrap();
            assert_eq!(answer.status(), 200);
        }
    });
    let log = server.stop();
    let seen = seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "{seen:?}");
    let (sent, state) = &seen[0];
    let parts: Vec<&str> = sent.split('-').collect();
    assert_eq!(parts.len(), 4, "{sent}");
    assert_eq!(
        (parts[0], parts[1], parts[3]),
        ("00", TRACE_ID, "01"),
        "{sent}"
    );
    assert_eq!(parts[2].len(), 16, "{sent}");
    assert_ne!(
        parts[2], PARENT_SPAN,
        "the connector's request is a new span"
    );
    assert_eq!(state, "vendor=opaque");
    assert_eq!(
        seen[1],
        (String::new(), String::new()),
        "no trace context is made up for an untraced request"
    );
    let access = log
        .iter()
        .find(|line| line.contains("http request") && line.contains("/list_accounts"))
        .unwrap_or_else(|| panic!("no access-log record in {log:#?}"));
    assert!(access.contains(&format!("trace_id={TRACE_ID}")), "{access}");
}

#[test]
fn log_format_json_writes_one_object_per_line_with_the_request_and_trace_ids() {
    let runtime = crate::support::runtime(2);
    let (app, _seen) = runtime.block_on(tracing_app());
    let server = crate::support::ServerProcess::start(
        crate::support::server_command(&["serve", "--port", "0", "--log-format", "json"])
            .env("LUMOS_LOG_LEVEL", "DEBUG")
            .env_remove("LUMOS_LOG_FORMAT"),
    );
    let url = server.url.clone();
    runtime.block_on(async {
        let answer = crate::support::http()
            .build()
            .unwrap()
            .post(format!("{url}/list_accounts"))
            .header("traceparent", format!("00-{TRACE_ID}-{PARENT_SPAN}-01"))
            .header("x-request-id", "req-json-1")
            .body(list_accounts(&app, "good"))
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200);
    });
    let records: Vec<serde_json::Value> = server
        .stop()
        .into_iter()
        .filter(|line| line.starts_with('{'))
        .map(|line| serde_json::from_str(&line).unwrap_or_else(|e| panic!("{e}: {line}")))
        .collect();
    let access = records
        .iter()
        .find(|r| r["fields"]["message"] == "http request")
        .unwrap_or_else(|| panic!("no access-log object in {records:#?}"));
    assert_eq!(access["fields"]["request_id"], "req-json-1", "{access}");
    assert_eq!(access["fields"]["trace_id"], TRACE_ID, "{access}");
    // The SDK's own events during the request carry the ids through the request's span.
    let exchange = records
        .iter()
        .find(|r| r["fields"]["message"] == "http exchange")
        .unwrap_or_else(|| panic!("no upstream exchange in {records:#?}"));
    assert_eq!(exchange["span"]["request_id"], "req-json-1", "{exchange}");
    assert_eq!(exchange["span"]["trace_id"], TRACE_ID, "{exchange}");
    let text = serde_json::to_string(&records).unwrap();
    assert!(!text.contains("s3cr3t-password"), "a credential was logged");
}
