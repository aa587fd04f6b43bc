//! `list_accounts`: paging through `GET /users`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, account, authed, check, page_token, route, user};

#[rstest]
#[case::first_page(
    authed(CapabilityName::ListAccounts)
        .page(None, Some(2))
        .mock(route("GET", "/users?limit=2").respond_json(
            200,
            json!({"items": [user("u-1"), user("u-2")], "next_cursor": "c-2"}),
        ))
        .expect_success_and_next_page(json!([account("u-1"), account("u-2")]), Some(2))
)]
#[case::last_page(
    authed(CapabilityName::ListAccounts)
        .page(Some(&page_token(CapabilityName::ListAccounts, "c-2")), Some(2))
        .mock(route("GET", "/users?limit=2&cursor=c-2").respond_json(
            200,
            json!({"items": [user("u-3")], "next_cursor": null}),
        ))
        .expect_success(json!([account("u-3")]))
)]
#[case::default_page_size(
    authed(CapabilityName::ListAccounts)
        .mock(route("GET", "/users?limit=100").respond_json(200, json!({"items": []})))
        .expect_success(json!([]))
)]
#[case::foreign_page_token(
    authed(CapabilityName::ListAccounts)
        .page(Some(&page_token(CapabilityName::ListResources, "c-2")), None)
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::forbidden(
    authed(CapabilityName::ListAccounts)
        .mock(route("GET", "/users?limit=100").respond_json(403, json!({"message": "admins only"})))
        .expect_error(ErrorCode::PermissionDenied)
        .status(403)
)]
fn list_accounts(#[case] case: impl Into<Case>) {
    check(case);
}
