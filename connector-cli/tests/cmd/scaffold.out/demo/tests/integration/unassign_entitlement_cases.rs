//! `unassign_entitlement`: `DELETE /groups/{id}/members/{user_id}`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::unassigned(
    authed(CapabilityName::UnassignEntitlement)
        .payload(json!({
            "account_integration_specific_id": "u-1",
            "resource_integration_specific_id": "g-1",
            "resource_type": "group",
            "entitlement_type": "member",
            "entitlement_integration_specific_id": "member",
        }))
        .mock(route("DELETE", "/groups/g-1/members/u-1").respond_text(204, ""))
        .expect_written(json!({"unassigned": true}), "deleted")
)]
fn unassign_entitlement(#[case] case: impl Into<Case>) {
    check(case);
}
