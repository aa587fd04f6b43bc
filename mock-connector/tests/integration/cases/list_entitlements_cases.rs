//! `list_entitlements`: one `member` entitlement per group, then the app's roles; pages are
//! filled across the two listings.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

use super::{
    app_admin_role, app_error, app_group, app_page, case, gid, page_token, tampered_token,
    throttled, throttled_once,
};

fn member(n: usize) -> Value {
    json!({"entitlement_type": "member", "extra_data": null, "integration_specific_id": "member",
           "integration_specific_resource_id": gid(n), "is_assignable": true,
           "label": format!("Member of {}", mock_app::group_name(n))})
}

fn admin() -> Value {
    json!({"entitlement_type": "role", "extra_data": null, "integration_specific_id": "admin",
           "integration_specific_resource_id": "", "is_assignable": true,
           "label": "Administrator"})
}

fn cursor(kind: &str, after: Option<&str>) -> String {
    page_token(
        "list_entitlements",
        &[json!({"kind": kind, "after": after})],
    )
}

pub(crate) fn first_page() -> Case {
    case("list_entitlements")
        .page(None, Some(2))
        .mock(HttpMock::get("/api/groups?limit=2").respond_json(
            200,
            app_page("groups", vec![app_group(1), app_group(2)], Some(&gid(2))),
        ))
        .expect_items_and_next_page(json!([member(1), member(2)]), Some(2))
}

pub(crate) fn middle_page_moves_on_to_roles() -> Case {
    case("list_entitlements")
        .page(Some(&cursor("group", Some("g-002"))), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-002")
                .respond_json(200, app_page("groups", vec![app_group(3)], None)),
        )
        .mock(HttpMock::get("/api/roles?limit=1").respond_json(
            200,
            app_page("roles", vec![app_admin_role()], Some("admin")),
        ))
        .expect_items_and_next_page(json!([member(3), admin()]), Some(2))
}

pub(crate) fn last_page_of_roles() -> Case {
    case("list_entitlements")
        .page(Some(&cursor("role", Some("admin"))), Some(2))
        .mock(
            HttpMock::get("/api/roles?limit=2&after=admin")
                .respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([]))
}

pub(crate) fn one_page_holds_everything() -> Case {
    case("list_entitlements")
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(
            200,
            app_page("groups", vec![app_group(1), app_group(2)], None),
        ))
        .mock(
            HttpMock::get("/api/roles?limit=98")
                .respond_json(200, app_page("roles", vec![app_admin_role()], None)),
        )
        .expect_items(json!([member(1), member(2), admin()]))
}

pub(crate) fn no_groups_only_roles() -> Case {
    case("list_entitlements")
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=100")
                .respond_json(200, app_page("roles", vec![app_admin_role()], None)),
        )
        .expect_items(json!([admin()]))
}

pub(crate) fn not_found() -> Case {
    case("list_entitlements")
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error("not_found")
        .with_status(404)
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case("list_entitlements")
        .page(Some(&cursor("role", None)), None)
        .mock(throttled_once(
            HttpMock::get("/api/roles?limit=100"),
            200,
            app_page("roles", vec![app_admin_role()], None),
        ))
        .expect_items(json!([admin()]))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case("list_entitlements")
        .mock(throttled(HttpMock::get("/api/groups?limit=100")))
        .expect_error("rate_limit")
}

pub(crate) fn server_error() -> Case {
    case("list_entitlements")
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(HttpMock::get("/api/roles?limit=100").respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn tampered_token_is_refused() -> Case {
    case("list_entitlements")
        .page(Some(&tampered_token("list_entitlements")), None)
        .expect_error("invalid_page_token")
}

pub(crate) fn empty_token_is_refused() -> Case {
    let empty: [String; 0] = [];
    case("list_entitlements")
        .page(Some(&page_token("list_entitlements", &empty)), None)
        .expect_error("invalid_page_token")
        .with_message("truncated")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth("list_entitlements", json!({}))
}

pub(crate) fn app_repeating_its_cursor_is_an_invalid_response() -> Case {
    case("list_entitlements")
        .page(Some(&cursor("group", Some("g-002"))), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-002")
                .respond_json(200, app_page("groups", vec![], Some("g-002"))),
        )
        .expect_error("invalid_response")
        .with_message("handed out a cursor it had already handed out")
}
