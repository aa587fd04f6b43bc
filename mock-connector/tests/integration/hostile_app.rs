//! The compiled connector at TRACE level against hostile apps: every call ends with the right
//! error code, quickly, and no form of a secret reaches stdout, stderr or the log file.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use wiremock::matchers::{any, method, path, path_regex};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

use crate::support::{self, connector};

const USER: &str = "foo";
const PASSWORD: &str = "pa55 SECRET/w0rd";
const API_KEY: &str = "key-SECRET-api";

/// Every form in which the request's secrets could leak: those of the password and the API
/// key, and the base64 of the Basic credential.
fn secret_forms() -> Vec<String> {
    let mut forms = support::secret_forms(PASSWORD);
    forms.extend(support::secret_forms(API_KEY));
    forms.extend(support::base64_forms(&format!("{USER}:{PASSWORD}")));
    forms
}

/// What one TRACE-level run printed and logged.
struct Outcome {
    envelope: Value,
    everything: String,
    elapsed: Duration,
}

impl Outcome {
    /// Asserts the error code and that no secret form appears anywhere; returns the message.
    fn expect(&self, code: &str) -> String {
        assert_eq!(
            self.envelope["error"]["error_code"], code,
            "{}",
            self.envelope
        );
        for secret in secret_forms() {
            assert!(
                !self.everything.contains(&secret),
                "{secret:?} leaked:\n{}",
                self.everything
            );
        }
        self.envelope["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }
}

fn request(host: &str, payload: Value, page: Value) -> String {
    json!({
        "auth": {"basic": {"username": USER, "password": PASSWORD}},
        "request": payload,
        "settings": {"host": host, "api_key": API_KEY},
        "page": page,
    })
    .to_string()
}

/// Runs one capability at TRACE level with a log directory, through `--json-file`.
fn run(capability: &str, json: &str, env: &[(&str, &str)]) -> Outcome {
    let logs = tempfile::tempdir().unwrap();
    let file = logs.path().join("request.json");
    std::fs::write(&file, json).unwrap();
    let started = Instant::now();
    let mut command = connector();
    command
        .env("LUMOS_LOG_LEVEL", "TRACE")
        .env("LUMOS_LOG_DIRECTORY", logs.path())
        .args([capability, "--json-file", file.to_str().unwrap()]);
    for (key, value) in env {
        command.env(key, value);
    }
    let output = command.output().unwrap();
    let elapsed = started.elapsed();
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    let envelope: Value = serde_json::from_str(stdout.trim_end()).unwrap();
    let mut everything = stdout;
    everything.push_str(&String::from_utf8_lossy(&output.stderr));
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "log") {
            everything.push_str(&std::fs::read_to_string(path).unwrap());
        }
    }
    Outcome {
        envelope,
        everything,
        elapsed,
    }
}

/// A page whose cursor is new every time.
struct Fresh(AtomicUsize, fn(usize) -> Value);

impl Respond for Fresh {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        let n = self.0.fetch_add(1, Ordering::SeqCst);
        ResponseTemplate::new(200).set_body_json((self.1)(n))
    }
}

#[test]
fn a_redirect_to_another_origin_keeps_the_api_key_home() {
    let runtime = crate::support::runtime(1);
    let (app, thief) = runtime.block_on(async {
        let app = MockServer::start().await;
        let thief = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(307).insert_header("Location", format!("{}/x", thief.uri())),
            )
            .mount(&app)
            .await;
        (app, thief)
    });
    let outcome = run(
        "list_accounts",
        &request(&app.uri(), json!({}), json!({"size": 2})),
        &[],
    );
    let message = outcome.expect("api_error");
    assert!(message.contains(&thief.uri()), "{message}");
    assert!(
        runtime
            .block_on(thief.received_requests())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn an_app_echoing_the_credentials_does_not_leak_them() {
    let runtime = crate::support::runtime(1);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(any())
            .respond_with(|request: &Request| {
                let echoed: Vec<String> = request
                    .headers
                    .iter()
                    .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("")))
                    .collect();
                ResponseTemplate::new(401).set_body_json(json!({
                    "message": format!(
                        "rejected {} / pa55+SECRET%2Fw0rd / pa55%20SECRET%2Fw0rd",
                        echoed.join(", ")
                    ),
                }))
            })
            .mount(&app)
            .await;
        app
    });
    let outcome = run(
        "list_accounts",
        &request(&app.uri(), json!({}), json!({"size": 2})),
        &[],
    );
    let message = outcome.expect("unauthorized");
    assert!(message.contains("rejected"), "{message}");
}

/// Protocol 4 writes the app's body into the message itself (`[401][<url>] <body>`): an app
/// that echoes the credentials, in JSON or in plain text, still leaks none of them.
#[test]
fn in_protocol_4_an_app_echoing_the_credentials_does_not_leak_them() {
    let runtime = crate::support::runtime(1);
    for json_body in [true, false] {
        let app = runtime.block_on(async {
            let app = MockServer::start().await;
            Mock::given(any())
                .respond_with(move |request: &Request| {
                    let echoed: Vec<String> = request
                        .headers
                        .iter()
                        .map(|(k, v)| format!("{k}: {}", v.to_str().unwrap_or("")))
                        .collect();
                    let text = format!(
                        "rejected {} / {PASSWORD} / pa55+SECRET%2Fw0rd / {API_KEY}",
                        echoed.join(", ")
                    );
                    let answer = ResponseTemplate::new(401);
                    if json_body {
                        answer.set_body_json(json!({"detail": text, "password": PASSWORD}))
                    } else {
                        answer.set_body_string(text)
                    }
                })
                .mount(&app)
                .await;
            app
        });
        let outcome = run(
            "list_accounts",
            &request(&app.uri(), json!({}), json!({"size": 2})),
            &[("CONNECTOR_PROTOCOL", "4")],
        );
        let message = outcome.expect("unauthorized");
        assert!(message.starts_with("[401]["), "{message}");
        assert!(message.contains("rejected"), "{message}");
        assert_eq!(
            outcome.envelope["error"]["error_metadata"]["refreshable"], true,
            "{}",
            outcome.envelope
        );
    }
}

#[test]
fn absurd_rate_limit_headers_fail_fast() {
    let runtime = crate::support::runtime(1);
    for (name, value) in [
        ("Retry-After", "1e300"),
        ("Retry-After", "1e19"),
        ("X-RateLimit-Reset", "1e300"),
        ("X-RateLimit-Reset", "1e19"),
    ] {
        let app = runtime.block_on(async {
            let app = MockServer::start().await;
            Mock::given(any())
                .respond_with(ResponseTemplate::new(429).insert_header(name, value))
                .mount(&app)
                .await;
            app
        });
        let outcome = run(
            "list_accounts",
            &request(&app.uri(), json!({}), json!({"size": 2})),
            &[],
        );
        let message = outcome.expect("rate_limit");
        assert!(!message.contains("panicked"), "{message}");
        assert!(outcome.elapsed < Duration::from_secs(10), "{name}: {value}");
    }
}

#[test]
fn a_tarpit_app_ends_at_the_deadline_from_the_environment() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let outcome = run(
        "list_accounts",
        &request(&url, json!({}), json!({"size": 2})),
        &[("CONNECTOR_DEADLINE_SECS", "1.5")],
    );
    let message = outcome.expect("request_timeout");
    assert!(message.contains("deadline of 1.5 s"), "{message}");
    assert!(
        outcome.elapsed < Duration::from_secs(8),
        "{:?}",
        outcome.elapsed
    );
    drop(listener);
}

#[test]
fn endless_empty_pages_with_fresh_cursors_are_stopped() {
    let runtime = crate::support::runtime(1);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/api/(groups|roles)/[^/]+/members$"))
            .respond_with(Fresh(
                AtomicUsize::new(0),
                |n| json!({"members": [], "next": format!("m-{n}")}),
            ))
            .mount(&app)
            .await;
        Mock::given(method("GET"))
            .and(path_regex(r"^/api/(groups|roles)$"))
            .respond_with(Fresh(AtomicUsize::new(0), |n| {
                if n == 0 {
                    // One group for the associations walk.
                    json!({"groups": [{"id": "g-1", "name": "G"}], "next": "c-first"})
                } else {
                    json!({"groups": [], "next": format!("c-{n}")})
                }
            }))
            .mount(&app)
            .await;
        app
    });
    for capability in ["find_entitlement_associations", "list_entitlements"] {
        let outcome = run(
            capability,
            &request(&app.uri(), json!({}), json!({"size": 50})),
            &[],
        );
        let message = outcome.expect("invalid_response");
        assert!(message.contains("empty pages in a row"), "{message}");
    }
}

#[test]
fn pages_larger_than_asked_for_are_refused() {
    let runtime = crate::support::runtime(1);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        let user = |id: &str| json!({"id": id, "email": format!("{id}@x"), "status": "active"});
        Mock::given(path("/api/users"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "users": [user("u-1"), user("u-2"), user("u-3")], "next": "u-3"
            })))
            .mount(&app)
            .await;
        let group = |id: &str| json!({"id": id, "name": id});
        Mock::given(path_regex(r"^/api/(groups|roles)$"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "groups": [group("g-1"), group("g-2"), group("g-3")], "next": null
            })))
            .mount(&app)
            .await;
        app
    });
    for capability in ["list_accounts", "list_entitlements"] {
        let outcome = run(
            capability,
            &request(&app.uri(), json!({}), json!({"size": 2})),
            &[],
        );
        let message = outcome.expect("invalid_response");
        assert!(
            message.contains("3 items when 2 were asked for"),
            "{message}"
        );
    }
}

#[test]
fn ids_that_would_rewrite_the_route_never_reach_the_app() {
    let runtime = crate::support::runtime(1);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(any())
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"member": true})))
            .mount(&app)
            .await;
        app
    });
    for id in ["..", "."] {
        let outcome = run(
            "delete_account",
            &request(&app.uri(), json!({"account_id": id}), Value::Null),
            &[],
        );
        let message = outcome.expect("bad_request");
        assert!(message.contains("account_id"), "{message}");
        let outcome = run(
            "assign_entitlement",
            &request(
                &app.uri(),
                json!({
                    "account_integration_specific_id": "u-1",
                    "resource_type": "group",
                    "resource_integration_specific_id": id,
                    "entitlement_type": "member",
                    "entitlement_integration_specific_id": "member",
                }),
                Value::Null,
            ),
            &[],
        );
        let message = outcome.expect("bad_request");
        assert!(message.contains("resource id"), "{message}");
    }
    assert!(
        runtime
            .block_on(app.received_requests())
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_20_mb_id_gets_a_short_bad_request() {
    let id = "a".repeat(20 * 1024 * 1024);
    let outcome = run(
        "delete_account",
        &request("http://127.0.0.1:9", json!({"account_id": id}), Value::Null),
        &[],
    );
    let message = outcome.expect("bad_request");
    assert!(message.len() <= 1200, "{} bytes", message.len());
    assert!(
        outcome.everything.len() < 64 * 1024,
        "{} bytes of output",
        outcome.everything.len()
    );
}
