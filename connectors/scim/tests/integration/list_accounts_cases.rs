//! `list_accounts`: SCIM Users paged by `startIndex`/`count` in the SDK's cursor.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ENTERPRISE, account, authed, check, list, route, scim_error, user};

#[rstest]
#[case::first_page_maps_users(
    authed(CapabilityName::ListAccounts)
        .payload(json!({"custom_attributes": [format!("{ENTERPRISE}:department")]}))
        .page(None, Some(2))
        .mock(route("GET", "/Users?startIndex=1&count=2&sortBy=meta.created")
            .respond_json(200, list(3, 1, vec![user("u1", true), user("u2", false)])))
        .expect_items_and_next_page(
            json!([
                account("u1", true, json!({format!("{ENTERPRISE}:department"): "R&D"})),
                account("u2", false, json!({format!("{ENTERPRISE}:department"): "R&D"})),
            ]),
            Some(2),
        )
)]
#[case::last_page(
    authed(CapabilityName::ListAccounts)
        .page(None, Some(5))
        .mock(route("GET", "/Users?startIndex=1&count=5&sortBy=meta.created")
            .respond_json(200, list(1, 1, vec![user("u1", true)])))
        .expect_items(json!([account("u1", true, json!(null))]))
)]
#[case::bad_filter_is_a_bad_request(
    authed(CapabilityName::ListAccounts)
        .page(None, Some(5))
        .mock(route("GET", "/Users?startIndex=1&count=5&sortBy=meta.created")
            .respond_json(400, scim_error(400, Some("invalidFilter"), "bad filter")))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
        .message("SCIM error 400 (invalidFilter): bad filter")
)]
fn list_accounts(#[case] case: impl Into<Case>) {
    check(case);
}
