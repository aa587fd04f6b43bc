//! `probe_integration` (protocol 4), run by the SDK over the connector's own listings with a
//! page of 10: each check passed, failed, unsupported or skipped, samples masked.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode, ProbeCheckName};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{BASIC, app_error, app_page, app_user, harness};

fn probe(
    checks: Option<Vec<ProbeCheckName>>,
) -> connector_testkit::TypedCase<marker::ProbeIntegration> {
    Case::of::<marker::ProbeIntegration>(wire::ProbeIntegration {
        checks,
        custom_attributes: None,
    })
    .basic("foo", "bar")
}

/// A 401 as protocol 4 tells it: status, URL and the app's body.
const UPSTREAM_401: &str =
    "[401][{{base_url}}/api/users] {'error': {'message': 'invalid credentials'}}";

fn skipped(check: &str) -> Value {
    json!({"check": check, "status": "skipped", "source": "default", "capability": null,
           "observed_count": 0, "message": "Not requested in this run.", "error": null,
           "samples": [], "entitlement_types": null, "custom_attributes": null,
           "duration_ms": null})
}

fn users(status: u16, body: Value) -> HttpMock {
    HttpMock::get("/api/users?limit=10")
        .expect_header("authorization", BASIC)
        .respond_json(status, body)
}

#[rstest]
#[case::accounts_pass_with_masked_samples(
    probe(Some(vec![ProbeCheckName::Accounts]))
        .mock(users(200, app_page("users", vec![app_user(1, "active"), app_user(2, "suspended")], None)))
        .expect_response_like(json!({
            "status": "passed",
            "checks": [
                {"check": "accounts", "status": "passed", "source": "default",
                 "capability": "list_accounts", "observed_count": 2,
                 "message": "Fetched 2 account(s).", "error": null,
                 "samples": [
                    {"kind": "account", "integration_specific_id": "u-0000001",
                     "email": "u***@example.com", "username": "u***", "user_status": "ACTIVE",
                     "custom_attributes": null},
                    {"kind": "account", "integration_specific_id": "u-0000002",
                     "email": "u***@example.com", "username": "u***", "user_status": "SUSPENDED",
                     "custom_attributes": null}],
                 "entitlement_types": null, "custom_attributes": null, "duration_ms": "{{any}}"},
                skipped("entitlements"),
                skipped("entitlement_associations"),
            ],
            "duration_ms": "{{any}}",
        }))
)]
#[case::an_app_failure_fails_the_check_not_the_call(
    probe(Some(vec![ProbeCheckName::Accounts]))
        .mock(users(401, app_error("invalid credentials")))
        .expect_response_like(json!({
            "status": "failed",
            "checks": [
                {"check": "accounts", "status": "failed", "source": "default",
                 "capability": "list_accounts", "observed_count": 0,
                 "message": UPSTREAM_401, "error": {
                    "message": UPSTREAM_401, "status_code": 401,
                    "app_error_code": null, "error_code": "unauthorized",
                    "app_id": "mock-connector", "raised_by": "HTTPStatusError",
                    "raised_in": "mock_connector.connector:list_accounts",
                    "error_metadata": {"fault": "upstream", "category": "authentication",
                        "hint": null, "retryable": false, "throttled": false,
                        "refreshable": true, "retry_after_seconds": null}},
                 "samples": [], "entitlement_types": null, "custom_attributes": null,
                 "duration_ms": "{{any}}"},
                skipped("entitlements"),
                skipped("entitlement_associations"),
            ],
            "duration_ms": "{{any}}",
        }))
)]
#[case::an_unknown_check_is_a_bad_request(
    Case::new(wire::CapabilityName::ProbeIntegration)
        .basic("foo", "bar")
        .payload(json!({"checks": ["everything"]}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.checks[0]")
)]
#[case::a_probe_without_a_credential_is_refused(
    Case::new(wire::CapabilityName::ProbeIntegration)
        .payload(json!({"checks": ["accounts"]}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing auth/credentials in request")
)]
fn probe_integration(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
