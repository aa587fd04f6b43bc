//! `cargo bench -p mock-connector`: drain 100,000 accounts in pages of 500 from a local
//! mock app, in process (the stream helper) and through the CLI (one process per page, as the
//! agent runs a connector), checking the count and every id. Prints time and peak memory.

use std::process::Command;
use std::time::Instant;

use connector_sdk::wire::CapabilityName;
use futures::StreamExt;
use serde_json::{Value, json};

const USERS: usize = 100_000;
const PAGE: u32 = 500;

/// Peak resident memory of this process so far, in KiB.
fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
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

/// CPU time (user + system) of the children this process has waited for, in milliseconds
/// (`cutime` + `cstime` of `/proc/self/stat`, in clock ticks of 10 ms; summed over many
/// processes, the rounding is the kernel's, not per process).
fn children_cpu_ms() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    // Fields after the command name (which may hold spaces) start at field 3.
    let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // cutime is field 16 and cstime field 17 (1-based); `rest` starts at field 3.
    (ticks(13) + ticks(14)) * 10.0
}

/// Runs one connector process; with GNU time (`/usr/bin/time`) present, also its peak RSS in
/// KiB. (`getrusage(RUSAGE_CHILDREN)` would count the benchmark's own pages copied at fork.)
fn run_page(exe: &str, request: &Value) -> (Value, Option<u64>) {
    let gnu_time = std::path::Path::new("/usr/bin/time");
    let output = if gnu_time.exists() {
        Command::new(gnu_time)
            .args([
                "-f",
                "%M",
                exe,
                "list_accounts",
                "--json",
                &request.to_string(),
            ])
            .output()
    } else {
        Command::new(exe)
            .args(["list_accounts", "--json", &request.to_string()])
            .output()
    }
    .expect("the connector runs");
    let peak = String::from_utf8_lossy(&output.stderr)
        .lines()
        .last()
        .and_then(|line| line.trim().parse().ok());
    let doc = serde_json::from_slice(&output.stdout).expect("one JSON document");
    (doc, peak)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(
            USERS,
        )))
        .expect("the mock app starts");
    let baseline = peak_rss_kib();
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.url()},
        "page": {"size": PAGE},
    });

    // In process.
    let integration = mock_connector::integration();
    let started = Instant::now();
    let (pages, accounts) = runtime.block_on(async {
        let mut stream =
            std::pin::pin!(integration.pages(CapabilityName::ListAccounts, request.clone()));
        let (mut pages, mut accounts) = (0usize, 0usize);
        while let Some(page) = stream.next().await {
            let page = page.expect("every page succeeds");
            for account in &page {
                accounts += 1;
                assert_eq!(
                    account["integration_specific_id"],
                    mock_app::user_id(accounts),
                    "every id arrives once, in order"
                );
            }
            pages += 1;
        }
        (pages, accounts)
    });
    let elapsed = started.elapsed();
    assert_eq!(accounts, USERS);
    println!(
        "in process: {accounts} accounts in {pages} pages of {PAGE}: {:.2} s ({:.0} accounts/s); \
         peak RSS of the process {} MiB (mock app's data set and server alone: {} MiB)",
        elapsed.as_secs_f64(),
        accounts as f64 / elapsed.as_secs_f64(),
        peak_rss_kib() / 1024,
        baseline / 1024,
    );

    // Through the CLI, one process per page.
    let exe = env!("CARGO_BIN_EXE_mock-connector");
    let cpu_before = children_cpu_ms();
    let started = Instant::now();
    let (mut pages, mut accounts, mut peak) = (0usize, 0usize, None::<u64>);
    let mut request = request;
    loop {
        let (doc, page_peak) = run_page(exe, &request);
        peak = peak.max(page_peak);
        let items = doc["response"].as_array().expect("a page of accounts");
        for account in items {
            accounts += 1;
            assert_eq!(
                account["integration_specific_id"],
                mock_app::user_id(accounts),
                "every id arrives once, in order"
            );
        }
        pages += 1;
        match doc["page"].get("token") {
            Some(token) => request["page"] = json!({"token": token, "size": PAGE}),
            None => break,
        }
    }
    let elapsed = started.elapsed();
    let cpu_ms = children_cpu_ms() - cpu_before;
    assert_eq!(accounts, USERS);
    println!(
        "through the CLI: {accounts} accounts in {pages} processes: {:.2} s ({:.1} ms per page, \
         {:.1} ms of CPU per page); peak RSS of a connector process {}",
        elapsed.as_secs_f64(),
        elapsed.as_secs_f64() * 1000.0 / pages as f64,
        cpu_ms / pages as f64,
        peak.map_or_else(
            || "unknown (no /usr/bin/time)".to_owned(),
            |kib| format!("{:.1} MiB", kib as f64 / 1024.0)
        ),
    );
}
