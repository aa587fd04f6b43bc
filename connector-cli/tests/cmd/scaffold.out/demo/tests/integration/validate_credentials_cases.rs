//! `validate_credentials`: `GET /me` names the tenant.

use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route};

#[rstest]
#[case::valid(
    authed("validate_credentials")
        .mock(route("GET", "/me").respond_json(200, json!({"tenant_id": "tenant-1"})))
        .expect_response(json!({"valid": true, "unique_tenant_id": "tenant-1"}))
)]
#[case::rejected(
    authed("validate_credentials")
        .mock(route("GET", "/me").respond_json(401, json!({"message": "invalid credential"})))
        .expect_error("unauthorized")
        .with_status(401)
        .with_message("invalid credential")
)]
#[case::missing_credential(
    Case::new("validate_credentials")
        .expect_error("bad_request")
        .with_message("Missing auth in request")
)]
fn validate_credentials(#[case] case: Case) {
    check(case);
}
