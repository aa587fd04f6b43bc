//! `just ldap-demo`: starts a throwaway OpenLDAP server seeded with 10,000 users, runs the
//! compiled `ldap-connector` against it (one process per call, as the on-prem agent runs it),
//! prints what it answers, and times a full listing in pages of 500.
//!
//! ```text
//! cargo build -p ldap-connector --bin ldap-connector --example ldap-demo
//! cargo run -p ldap-connector --example ldap-demo -- [--users N] [--page-size N] [--keep]
//! ```
//!
//! `--keep` leaves the server running until Enter is pressed, with a command line to try.
//! The server is stopped and its files removed when the demo ends, however it ends.

// Shared with the integration tests, which use more of it.
#[allow(dead_code, unreachable_pub)]
#[path = "../tests/integration/slapd.rs"]
mod slapd;

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How many times each probed page is fetched again.
const ROUNDS: usize = 11;

struct Options {
    users: usize,
    page_size: u32,
    keep: bool,
}

fn options() -> Result<Options, String> {
    let mut options = Options {
        users: 10_000,
        page_size: 500,
        keep: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match arg.as_str() {
            "--users" => options.users = usize::try_from(number("--users")?).unwrap_or(0),
            "--page-size" => {
                options.page_size = u32::try_from(number("--page-size")?).unwrap_or(500);
            }
            "--keep" => options.keep = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(options)
}

/// The connector binary next to this example's directory (`target/<profile>/`), or
/// `$LDAP_CONNECTOR_BIN`.
fn connector_binary() -> Result<PathBuf, String> {
    if let Some(path) = std::env::var_os("LDAP_CONNECTOR_BIN") {
        return Ok(PathBuf::from(path));
    }
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let profile_dir = exe
        .parent()
        .and_then(|examples| examples.parent())
        .ok_or("cannot locate the target directory")?;
    let binary = profile_dir.join("ldap-connector");
    if binary.is_file() {
        Ok(binary)
    } else {
        Err(format!(
            "{} is not built: run `cargo build -p ldap-connector --bin ldap-connector` first \
             (with the same profile), or set LDAP_CONNECTOR_BIN",
            binary.display()
        ))
    }
}

struct Demo {
    binary: PathBuf,
    auth: Value,
    settings: Value,
}

impl Demo {
    /// Runs one capability in a new process; returns the document and the process's time.
    fn call(
        &self,
        capability: &str,
        settings: &Value,
        request: Value,
        page: Value,
    ) -> (Value, Duration) {
        let mut merged = self.settings.clone();
        for (key, value) in settings.as_object().into_iter().flatten() {
            merged[key] = value.clone();
        }
        let input =
            json!({"auth": self.auth, "settings": merged, "request": request, "page": page});
        let started = Instant::now();
        let output = Command::new(&self.binary)
            .args([capability, "--json", &input.to_string()])
            .output()
            .expect("the connector runs");
        let elapsed = started.elapsed();
        let document = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            json!({"unreadable": e.to_string(), "stderr": String::from_utf8_lossy(&output.stderr)})
        });
        (document, elapsed)
    }

    fn show(&self, capability: &str, settings: Value, request: Value, items: usize) {
        let (document, elapsed) = self.call(capability, &settings, request, json!({"size": 100}));
        println!("\n$ ldap-connector {capability}   ({elapsed:.1?})");
        match &document["response"] {
            Value::Array(list) => {
                for item in list.iter().take(items) {
                    println!("  {item}");
                }
                if list.len() > items {
                    println!("  … {} more on this page", list.len() - items);
                }
            }
            Value::Null => println!("  {document}"),
            other => println!("  {other}"),
        }
    }
}

fn main() -> ExitCode {
    let result = options().and_then(|options| {
        let binary = connector_binary()?;
        run(&options, binary)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("ldap-demo: {error}");
            ExitCode::FAILURE
        }
    }
}

fn run(options: &Options, binary: PathBuf) -> Result<(), String> {
    println!("Starting slapd with {} users…", options.users);
    let server = slapd::Slapd::start(options.users)?;
    println!(
        "slapd is listening on {} and {} (seeded and started in {:.1?})",
        server.url, server.ldaps_url, server.startup
    );
    println!(
        "bind DN {} / password {}",
        slapd::ADMIN_DN,
        slapd::ADMIN_PASSWORD
    );
    let demo = Demo {
        binary,
        auth: json!({"basic": {"username": slapd::ADMIN_DN, "password": slapd::ADMIN_PASSWORD}}),
        settings: json!({"server_url": server.url, "base_dn": slapd::BASE_DN}),
    };

    demo.show("validate_credentials", json!({}), json!({}), 1);
    demo.show(
        "validate_credentials",
        json!({"server_url": server.ldaps_url, "ca_bundle": server.ca_pem}),
        json!({}),
        1,
    );
    demo.show("list_resources", json!({}), json!({}), 10);
    demo.show(
        "list_entitlements",
        json!({"group_search_base": slapd::GROUPS}),
        json!({}),
        10,
    );
    demo.show(
        "find_entitlement_associations",
        json!({"group_search_base": slapd::GROUPS}),
        json!({}),
        5,
    );
    demo.show(
        "list_accounts",
        json!({"user_search_base": slapd::STAFF}),
        json!({"custom_attributes": ["title"]}),
        6,
    );
    demo.show("list_custom_attributes_schema", json!({}), json!({}), 5);

    println!(
        "\nListing {} users under {} in pages of {}, one process per page…",
        options.users,
        slapd::PEOPLE,
        options.page_size
    );
    let people = json!({"user_search_base": slapd::PEOPLE});
    let mut page = json!({"size": options.page_size});
    let mut seen = HashSet::new();
    let mut duplicates = 0usize;
    let mut latencies = Vec::new();
    let mut requests = Vec::new();
    let started = Instant::now();
    loop {
        requests.push(page.clone());
        let (document, elapsed) = demo.call("list_accounts", &people, json!({}), page.clone());
        if document.get("is_error").is_some() {
            return Err(format!("list_accounts failed: {document}"));
        }
        latencies.push(elapsed);
        for account in document["response"].as_array().into_iter().flatten() {
            let id = account["integration_specific_id"]
                .as_str()
                .unwrap_or_default();
            if !seen.insert(id.to_owned()) {
                duplicates += 1;
            }
        }
        match document["page"]["token"].as_str() {
            Some(token) => page = json!({"size": options.page_size, "token": token}),
            None => break,
        }
    }
    let total = started.elapsed();
    let mut sorted = latencies.clone();
    sorted.sort();
    println!(
        "{} users ({} duplicates) in {} pages: {total:.2?} end to end",
        seen.len(),
        duplicates,
        latencies.len()
    );
    println!(
        "per page: first {:.1?}, last {:.1?}, min {:.1?}, median {:.1?}, max {:.1?}",
        latencies[0],
        latencies[latencies.len() - 1],
        sorted[0],
        sorted[sorted.len() / 2],
        sorted[sorted.len() - 1]
    );
    let shown: Vec<String> = latencies.iter().map(|l| format!("{l:.0?}")).collect();
    println!("all pages: {}", shown.join(" "));

    // Page tokens hold no server state, so any page can be fetched again: time the first,
    // the middle and the last page side by side, several times each, and compare medians.
    let last = requests.len();
    let probes: Vec<usize> = [1, last.div_ceil(2), last]
        .into_iter()
        .filter(|k| *k >= 1)
        .collect();
    let mut samples = vec![Vec::new(); probes.len()];
    for _ in 0..ROUNDS {
        for (i, k) in probes.iter().enumerate() {
            let (_, elapsed) =
                demo.call("list_accounts", &people, json!({}), requests[k - 1].clone());
            samples[i].push(elapsed);
        }
    }
    let medians: Vec<String> = probes
        .iter()
        .zip(samples.iter_mut())
        .map(|(k, times)| {
            times.sort();
            format!("page {k}: {:.1?}", times[times.len() / 2])
        })
        .collect();
    println!("median of {ROUNDS} runs each: {}", medians.join(", "));

    if options.keep {
        println!(
            "\nThe server stays up until you press Enter. Try:\n  {} list_accounts --json '{}'",
            demo.binary.display(),
            json!({"auth": demo.auth, "settings": {"server_url": server.url, "base_dn": slapd::BASE_DN, "user_search_base": slapd::STAFF}, "request": {}})
        );
        let mut line = String::new();
        let _ = std::io::stdin().read_line(&mut line);
    }
    server.stop();
    println!("slapd stopped.");
    Ok(())
}
