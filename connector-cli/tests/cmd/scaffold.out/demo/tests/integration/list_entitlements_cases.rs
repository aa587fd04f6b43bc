//! `list_entitlements`: one "member" entitlement per group of `GET /groups`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::one_per_group(
    authed(CapabilityName::ListEntitlements)
        .mock(route("GET", "/groups?limit=100").respond_json(
            200,
            json!({"items": [{"id": "g-1", "name": "Admins"}], "next_cursor": null}),
        ))
        .expect_success(json!([{
            "entitlement_type": "member",
            "extra_data": null,
            "integration_specific_id": "member",
            "integration_specific_resource_id": "g-1",
            "is_assignable": true,
            "label": "Member of Admins",
        }]))
)]
fn list_entitlements(#[case] case: impl Into<Case>) {
    check(case);
}
