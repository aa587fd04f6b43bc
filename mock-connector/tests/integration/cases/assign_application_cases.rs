//! `assign_application` (protocol 4): `PUT /api/apps/{app}/users/{user}`; already assigned is a no-op.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, case4, check4, uid, write_envelope};

const SCOPE: CapabilityName = CapabilityName::AssignApplication;

fn payload() -> Value {
    json!({"application_instance_id": "app-01", "account_id": uid(1)})
}

fn call() -> HttpMockBuilder {
    HttpMock::put("/api/apps/app-01/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": true, "changed": true})))
        .expect_envelope(write_envelope(&payload(), json!({"assigned": true, "provisioned": true}), "created", true))
)]
#[case::nothing_to_change_is_a_noop(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": true, "changed": false})))
        .expect_envelope(write_envelope(&payload(), json!({"assigned": false, "provisioned": false}), "noop", true))
)]
#[case::unknown_is_not_found(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(404, app_error("no application app-01")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no application app-01")
)]
#[case::wrong_password_is_unauthorized(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::blank_id_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-01", "account_id": ""}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn assign_application(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
