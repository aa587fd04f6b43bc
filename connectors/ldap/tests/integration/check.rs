//! `connector check` against the LDAP connector and real servers: every check passes.

use serde_json::{Value, json};

use crate::support;

/// Reads only, 500 a page, no report files.
fn options(
    exe: std::path::PathBuf,
    settings: Value,
    auth: Value,
    protocol: connector_sdk::Protocol,
) -> connector_cli::check::CheckOptions {
    connector_cli::check::CheckOptions {
        exe,
        settings,
        auth,
        page_size: 500,
        max_pages: 1_000,
        report: None,
        html: None,
        progress: false,
        writes: false,
        protocol,
    }
}

#[test]
fn connector_check_passes_against_slapd() {
    let options = options(
        assert_cmd::cargo::cargo_bin!("ldap-connector").to_path_buf(),
        // Separate search bases, as a directory with nested groups needs: with one shared base
        // the connector cannot tell a nested group from a user (`check` reports such an
        // association as naming an account never listed).
        support::settings(json!({
            "user_search_base": crate::slapd::PEOPLE,
            "group_search_base": "ou=groups,dc=example,dc=com",
        })),
        support::admin(),
        connector_sdk::Protocol::V3_7_8,
    );
    let outcome = connector_cli::check::check(&options).unwrap();
    let summary = outcome.summary();
    assert!(outcome.passed(), "{summary}");
    assert!(summary.contains("list_accounts"), "{summary}");
    assert!(!summary.contains(crate::slapd::ADMIN_PASSWORD), "{summary}");
}

/// `connector check` in protocol 4 against the Samba AD domain with only the AD profile set:
/// 3,000+ users (`SAMBA_BULK_USERS` more), 50 groups (a chain of 12 nested ones, a group of
/// 3,000 members, the built-in ones) and the primary groups; every listing drains, every
/// association names a listed account and group. `LDAP_CHECK_EXE` runs another build of the
/// connector (the release binary, for figures).
#[test]
fn connector_check_passes_against_samba_ad() {
    let _guard = crate::ad::account_set();
    let exe = std::env::var_os("LDAP_CHECK_EXE").map_or_else(
        || assert_cmd::cargo::cargo_bin!("ldap-connector").to_path_buf(),
        std::path::PathBuf::from,
    );
    let started = std::time::Instant::now();
    let options = options(
        exe,
        crate::ad::ad_settings(json!({"directory": "active_directory"})),
        support::basic(crate::samba::ADMIN_DN, crate::samba::ADMIN_PASSWORD),
        connector_sdk::Protocol::V4,
    );
    let outcome = connector_cli::check::check(&options).unwrap();
    let summary = outcome.summary();
    eprintln!(
        "connector check against Samba AD in {:?}:\n{summary}",
        started.elapsed()
    );
    assert!(outcome.passed(), "{summary}");
    assert!(
        summary.contains("find_entitlement_associations"),
        "{summary}"
    );
    assert!(!summary.contains(crate::samba::ADMIN_PASSWORD), "{summary}");
}
