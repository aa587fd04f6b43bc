//! `assign_application` (protocol 4): `PUT /api/apps/{app}/users/{user}`; already assigned is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, check4, of4, uid, written};

type Write = marker::AssignApplication;

fn request() -> wire::AssignApplication {
    wire::AssignApplication {
        application_instance_id: "app-01".to_owned(),
        account_id: uid(1),
    }
}

fn call() -> HttpMockBuilder {
    HttpMock::put("/api/apps/app-01/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": true, "changed": true})),
    &wire::AssignedApplication { assigned: true, provisioned: true },
    &Effect::Created,
    true,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": true, "changed": false})),
    &wire::AssignedApplication { assigned: false, provisioned: false },
    &NOOP,
    true,
))]
#[case::unknown_is_not_found(
    of4::<Write>(request())
        .mock(call().respond_json(404, app_error("no application app-01")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no application app-01")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Write>(request())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::bad_request_reaches_no_app(
    of4::<Write>(wire::AssignApplication { account_id: " ".to_owned(), ..request() })
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn assign_application(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
