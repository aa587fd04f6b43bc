//! `get_application_account` (protocol 4): `GET /api/apps/{app}/users/{user}`, a 404 when the
//! account is not assigned.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case4, check4, uid};

const SCOPE: CapabilityName = CapabilityName::GetApplicationAccount;

#[rstest]
#[case::reads_the_assignment(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-02", "account_id": uid(1)}))
        .mock(HttpMock::get("/api/apps/app-02/users/u-0000001").respond_json(
            200,
            json!({"app_id": "app-02", "user_id": uid(1), "status": "active"}),
        ))
        .expect_response(json!({"account_id": uid(1), "application_instance_id": "app-02",
                                "status": "ACTIVE"}))
)]
#[case::not_assigned_is_not_found(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-01", "account_id": uid(1)}))
        .mock(HttpMock::get("/api/apps/app-01/users/u-0000001").respond_json(
            404,
            app_error("user u-0000001 is not assigned to application app-01"),
        ))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("is not assigned")
)]
#[case::wrong_password_is_unauthorized(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-02", "account_id": uid(1)}))
        .mock(
            HttpMock::get("/api/apps/app-02/users/u-0000001")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::blank_account_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-02", "account_id": ""}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn get_application_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
