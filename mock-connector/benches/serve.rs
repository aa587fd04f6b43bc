//! `cargo bench -p mock-connector --bench serve` (or `just bench-serve`): the release
//! `mock-connector serve` backed by a mock app of 100,000 users, driven by 32 keep-alive
//! connections of wrk (one thread; `just bench-serve` installs it), in four set-ups in one run: the mock app asked directly (the ceiling), `serve` with
//! its metrics, `serve --no-metrics`, and `serve` exporting OTLP spans to a collector that
//! accepts everything. Prints requests/s, p50/p99 latency, the server's CPU time per request
//! and its peak RSS per scenario, then the one-shot command line: 200 runs of `list_accounts`.
//!
//! `cargo bench -p mock-connector --features mimalloc --bench serve` runs it with mimalloc;
//! `BENCH_CONNECTOR_EXE=path` runs another build of the connector (to compare two builds with
//! one bench binary).

use std::io::BufRead;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const CLIENTS: usize = 32;
/// How long wrk loads each scenario.
const SECONDS_PER_SCENARIO: u64 = 5;

/// The connector executable: `BENCH_CONNECTOR_EXE`, or this package's release build.
fn exe() -> std::ffi::OsString {
    std::env::var_os("BENCH_CONNECTOR_EXE")
        .unwrap_or_else(|| env!("CARGO_BIN_EXE_mock-connector").into())
}
const ONE_SHOT_RUNS: usize = 200;

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

/// CPU time (user + system) a process has used so far: `/proc/<pid>/stat`'s utime and stime,
/// in clock ticks of 10 ms (`USER_HZ` is 100 on Linux). Steadier than requests/s on a busy
/// machine: other processes slow the server down but do not add to its CPU time.
fn cpu_time(pid: u32) -> Duration {
    let ticks = std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            // The fields after the command name (which may hold spaces) start at `state`.
            let rest = stat.rsplit_once(')')?.1;
            let fields: Vec<&str> = rest.split_whitespace().collect();
            let user: u64 = fields.get(11)?.parse().ok()?;
            let system: u64 = fields.get(12)?.parse().ok()?;
            Some(user + system)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let at = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[at.min(sorted.len() - 1)]
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// One scenario: what is asked, of the app directly and of `serve`.
struct Scenario {
    label: &'static str,
    capability: &'static str,
    request: Value,
    /// The mock app's own route for the same page (the ceiling).
    direct: String,
}

/// A `serve` set-up: its label, extra arguments and environment.
type Setup<'a> = (&'a str, &'a [&'a str], &'a [(&'a str, &'a str)]);

/// Where the clients send their requests.
enum Target<'a> {
    /// `GET` the mock app's route with the same credential.
    Direct,
    /// `POST` the envelope to `serve` at this URL.
    Serve(&'a str),
}

/// What wrk measured: requests answered, how many were not 2xx, the wall time, and the
/// latency percentiles it prints.
struct Load {
    requests: u64,
    failed: u64,
    elapsed: Duration,
    p50: Duration,
    p99: Duration,
}

/// Puts [`CLIENTS`] keep-alive connections on `target` for [`SECONDS_PER_SCENARIO`] with wrk
/// (one thread: a C load generator, so the clients take as little of the 2 cores as they can),
/// after one request checked by hand (wrk counts statuses, not bodies).
fn drive(runtime: &tokio::runtime::Runtime, scenario: &Scenario, target: &Target<'_>) -> Load {
    let (url, body) = match target {
        Target::Direct => (scenario.direct.clone(), None),
        Target::Serve(url) => (
            format!("{url}/{}", scenario.capability),
            Some(scenario.request.to_string()),
        ),
    };
    runtime.block_on(async {
        let client = reqwest::Client::new();
        let request = match &body {
            Some(body) => client.post(&url).body(body.clone()),
            None => client.get(&url).basic_auth("foo", Some("bar")),
        };
        let answer = request.send().await.expect("an answer");
        assert_eq!(answer.status(), 200);
        let document: Value = answer.json().await.expect("JSON");
        if body.is_some() {
            assert!(document.get("response").is_some(), "{document}");
        }
    });
    let lua = |text: &str| {
        let mut quoted = String::from("\"");
        for c in text.chars() {
            match c {
                '\\' | '"' => {
                    quoted.push('\\');
                    quoted.push(c);
                }
                c => quoted.push(c),
            }
        }
        quoted.push('"');
        quoted
    };
    let script = match &body {
        Some(body) => format!(
            "wrk.method = \"POST\"\nwrk.body = {}\nwrk.headers[\"Content-Type\"] = \"application/json\"\n",
            lua(body)
        ),
        // foo:bar
        None => "wrk.headers[\"Authorization\"] = \"Basic Zm9vOmJhcg==\"\n".to_owned(),
    };
    let dir = std::env::temp_dir().join(format!("bench-serve-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch directory");
    let path = dir.join("load.lua");
    std::fs::write(&path, script).expect("the wrk script");
    let output = std::process::Command::new("wrk")
        .args([
            "-t1",
            &format!("-c{CLIENTS}"),
            &format!("-d{SECONDS_PER_SCENARIO}s"),
        ])
        .args(["--latency", "--timeout", "10s", "-s"])
        .arg(&path)
        .arg(&url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "wrk could not be run ({e}): `just bench-serve` installs it \
                 (mock-connector/scripts/bench/ensure-wrk.sh)"
            )
        });
    let text = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "wrk failed: {text}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    parse_wrk(&text).unwrap_or_else(|| panic!("wrk said something unexpected:\n{text}"))
}

/// Reads wrk's summary: `N requests in 5.00s`, the `--latency` distribution, and the
/// `Non-2xx or 3xx responses` line when there is one.
fn parse_wrk(text: &str) -> Option<Load> {
    let duration = |value: &str| -> Option<Duration> {
        let (number, unit) = value.split_at(value.find(|c: char| c.is_ascii_alphabetic())?);
        let number: f64 = number.parse().ok()?;
        let seconds = match unit {
            "us" => number / 1e6,
            "ms" => number / 1e3,
            "s" => number,
            "m" => number * 60.0,
            _ => return None,
        };
        Some(Duration::from_secs_f64(seconds))
    };
    let percentile = |p: &str| {
        text.lines()
            .map(str::trim)
            .find_map(|line| line.strip_prefix(p))
            .and_then(|rest| duration(rest.trim()))
    };
    let (requests, elapsed) = text.lines().find_map(|line| {
        let (count, rest) = line.trim().split_once(" requests in ")?;
        let elapsed = rest.split(',').next()?;
        Some((count.parse().ok()?, duration(elapsed)?))
    })?;
    let failed = text
        .lines()
        .find_map(|line| line.trim().strip_prefix("Non-2xx or 3xx responses:"))
        .map_or(Some(0), |n| n.trim().parse().ok())?;
    Some(Load {
        requests,
        failed,
        elapsed,
        p50: percentile("50%")?,
        p99: percentile("99%")?,
    })
}

fn report(setup: &str, scenario: &Scenario, load: &Load, rss: &str) {
    println!(
        "{setup:<22} {:<34} {:>6} req in {:>5.2} s: {:>6.0} req/s, p50 {:>6.2} ms, p99 {:>6.2} ms{rss}",
        scenario.label,
        load.requests,
        load.elapsed.as_secs_f64(),
        load.requests as f64 / load.elapsed.as_secs_f64(),
        ms(load.p50),
        ms(load.p99),
    );
    assert_eq!(
        load.failed, 0,
        "{setup}: {} answers were not 2xx",
        load.failed
    );
}

/// Starts `mock-connector serve` with `args` and `env`; the child and its URL.
fn serve(args: &[&str], env: &[(&str, &str)]) -> (std::process::Child, String) {
    let mut command = std::process::Command::new(exe());
    command
        .args(["serve", "--port", "0", "--concurrency", "256"])
        .args(args)
        .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
        .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        .stderr(std::process::Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("serve starts");
    let stderr = child.stderr.take().expect("stderr");
    let mut lines = std::io::BufReader::new(stderr).lines();
    let url = loop {
        let line = lines.next().expect("serve says where").expect("a line");
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.to_owned();
        }
    };
    // Keep reading stderr so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines.map_while(Result::ok) {});
    (child, url)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    let _ = rustls::crypto::ring::default_provider().install_default();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(
            100_000,
        )))
        .expect("the mock app starts");
    // A collector that accepts every export (and keeps nothing but wiremock's log).
    let collector = runtime.block_on(async {
        let collector = wiremock::MockServer::builder()
            .disable_request_recording()
            .start()
            .await;
        wiremock::Mock::given(wiremock::matchers::method("POST"))
            .respond_with(wiremock::ResponseTemplate::new(200))
            .mount(&collector)
            .await;
        collector
    });
    let basic = json!({"basic": {"username": "foo", "password": "bar"}});
    let scenarios = [
        Scenario {
            label: "validate_credentials",
            capability: "validate_credentials",
            request: json!({"auth": basic, "request": {}, "settings": {"host": app.url()}}),
            direct: format!("{}/api/users?limit=1", app.url()),
        },
        Scenario {
            label: "list_accounts (page size 100)",
            capability: "list_accounts",
            request: json!({"auth": basic, "request": {}, "settings": {"host": app.url()}, "page": {"size": 100}}),
            direct: format!("{}/api/users?limit=100", app.url()),
        },
        Scenario {
            label: "list_accounts (page size 500)",
            capability: "list_accounts",
            request: json!({"auth": basic, "request": {}, "settings": {"host": app.url()}, "page": {"size": 500}}),
            direct: format!("{}/api/users?limit=500", app.url()),
        },
    ];
    println!(
        "{}; {CLIENTS} keep-alive clients",
        std::path::Path::new(&exe()).display()
    );
    for scenario in &scenarios {
        let load = drive(&runtime, scenario, &Target::Direct);
        report("mock-app direct", scenario, &load, "");
    }
    let otlp = collector.uri();
    let setups: [Setup<'_>; 3] = [
        ("serve, metrics", &[], &[]),
        ("serve --no-metrics", &["--no-metrics"], &[]),
        (
            "serve, metrics + OTLP",
            &[],
            &[("OTEL_EXPORTER_OTLP_ENDPOINT", otlp.as_str())],
        ),
    ];
    for (setup, args, env) in setups {
        let (mut child, url) = serve(args, env);
        for scenario in &scenarios {
            let cpu_before = cpu_time(child.id());
            let load = drive(&runtime, scenario, &Target::Serve(&url));
            let cpu = cpu_time(child.id()).saturating_sub(cpu_before);
            let rss = format!(
                "; server CPU {:.3} ms/req; peak RSS {:.1} MiB",
                ms(cpu) / load.requests.max(1) as f64,
                peak_rss_kib(child.id()) as f64 / 1024.0
            );
            report(setup, scenario, &load, &rss);
        }
        let _ = child.kill();
        let _ = child.wait();
    }

    // The one-shot command line: a process per call.
    let request = scenarios[1].request.to_string();
    let mut runs = Vec::with_capacity(ONE_SHOT_RUNS);
    let started = Instant::now();
    for _ in 0..ONE_SHOT_RUNS {
        let sent = Instant::now();
        let output = std::process::Command::new(exe())
            .args(["list_accounts", "--json", &request])
            .env_remove("OTEL_EXPORTER_OTLP_ENDPOINT")
            .env_remove("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
            .output()
            .expect("the command runs");
        assert!(output.status.success(), "{output:?}");
        runs.push(sent.elapsed());
    }
    let elapsed = started.elapsed();
    runs.sort();
    let mean = elapsed / ONE_SHOT_RUNS as u32;
    println!(
        "one-shot list_accounts (page size 100): {ONE_SHOT_RUNS} processes in {:.2} s: mean {:.2} ms, \
         p50 {:.2} ms, p99 {:.2} ms",
        elapsed.as_secs_f64(),
        ms(mean),
        ms(percentile(&runs, 0.50)),
        ms(percentile(&runs, 0.99)),
    );
}
