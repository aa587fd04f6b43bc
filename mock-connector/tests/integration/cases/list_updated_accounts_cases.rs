//! `list_updated_accounts` (protocol 4): `GET /api/users?updated_since&limit&after`; the app's
//! cursor travels in the answer's own `cursor` (a page token of this listing), not the envelope's
//! page.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{
    account, app_error, app_page, app_user, case4, check4, page_token, tampered_token, uid,
};

const SCOPE: CapabilityName = CapabilityName::ListUpdatedAccounts;
const SINCE: &str = "2025-01-01T00:00:00Z";

#[rstest]
#[case::first_page_hands_out_a_cursor(
    case4(SCOPE)
        .payload(json!({"since": SINCE}))
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=2").respond_json(
                200,
                app_page("users", vec![app_user(4, "active"), app_user(9, "suspended")], Some(&uid(9))),
            ),
        )
        .expect_response(json!({"accounts": [account(4, "ACTIVE"), account(9, "SUSPENDED")],
                                "cursor": "{{any}}"}))
)]
#[case::the_cursor_continues(
    case4(SCOPE)
        .payload(json!({"since": SINCE, "cursor": page_token(SCOPE, &[uid(9)])}))
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=2&after=u-0000009")
                .respond_json(200, app_page("users", vec![app_user(12, "active")], None)),
        )
        .expect_response(json!({"accounts": [account(12, "ACTIVE")], "cursor": null}))
)]
#[case::nothing_changed(
    case4(SCOPE)
        .payload(json!({"since": SINCE}))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=100")
                .respond_json(200, app_page("users", vec![], None)),
        )
        .expect_response(json!({"accounts": [], "cursor": null}))
)]
#[case::unreadable_since_is_refused_by_the_app(
    case4(SCOPE)
        .payload(json!({"since": "yesterday"}))
        .mock(HttpMock::get("/api/users?updated_since=yesterday&limit=100").respond_json(
            400,
            app_error("updated_since: \"yesterday\" is not an RFC 3339 timestamp"),
        ))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
        .message("updated_since")
)]
#[case::tampered_cursor_is_refused(
    case4(SCOPE)
        .payload(json!({"since": SINCE, "cursor": tampered_token(SCOPE)}))
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::cursor_of_another_listing_is_refused(
    case4(SCOPE)
        .payload(json!({"since": SINCE, "cursor": page_token(CapabilityName::ListAccounts, &[uid(9)])}))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
fn list_updated_accounts(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
