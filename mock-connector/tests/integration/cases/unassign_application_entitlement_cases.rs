//! `unassign_application_entitlement` (protocol 4): `DELETE /api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}`; not held is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, check4, of4, uid, written};

type Write = marker::UnassignApplicationEntitlement;

fn request() -> wire::UnassignApplicationEntitlement {
    wire::UnassignApplicationEntitlement {
        application_instance_id: "app-01".to_owned(),
        account_integration_specific_id: uid(1),
        resource_type: "workspace".to_owned(),
        resource_integration_specific_id: "ws-01".to_owned(),
        entitlement_type: "workspace_admin".to_owned(),
        entitlement_integration_specific_id: "admin".to_owned(),
    }
}

fn call() -> HttpMockBuilder {
    HttpMock::delete("/api/apps/app-01/resources/ws-01/entitlements/admin/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"changed": true, "granted": false})),
    &wire::UnassignedApplicationEntitlement { unassigned: true },
    &Effect::Deleted,
    true,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"changed": false, "granted": false})),
    &wire::UnassignedApplicationEntitlement { unassigned: false },
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
    of4::<Write>(wire::UnassignApplicationEntitlement { entitlement_type: "workspace_member".to_owned(), ..request() })
        .expect_error(ErrorCode::BadRequest)
        .message("`workspace_member` is not the type of entitlement `admin`")
)]
fn unassign_application_entitlement(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
