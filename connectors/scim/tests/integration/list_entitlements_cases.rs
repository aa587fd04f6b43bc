//! `list_entitlements`: one `member` entitlement per SCIM group.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, list, route};

#[rstest]
#[case::one_member_entitlement_per_group(
    authed(CapabilityName::ListEntitlements)
        .page(None, Some(1))
        .mock(route("GET", "/Groups?startIndex=1&count=1&sortBy=meta.created&attributes=id%2CdisplayName")
            .respond_json(200, list(2, 1, vec![json!({"id": "g1", "displayName": "Admins"})])))
        .expect_items_and_next_page(
            json!([{
                "entitlement_type": "member", "extra_data": null,
                "integration_specific_id": "member", "integration_specific_resource_id": "g1",
                "is_assignable": true, "label": "Member of Admins",
            }]),
            Some(1),
        )
)]
fn list_entitlements(#[case] case: impl Into<Case>) {
    check(case);
}
