//! `cargo bench -p mock-connector --bench serve` (or `just bench-serve`): the release
//! `mock-connector serve` backed by a mock app of 100,000 users, driven by concurrent keep-alive
//! clients. Prints requests/s, p50/p99 latency and the server's peak RSS per scenario.

use std::io::BufRead;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CLIENTS: usize = 32;

/// Peak resident memory of a process, in KiB.
fn peak_rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse().ok())
        })
        .unwrap_or(0)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(
            100_000,
        )))
        .expect("the mock app starts");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_mock-connector"))
        .args(["serve", "--port", "0", "--concurrency", "256"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let url = loop {
        let line = lines.next().expect("serve says where").expect("a line");
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.to_owned();
        }
    };
    let basic = json!({"basic": {"username": "foo", "password": "bar"}});
    let scenarios = [
        (
            "validate_credentials",
            json!({"auth": basic, "request": {}, "settings": {"host": app.url()}}),
            20_000,
        ),
        (
            "list_accounts",
            json!({"auth": basic, "request": {}, "settings": {"host": app.url()}, "page": {"size": 100}}),
            4_000,
        ),
        (
            "list_accounts",
            json!({"auth": basic, "request": {}, "settings": {"host": app.url()}, "page": {"size": 500}}),
            1_000,
        ),
    ];
    for (capability, request, total) in scenarios {
        let size = request
            .pointer("/page/size")
            .cloned()
            .unwrap_or(Value::Null);
        let body = request.to_string();
        let started = Instant::now();
        let mut latencies = runtime.block_on(async {
            let _ = rustls::crypto::ring::default_provider().install_default();
            let client = reqwest::Client::builder()
                .pool_max_idle_per_host(CLIENTS)
                .build()
                .expect("a client");
            let per_client = total / CLIENTS;
            let body = Arc::new(body);
            let mut tasks = Vec::new();
            for _ in 0..CLIENTS {
                let (client, url, body) = (client.clone(), url.clone(), Arc::clone(&body));
                tasks.push(tokio::spawn(async move {
                    let mut latencies = Vec::with_capacity(per_client);
                    for _ in 0..per_client {
                        let sent = Instant::now();
                        let answer = client
                            .post(format!("{url}/{capability}"))
                            .body(body.as_str().to_owned())
                            .send()
                            .await
                            .expect("an answer");
                        assert_eq!(answer.status(), 200);
                        let envelope: Value = answer.json().await.expect("JSON");
                        assert!(envelope.get("response").is_some(), "{envelope}");
                        latencies.push(sent.elapsed());
                    }
                    latencies
                }));
            }
            let mut all = Vec::new();
            for task in tasks {
                all.extend(task.await.expect("a client task"));
            }
            all
        });
        let elapsed = started.elapsed();
        latencies.sort();
        println!(
            "serve {capability} (page size {size}): {} requests from {CLIENTS} keep-alive clients in {:.2} s: \
             {:.0} requests/s, p50 {:.2} ms, p99 {:.2} ms; server peak RSS {:.1} MiB",
            latencies.len(),
            elapsed.as_secs_f64(),
            latencies.len() as f64 / elapsed.as_secs_f64(),
            percentile(&latencies, 0.50).as_secs_f64() * 1000.0,
            percentile(&latencies, 0.99).as_secs_f64() * 1000.0,
            peak_rss_kib(child.id()) as f64 / 1024.0,
        );
    }
    let _ = child.kill();
    let _ = child.wait();
}
