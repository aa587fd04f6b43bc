//! `find_entitlement_associations`: each group's user members; nested groups are skipped.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, list, route};

#[rstest]
#[case::user_members_of_every_group(
    authed(CapabilityName::FindEntitlementAssociations)
        .page(None, Some(10))
        .mock(route("GET", "/Groups?startIndex=1&count=1&sortBy=meta.created&attributes=id%2Cmembers")
            .respond_json(200, list(2, 1, vec![json!({"id": "g1", "members": [
                {"value": "u1", "type": "User"},
                {"value": "g9", "type": "Group"},
                {"value": "u2", "$ref": "https://x/Users/u2"},
            ]})])))
        .mock(route("GET", "/Groups?startIndex=2&count=1&sortBy=meta.created&attributes=id%2Cmembers")
            .respond_json(200, list(2, 2, vec![json!({"id": "g2", "members": [{"value": "u1"}]})])))
        .expect_items(json!([
            {"account_id": "u1", "integration_specific_entitlement_id": "member", "integration_specific_resource_id": "g1"},
            {"account_id": "u2", "integration_specific_entitlement_id": "member", "integration_specific_resource_id": "g1"},
            {"account_id": "u1", "integration_specific_entitlement_id": "member", "integration_specific_resource_id": "g2"},
        ]))
)]
fn find_entitlement_associations(#[case] case: impl Into<Case>) {
    check(case);
}
