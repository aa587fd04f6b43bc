//! `find_entitlement_associations`: every group's members, then every role's, with a nested
//! page token (the group or role, then the last member listed).

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{
    app_admin_role, app_error, app_group, app_page, case, gid, harness, page_token, tampered_token,
    throttled, throttled_once, token_auth, uid,
};

const SCOPE: CapabilityName = CapabilityName::FindEntitlementAssociations;

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
        &json!({"container": {"kind": kind, "id": container}, "member": {"after": member.map(uid)}}),
    )
}

#[rstest]
#[case::first_page_spans_groups(
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
)]
#[case::middle_page_resumes_inside_a_group(
    case(SCOPE)
        .page(Some(&cursor("group", "g-002", Some(3))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-002/members?limit=2&after=u-0000003")
                .respond_json(200, members(&[4, 5], Some(5))),
        )
        .expect_items_and_next_page(json!([in_group(4, 2), in_group(5, 2)]), Some(2))
)]
#[case::last_page_reaches_the_admin_role(
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
)]
#[case::page_full_at_the_end_of_a_group(
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
)]
#[case::empty_app(
    case(SCOPE)
        .mock(
            HttpMock::get("/api/groups?limit=1")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=1").respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([]))
)]
#[case::vanished_group_is_not_found(
    case(SCOPE)
        .page(Some(&cursor("group", "g-009", None)), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-009/members?limit=2")
                .respond_json(404, app_error("no group g-009")),
        )
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no group g-009")
)]
#[case::rate_limit_is_retried(
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
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .mock(throttled(HttpMock::get("/api/groups?limit=1")))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::server_error(
    case(SCOPE)
        .page(Some(&cursor("group", "g-001", Some(2))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=2&after=u-0000002")
                .respond_json(500, app_error("boom")),
        )
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::tampered_token_is_refused(
    case(SCOPE)
        .page(Some(&tampered_token(SCOPE)), None)
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::token_without_the_outer_cursor_is_refused(
    case(SCOPE)
        .page(Some(&page_token(SCOPE, &json!({"member": {"after": null}}))), None)
        .expect_error(ErrorCode::InvalidPageToken)
        .message("unexpected cursor")
)]
#[case::token_of_another_listing_is_refused(
    case(SCOPE)
        .page(
            Some(&page_token(
                CapabilityName::ListEntitlements,
                &json!({"kind": "group", "after": null}),
            )),
            None,
        )
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::token_auth_is_refused(
    token_auth(SCOPE, json!({}))
)]
#[case::app_repeating_its_cursor_is_an_invalid_response(
    case(SCOPE)
        .page(Some(&cursor("group", "g-001", Some(2))), Some(2))
        .mock(
            HttpMock::get("/api/groups/g-001/members?limit=2&after=u-0000002")
                .respond_json(200, members(&[], Some(2))),
        )
        .expect_error(ErrorCode::InvalidResponse)
        .message("handed out a cursor it had already handed out")
)]
fn find_entitlement_associations(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
