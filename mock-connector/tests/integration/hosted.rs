//! `serve`: credentials of concurrent requests never mix, SIGTERM lets a slow request finish
//! but stops after the grace period (`--grace`, `CONNECTOR_SERVE_GRACE`) even with a hung one,
//! 2,000 requests at 64 concurrency all answer correctly, a public address needs a token.

use std::sync::Arc;
use std::time::Duration;

use connector_sdk::server::{HttpCall, ServeOptions, Server};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::support::{ServerProcess, connector, server_command, sigterm, stderr_lines, wait_for};

/// An app that answers `/api/users` with one user whose id is the request's API key and whose
/// email is the request's Authorization header.
async fn echoing_app() -> MockServer {
    let app = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/api/users"))
        .respond_with(|request: &Request| {
            let header = |name: &str| {
                request
                    .headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("none")
                    .to_owned()
            };
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    "users": [{"id": header("x-api-key"), "email": header("authorization"), "status": "active"}],
                    "next": null
                }))
                .set_delay(Duration::from_millis(20))
        })
        .mount(&app)
        .await;
    app
}

#[test]
fn concurrent_requests_never_see_each_others_credentials() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(echoing_app());
    let server = Arc::new(Server::new(
        mock_connector::integration(),
        ServeOptions::default(),
    ));
    let answers = runtime.block_on(async {
        let mut tasks = Vec::new();
        for i in 0..64 {
            let server = Arc::clone(&server);
            let request = json!({
                "auth": {"basic": {"username": format!("user-{i}"), "password": format!("pw-{i}")}},
                "request": {},
                "settings": {"host": app.uri(), "api_key": format!("key-{i}")},
                "page": {"size": 5},
            });
            tasks.push(tokio::spawn(async move {
                let answer = server
                    .handle(HttpCall::post("/list_accounts", request.to_string()))
                    .await;
                (i, answer)
            }));
        }
        let mut answers = Vec::new();
        for task in tasks {
            answers.push(task.await.unwrap());
        }
        answers
    });
    use base64::Engine;
    for (i, answer) in answers {
        assert_eq!(answer.status, 200);
        let envelope: Value = serde_json::from_slice(&answer.body).unwrap();
        let account = &envelope["response"][0];
        assert_eq!(
            account["integration_specific_id"],
            format!("key-{i}"),
            "{envelope}"
        );
        let basic = base64::engine::general_purpose::STANDARD.encode(format!("user-{i}:pw-{i}"));
        assert_eq!(account["email"], format!("Basic {basic}"), "{envelope}");
    }
}

#[test]
fn two_thousand_requests_at_64_concurrency_all_answer_correctly() {
    let runtime = crate::support::runtime(2);
    let (mock_app, url) = runtime.block_on(async {
        let app = mock_app::MockApp::start(mock_app::Config::with_users(50))
            .await
            .unwrap();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let server = Server::new(mock_connector::integration(), ServeOptions::default());
        tokio::spawn(server.serve(listener, std::future::pending(), Duration::from_secs(1)));
        (app, format!("http://{address}"))
    });
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": mock_app.url()},
        "page": {"size": 7},
    })
    .to_string();
    let correct = runtime.block_on(async {
        let client = crate::support::http().build().unwrap();
        let limit = Arc::new(tokio::sync::Semaphore::new(64));
        let mut tasks = Vec::new();
        for _ in 0..2_000 {
            let permit = Arc::clone(&limit).acquire_owned().await.unwrap();
            let (client, url, request) = (client.clone(), url.clone(), request.clone());
            tasks.push(tokio::spawn(async move {
                let _permit = permit;
                let answer = client
                    .post(format!("{url}/list_accounts"))
                    .body(request)
                    .send()
                    .await
                    .unwrap();
                let status = answer.status().as_u16();
                let envelope: Value = answer.json().await.unwrap();
                status == 200
                    && envelope["response"].as_array().map(Vec::len) == Some(7)
                    && envelope["response"][0]["integration_specific_id"] == "u-0000001"
                    && envelope["page"]["token"].is_string()
            }));
        }
        let mut correct = 0;
        for task in tasks {
            correct += usize::from(task.await.unwrap());
        }
        correct
    });
    assert_eq!(correct, 2_000);
}

/// POSTs `request` to `serve`'s `list_accounts` at `url`, sends SIGTERM to `pid` 400 ms later
/// (while the request is in flight), and waits for the answer: it, and how long after the
/// signal it came.
async fn post_then_sigterm(
    url: &str,
    request: String,
    pid: u32,
) -> (reqwest::Result<reqwest::Response>, Duration) {
    let url = format!("{url}/list_accounts");
    let in_flight = tokio::spawn(async move {
        crate::support::http()
            .build()
            .unwrap()
            .post(url)
            .body(request)
            .send()
            .await
    });
    tokio::time::sleep(Duration::from_millis(400)).await;
    sigterm(pid);
    let signalled = std::time::Instant::now();
    let answer = in_flight.await.unwrap();
    (answer, signalled.elapsed())
}

#[test]
fn sigterm_during_a_slow_request_still_answers_it() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(wiremock::matchers::path("/api/users"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"users": [{"id": "u-1"}], "next": null}))
                    .set_delay(Duration::from_millis(1500)),
            )
            .mount(&app)
            .await;
        app
    });
    let mut server = ServerProcess::start(&mut server_command(&["serve", "--port", "0"]));
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.uri()},
    })
    .to_string();
    let answer = runtime.block_on(async {
        let (answer, _) = post_then_sigterm(&server.url, request, server.child.id()).await;
        let answer = answer.unwrap();
        (
            answer.status().as_u16(),
            answer.json::<Value>().await.unwrap(),
        )
    });
    assert_eq!(answer.0, 200);
    assert_eq!(
        answer.1["response"][0]["integration_specific_id"], "u-1",
        "{}",
        answer.1
    );
    assert!(server.exited_cleanly());
}

#[test]
fn sigterm_stops_after_the_grace_period_even_with_a_hung_request() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(wiremock::matchers::path("/api/users"))
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"users": [], "next": null}))
                    .set_delay(Duration::from_secs(120)),
            )
            .mount(&app)
            .await;
        app
    });
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.uri()},
    })
    .to_string();
    // The flag, and the variable a Kubernetes manifest sets.
    for (args, env) in [
        (&["serve", "--port", "0", "--grace", "1"][..], None),
        (&["serve", "--port", "0"][..], Some("1")),
    ] {
        let mut command = server_command(args);
        match env {
            Some(seconds) => command.env("CONNECTOR_SERVE_GRACE", seconds),
            None => command.env_remove("CONNECTOR_SERVE_GRACE"),
        };
        let mut server = ServerProcess::start(&mut command);
        let (answer, stopped_after) = runtime.block_on(post_then_sigterm(
            &server.url,
            request.clone(),
            server.child.id(),
        ));
        assert!(server.exited_cleanly(), "{args:?} {env:?}");
        assert!(
            answer.is_err(),
            "{args:?} {env:?}: the hung request was answered: {answer:?}"
        );
        assert!(
            stopped_after >= Duration::from_millis(900) && stopped_after < Duration::from_secs(10),
            "{args:?} {env:?}: stopped {stopped_after:?} after SIGTERM, with a grace of 1 s"
        );
        let log = server.stop();
        assert!(
            log.iter().any(|line| line.contains("grace period ended")),
            "{log:#?}"
        );
    }
}

#[test]
fn a_public_address_without_a_token_is_refused() {
    for args in [
        &["serve", "--host", "0.0.0.0", "--port", "0"][..],
        &["hacking", "http-server", "--host", "0.0.0.0", "--port", "0"][..],
    ] {
        let output = connector()
            .args(args)
            .env_remove("CONNECTOR_SERVE_TOKEN")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("without a bearer token"), "{stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn dev_http_server_reload_and_use_proxy_say_what_they_do_and_serve_on() {
    let mut command = server_command(&["dev", "http-server", "-p", "0", "--reload", "--use-proxy"]);
    command.env("CONNECTOR_PROTOCOL", "4");
    for name in [
        "ALL_PROXY",
        "all_proxy",
        "HTTPS_PROXY",
        "https_proxy",
        "HTTP_PROXY",
        "http_proxy",
    ] {
        command.env_remove(name);
    }
    let mut server = ServerProcess::start(&mut command);
    let url = server.url.clone();
    let notes = server.before.join("\n");
    assert!(notes.contains("note: --reload: watching "), "{notes}");
    assert!(
        notes.contains("warning: --use-proxy: no proxy is configured"),
        "{notes}"
    );
    let runtime = crate::support::runtime(2);
    let answers = runtime.block_on(async {
        let client = crate::support::http().build().unwrap();
        let mut answers = Vec::new();
        for (method, path, body) in [
            ("GET", "/healthz", ""),
            ("GET", "/docs", ""),
            ("POST", "/app_info", r#"{"request":{}}"#),
            ("GET", "/list_accounts", ""),
            ("POST", "/nope", "{}"),
        ] {
            let request = match method {
                "GET" => client.get(format!("{url}{path}")),
                _ => client.post(format!("{url}{path}")).body(body),
            };
            let answer = request.send().await.unwrap();
            let status = answer.status().as_u16();
            let kind = answer
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .to_owned();
            answers.push((path, status, kind, answer.text().await.unwrap()));
        }
        answers
    });
    server.terminate();
    assert!(server.exited_cleanly());

    assert_eq!(answers[0].1, 200, "{answers:?}");
    let (_, status, kind, page) = &answers[1];
    assert_eq!((*status, kind.as_str()), (200, "text/html; charset=utf-8"));
    assert!(
        page.contains("<title>mock-connector - API reference</title>"),
        "{page}"
    );
    assert!(page.contains("<code>/list_accounts</code>"), "{page}");
    // Protocol 4 from the environment: `app_info` is routed, and 4.x's spacing.
    assert_eq!(answers[2].1, 200, "{answers:?}");
    assert_eq!(
        (answers[3].1, answers[3].3.as_str()),
        (405, r#"{"detail": "Method Not Allowed"}"#)
    );
    assert_eq!(
        (answers[4].1, answers[4].3.as_str()),
        (404, r#"{"detail": "Not Found"}"#)
    );
}

#[test]
fn reload_restarts_the_server_as_the_new_build() {
    // A copy of the binary, so the test can put a "new build" in its place.
    let dir = tempfile::tempdir().unwrap();
    let built = assert_cmd::cargo::cargo_bin!("mock-connector");
    let exe = dir.path().join("mock-connector");
    std::fs::copy(built, &exe).unwrap();
    let mut child = std::process::Command::new(&exe)
        .args(["dev", "http-server", "-p", "0", "--reload"])
        .env_remove("CONNECTOR_PROTOCOL")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let lines = stderr_lines(&mut child);
    let watching = wait_for(&lines, "note: --reload: watching ");
    assert!(watching.contains("mock-connector"), "{watching}");
    let first = wait_for(&lines, "listening on ");
    let runtime = crate::support::runtime(2);
    let healthy = |url: String| {
        runtime.block_on(async move {
            let client = crate::support::http().build().unwrap();
            let answer = client.get(format!("{url}/healthz")).send().await.unwrap();
            answer.status().as_u16()
        })
    };
    assert_eq!(healthy(first.clone()), 200);

    // A new build lands the way cargo puts one: a new file renamed over the old one.
    let staged = dir.path().join("mock-connector.new");
    std::fs::copy(built, &staged).unwrap();
    std::fs::rename(&staged, &exe).unwrap();
    let reloading = wait_for(&lines, "reloading: ");
    assert!(reloading.ends_with("changed; restarting"), "{reloading}");
    wait_for(&lines, "note: --reload: watching ");
    let second = wait_for(&lines, "listening on ");
    assert_eq!(healthy(second), 200);
    // The same process, now running the new build, still stops cleanly.
    sigterm(child.id());
    assert!(child.wait().unwrap().success());
}
