//! LDAP result codes as wire error codes, provoked on the real server: the `retcode` overlay
//! answers searches under `ou=retcodes` with the code asked for, ACLs refuse writes to users.

use std::net::TcpListener;

use rstest::rstest;
use serde_json::{Value, json};

use crate::slapd::{RETCODES, scratch, staff};
use crate::support::{Call, basic, user};

/// A loopback port nobody listens on.
fn closed_port_url() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    format!("ldap://127.0.0.1:{port}")
}

fn retcode(cn: &str) -> String {
    format!("cn={cn},{RETCODES}")
}

#[rstest]
#[case::busy(json!({"user_search_base": retcode("busy")}), "service_error", Some("ldap:51"))]
#[case::unavailable(json!({"user_search_base": retcode("unavailable")}), "service_error", Some("ldap:52"))]
#[case::time_limit_exceeded(json!({"user_search_base": retcode("timelimit")}), "request_timeout", Some("ldap:3"))]
#[case::no_such_object(json!({"user_search_base": "ou=nowhere,dc=example,dc=com"}), "not_found", Some("ldap:32"))]
#[case::a_slow_answer_past_the_timeout(json!({"user_search_base": retcode("slow"), "timeout_seconds": 1}), "request_timeout", None)]
#[case::a_dropped_connection(json!({"user_search_base": retcode("disconnect")}), "connection_closed", None)]
#[case::server_down(json!({"server_url": closed_port_url()}), "connection_rejected", None)]
#[case::no_ordering_rule_on_the_page_key(json!({"page_key_attribute": "uid"}), "invalid_value", Some("ldap:18"))]
fn list_accounts_maps_server_failures(
    #[case] settings: Value,
    #[case] code: &str,
    #[case] app_code: Option<&str>,
) {
    let error = Call::new("list_accounts").settings(settings).error(code);
    if let Some(app_code) = app_code {
        assert_eq!(error["app_error_code"], app_code, "{error}");
    }
}

#[rstest]
#[case::invalid_credentials(basic(&staff("alice"), "wrong"), "unauthorized")]
#[case::no_such_bind_dn(basic("uid=nobody,dc=example,dc=com", "x"), "unauthorized")]
fn binds_map_to_unauthorized(#[case] auth: Value, #[case] code: &str) {
    let error = Call::new("list_accounts").auth(auth).error(code);
    assert_eq!(error["app_error_code"], "ldap:49");
}

#[rstest]
#[case::delete_account("delete_account", json!({"account_id": scratch("uid=denied-1")}))]
#[case::deactivate_account("deactivate_account", json!({"account_id": scratch("uid=denied-1")}))]
#[case::create_account("create_account", json!({"username": "denied-new", "entitlements": []}))]
fn writes_without_the_right_are_permission_denied(
    #[case] capability: &'static str,
    #[case] request: Value,
) {
    let error = Call::new(capability)
        .auth(user(&staff("alice")))
        .settings(json!({"user_search_base": "ou=scratch,dc=example,dc=com"}))
        .request(request)
        .error("permission_denied");
    assert_eq!(error["app_error_code"], "ldap:50");
}
