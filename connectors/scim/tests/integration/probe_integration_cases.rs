//! `probe_integration` (protocol 4, run by the SDK): the accounts check reads the first 10
//! users through the connector's own `list_accounts`.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode, ProbeCheckName};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::{Value, json};

use crate::support::{authed, check, list, route, scim_error, typed, user};

fn accounts_only() -> connector_testkit::TypedCase<marker::ProbeIntegration> {
    typed::<marker::ProbeIntegration>(wire::ProbeIntegration {
        checks: Some(vec![ProbeCheckName::Accounts]),
        custom_attributes: None,
    })
}

fn first_users() -> connector_testkit::HttpMockBuilder {
    route("GET", "/Users?startIndex=1&count=10&sortBy=meta.created")
}

fn skipped(check: &str) -> Value {
    json!({"check": check, "status": "skipped", "source": "default", "capability": null,
           "observed_count": 0, "message": "Not requested in this run.", "error": null,
           "samples": [], "entitlement_types": null, "custom_attributes": null,
           "duration_ms": null})
}

fn results(status: &str, accounts: Value) -> Value {
    json!({"status": status,
           "checks": [accounts, skipped("entitlements"), skipped("entitlement_associations")],
           "duration_ms": "{{any}}"})
}

#[rstest]
#[case::the_accounts_check_passes(
    accounts_only()
        .mock(first_users().respond_json(200, list(2, 1, vec![user("u1", true), user("u2", false)])))
        .expect_response_like(results("passed", json!({
            "check": "accounts", "status": "passed", "source": "default",
            "capability": "list_accounts", "observed_count": 2,
            "message": "Fetched 2 account(s).", "error": null, "samples": "{{any}}",
            "entitlement_types": null, "custom_attributes": null, "duration_ms": "{{any}}"})))
)]
#[case::a_refused_token_fails_the_check(
    accounts_only()
        .mock(first_users().respond_json(401, scim_error(401, None, "bad token")))
        .expect_response_like(results("failed", json!({
            "check": "accounts", "status": "failed", "source": "default",
            "capability": "list_accounts", "observed_count": 0,
            "message": "{{any}}", "error": "{{any}}", "samples": [],
            "entitlement_types": null, "custom_attributes": null, "duration_ms": "{{any}}"})))
)]
#[case::an_unknown_check_is_a_bad_request(
    authed(wire::CapabilityName::ProbeIntegration)
        .payload(json!({"checks": ["everything"]}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.checks[0]")
)]
fn probe_integration(#[case] case: impl Into<Case>) {
    check(case);
}
