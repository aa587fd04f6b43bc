//! `get_application_account` (protocol 4): `GET /api/apps/{app}/users/{user}`, a 404 when the
//! account is not assigned.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, check4, of4, uid};

type Read = marker::GetApplicationAccount;

fn request(app: &str, account: &str) -> wire::GetApplicationAccount {
    wire::GetApplicationAccount {
        application_instance_id: app.to_owned(),
        account_id: account.to_owned(),
    }
}

#[rstest]
#[case::reads_the_assignment(
    of4::<Read>(request("app-02", &uid(1)))
        .mock(HttpMock::get("/api/apps/app-02/users/u-0000001").respond_json(
            200,
            json!({"app_id": "app-02", "user_id": uid(1), "status": "active"}),
        ))
        .expect_response(wire::ApplicationAccount {
            account_id: uid(1),
            application_instance_id: "app-02".to_owned(),
            status: wire::AccountStatus::Active,
        })
)]
#[case::not_assigned_is_not_found(
    of4::<Read>(request("app-01", &uid(1)))
        .mock(HttpMock::get("/api/apps/app-01/users/u-0000001").respond_json(
            404,
            app_error("user u-0000001 is not assigned to application app-01"),
        ))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("is not assigned")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Read>(request("app-02", &uid(1)))
        .mock(
            HttpMock::get("/api/apps/app-02/users/u-0000001")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::blank_account_is_a_bad_request(
    of4::<Read>(request("app-02", ""))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn get_application_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
