//! `validate_credentials`: an authenticated `GET /Users?count=1`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, list, route, scim_error};

fn call() -> connector_testkit::HttpMockBuilder {
    route(
        "GET",
        "/Users?startIndex=1&count=1&sortBy=meta.created&attributes=id",
    )
}

#[rstest]
#[case::valid(
    authed(CapabilityName::ValidateCredentials)
        .mock(call().respond_json(200, list(3, 1, vec![json!({"id": "u1"})])))
        .expect_response(json!({"valid": true, "unique_tenant_id": "{{any}}"}))
)]
#[case::rejected_token(
    authed(CapabilityName::ValidateCredentials)
        .mock(call().respond_json(401, scim_error(401, None, "invalid bearer token")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
        .message("SCIM error 401: invalid bearer token")
)]
fn validate_credentials(#[case] case: impl Into<Case>) {
    check(case);
}
