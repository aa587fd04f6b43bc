//! `validate_credentials`: basic is checked locally (the seed example), an OAuth token against
//! `GET /api/me`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case, harness, throttled, throttled_once, token_auth};

fn me() -> HttpMockBuilder {
    HttpMock::get("/api/me").expect_header("authorization", "Bearer at-1")
}

#[rstest]
#[case::basic_is_checked_locally(
    case(CapabilityName::ValidateCredentials)
        .expect_response(json!({"valid": true, "unique_tenant_id": "mock-connector-tenant-id"}))
)]
#[case::oauth_token_is_checked_against_the_app(
    Case::new(CapabilityName::ValidateCredentials)
        .oauth("at-1")
        .mock(me().respond_json(200, json!({"tenant_id": "acme"})))
        .expect_response(json!({"valid": true, "unique_tenant_id": "acme"}))
)]
#[case::revoked_oauth_token_is_unauthorized(
    Case::new(CapabilityName::ValidateCredentials)
        .oauth("at-1")
        .mock(me().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
        .message("invalid credentials")
)]
#[case::empty_password_is_unauthorized(
    Case::new(CapabilityName::ValidateCredentials)
        .basic("foo", "")
        .expect_error(ErrorCode::Unauthorized)
        .message("must not be empty")
)]
#[case::app_failure_is_an_api_error(
    Case::new(CapabilityName::ValidateCredentials)
        .oauth("at-1")
        .mock(me().respond_json(500, app_error("database on fire")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
        .message("database on fire")
)]
#[case::rate_limit_is_retried(
    Case::new(CapabilityName::ValidateCredentials)
        .oauth("at-1")
        .mock(throttled_once(me(), 200, json!({"tenant_id": "acme"})))
        .expect_response(json!({"valid": true, "unique_tenant_id": "acme"}))
)]
#[case::rate_limit_after_retries(
    Case::new(CapabilityName::ValidateCredentials)
        .oauth("at-1")
        .mock(throttled(me()))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
        .message("after 3 retries")
)]
#[case::token_auth_is_refused(
    token_auth(CapabilityName::ValidateCredentials, json!({}))
)]
#[case::invalid_settings_are_a_bad_request(
    case(CapabilityName::ValidateCredentials)
        .settings(json!({"host": 5}))
        .expect_error(ErrorCode::BadRequest)
        .message("settings.host: invalid type: integer")
)]
fn validate_credentials(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
