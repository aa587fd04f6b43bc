//! `connector record-case`: recordings as case-table rows. The rows it prints for the mock
//! connector's committed recordings are the rows its case tables run (so they compile and
//! pass), and a fresh recording against the mock app prints a row without any real person.

use std::path::{Path, PathBuf};

use serde_json::json;

use crate::support::{connector, run_ok, sdk_root};

fn recordings() -> PathBuf {
    sdk_root().join("mock-connector/tests/recordings")
}

fn table(capability: &str) -> String {
    let path = sdk_root().join(format!(
        "mock-connector/tests/integration/cases/{capability}_cases.rs"
    ));
    std::fs::read_to_string(path).unwrap()
}

fn record_case(args: &[&str], dir: &Path) -> String {
    let output = run_ok(connector().arg("record-case").args(args).current_dir(dir));
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn rows_are_the_ones_the_mock_connector_runs() {
    // From the workspace root, the path still comes out relative to the connector's package.
    let file = recordings().join("list_accounts-1.json");
    let row = record_case(
        &[file.to_str().unwrap(), "--name", "recorded_first_page"],
        &sdk_root(),
    );
    assert_eq!(
        row,
        "#[case::recorded_first_page(\n    Case::from_recording(\"tests/recordings/list_accounts-1.json\")\n)]\n"
    );
    let one_line = row.replace("(\n    ", "(").replace("\n)]", ")]");
    assert!(table("list_accounts").contains(&one_line), "{one_line}");

    let inline = record_case(
        &[
            "tests/recordings/assign_entitlement-1.json",
            "--inline",
            "--name",
            "recorded_and_written_out",
        ],
        &sdk_root().join("mock-connector"),
    );
    assert!(
        inline.contains("Case::new(CapabilityName::AssignEntitlement)"),
        "{inline}"
    );
    assert!(
        inline.contains("HttpMock::new(\"PUT\", \"/api/groups/g-003/members/u-0000002\")"),
        "{inline}"
    );
    assert!(
        table("assign_entitlement").contains(&inline),
        "the assign_entitlement table must hold this row as printed:\n{inline}"
    );
}

#[test]
fn a_fresh_recording_becomes_a_row_without_real_people() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(4)))
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.url()},
        "page": {"size": 3},
    });
    let outcome = runtime.block_on(connector_sdk::cli::execute(
        &mock_connector::integration(),
        [
            "mock-connector",
            "list_accounts",
            "--json",
            &request.to_string(),
            "--record",
            dir.path().to_str().unwrap(),
        ],
    ));
    assert_eq!(outcome.exit_code, 0, "{}", outcome.stderr);
    assert!(
        outcome.stdout.contains("@example.com"),
        "{}",
        outcome.stdout
    );

    let row = record_case(&["list_accounts-1.json", "--inline"], dir.path());
    assert!(
        row.starts_with("#[case::recorded_list_accounts_1(\n"),
        "{row}"
    );
    assert!(row.contains(".page(None, Some(3))"), "{row}");
    assert!(
        row.contains("HttpMock::new(\"GET\", \"/api/users?limit=3\")"),
        "{row}"
    );
    assert!(row.contains("\"user-0003@example.com\""), "{row}");
    assert!(row.contains("\"host\": \"{{base_url}}\""), "{row}");
    assert!(row.contains(".expect_envelope(json!({"), "{row}");
    for n in 1..=3 {
        let real = format!("u-{n:07}");
        assert!(row.contains(&real), "ids are kept: {real}");
    }
    let envelope: serde_json::Value = serde_json::from_str(outcome.stdout.trim()).unwrap();
    for account in envelope["response"].as_array().unwrap() {
        for field in ["email", "username"] {
            let real = account[field].as_str().unwrap();
            assert!(!row.contains(real), "{field} {real} leaked:\n{row}");
        }
    }
}

#[test]
fn refusals() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("not.json"), "{}").unwrap();
    let output = connector()
        .args(["record-case", "not.json"])
        .current_dir(dir.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("not.json is not a recording"), "{stderr}");

    let file = recordings().join("list_accounts-1.json");
    let output = connector()
        .args([
            "record-case",
            file.to_str().unwrap(),
            "--name",
            "not-an-identifier",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("is not a Rust identifier"), "{stderr}");
}
