//! `find_entitlement_associations`: who is a member of which group, from `GET /memberships`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::memberships(
    authed(CapabilityName::FindEntitlementAssociations)
        .mock(route("GET", "/memberships?limit=100").respond_json(
            200,
            json!({"items": [{"user_id": "u-1", "group_id": "g-1"}], "next_cursor": null}),
        ))
        .expect_success(json!([{
            "account_id": "u-1",
            "integration_specific_entitlement_id": "member",
            "integration_specific_resource_id": "g-1",
        }]))
)]
fn find_entitlement_associations(#[case] case: impl Into<Case>) {
    check(case);
}
