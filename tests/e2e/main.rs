//! Workspace-level end-to-end tests: connectors driven through the SDK's library entry points
//! (no process spawn).

use serde_json::Value;

fn run(args: &[&str]) -> connector_sdk::cli::RunOutput {
    let integration = mock_connector::integration();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    let mut argv = vec!["mock-connector"];
    argv.extend_from_slice(args);
    runtime.block_on(connector_sdk::cli::execute(&integration, argv))
}

#[test]
fn the_mock_connector_validates_in_process() {
    let out = run(&[
        "validate_credentials",
        "--json",
        r#"{"auth":{"basic":{"username":"foo","password":"bar"}},"request":{},"settings":{"host":"google.com"}}"#,
    ]);
    assert_eq!(out.exit_code, 0);
    assert_eq!(
        out.stdout,
        "{\"response\":{\"valid\":true,\"unique_tenant_id\":\"mock-connector-tenant-id\"},\"raw_data\":null,\"page\":null}\n"
    );
}

#[test]
fn info_in_process_matches_the_integration() {
    let out = run(&["info"]);
    assert_eq!(out.exit_code, 0);
    let doc: Value = serde_json::from_str(out.stdout.trim_end()).expect("one JSON document");
    assert_eq!(doc["response"]["app_id"], "mock-connector");
    assert_eq!(doc["response"]["version"], env!("CARGO_PKG_VERSION"));
}

#[test]
fn usage_errors_exit_2_in_process() {
    let out = run(&["no_such_capability", "--json", "{}"]);
    assert_eq!(out.exit_code, 2);
    assert!(out.stdout.is_empty());
}
