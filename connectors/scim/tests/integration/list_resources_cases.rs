//! `list_resources`: SCIM Groups (without their members).

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, list, route};

#[rstest]
#[case::groups(
    authed(CapabilityName::ListResources)
        .page(None, Some(2))
        .mock(route("GET", "/Groups?startIndex=1&count=2&sortBy=meta.created&attributes=id%2CdisplayName")
            .respond_json(200, list(2, 1, vec![json!({"id": "g1", "displayName": "Admins"}), json!({"id": "g2"})])))
        .expect_items(json!([
            {"integration_specific_id": "g1", "label": "Admins", "resource_type": "group", "extra_data": null},
            {"integration_specific_id": "g2", "label": "g2", "resource_type": "group", "extra_data": null},
        ]))
)]
fn list_resources(#[case] case: impl Into<Case>) {
    check(case);
}
