//! `list_accounts`: paging through `GET /users`.

use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{account, authed, check, page_token, route, user};

#[rstest]
#[case::first_page(
    authed("list_accounts")
        .page(None, Some(2))
        .mock(route("GET", "/users?limit=2").respond_json(
            200,
            json!({"items": [user("u-1"), user("u-2")], "next_cursor": "c-2"}),
        ))
        .expect_items_and_next_page(json!([account("u-1"), account("u-2")]), Some(2))
)]
#[case::last_page(
    authed("list_accounts")
        .page(Some(&page_token("list_accounts", "c-2")), Some(2))
        .mock(route("GET", "/users?limit=2&cursor=c-2").respond_json(
            200,
            json!({"items": [user("u-3")], "next_cursor": null}),
        ))
        .expect_items(json!([account("u-3")]))
)]
#[case::default_page_size(
    authed("list_accounts")
        .mock(route("GET", "/users?limit=100").respond_json(200, json!({"items": []})))
        .expect_items(json!([]))
)]
#[case::foreign_page_token(
    authed("list_accounts")
        .page(Some(&page_token("list_resources", "c-2")), None)
        .expect_error("invalid_page_token")
)]
#[case::forbidden(
    authed("list_accounts")
        .mock(route("GET", "/users?limit=100").respond_json(403, json!({"message": "admins only"})))
        .expect_error("permission_denied")
        .with_status(403)
)]
fn list_accounts(#[case] case: Case) {
    check(case);
}
