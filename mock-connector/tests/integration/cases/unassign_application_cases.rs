//! `unassign_application` (protocol 4): `DELETE /api/apps/{app}/users/{user}` (the app revokes the entitlements inside too); not assigned is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, check4, of4, uid, written};

type Write = marker::UnassignApplication;

fn request() -> wire::UnassignApplication {
    wire::UnassignApplication {
        application_instance_id: "app-01".to_owned(),
        account_id: uid(1),
    }
}

fn call() -> HttpMockBuilder {
    HttpMock::delete("/api/apps/app-01/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": false, "changed": true})),
    &wire::UnassignedApplication { unassigned: true, deprovisioned: true, status: wire::AccountStatus::Deprovisioned },
    &Effect::Deleted,
    true,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"app_id": "app-01", "user_id": uid(1), "status": "active", "assigned": false, "changed": false})),
    &wire::UnassignedApplication { unassigned: false, deprovisioned: false, status: wire::AccountStatus::Deprovisioned },
    &NOOP,
    true,
))]
#[case::unknown_is_not_found(
    of4::<Write>(request())
        .mock(call().respond_json(404, app_error("no user u-0000001")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000001")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Write>(request())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::bad_request_reaches_no_app(
    of4::<Write>(wire::UnassignApplication { application_instance_id: String::new(), ..request() })
        .expect_error(ErrorCode::BadRequest)
        .message("request.application_instance_id must not be empty")
)]
fn unassign_application(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
