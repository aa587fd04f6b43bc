//! `validate_credentials`: `GET /me` names the tenant.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::valid(
    authed(CapabilityName::ValidateCredentials)
        .mock(route("GET", "/me").respond_json(200, json!({"tenant_id": "tenant-1"})))
        .expect_success(json!({"valid": true, "unique_tenant_id": "tenant-1"}))
)]
#[case::rejected(
    authed(CapabilityName::ValidateCredentials)
        .mock(route("GET", "/me").respond_json(401, json!({"message": "invalid credential"})))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
        .message("invalid credential")
)]
#[case::missing_credential(
    Case::new(CapabilityName::ValidateCredentials)
        .expect_error(ErrorCode::BadRequest)
        .message("Missing auth/credentials in request")
)]
fn validate_credentials(#[case] case: impl Into<Case>) {
    check(case);
}
