//! `assign_entitlement`: PATCH the group's `members` (add).

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route, scim_error};

fn request() -> serde_json::Value {
    json!({
        "account_integration_specific_id": "u1", "resource_integration_specific_id": "g1",
        "resource_type": "group", "entitlement_type": "member", "entitlement_integration_specific_id": "member",
    })
}

#[rstest]
#[case::added(
    authed(CapabilityName::AssignEntitlement)
        .payload(request())
        .mock(route("PATCH", "/Groups/g1").expect_body(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": "u1"}]}],
        })).respond_text(204, ""))
        .expect_response(json!({"assigned": true}))
)]
#[case::read_only_members(
    authed(CapabilityName::AssignEntitlement)
        .payload(request())
        .mock(route("PATCH", "/Groups/g1").respond_json(400, scim_error(400, Some("mutability"), "members is readOnly")))
        .expect_error(ErrorCode::InvalidValue)
        .status(400)
)]
#[case::not_a_group_entitlement(
    authed(CapabilityName::AssignEntitlement)
        .payload(json!({
            "account_integration_specific_id": "u1", "resource_integration_specific_id": "g1",
            "resource_type": "role", "entitlement_type": "admin", "entitlement_integration_specific_id": "admin",
        }))
        .expect_error(ErrorCode::BadRequest)
)]
fn assign_entitlement(#[case] case: impl Into<Case>) {
    check(case);
}
