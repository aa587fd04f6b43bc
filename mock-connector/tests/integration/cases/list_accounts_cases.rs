//! `list_accounts`: `GET /api/users?limit&after`, the cursor in a page token.

use connector_testkit::{Case, HttpMock};
use serde_json::json;

use super::{
    BASIC, USER_AGENT, account, app_error, app_page, app_user, case, page_token, tampered_token,
    throttled, throttled_once, uid,
};

fn after(n: usize) -> String {
    page_token("list_accounts", &[uid(n)])
}

pub(crate) fn first_page() -> Case {
    case("list_accounts")
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?limit=2")
                .expect_header("authorization", BASIC)
                .expect_header("user-agent", USER_AGENT)
                .respond_json(
                    200,
                    app_page(
                        "users",
                        vec![app_user(1, "active"), app_user(2, "suspended")],
                        Some(&uid(2)),
                    ),
                ),
        )
        .expect_items_and_next_page(
            json!([account(1, "ACTIVE"), account(2, "SUSPENDED")]),
            Some(2),
        )
}

pub(crate) fn middle_page() -> Case {
    case("list_accounts")
        .page(Some(&after(2)), Some(2))
        .mock(
            HttpMock::get("/api/users?limit=2&after=u-0000002").respond_json(
                200,
                app_page(
                    "users",
                    vec![app_user(3, "active"), app_user(4, "active")],
                    Some(&uid(4)),
                ),
            ),
        )
        .expect_items_and_next_page(json!([account(3, "ACTIVE"), account(4, "ACTIVE")]), Some(2))
}

pub(crate) fn last_page() -> Case {
    case("list_accounts")
        .page(Some(&after(4)), Some(2))
        .mock(
            HttpMock::get("/api/users?limit=2&after=u-0000004")
                .respond_json(200, app_page("users", vec![app_user(5, "other")], None)),
        )
        .expect_items(json!([account(5, "INACTIVE")]))
}

pub(crate) fn default_page_size() -> Case {
    case("list_accounts")
        .mock(
            HttpMock::get("/api/users?limit=100")
                .respond_json(200, app_page("users", vec![app_user(1, "active")], None)),
        )
        .expect_items(json!([account(1, "ACTIVE")]))
}

pub(crate) fn oversized_page_is_capped() -> Case {
    case("list_accounts")
        .page(None, Some(5_000))
        .mock(
            HttpMock::get("/api/users?limit=1000")
                .respond_json(200, app_page("users", vec![], None)),
        )
        .expect_items(json!([]))
}

pub(crate) fn custom_attributes_when_asked() -> Case {
    let mut manager = app_user(2, "active");
    manager["manager"] = json!(uid(1));
    let mut expected = account(2, "ACTIVE");
    expected["custom_attributes"] = json!({"department": "Sales", "manager": uid(1)});
    let mut first = account(1, "ACTIVE");
    first["custom_attributes"] = json!({"department": "Sales"});
    case("list_accounts")
        .payload(json!({"custom_attributes": ["department", "manager", "no_such_attribute"]}))
        .mock(HttpMock::get("/api/users?limit=100").respond_json(
            200,
            app_page("users", vec![app_user(1, "active"), manager], None),
        ))
        .expect_items(json!([first, expected]))
}

pub(crate) fn not_found() -> Case {
    case("list_accounts")
        .mock(HttpMock::get("/api/users?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error("not_found")
        .with_status(404)
        .with_message("no such tenant")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case("list_accounts")
        .mock(throttled_once(
            HttpMock::get("/api/users?limit=100"),
            200,
            app_page("users", vec![app_user(1, "active")], None),
        ))
        .expect_items(json!([account(1, "ACTIVE")]))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case("list_accounts")
        .mock(throttled(HttpMock::get("/api/users?limit=100")))
        .expect_error("rate_limit")
        .with_status(429)
        .with_message("after 3 retries")
}

pub(crate) fn server_error() -> Case {
    case("list_accounts")
        .mock(HttpMock::get("/api/users?limit=100").respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
        .with_message("boom")
}

pub(crate) fn unreadable_answer() -> Case {
    case("list_accounts")
        .mock(HttpMock::get("/api/users?limit=100").respond_text(200, "<html>maintenance</html>"))
        .expect_error("invalid_response")
        .with_message("maintenance")
}

pub(crate) fn tampered_token_is_refused() -> Case {
    case("list_accounts")
        .page(Some(&tampered_token("list_accounts")), Some(2))
        .expect_error("invalid_page_token")
}

pub(crate) fn token_of_another_listing_is_refused() -> Case {
    case("list_accounts")
        .page(Some(&page_token("list_resources", &["g-001"])), Some(2))
        .expect_error("invalid_page_token")
        .with_message("belongs to another listing")
}

pub(crate) fn wrong_password_is_unauthorized() -> Case {
    Case::new("list_accounts")
        .basic("foo", "wrong")
        .mock(
            HttpMock::get("/api/users?limit=100")
                .expect_header("authorization", "Basic Zm9vOndyb25n")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error("unauthorized")
        .with_status(401)
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth("list_accounts", json!({}))
}

pub(crate) fn malformed_payload_is_a_bad_request() -> Case {
    case("list_accounts")
        .payload(json!({"custom_attributes": "department"}))
        .expect_error("bad_request")
        .with_message("request.custom_attributes")
}
