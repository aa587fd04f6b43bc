//! `list_entitlements`: one `member` entitlement per group, then the app's roles; pages are
//! filled across the two listings.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{
    app_admin_role, app_error, app_group, app_page, case, gid, harness, page_token, tampered_token,
    throttled, throttled_once, token_auth,
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
        CapabilityName::ListEntitlements,
        &json!({"kind": kind, "after": after}),
    )
}

#[rstest]
#[case::first_page(
    case(CapabilityName::ListEntitlements)
        .page(None, Some(2))
        .mock(HttpMock::get("/api/groups?limit=2").respond_json(
            200,
            app_page("groups", vec![app_group(1), app_group(2)], Some(&gid(2))),
        ))
        .expect_items_and_next_page(json!([member(1), member(2)]), Some(2))
)]
#[case::middle_page_moves_on_to_roles(
    case(CapabilityName::ListEntitlements)
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
)]
#[case::last_page_of_roles(
    case(CapabilityName::ListEntitlements)
        .page(Some(&cursor("role", Some("admin"))), Some(2))
        .mock(
            HttpMock::get("/api/roles?limit=2&after=admin")
                .respond_json(200, app_page("roles", vec![], None)),
        )
        .expect_items(json!([]))
)]
#[case::one_page_holds_everything(
    case(CapabilityName::ListEntitlements)
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(
            200,
            app_page("groups", vec![app_group(1), app_group(2)], None),
        ))
        .mock(
            HttpMock::get("/api/roles?limit=98")
                .respond_json(200, app_page("roles", vec![app_admin_role()], None)),
        )
        .expect_items(json!([member(1), member(2), admin()]))
)]
#[case::no_groups_only_roles(
    case(CapabilityName::ListEntitlements)
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(
            HttpMock::get("/api/roles?limit=100")
                .respond_json(200, app_page("roles", vec![app_admin_role()], None)),
        )
        .expect_items(json!([admin()]))
)]
#[case::not_found(
    case(CapabilityName::ListEntitlements)
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::rate_limit_is_retried(
    case(CapabilityName::ListEntitlements)
        .page(Some(&cursor("role", None)), None)
        .mock(throttled_once(
            HttpMock::get("/api/roles?limit=100"),
            200,
            app_page("roles", vec![app_admin_role()], None),
        ))
        .expect_items(json!([admin()]))
)]
#[case::rate_limit_after_retries(
    case(CapabilityName::ListEntitlements)
        .mock(throttled(HttpMock::get("/api/groups?limit=100")))
        .expect_error(ErrorCode::RateLimit)
)]
#[case::server_error(
    case(CapabilityName::ListEntitlements)
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(200, app_page("groups", vec![], None)),
        )
        .mock(HttpMock::get("/api/roles?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::tampered_token_is_refused(
    case(CapabilityName::ListEntitlements)
        .page(Some(&tampered_token(CapabilityName::ListEntitlements)), None)
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::cursor_of_another_shape_is_refused(
    case(CapabilityName::ListEntitlements)
        .page(Some(&page_token(CapabilityName::ListEntitlements, &json!([1, 2]))), None)
        .expect_error(ErrorCode::InvalidPageToken)
        .message("unexpected cursor")
)]
#[case::token_auth_is_refused(
    token_auth(CapabilityName::ListEntitlements, json!({}))
)]
#[case::app_repeating_its_cursor_is_an_invalid_response(
    case(CapabilityName::ListEntitlements)
        .page(Some(&cursor("group", Some("g-002"))), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-002")
                .respond_json(200, app_page("groups", vec![], Some("g-002"))),
        )
        .expect_error(ErrorCode::InvalidResponse)
        .message("handed out a cursor it had already handed out")
)]
fn list_entitlements(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
