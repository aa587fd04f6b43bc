//! `connector check` against the LDAP connector and the real slapd: every check passes.

use serde_json::json;

use crate::support;

#[test]
fn connector_check_passes_against_slapd() {
    let options = connector_cli::check::CheckOptions {
        exe: assert_cmd::cargo::cargo_bin!("ldap-connector").to_path_buf(),
        // Separate search bases, as a directory with nested groups needs: with one shared base
        // the connector cannot tell a nested group from a user (`check` reports such an
        // association as naming an account never listed).
        settings: support::settings(json!({
            "user_search_base": crate::slapd::PEOPLE,
            "group_search_base": "ou=groups,dc=example,dc=com",
        })),
        auth: support::admin(),
        page_size: 500,
        max_pages: 1_000,
        report: None,
        html: None,
        progress: false,
        writes: false,
        protocol: connector_sdk::Protocol::V3_7_8,
    };
    let outcome = connector_cli::check::check(&options).unwrap();
    let summary = outcome.summary();
    assert!(outcome.passed(), "{summary}");
    assert!(summary.contains("list_accounts"), "{summary}");
    assert!(!summary.contains(crate::slapd::ADMIN_PASSWORD), "{summary}");
}
