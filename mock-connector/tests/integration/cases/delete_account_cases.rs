//! `delete_account`: `DELETE /api/users/{id}` (retried: deleting is idempotent).

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case, harness, throttled, token_auth, uid};

const SCOPE: CapabilityName = CapabilityName::DeleteAccount;

fn delete(n: usize) -> HttpMockBuilder {
    HttpMock::delete(&format!("/api/users/{}", uid(n)))
}

fn deleted() -> serde_json::Value {
    json!({"status": "DELETED", "deleted": true})
}

#[rstest]
#[case::deletes(
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(delete(5).respond_text(204, ""))
        .expect_response(deleted())
)]
#[case::unknown_account_is_not_found(
    case(SCOPE)
        .payload(json!({"account_id": uid(404)}))
        .mock(delete(404).respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::id_is_one_path_segment(
    case(SCOPE)
        .payload(json!({"account_id": "../groups/g-001"}))
        .mock(
            HttpMock::delete("/api/users/..%2Fgroups%2Fg-001")
                .respond_json(404, app_error("no user")),
        )
        .expect_error(ErrorCode::NotFound)
)]
#[case::rate_limit_is_retried(
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(
            delete(5)
                .respond_json(429, app_error("slow down"))
                .with_header("Retry-After", "0")
                .then_json(204, json!(null)),
        )
        .expect_response(deleted())
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(throttled(delete(5)))
        .expect_error(ErrorCode::RateLimit)
        .message("after 3 retries")
)]
#[case::server_error(
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(delete(5).respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::blank_id_is_a_bad_request(
    case(SCOPE)
        .payload(json!({"account_id": ""}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
#[case::missing_id_is_a_bad_request(
    case(SCOPE)
        .payload(json!({}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `account_id`")
)]
#[case::token_auth_is_refused(
    token_auth(SCOPE, json!({"account_id": uid(5)}))
)]
fn delete_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
