//! `validate_credentials`: binds, the tenant id, TLS, and the settings it rejects.

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{ADMIN_DN, ADMIN_PASSWORD, BASE_DN, staff};
use crate::support::{Call, basic, server, user};

#[rstest]
#[case::the_administrator(basic(ADMIN_DN, ADMIN_PASSWORD), None)]
#[case::a_user(user(&staff("alice")), None)]
#[case::a_wrong_password(basic(ADMIN_DN, "not-the-password"), Some("unauthorized"))]
#[case::an_unknown_bind_dn(basic(&staff("ghost"), "ghost-pw"), Some("unauthorized"))]
#[case::an_empty_password_is_not_an_anonymous_bind(basic(&staff("alice"), ""), Some("unauthorized"))]
#[case::a_locked_account(user(&staff("dave")), Some("unauthorized"))]
fn binds(#[case] auth: Value, #[case] expected: Option<&str>) {
    let outcome = Call::new("validate_credentials")
        .auth(auth)
        .outcome(expected);
    match expected {
        None => {
            assert_eq!(outcome["valid"], true);
            assert_eq!(outcome["unique_tenant_id"], BASE_DN);
        }
        Some(_) => {
            assert_eq!(outcome["raised_by"], "ConnectorError");
            assert!(
                outcome["raised_in"]
                    .as_str()
                    .unwrap()
                    .starts_with("ldap_connector."),
                "{outcome}"
            );
        }
    }
}

#[test]
fn the_tenant_is_the_naming_context_of_a_deeper_base_dn() {
    let response = Call::new("validate_credentials")
        .settings(json!({"base_dn": "ou=staff,dc=example,dc=com"}))
        .ok();
    assert_eq!(response["unique_tenant_id"], BASE_DN);
}

/// TLS: the server's certificate is signed by a CA made for the test run.
fn tls(case: &str) -> Value {
    let server = server();
    match case {
        "ldaps" => json!({"server_url": server.ldaps_url, "ca_bundle": server.ca_pem}),
        "ldaps without the CA" => json!({"server_url": server.ldaps_url}),
        "starttls" => json!({"start_tls": true, "ca_bundle": server.ca_pem}),
        "starttls without the CA" => json!({"start_tls": true}),
        "a CA bundle that is not PEM" => {
            json!({"server_url": server.ldaps_url, "ca_bundle": "not a certificate"})
        }
        other => panic!("no TLS case {other}"),
    }
}

#[rstest]
#[case::ldaps("ldaps", None)]
#[case::ldaps_without_the_ca("ldaps without the CA", Some("connection_rejected"))]
#[case::starttls("starttls", None)]
#[case::starttls_without_the_ca("starttls without the CA", Some("connection_rejected"))]
#[case::a_bundle_that_is_not_pem("a CA bundle that is not PEM", Some("invalid_value"))]
fn tls_with_the_extra_ca_bundle(#[case] case: &str, #[case] expected: Option<&str>) {
    let outcome = Call::new("validate_credentials")
        .settings(tls(case))
        .outcome(expected);
    if expected.is_none() {
        assert_eq!(outcome["unique_tenant_id"], BASE_DN);
    }
}

#[rstest]
#[case::a_base_dn_outside_the_server(json!({"base_dn": "dc=elsewhere,dc=org"}), "not_found", "naming context")]
#[case::a_base_dn_that_does_not_exist(json!({"base_dn": "ou=nowhere,dc=example,dc=com"}), "not_found", "No base DN entry")]
#[case::an_http_url(json!({"server_url": "http://127.0.0.1:1"}), "invalid_value", "ldap://")]
#[case::ldaps_and_starttls(json!({"server_url": "ldaps://127.0.0.1:1", "start_tls": true}), "invalid_value", "start_tls")]
#[case::a_filter_without_parentheses(json!({"user_filter": "objectClass=person"}), "invalid_value", "user_filter")]
fn settings_it_rejects(#[case] settings: Value, #[case] code: &str, #[case] message: &str) {
    let error = Call::new("validate_credentials")
        .settings(settings)
        .error(code);
    assert!(
        error["message"].as_str().unwrap().contains(message),
        "{error}"
    );
}
