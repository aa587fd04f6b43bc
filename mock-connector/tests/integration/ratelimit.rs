//! Rate limits against the mock app's real policy (`--rate-limit RPS/BURST`): pacing keeps a
//! process and a server under the bucket, `last_known_state` carries the budget from process
//! to process, `max_execution_time` ends a call with `budget_exhausted` in time, and a page
//! that gathers several app requests comes back short instead of failing.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use connector_sdk::pagination::within_budget;
use connector_sdk::prelude::*;
use connector_sdk::server::{ServeOptions, Server};
use connector_sdk::{AuthKind, ConnectorError, Context, Integration, Listing, Protocol, wire};
use mock_app::{HeaderStyle, MockApp};
use mock_connector::MockSettings;
use serde::Deserialize;
use serde_json::{Value, json};

/// A mock app of `users` users limited to `policy` (`RPS/BURST`), announced in `style`.
async fn limited_app(users: usize, policy: &str, style: HeaderStyle) -> MockApp {
    let mut config = mock_app::Config::with_users(users);
    config.rate_limit = Some(policy.parse().expect("a policy"));
    config.rate_limit_headers = style;
    MockApp::start(config).await.expect("the mock app starts")
}

fn throttled(app: &MockApp) -> u64 {
    app.rate_limit_stats().expect("a rate limit").throttled()
}

fn admitted(app: &MockApp) -> u64 {
    app.rate_limit_stats().expect("a rate limit").admitted()
}

/// A protocol 4 `list_accounts` request.
fn request(settings: Value, token: Option<&str>, size: u32, rate_limit: Value) -> Value {
    json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": settings,
        "page": {"token": token, "size": size},
        "rate_limit": rate_limit,
    })
}

async fn dispatch<C: Connector>(integration: &Integration<C>, request: &Value) -> Value {
    integration
        .dispatch_bytes_as(
            Protocol::V4,
            "list_accounts",
            request.to_string().as_bytes(),
        )
        .await
        .to_value()
}

/// Walks `pages` pages of `list_accounts` in this process; returns the envelopes.
async fn walk(settings: Value, pages: usize, size: u32) -> Vec<Value> {
    let integration = mock_connector::integration();
    let mut token: Option<String> = None;
    let mut envelopes = Vec::new();
    for _ in 0..pages {
        let envelope = dispatch(
            &integration,
            &request(settings.clone(), token.as_deref(), size, Value::Null),
        )
        .await;
        token = envelope["page"]["token"].as_str().map(str::to_owned);
        envelopes.push(envelope);
    }
    envelopes
}

#[test]
fn pacing_keeps_one_process_under_the_bucket_in_every_header_style() {
    let runtime = crate::support::runtime(2);
    for (style, declared) in [
        (HeaderStyle::None, Some("100/10")),
        (HeaderStyle::Ietf, None),
        (HeaderStyle::XEpoch, None),
        (HeaderStyle::XSeconds, None),
    ] {
        runtime.block_on(async {
            let app = limited_app(2_000, "100/10", style).await;
            let settings = json!({"host": app.url(), "rate_limit": declared});
            let started = Instant::now();
            let envelopes = walk(settings, 200, 10).await;
            let took = started.elapsed();
            for envelope in &envelopes {
                assert!(envelope["response"].is_array(), "{style}: {envelope}");
            }
            assert_eq!(
                throttled(&app),
                0,
                "{style}: the app throttled the connector"
            );
            assert_eq!(admitted(&app), 200, "{style}");
            // The ideal is (200 - 10) / 100 per second = 1.9 s; the limiter must not crawl.
            assert!(took < Duration::from_secs(6), "{style}: {took:?}");
            let state = &envelopes[199]["rate_limit"]["current_state"]["mock-app"];
            let source = if declared.is_some() {
                "sdk_counter"
            } else {
                "api_headers"
            };
            assert_eq!(state["source"], source, "{style}: {state}");
            assert!(state["remaining"].is_i64(), "{style}: {state}");
        });
    }
}

#[test]
fn without_a_limit_declared_or_announced_nothing_is_reported_or_paced() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let app = MockApp::start(mock_app::Config::with_users(100))
            .await
            .unwrap();
        let envelopes = walk(json!({"host": app.url()}), 3, 10).await;
        assert_eq!(envelopes[2]["rate_limit"], Value::Null, "{}", envelopes[2]);
        // Protocol 3.7.8 has no such key at all.
        let integration = mock_connector::integration();
        let body = request(json!({"host": app.url()}), None, 5, Value::Null).to_string();
        let old = integration
            .dispatch_bytes_as(Protocol::V3_7_8, "list_accounts", body.as_bytes())
            .await
            .to_value();
        assert!(old.get("rate_limit").is_none(), "{old}");
    });
}

/// One CLI process: `mock-connector --protocol 4 list_accounts --json …`.
fn process(request: &Value) -> (Value, String) {
    let output = crate::support::connector()
        .args(["--protocol", "4", "list_accounts", "--json"])
        .arg(request.to_string())
        .env("LUMOS_LOG_LEVEL", "INFO")
        .output()
        .expect("the connector runs");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("UTF-8");
    let envelope = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("one JSON document ({e}): {stdout} {stderr}"));
    (envelope, stderr)
}

#[test]
fn processes_chained_through_last_known_state_do_not_burst_past_the_budget() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(limited_app(100, "4/2", HeaderStyle::Ietf));
    let settings = json!({"host": app.url()});
    let mut state = Value::Null;
    let mut token: Option<String> = None;
    let mut logged_waits = 0;
    let started = Instant::now();
    for n in 0..8 {
        let rate_limit = json!({"last_known_state": state});
        let (envelope, stderr) =
            process(&request(settings.clone(), token.as_deref(), 5, rate_limit));
        assert!(envelope["response"].is_array(), "process {n}: {envelope}");
        state = envelope["rate_limit"]["current_state"].clone();
        assert_eq!(state["mock-app"]["source"], "api_headers", "{state}");
        assert_eq!(state["mock-app"]["limit"], 4, "{state}");
        assert_eq!(state["mock-app"]["window_seconds"], 1, "{state}");
        token = envelope["page"]["token"].as_str().map(str::to_owned);
        if stderr.contains("rate limit wait") {
            assert!(stderr.contains("wait_ms"), "{stderr}");
            logged_waits += 1;
        }
    }
    runtime.block_on(async { tokio::task::yield_now().await });
    assert_eq!(throttled(&app), 0, "the budget was burst past");
    assert!(logged_waits >= 3, "waits are logged: {logged_waits}");
    // 8 requests at 4 a second after a burst of 2: at least 1.5 s.
    assert!(started.elapsed() >= Duration::from_millis(1_400));
    // The same processes without the state start blind, and the app throttles them.
    for _ in 0..4 {
        let (envelope, _) = process(&request(settings.clone(), token.as_deref(), 5, Value::Null));
        assert!(envelope["response"].is_array(), "retried: {envelope}");
    }
    assert!(throttled(&app) >= 1, "blind processes burst");
}

#[test]
fn serve_with_32_concurrent_clients_sharing_a_credential_sees_no_429() {
    let runtime = crate::support::runtime(2);
    for (style, declared) in [
        (HeaderStyle::Ietf, None),
        (HeaderStyle::None, Some("100/10")),
    ] {
        let (app, url) = runtime.block_on(async {
            let app = limited_app(1_000, "100/10", style).await;
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let address = listener.local_addr().unwrap();
            let options = ServeOptions {
                protocol: Some(Protocol::V4),
                ..ServeOptions::default()
            };
            let server = Server::new(mock_connector::integration(), options);
            tokio::spawn(server.serve(listener, std::future::pending(), Duration::from_secs(1)));
            (app, format!("http://{address}/list_accounts"))
        });
        let settings = json!({"host": app.url(), "rate_limit": declared});
        let outcomes = runtime.block_on(async {
            let client = crate::support::http().build().unwrap();
            let mut tasks = Vec::new();
            for _ in 0..32 {
                let (client, url, settings) = (client.clone(), url.clone(), settings.clone());
                tasks.push(tokio::spawn(async move {
                    let mut ok = Vec::new();
                    for _ in 0..8 {
                        let body = request(settings.clone(), None, 5, Value::Null).to_string();
                        let envelope: Value = client
                            .post(&url)
                            .body(body)
                            .send()
                            .await
                            .unwrap()
                            .json()
                            .await
                            .unwrap();
                        ok.push(envelope);
                    }
                    ok
                }));
            }
            let mut all = Vec::new();
            for task in tasks {
                all.extend(task.await.unwrap());
            }
            all
        });
        assert_eq!(outcomes.len(), 256);
        for envelope in &outcomes {
            assert!(envelope["response"].is_array(), "{style}: {envelope}");
            assert!(
                envelope["rate_limit"]["current_state"]["mock-app"]["remaining"].is_i64(),
                "{style}: every answer carries the shared state: {envelope}"
            );
        }
        assert_eq!(throttled(&app), 0, "{style}: the app throttled the server");
        assert_eq!(admitted(&app), 256, "{style}");
    }
}

#[test]
fn budget_exhausted_arrives_before_max_execution_time_with_when_to_come_back() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        // One request every 5 s.
        let app = limited_app(100, "0.2/1", HeaderStyle::Ietf).await;
        let integration = mock_connector::integration();
        let settings = json!({"host": app.url()});
        let first = dispatch(
            &integration,
            &request(settings.clone(), None, 5, Value::Null),
        )
        .await;
        assert!(first["response"].is_array(), "{first}");
        let state = &first["rate_limit"]["current_state"]["mock-app"];
        assert_eq!(state["remaining"], 0, "{state}");
        // A budget of 12 - 10 = 2 s cannot hold the ~5 s wait: fail at once.
        let started = Instant::now();
        let budgeted = json!({"max_execution_time": 12});
        let second = dispatch(&integration, &request(settings.clone(), None, 5, budgeted)).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(1), "{took:?}");
        assert_eq!(
            second["error"]["error_code"], "budget_exhausted",
            "{second}"
        );
        let metadata = &second["error"]["error_metadata"];
        assert_eq!(metadata["throttled"], true, "{metadata}");
        assert_eq!(metadata["retryable"], true, "{metadata}");
        assert_eq!(metadata["hint"], "Please retry the request.", "{metadata}");
        assert_eq!(second["error"]["raised_by"], "BudgetExhaustedError");
        let after = metadata["retry_after_seconds"].as_u64().unwrap();
        assert!((4..=5).contains(&after), "retry_after_seconds {after}");
        // 4.x's error envelope has no rate_limit key.
        assert!(second.get("rate_limit").is_none(), "{second}");
        // A budget of at most 10 s is spent before it starts: no request reaches the app.
        let before = admitted(&app) + throttled(&app);
        let spent = json!({"max_execution_time": 5});
        let third = dispatch(&integration, &request(settings, None, 5, spent)).await;
        assert_eq!(third["error"]["error_code"], "budget_exhausted", "{third}");
        assert_eq!(third["error"]["message"], "Execution deadline exceeded");
        assert_eq!(third["error"]["error_metadata"]["retry_after_seconds"], 0);
        assert_eq!(admitted(&app) + throttled(&app), before);
    });
}

#[test]
fn enforce_no_retry_hands_back_the_429_with_retry_after_seconds() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let app = limited_app(100, "0.2/1", HeaderStyle::None).await;
        let integration = mock_connector::integration();
        let settings = json!({"host": app.url()});
        let mode = json!({"caller_override_mode": "enforce_no_retry"});
        let first = dispatch(
            &integration,
            &request(settings.clone(), None, 5, mode.clone()),
        )
        .await;
        assert!(first["response"].is_array(), "{first}");
        let second = dispatch(&integration, &request(settings, None, 5, mode)).await;
        let error = &second["error"];
        assert_eq!(error["error_code"], "rate_limit", "{second}");
        assert_eq!(error["status_code"], 429);
        assert_eq!(error["error_metadata"]["throttled"], true);
        let after = error["error_metadata"]["retry_after_seconds"]
            .as_u64()
            .unwrap();
        assert!((1..=5).contains(&after), "{after}");
        assert_eq!(throttled(&app), 1, "one attempt, no retry");
    });
}

#[test]
fn a_hostile_reset_never_hangs_the_call() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        let app = MockServer::start().await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200)
                    .set_body_json(json!({"users": [], "next": null}))
                    .insert_header("RateLimit-Reset", "1e300")
                    .insert_header("RateLimit-Remaining", "0")
                    .insert_header("X-RateLimit-Limit", "-3"),
            )
            .mount(&app)
            .await;
        let integration = mock_connector::integration();
        let settings = json!({"host": app.uri()});
        // A credential of its own: wiremock servers are pooled, and the limiter of this one's
        // origin and credential is told to wait a day.
        let own = |settings: Value| {
            let mut request = request(settings, None, 5, Value::Null);
            request["auth"]["basic"]["username"] = json!("hostile-reset-test");
            request
        };
        let first = dispatch(&integration, &own(settings.clone())).await;
        assert_eq!(first["response"], json!([]), "{first}");
        let started = Instant::now();
        let second = dispatch(&integration, &own(settings)).await;
        assert!(started.elapsed() < Duration::from_secs(2));
        assert_eq!(
            second["error"]["error_code"], "budget_exhausted",
            "{second}"
        );
        // Capped at a day, whatever the app said.
        assert_eq!(
            second["error"]["error_metadata"]["retry_after_seconds"],
            24 * 3600
        );
    });
}

/// A connector whose protocol page gathers several app pages of 10 users, as an author would
/// write it to get short pages when the budget runs out.
#[derive(Debug, Clone, Copy)]
struct Gatherer;

impl Connector for Gatherer {
    type Settings = MockSettings;
}

#[derive(Debug, Deserialize)]
struct Users {
    users: Vec<UserId>,
    next: Option<String>,
}

#[derive(Debug, Deserialize)]
struct UserId {
    id: String,
}

impl ListAccounts for Gatherer {
    async fn list_accounts(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let client = ctx.http(ctx.settings().base_url())?;
        let mut after = ctx.cursor::<String>()?;
        let wanted = ctx.page_size().unwrap_or(50) as usize;
        let mut items = Vec::new();
        while items.len() < wanted {
            let mut query = vec![("limit", "10".to_owned())];
            if let Some(after) = &after {
                query.push(("after", after.clone()));
            }
            let answer = client.get("/api/users").query(&query).json::<Users>().await;
            let Some(page) = within_budget(answer, !items.is_empty())? else {
                // Out of budget mid-page: a short page that resumes where it stopped.
                return Ok(Listing::with_cursor(items, after));
            };
            items.extend(
                page.users
                    .into_iter()
                    .map(|u| wire::FoundAccountData::new(u.id)),
            );
            after = page.next;
            if after.is_none() {
                return Ok(Listing::last(items));
            }
        }
        Ok(Listing::with_cursor(items, after))
    }
}

#[test]
fn a_short_page_resumes_to_the_same_accounts() {
    let runtime = crate::support::runtime(2);
    runtime.block_on(async {
        // 4 requests a second, 2 at once; pages of 50 need 5 requests, budgets of 1.5 s.
        let app = limited_app(120, "4/2", HeaderStyle::Ietf).await;
        let integration = Integration::builder(Gatherer, "gatherer", "0.1.0")
            .auth(AuthKind::Basic)
            .list_accounts()
            .build();
        let settings = json!({"host": app.url()});
        let mut seen = Vec::new();
        let mut sizes = Vec::new();
        let mut token: Option<String> = None;
        for _ in 0..40 {
            let budget = json!({"max_execution_time": 11});
            let envelope = dispatch(
                &integration,
                &request(settings.clone(), token.as_deref(), 50, budget),
            )
            .await;
            let items = envelope["response"]
                .as_array()
                .unwrap_or_else(|| panic!("{envelope}"));
            sizes.push(items.len());
            seen.extend(
                items
                    .iter()
                    .map(|a| a["integration_specific_id"].as_str().unwrap().to_owned()),
            );
            token = envelope["page"]["token"].as_str().map(str::to_owned);
            if token.is_none() {
                break;
            }
        }
        assert!(token.is_none(), "the listing ended: pages {sizes:?}");
        assert!(
            sizes.iter().any(|size| *size < 50 && *size > 0),
            "some page was short: {sizes:?}"
        );
        let unique: BTreeSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "no account twice");
        let expected: BTreeSet<String> = (1..=120).map(mock_app::user_id).collect();
        assert_eq!(unique, expected.iter().collect(), "every account once");
        assert_eq!(throttled(&app), 0);
    });
}

#[test]
fn a_spent_budget_without_items_is_an_error_not_an_empty_page() {
    let outcome = within_budget::<()>(
        Err(ConnectorError::budget_exhausted("spent").with_retry_after_seconds(3)),
        false,
    );
    let error = outcome.unwrap_err();
    assert_eq!(error.retry_after_seconds(), Some(3));
    // Other errors pass through even with items gathered.
    assert!(within_budget::<()>(Err(ConnectorError::not_found("gone")), true).is_err());
}

#[test]
fn the_access_log_of_serve_records_rate_limit_waits() {
    let runtime = crate::support::runtime(2);
    let app = runtime.block_on(limited_app(100, "5/1", HeaderStyle::Ietf));
    let server = crate::support::ServerProcess::start(
        crate::support::server_command(&["--protocol", "4", "serve", "--port", "0"])
            .env("LUMOS_LOG_LEVEL", "INFO"),
    );
    let url = format!("{}/list_accounts", server.url);
    let body = request(json!({"host": app.url()}), None, 5, Value::Null).to_string();
    runtime.block_on(async {
        let client = crate::support::http().build().unwrap();
        for _ in 0..3 {
            let envelope: Value = client
                .post(&url)
                .body(body.clone())
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert!(envelope["response"].is_array(), "{envelope}");
        }
    });
    let mut waits = Vec::new();
    while let Ok(line) = server.lines.recv_timeout(Duration::from_millis(500)) {
        if line.contains("http request") && line.contains("rate_limit_wait_ms") {
            waits.push(line);
        }
    }
    drop(server);
    assert_eq!(waits.len(), 3, "{waits:?}");
    assert!(
        waits
            .iter()
            .any(|line| !line.contains("rate_limit_wait_ms=0")
                && line.contains("pacing to the app's rate limit")),
        "{waits:?}"
    );
    assert_eq!(throttled(&app), 0);
}
