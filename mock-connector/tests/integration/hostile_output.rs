//! The compiled connector at TRACE level against apps that echo what they are sent: no form of
//! a secret reaches stdout, stderr or the log file (issue 11, items 6 and 7).

use std::path::Path;

use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

use crate::support::{base64_forms, connector, secret_forms as forms};

const PASSWORD: &str = "pa55 w0rd/Sécret+%";
const URL_PASSWORD: &str = "url-PASS-word";
const API_KEY: &str = "key/SECRET 123";
const CODE: &str = "AUTH-C0DE-4242";

fn secrets() -> Vec<String> {
    let mut all = forms(PASSWORD);
    all.extend(forms(URL_PASSWORD));
    all.extend(forms(API_KEY));
    all.extend(forms(CODE));
    all.extend(base64_forms(&format!("admin:{PASSWORD}")));
    all.extend(base64_forms(&format!("alice:{URL_PASSWORD}")));
    all.push("alice:".to_owned());
    all.push("alice@".to_owned());
    all
}

/// An app that answers every request with 401 and everything it was sent.
fn echoing_app(runtime: &tokio::runtime::Runtime) -> MockServer {
    runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(|request: &wiremock::Request| {
                let headers: Vec<String> = request
                    .headers
                    .iter()
                    .map(|(name, value)| format!("{name}: {}", value.to_str().unwrap_or("?")))
                    .collect();
                ResponseTemplate::new(401).set_body_json(json!({
                    "error": "invalid_grant",
                    "error_description": format!(
                        "rejected {} with {} and {}",
                        request.url,
                        headers.join("; "),
                        String::from_utf8_lossy(&request.body)
                    ),
                }))
            })
            .mount(&server)
            .await;
        server
    })
}

/// Runs the connector at TRACE level with a log directory; returns the exit code, stdout,
/// stderr and the log files' text.
fn run_traced(args: &[&str], logs: &Path) -> (i32, String, String, String) {
    let output = connector()
        .args(args)
        .env("LUMOS_LOG_LEVEL", "TRACE")
        .env("LUMOS_LOG_DIRECTORY", logs)
        .env_remove("RUST_LOG")
        .output()
        .unwrap();
    let mut log_text = String::new();
    for entry in std::fs::read_dir(logs).unwrap() {
        log_text.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
    }
    (
        output.status.code().unwrap(),
        String::from_utf8(output.stdout).unwrap(),
        String::from_utf8(output.stderr).unwrap(),
        log_text,
    )
}

fn assert_clean(outputs: &[&str]) {
    for text in outputs {
        for secret in secrets() {
            assert!(!text.contains(&secret), "`{secret}` leaked: {text}");
        }
    }
}

fn error_code(stdout: &str) -> Value {
    let document: Value = serde_json::from_str(stdout.trim_end()).unwrap();
    assert_eq!(document["is_error"], true, "{document}");
    document["error"]["error_code"].clone()
}

#[test]
fn an_echoing_app_and_userinfo_in_the_host_leak_nothing_at_trace_level() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = echoing_app(&runtime);
    let with_userinfo = app
        .uri()
        .replace("http://", &format!("http://alice:{URL_PASSWORD}@"));
    // Userinfo in the host is refused before any call (credentials belong in `auth`); without
    // it, the app echoes everything it was sent.
    for (host, expected) in [
        (with_userinfo, "invalid_value"),
        (app.uri(), "unauthorized"),
    ] {
        let request = json!({
            "auth": {"basic": {"username": "admin", "password": PASSWORD}},
            "settings": {"host": host, "api_key": API_KEY},
            "request": {},
        });
        let logs = tempfile::tempdir().unwrap();
        let (code, stdout, stderr, log_file) = run_traced(
            &["list_accounts", "--json", &request.to_string()],
            logs.path(),
        );
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(error_code(&stdout), expected, "{stdout}");
        assert!(stderr.contains("DEBUG"), "the request is logged: {stderr}");
        assert!(log_file.contains("DEBUG"), "{log_file}");
        assert!(
            stdout.contains("[REDACTED]") || expected == "invalid_value",
            "{stdout}"
        );
        assert_clean(&[&stdout, &stderr, &log_file]);
    }
}

#[test]
fn the_oauth_code_leaks_nowhere_at_trace_level() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let app = echoing_app(&runtime);
    let request = json!({
        "settings": {"host": app.uri()},
        "request": {
            "client_id": "cid",
            "client_secret": API_KEY,
            "redirect_uri_with_code": format!("https://app.example/cb?code={CODE}&state=st"),
            "state": "st"
        },
    });
    let logs = tempfile::tempdir().unwrap();
    let (code, stdout, stderr, log_file) = run_traced(
        &[
            "handle_authorization_callback",
            "--json",
            &request.to_string(),
        ],
        logs.path(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(error_code(&stdout), "authentication_expired", "{stdout}");
    let sent = runtime.block_on(app.received_requests()).unwrap();
    assert!(String::from_utf8_lossy(&sent[0].body).contains(CODE));
    assert!(stderr.contains("redirect_uri_with_code"), "{stderr}");
    assert_clean(&[&stdout, &stderr, &log_file]);
}

#[cfg(unix)]
#[test]
fn invalid_utf8_arguments_are_bad_request_envelopes() {
    use std::ffi::OsStr;
    use std::os::unix::ffi::OsStrExt;
    let output = connector()
        .arg("validate_credentials")
        .arg("--json")
        .arg(OsStr::from_bytes(b"{\"request\": \"\xff\xfe\"}"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    let document: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(document["error"]["error_code"], "bad_request", "{document}");
    assert_eq!(
        document["error"]["message"],
        "Invalid request - the request is not valid JSON: invalid UTF-8 at byte 13"
    );
}

#[test]
fn the_base64_helper_matches_rfc_4648() {
    assert_eq!(
        base64_forms("ab?>"),
        ["YWI/Pg", "YWI_Pg", "YWI/Pg==", "YWI_Pg=="]
    );
    assert_eq!(base64_forms("foobar")[2], "Zm9vYmFy");
}
