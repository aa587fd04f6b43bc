//! `connector check` against mock-connector and a live mock app: read-only, with `--writes`,
//! each fault of the app failing exactly its check, and no secret anywhere in the outputs.

use std::path::PathBuf;
use std::process::Command;
use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::support::{connector, target_dir};

/// The mock connector's binary, built (debug) into this test's target folder once.
fn mock_connector() -> PathBuf {
    static EXE: OnceLock<PathBuf> = OnceLock::new();
    EXE.get_or_init(|| {
        let status = Command::new(env!("CARGO"))
            .args([
                "build",
                "-q",
                "-p",
                "mock-connector",
                "--bin",
                "mock-connector",
            ])
            .env("CARGO_TARGET_DIR", target_dir())
            .status()
            .expect("cargo runs");
        assert!(status.success(), "building mock-connector failed");
        target_dir().join("debug").join("mock-connector")
    })
    .clone()
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap()
}

/// An OAuth access token from the app's client-credentials grant, through the connector.
fn access_token(host: &str) -> String {
    let output = Command::new(mock_connector())
        .args(["handle_client_credentials_request", "--json"])
        .arg(
            json!({
                "request": {"client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": []},
                "settings": {"host": host},
            })
            .to_string(),
        )
        .output()
        .unwrap();
    let envelope: Value = serde_json::from_slice(&output.stdout).unwrap();
    envelope["response"]["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{envelope}"))
        .to_owned()
}

/// What one `connector check` run left behind.
struct Checked {
    code: i32,
    stdout: String,
    stderr: String,
    report: Value,
    report_text: String,
    html: String,
}

fn check(host: &str, token: &str, extra: &[&str]) -> Checked {
    let dir = tempfile::tempdir().unwrap();
    let (report, html) = (
        dir.path().join("report.json"),
        dir.path().join("report.html"),
    );
    let output = connector()
        .args(["check", "--exe"])
        .arg(mock_connector())
        .args(["--settings", &json!({"host": host}).to_string()])
        .args(["--auth", "env:CHECK_AUTH", "--page-size", "50", "--report"])
        .arg(&report)
        .arg("--html")
        .arg(&html)
        .args(extra)
        .env(
            "CHECK_AUTH",
            json!({"oauth": {"access_token": token}}).to_string(),
        )
        .output()
        .unwrap();
    let report_text = std::fs::read_to_string(&report).unwrap_or_default();
    Checked {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        report: serde_json::from_str(&report_text).unwrap_or(Value::Null),
        report_text,
        html: std::fs::read_to_string(&html).unwrap_or_default(),
    }
}

impl Checked {
    /// The names of the failed checks, from the JSON report.
    fn failed(&self) -> Vec<String> {
        self.report["checks"]
            .as_array()
            .into_iter()
            .flatten()
            .filter(|c| c["failed"].as_u64() != Some(0))
            .map(|c| c["name"].as_str().unwrap().to_owned())
            .collect()
    }

    fn assert_no_secret(&self, token: &str) {
        for (what, text) in [
            ("stdout", &self.stdout),
            ("stderr", &self.stderr),
            ("JSON report", &self.report_text),
            ("HTML report", &self.html),
        ] {
            assert!(!text.contains(token), "the token leaked into the {what}");
        }
    }
}

#[test]
fn check_passes_against_mock_connector_read_only_and_with_writes() {
    let runtime = runtime();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(230)))
        .unwrap();
    let token = access_token(&app.url());
    for extra in [&[][..], &["--writes", "--yes"][..]] {
        let checked = check(&app.url(), &token, extra);
        assert_eq!(checked.code, 0, "{}\n{}", checked.stdout, checked.stderr);
        assert!(checked.failed().is_empty(), "{}", checked.stdout);
        assert!(
            checked.stdout.contains("list_accounts"),
            "{}",
            checked.stdout
        );
        assert!(!checked.stdout.contains("FAIL"), "{}", checked.stdout);
        let checks = checked.report["checks"].as_array().unwrap().len();
        assert_eq!(checks, if extra.is_empty() { 10 } else { 11 });
        let listed: u64 = checked.report["listings"][1]["items"].as_u64().unwrap_or(0);
        assert_eq!(listed, 230, "{}", checked.report_text);
        checked.assert_no_secret(&token);
        assert!(checked.html.starts_with("<!DOCTYPE html>"));
        assert!(
            !checked.html.contains("://"),
            "the HTML report names an external URL"
        );
        assert!(checked.html.contains("<svg"), "a chart of page times");
    }
}

/// In protocol 4 the check also reads a sample of accounts with `get_account` and asks
/// `list_updated_accounts` for what changed since it started (the write round trip changes
/// accounts meanwhile), and passes on mock-app.
#[test]
fn check_in_protocol_4_reads_accounts_back_and_what_changed() {
    let runtime = runtime();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(120)))
        .unwrap();
    let token = access_token(&app.url());
    let checked = check(
        &app.url(),
        &token,
        &["--protocol", "4", "--writes", "--yes"],
    );
    assert_eq!(checked.code, 0, "{}\n{}", checked.stdout, checked.stderr);
    assert!(checked.failed().is_empty(), "{}", checked.stdout);
    let checks = checked.report["checks"].as_array().unwrap();
    let looked_at = |name: &str| {
        checks
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| c["checked"].as_u64())
            .unwrap_or_else(|| panic!("no check {name}: {}", checked.report_text))
    };
    assert_eq!(looked_at("get-account-matches"), 10);
    assert!(looked_at("updated-since-sync") >= 1);
    checked.assert_no_secret(&token);
}

#[test]
fn bad_arguments_are_usage_errors_that_do_not_echo_them() {
    let output = connector()
        .args([
            "check",
            "--exe",
            "/nonexistent",
            "--settings",
            "{}",
            "--auth",
        ])
        .arg("{\"basic\": s3cret-not-json")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--auth is not JSON"), "{stderr}");
    assert!(!stderr.contains("s3cret"), "{stderr}");
}

#[test]
fn each_fault_of_the_app_fails_exactly_its_check() {
    use mock_app::Fault;
    let runtime = runtime();
    for (fault, expected) in [
        (Fault::DuplicateIds, "unique-ids"),
        (Fault::DanglingAssociation, "associations-reference-listed"),
        (Fault::CursorLoop, "tokens-terminate"),
        (Fault::OversizedPage, "page-size"),
    ] {
        let app = runtime
            .block_on(mock_app::MockApp::start(
                mock_app::Config::with_users(230).fault(fault),
            ))
            .unwrap();
        let token = access_token(&app.url());
        let checked = check(&app.url(), &token, &[]);
        assert_eq!(checked.code, 1, "{fault}: {}", checked.stdout);
        assert_eq!(checked.failed(), [expected], "{fault}: {}", checked.stdout);
        checked.assert_no_secret(&token);
    }
}

/// A stand-in connector (a shell script) whose error envelopes use a code only protocol 4
/// has (`bad_gateway`) when run with `CONNECTOR_PROTOCOL=4`, and 3.7.8's (`api_error`)
/// otherwise; the names of the checks `connector check --protocol <protocol>` failed on it.
fn failed_checks_of_a_protocol_aware_script(protocol: &str, always_v4: bool) -> Vec<String> {
    use std::os::unix::fs::PermissionsExt as _;

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("connector.sh");
    let condition = if always_v4 {
        "true"
    } else {
        r#"[ "$CONNECTOR_PROTOCOL" = 4 ]"#
    };
    std::fs::write(
        &script,
        format!(
            r#"#!/bin/sh
if [ "$1" = info ]; then
  echo '{{"response":{{"app_id":"fake","version":"1.0.0","capabilities":["validate_credentials"]}}}}'
  exit 0
fi
code=api_error
if {condition}; then code=bad_gateway; fi
echo '{{"is_error":true,"error":{{"message":"upstream","error_code":"'$code'","app_id":"fake"}}}}'
"#
        ),
    )
    .unwrap();
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).unwrap();
    let report = dir.path().join("report.json");
    let output = connector()
        .args(["check", "--exe"])
        .arg(&script)
        .args(["--settings", "{}", "--auth", "{}", "--protocol", protocol])
        .arg("--report")
        .arg(&report)
        .output()
        .unwrap();
    // The connector's calls fail, so the check does.
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    Checked {
        code: 1,
        stdout: String::new(),
        stderr: String::new(),
        report,
        report_text: String::new(),
        html: String::new(),
    }
    .failed()
}

#[test]
fn check_protocol_4_runs_the_connector_in_4_and_validates_against_the_4x_schema() {
    // Run with CONNECTOR_PROTOCOL=4, the envelopes are 4.x's, and valid as such.
    assert_eq!(
        failed_checks_of_a_protocol_aware_script("4", false),
        ["capabilities-succeed"]
    );
    // The default is 3.7.8: run so, and valid against 3.7.8's schema.
    assert_eq!(
        failed_checks_of_a_protocol_aware_script("3.7.8", false),
        ["capabilities-succeed"]
    );
    // A 4.x code is not valid against 3.7.8's schema.
    assert_eq!(
        failed_checks_of_a_protocol_aware_script("3.7.8", true),
        ["envelopes-valid", "capabilities-succeed"]
    );
}
