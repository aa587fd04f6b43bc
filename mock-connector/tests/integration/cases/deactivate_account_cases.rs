//! `deactivate_account`: `POST /api/users/{id}/deactivate` (suspends the user); idempotent in the
//! app, so retried.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, app_user, case, harness, throttled, throttled_once, token_auth, uid};

const SCOPE: CapabilityName = CapabilityName::DeactivateAccount;

fn switch(n: usize) -> HttpMockBuilder {
    HttpMock::post(&format!("/api/users/{}/deactivate", uid(n)))
}

#[rstest]
#[case::switches(
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(200, app_user(10, "suspended")))
        .expect_response(json!({"status": "SUSPENDED", "deactivated": true}))
)]
#[case::unknown_account_is_not_found(
    case(SCOPE)
        .payload(json!({"account_id": uid(404)}))
        .mock(switch(404).respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::rate_limit_is_retried(
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(throttled_once(switch(10), 200, app_user(10, "suspended")))
        .expect_response(json!({"status": "SUSPENDED", "deactivated": true}))
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(throttled(switch(10)))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
        .message("after 3 retries")
)]
#[case::server_error(
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::blank_id_is_a_bad_request(
    case(SCOPE)
        .payload(json!({"account_id": "  "}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
#[case::wrong_password_is_unauthorized(
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_auth_is_refused(
    token_auth(SCOPE, json!({"account_id": uid(10)}))
)]
fn deactivate_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
