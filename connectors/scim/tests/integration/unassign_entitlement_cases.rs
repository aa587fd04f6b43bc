//! `unassign_entitlement`: PATCH the group's `members` (remove by value filter).

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route};

#[rstest]
#[case::removed(
    authed(CapabilityName::UnassignEntitlement)
        .payload(json!({
            "account_integration_specific_id": "u1", "resource_integration_specific_id": "g1",
            "resource_type": "group", "entitlement_type": "member", "entitlement_integration_specific_id": "member",
        }))
        .mock(route("PATCH", "/Groups/g1").expect_body(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "remove", "path": "members[value eq \"u1\"]"}],
        })).respond_text(204, ""))
        .expect_response(json!({"unassigned": true}))
)]
fn unassign_entitlement(#[case] case: impl Into<Case>) {
    check(case);
}
