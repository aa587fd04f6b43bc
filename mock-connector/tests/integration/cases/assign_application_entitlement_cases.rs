//! `assign_application_entitlement` (protocol 4): `PUT /api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}`; already held is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, check4, of4, uid, written};

type Write = marker::AssignApplicationEntitlement;

fn request() -> wire::AssignApplicationEntitlement {
    wire::AssignApplicationEntitlement {
        application_instance_id: "app-01".to_owned(),
        account_integration_specific_id: uid(1),
        resource_integration_specific_id: "ws-01".to_owned(),
        resource_type: "workspace".to_owned(),
        entitlement_type: "workspace_admin".to_owned(),
        entitlement_integration_specific_id: "admin".to_owned(),
    }
}

fn call() -> HttpMockBuilder {
    HttpMock::put("/api/apps/app-01/resources/ws-01/entitlements/admin/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"changed": true, "granted": true})),
    &wire::AssignedApplicationEntitlement { assigned: true },
    &Effect::Created,
    true,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"changed": false, "granted": true})),
    &wire::AssignedApplicationEntitlement { assigned: false },
    &NOOP,
    true,
))]
#[case::unknown_is_not_found(
    of4::<Write>(request())
        .mock(call().respond_json(404, app_error("no entitlement admin on resource ws-01")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no entitlement admin on resource ws-01")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Write>(request())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::bad_request_reaches_no_app(
    of4::<Write>(wire::AssignApplicationEntitlement { resource_type: "group".to_owned(), ..request() })
        .expect_error(ErrorCode::BadRequest)
        .message("request.resource_type: `group` is not `workspace`")
)]
fn assign_application_entitlement(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
