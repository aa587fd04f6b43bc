//! `cargo bench -p mock-connector --bench ratelimit` (or `just bench-ratelimit`): drain 20,000
//! accounts in pages of 100 from a mock app limited to 20 requests a second (burst 10), as a
//! platform would: one process per page with `rate_limit.last_known_state` passed along, and
//! through `serve` with 8 concurrent pagers. With the app's headers on (IETF style) and off
//! (the connector's declared `20/10` then paces). Prints the wall time against the ideal
//! (requests ÷ 20/s), the 429s the connector saw and the errors surfaced to the caller.
//! `RATELIMIT_BENCH=process` or `=serve` runs one of the two.

use std::io::BufRead;
use std::process::Command;
use std::time::{Duration, Instant};

use mock_app::{HeaderStyle, MockApp};
use serde_json::{Value, json};

const USERS: usize = 20_000;
const PAGE: u32 = 100;
const RATE: f64 = 20.0;
const PAGERS: usize = 8;

struct Outcome {
    requests: u64,
    throttled: u64,
    errors: u64,
    wall: Duration,
    accounts: usize,
}

fn report(scenario: &str, outcome: &Outcome) {
    let ideal = outcome.requests as f64 / RATE;
    let wall = outcome.wall.as_secs_f64();
    println!(
        "{scenario}: {} accounts, {} app requests in {wall:.2} s (ideal {ideal:.2} s, {:+.1} %); \
         429s seen by the connector: {} ({:.2} per 1,000 requests); errors surfaced: {}",
        outcome.accounts,
        outcome.requests,
        (wall / ideal - 1.0) * 100.0,
        outcome.throttled,
        outcome.throttled as f64 * 1000.0 / outcome.requests.max(1) as f64,
        outcome.errors,
    );
}

fn settings(app: &MockApp, declared: Option<&str>) -> Value {
    json!({"host": app.url(), "rate_limit": declared})
}

fn request(settings: &Value, token: Option<&str>, state: &Value) -> Value {
    json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": settings,
        "page": {"token": token, "size": PAGE},
        "rate_limit": {"last_known_state": state},
    })
}

/// Waits as a platform would before retrying a page that failed.
fn platform_backoff(envelope: &Value) -> Duration {
    let seconds = envelope["error"]["error_metadata"]["retry_after_seconds"]
        .as_u64()
        .unwrap_or(1);
    Duration::from_secs(seconds.min(30))
}

/// One process per page, the state of each handed to the next.
fn per_process(app: &MockApp, declared: Option<&str>) -> Outcome {
    let exe = env!("CARGO_BIN_EXE_mock-connector");
    let settings = settings(app, declared);
    let mut token: Option<String> = None;
    let mut state = Value::Null;
    let (mut accounts, mut errors) = (0, 0);
    let started = Instant::now();
    loop {
        let output = Command::new(exe)
            .args(["--protocol", "4", "list_accounts", "--json"])
            .arg(request(&settings, token.as_deref(), &state).to_string())
            .output()
            .expect("the connector runs");
        let envelope: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
        if envelope["is_error"] == true {
            errors += 1;
            std::thread::sleep(platform_backoff(&envelope));
            continue;
        }
        accounts += envelope["response"].as_array().map_or(0, Vec::len);
        state = envelope["rate_limit"]["current_state"].clone();
        token = envelope["page"]["token"].as_str().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    let stats = app.rate_limit_stats().expect("a rate limit");
    Outcome {
        requests: stats.admitted() + stats.throttled(),
        throttled: stats.throttled(),
        errors,
        wall: started.elapsed(),
        accounts,
    }
}

/// `serve` with 8 pagers, each draining its own eighth of the accounts (its first token made
/// as the connector makes them: a cursor after the last user of the previous eighth).
fn served(runtime: &tokio::runtime::Runtime, app: &MockApp, declared: Option<&str>) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_mock-connector"))
        .args(["--protocol", "4", "serve", "--port", "0"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let url = loop {
        let line = lines.next().expect("serve says where").expect("a line");
        if let Some(url) = line.strip_prefix("listening on ") {
            break format!("{url}/list_accounts");
        }
    };
    std::thread::spawn(move || for _ in lines {});
    let settings = settings(app, declared);
    let slice = USERS / PAGERS;
    let started = Instant::now();
    let (accounts, errors) = runtime.block_on(async {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::new();
        let mut tasks = Vec::new();
        for pager in 0..PAGERS {
            let (client, url, settings) = (client.clone(), url.clone(), settings.clone());
            tasks.push(tokio::spawn(async move {
                let mut token = (pager > 0).then(|| {
                    connector_sdk::pagination::cursor_token(
                        connector_sdk::wire::CapabilityName::ListAccounts,
                        &mock_app::user_id(pager * slice),
                    )
                });
                let mut state = Value::Null;
                let (mut accounts, mut errors) = (0usize, 0u64);
                while accounts < slice {
                    let body = request(&settings, token.as_deref(), &state).to_string();
                    let envelope: Value = client
                        .post(&url)
                        .body(body)
                        .send()
                        .await
                        .expect("an answer")
                        .json()
                        .await
                        .expect("JSON");
                    if envelope["is_error"] == true {
                        errors += 1;
                        tokio::time::sleep(platform_backoff(&envelope)).await;
                        continue;
                    }
                    accounts += envelope["response"].as_array().map_or(0, Vec::len);
                    state = envelope["rate_limit"]["current_state"].clone();
                    token = envelope["page"]["token"].as_str().map(str::to_owned);
                    if token.is_none() {
                        break;
                    }
                }
                (accounts, errors)
            }));
        }
        let (mut accounts, mut errors) = (0, 0);
        for task in tasks {
            let (a, e) = task.await.expect("a pager");
            accounts += a;
            errors += e;
        }
        (accounts, errors)
    });
    let wall = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    let stats = app.rate_limit_stats().expect("a rate limit");
    Outcome {
        requests: stats.admitted() + stats.throttled(),
        throttled: stats.throttled(),
        errors,
        wall,
        accounts,
    }
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let start = |style| {
        let mut config = mock_app::Config::with_users(USERS);
        config.rate_limit = Some("20/10".parse().expect("a policy"));
        config.rate_limit_headers = style;
        runtime
            .block_on(MockApp::start(config))
            .expect("the mock app starts")
    };
    for (label, style, declared) in [
        ("headers on (IETF)", HeaderStyle::Ietf, None),
        (
            "headers off, declared 20/10",
            HeaderStyle::None,
            Some("20/10"),
        ),
    ] {
        let only = std::env::var("RATELIMIT_BENCH").unwrap_or_default();
        if only.is_empty() || only == "process" {
            let app = start(style);
            let outcome = per_process(&app, declared);
            report(&format!("one process per page, {label}"), &outcome);
        }
        if !(only.is_empty() || only == "serve") {
            continue;
        }
        let app = start(style);
        let outcome = served(&runtime, &app, declared);
        report(&format!("serve, {PAGERS} pagers, {label}"), &outcome);
    }
}
