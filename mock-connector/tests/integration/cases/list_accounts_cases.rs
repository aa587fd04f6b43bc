//! `list_accounts`: `GET /api/users?limit&after`, the cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{
    BASIC, USER_AGENT, account, app_error, app_page, app_user, case, harness, page_token,
    tampered_token, throttled, throttled_once, token_auth, uid,
};

fn after(n: usize) -> String {
    page_token(CapabilityName::ListAccounts, &uid(n))
}

#[rstest]
#[case::first_page(
    case(CapabilityName::ListAccounts)
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
)]
#[case::middle_page(
    case(CapabilityName::ListAccounts)
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
)]
#[case::last_page(
    case(CapabilityName::ListAccounts)
        .page(Some(&after(4)), Some(2))
        .mock(
            HttpMock::get("/api/users?limit=2&after=u-0000004")
                .respond_json(200, app_page("users", vec![app_user(5, "other")], None)),
        )
        .expect_items(json!([account(5, "INACTIVE")]))
)]
#[case::default_page_size(
    case(CapabilityName::ListAccounts)
        .mock(
            HttpMock::get("/api/users?limit=100")
                .respond_json(200, app_page("users", vec![app_user(1, "active")], None)),
        )
        .expect_items(json!([account(1, "ACTIVE")]))
)]
#[case::oversized_page_is_capped(
    case(CapabilityName::ListAccounts)
        .page(None, Some(5_000))
        .mock(
            HttpMock::get("/api/users?limit=1000")
                .respond_json(200, app_page("users", vec![], None)),
        )
        .expect_items(json!([]))
)]
#[case::custom_attributes_when_asked({
    let mut manager = app_user(2, "active");
    manager["manager"] = json!(uid(1));
    let mut expected = account(2, "ACTIVE");
    expected["custom_attributes"] = json!({"department": "Sales", "manager": uid(1)});
    let mut first = account(1, "ACTIVE");
    first["custom_attributes"] = json!({"department": "Sales"});
    case(CapabilityName::ListAccounts)
        .payload(json!({"custom_attributes": ["department", "manager", "no_such_attribute"]}))
        .mock(HttpMock::get("/api/users?limit=100").respond_json(
            200,
            app_page("users", vec![app_user(1, "active"), manager], None),
        ))
        .expect_items(json!([first, expected]))
})]
#[case::not_found(
    case(CapabilityName::ListAccounts)
        .mock(HttpMock::get("/api/users?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no such tenant")
)]
#[case::rate_limit_is_retried(
    case(CapabilityName::ListAccounts)
        .mock(throttled_once(
            HttpMock::get("/api/users?limit=100"),
            200,
            app_page("users", vec![app_user(1, "active")], None),
        ))
        .expect_items(json!([account(1, "ACTIVE")]))
)]
#[case::rate_limit_after_retries(
    case(CapabilityName::ListAccounts)
        .mock(throttled(HttpMock::get("/api/users?limit=100")))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
        .message("after 3 retries")
)]
#[case::server_error(
    case(CapabilityName::ListAccounts)
        .mock(HttpMock::get("/api/users?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
        .message("boom")
)]
#[case::unreadable_answer(
    case(CapabilityName::ListAccounts)
        .mock(HttpMock::get("/api/users?limit=100").respond_text(200, "<html>maintenance</html>"))
        .expect_error(ErrorCode::InvalidResponse)
        .message("maintenance")
)]
#[case::tampered_token_is_refused(
    case(CapabilityName::ListAccounts)
        .page(Some(&tampered_token(CapabilityName::ListAccounts)), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::token_of_another_listing_is_refused(
    case(CapabilityName::ListAccounts)
        .page(Some(&page_token(CapabilityName::ListResources, &"g-001")), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::wrong_password_is_unauthorized(
    Case::new(CapabilityName::ListAccounts)
        .basic("foo", "wrong")
        .mock(
            HttpMock::get("/api/users?limit=100")
                .expect_header("authorization", "Basic Zm9vOndyb25n")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_auth_is_refused(
    token_auth(CapabilityName::ListAccounts, json!({}))
)]
#[case::malformed_payload_is_a_bad_request(
    case(CapabilityName::ListAccounts)
        .payload(json!({"custom_attributes": "department"}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.custom_attributes")
)]
// Recorded against the mock app with `--record tests/recordings` (two pages, then a wrong
// password) and turned into rows by `connector record-case`.
#[case::recorded_first_page(Case::from_recording("tests/recordings/list_accounts-1.json"))]
#[case::recorded_second_page(Case::from_recording("tests/recordings/list_accounts-2.json"))]
#[case::recorded_wrong_password(Case::from_recording("tests/recordings/list_accounts-3.json"))]
fn list_accounts(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
