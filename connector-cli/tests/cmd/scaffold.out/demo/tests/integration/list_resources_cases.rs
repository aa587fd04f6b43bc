//! `list_resources`: the app's groups, from `GET /groups`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, page_token, route};

#[rstest]
#[case::first_page(
    authed(CapabilityName::ListResources)
        .page(None, Some(1))
        .mock(route("GET", "/groups?limit=1").respond_json(
            200,
            json!({"items": [{"id": "g-1", "name": "Admins"}], "next_cursor": "c-2"}),
        ))
        .expect_success_and_next_page(
            json!([{"integration_specific_id": "g-1", "label": "Admins",
                    "resource_type": "group", "extra_data": null}]),
            Some(1),
        )
)]
#[case::last_page(
    authed(CapabilityName::ListResources)
        .page(Some(&page_token(CapabilityName::ListResources, "c-2")), Some(1))
        .mock(route("GET", "/groups?limit=1&cursor=c-2").respond_json(200, json!({"items": []})))
        .expect_success(json!([]))
)]
fn list_resources(#[case] case: impl Into<Case>) {
    check(case);
}
