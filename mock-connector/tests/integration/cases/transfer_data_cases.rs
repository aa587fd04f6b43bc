//! `transfer_data` (protocol 4): `POST /api/users/{id}/transfer`: the target becomes the owner of the source's data; already so is a no-op.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_user, case4, check4, uid, write_envelope};

const SCOPE: CapabilityName = CapabilityName::TransferData;

fn payload() -> Value {
    json!({"source_account_id": uid(2), "target_account_id": uid(1)})
}

fn call() -> HttpMockBuilder {
    HttpMock::post("/api/users/u-0000002/transfer").expect_body(json!({"to": uid(1)}))
}

#[rstest]
#[case::changes_the_app(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"user": app_user(2, "active"), "changed": true})))
        .expect_envelope(write_envelope(&payload(), json!({"success": true, "reason": null}), "updated", false))
)]
#[case::nothing_to_change_is_a_noop(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"user": app_user(2, "active"), "changed": false})))
        .expect_envelope(write_envelope(&payload(), json!({"success": false, "reason": "the data of u-0000002 already belongs to u-0000001"}), "noop", false))
)]
#[case::unknown_is_not_found(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(404, app_error("no user u-0000002")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000002")
)]
#[case::wrong_password_is_unauthorized(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::bad_request_reaches_no_app(
    case4(SCOPE)
        .payload(json!({"source_account_id": uid(2), "target_account_id": " "}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.target_account_id must not be empty")
)]
fn transfer_data(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
