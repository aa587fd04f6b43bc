//! `unassign_application_entitlement` (protocol 4): `DELETE /api/apps/{app}/resources/{resource}/entitlements/{entitlement}/users/{user}`; not held is a no-op.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, case4, check4, uid, write_envelope};

const SCOPE: CapabilityName = CapabilityName::UnassignApplicationEntitlement;

fn payload() -> Value {
    json!({"application_instance_id": "app-01", "account_integration_specific_id": uid(1), "resource_type": "workspace", "resource_integration_specific_id": "ws-01", "entitlement_type": "workspace_admin", "entitlement_integration_specific_id": "admin"})
}

fn call() -> HttpMockBuilder {
    HttpMock::delete("/api/apps/app-01/resources/ws-01/entitlements/admin/users/u-0000001")
}

#[rstest]
#[case::changes_the_app(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"changed": true, "granted": false})))
        .expect_envelope(write_envelope(&payload(), json!({"unassigned": true}), "deleted", true))
)]
#[case::nothing_to_change_is_a_noop(
    case4(SCOPE)
        .payload(payload())
        .mock(call().respond_json(200, json!({"changed": false, "granted": false})))
        .expect_envelope(write_envelope(&payload(), json!({"unassigned": false}), "noop", true))
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
#[case::bad_request_reaches_no_app(
    case4(SCOPE)
        .payload(json!({"application_instance_id": "app-01", "account_integration_specific_id": uid(1), "resource_type": "workspace", "resource_integration_specific_id": "ws-01", "entitlement_type": "workspace_member", "entitlement_integration_specific_id": "admin"}))
        .expect_error(ErrorCode::BadRequest)
        .message("`workspace_member` is not the type of entitlement `admin`")
)]
fn unassign_application_entitlement(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
