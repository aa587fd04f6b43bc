//! `find_entitlement_associations`: every group's members, then every role's, with a nested
//! page token (the group or role, then the last member listed).

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

use super::{
    app_admin_role, app_error, app_group, app_page, case, gid, page_token, tampered_token,
    throttled, throttled_once, uid,
};

const SCOPE: &str = "find_entitlement_associations";

fn in_group(n: usize, group: usize) -> Value {
    json!({"account_id": uid(n), "integration_specific_entitlement_id": "member",
           "integration_specific_resource_id": gid(group)})
}

fn admin(n: usize) -> Value {
    json!({"account_id": uid(n), "integration_specific_entitlement_id": "admin",
           "integration_specific_resource_id": ""})
}

fn members(ids: &[usize], next: Option<usize>) -> Value {
    json!({"members": ids.iter().map(|&n| uid(n)).collect::<Vec<_>>(), "next": next.map(uid)})
}

/// The token of a page that stopped in `container` after `member`.
fn cursor(kind: &str, container: &str, member: Option<usize>) -> String {
    page_token(
        SCOPE,
        &[
            json!({"kind": kind, "id": container}),
            json!({"after": member.map(uid)}),
        ],
    )
}

pub(crate) fn first_page_spans_groups() -> Case {
    case(SCOPE)
        .page(None, Some(3))
        .mock(
            HttpMock::get("/api/groups?limit=1")
                .respond_json(200, app_page("groups", vec![app_group(1)], Some(&gid(1)))),
        )
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=3")
                .respond_json(200, members(&[1, 2], None)),
        )
        .mock(
            HttpMock::get("/api/groups?limit=1&after=g-001")
                .respond_json(200, app_page("groups", vec![app_group(2)], Some(&gid(2)))),
        )
        .mock(
            HttpMock::get("/api/groups/g-002/members?limit=1")
                .respond_json(200, members(&[3], Some(3))),
        )
        .expect_items_and_next_page(
            json!([in_group(1, 1), in_group(2, 1), in_group(3, 2)]),
            Some(3),
        )
}

pub(crate) fn middle_page_resumes_inside_a_group() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-002", Some(3))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-002/members?limit=2&after=u-0000003")
                .respond_json(200, members(&[4, 5], Some(5))),
        )
        .expect_items_and_next_page(json!([in_group(4, 2), in_group(5, 2)]), Some(2))
}

pub(crate) fn last_page_reaches_the_admin_role() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-002", Some(5))), Some(5))
        .mock(
            HttpMock::get("/api/groups/g-002/members?limit=5&after=u-0000005")
                .respond_json(200, members(&[6], None)),
        )
        .mock(
            HttpMock::get("/api/groups?limit=1&after=g-002")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=1")
                .respond_json(200, app_page("roles", vec![app_admin_role()], None)),
        )
        .mock(
            HttpMock::get("/api/roles/admin/members?limit=4")
                .respond_json(200, members(&[1], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=1&after=admin")
                .respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([in_group(6, 2), admin(1)]))
}

pub(crate) fn page_full_at_the_end_of_a_group() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-001", None)), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=2")
                .respond_json(200, members(&[1, 2], None)),
        )
        .mock(
            HttpMock::get("/api/groups?limit=1&after=g-001")
                .respond_json(200, app_page("groups", vec![app_group(2)], Some(&gid(2)))),
        )
        .expect_items_and_next_page(json!([in_group(1, 1), in_group(2, 1)]), Some(2))
}

pub(crate) fn empty_app() -> Case {
    case(SCOPE)
        .mock(
            HttpMock::get("/api/groups?limit=1")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=1").respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([]))
}

pub(crate) fn vanished_group_is_not_found() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-009", None)), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-009/members?limit=2")
                .respond_json(404, app_error("no group g-009")),
        )
        .expect_error("not_found")
        .with_status(404)
        .with_message("no group g-009")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case(SCOPE)
        .page(Some(&cursor("role", "admin", None)), Some(2))
        .mock(throttled_once(
            HttpMock::get("/api/roles/admin/members?limit=2"),
            200,
            members(&[1], None),
        ))
        .mock(
            HttpMock::get("/api/roles?limit=1&after=admin")
                .respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([admin(1)]))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case(SCOPE)
        .mock(throttled(HttpMock::get("/api/groups?limit=1")))
        .expect_error("rate_limit")
        .with_status(429)
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-001", Some(2))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=2&after=u-0000002")
                .respond_json(500, app_error("boom")),
        )
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn tampered_token_is_refused() -> Case {
    case(SCOPE)
        .page(Some(&tampered_token(SCOPE)), None)
        .expect_error("invalid_page_token")
}

pub(crate) fn token_without_the_outer_cursor_is_refused() -> Case {
    case(SCOPE)
        .page(Some(&page_token(SCOPE, &[json!({"after": null})])), None)
        .expect_error("invalid_page_token")
}

pub(crate) fn token_of_another_listing_is_refused() -> Case {
    case(SCOPE)
        .page(
            Some(&page_token(
                "list_entitlements",
                &[json!({"kind": "group", "after": null})],
            )),
            None,
        )
        .expect_error("invalid_page_token")
        .with_message("belongs to another listing")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(SCOPE, json!({}))
}

pub(crate) fn app_repeating_its_cursor_is_an_invalid_response() -> Case {
    case(SCOPE)
        .page(Some(&cursor("group", "g-001", Some(2))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=2&after=u-0000002")
                .respond_json(200, members(&[], Some(2))),
        )
        .expect_error("invalid_response")
        .with_message("handed out a cursor it had already handed out")
}
