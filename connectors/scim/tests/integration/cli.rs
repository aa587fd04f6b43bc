//! The compiled `scim-connector` binary: `info` describes the connector.

use std::process::Command;

use serde_json::Value;

#[test]
fn info_describes_the_connector() {
    let output = Command::new(env!("CARGO_BIN_EXE_scim-connector"))
        .arg("info")
        .output()
        .expect("the connector runs");
    assert!(output.status.success(), "{output:?}");
    let info: Value = serde_json::from_slice(&output.stdout).expect("one JSON document");
    let response = &info["response"];
    assert_eq!(response["app_id"], "scim-connector");
    assert_eq!(response["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(
        response["request_settings_schema"]["required"][0],
        "base_url"
    );
    let capabilities = response["capabilities"].as_array().expect("a list");
    assert!(capabilities.contains(&Value::from("validate_credentials")));
}
