//! The binary's protocol surface: `info`, `--help`, and the missing-server message.

use serde_json::Value;

use crate::slapd::locate;
use crate::support::connector;

#[test]
fn info_declares_every_capability_and_the_settings() {
    let output = connector().arg("info").output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let info: Value = serde_json::from_slice(&output.stdout).unwrap();
    let info = &info["response"];
    assert_eq!(info["app_id"], "ldap");
    let capabilities: Vec<&str> = info["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(
        capabilities,
        [
            "activate_account",
            "assign_entitlement",
            "create_account",
            "deactivate_account",
            "delete_account",
            "find_entitlement_associations",
            "get_last_activity",
            "list_accounts",
            "list_custom_attributes_schema",
            "list_entitlements",
            "list_resources",
            "unassign_entitlement",
            "validate_credentials",
        ]
    );
    let settings = &info["request_settings_schema"];
    assert_eq!(
        settings["required"],
        serde_json::json!(["server_url", "base_dn"])
    );
    assert_eq!(
        settings["properties"]["ca_bundle"]["x-field_type"],
        "MULTI_LINES"
    );
    assert_eq!(info["authentication_schema"]["title"], "BasicCredential");
}

#[test]
fn a_missing_slapd_is_explained() {
    let error = locate("slapd-that-is-not-installed").unwrap_err();
    assert!(error.contains("ensure-slapd.sh"), "{error}");
    assert!(error.contains("apt-get install slapd"), "{error}");
}

#[test]
fn a_server_stops_and_leaves_nothing_behind() {
    let server = crate::slapd::Slapd::start(0).unwrap_or_else(|e| panic!("{e}"));
    let dir = server.dir().to_owned();
    let address = server.url.trim_start_matches("ldap://").to_owned();
    assert!(dir.join("slapd.conf").exists());
    assert!(std::net::TcpStream::connect(&address).is_ok());
    server.stop();
    assert!(!dir.exists(), "{} is removed", dir.display());
    assert!(
        std::net::TcpStream::connect(&address).is_err(),
        "nothing listens on {address} any more"
    );
}
