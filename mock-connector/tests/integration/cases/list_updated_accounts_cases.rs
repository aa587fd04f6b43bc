//! `list_updated_accounts` (protocol 4): `GET /api/users?updated_since&limit&after`; the app's
//! cursor travels in the answer's own `cursor`, not the envelope's page.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::Value;

use super::{account, app_error, app_page, app_user, check4, of4, uid};

const SINCE: &str = "2025-01-01T00:00:00Z";

type Read = marker::ListUpdatedAccounts;

/// The cursor the listing hands out after user `n`.
fn after(n: usize) -> String {
    connector_sdk::pagination::cursor_token(wire::CapabilityName::ListUpdatedAccounts, &uid(n))
}

/// Changes since `since`, continued at `cursor`.
fn request(since: &str, cursor: Option<String>) -> wire::ListUpdatedAccounts {
    wire::ListUpdatedAccounts {
        since: Some(since.to_owned()),
        cursor,
        custom_attributes: None,
    }
}

/// These accounts (as the shared helpers write them), continued at `cursor`.
fn answer(accounts: Vec<Value>, cursor: Option<String>) -> wire::UpdatedAccounts {
    wire::UpdatedAccounts {
        accounts: accounts
            .into_iter()
            .map(|a| serde_json::from_value(a).unwrap())
            .collect(),
        cursor,
    }
}

#[rstest]
#[case::first_page_hands_out_a_cursor(
    of4::<Read>(request(SINCE, None))
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=2").respond_json(
                200,
                app_page("users", vec![app_user(4, "active"), app_user(9, "suspended")], Some(&uid(9))),
            ),
        )
        .expect_response(answer(
            vec![account(4, "ACTIVE"), account(9, "SUSPENDED")],
            Some(after(9)),
        ))
)]
#[case::the_cursor_continues(
    of4::<Read>(request(SINCE, Some(after(9))))
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=2&after=u-0000009")
                .respond_json(200, app_page("users", vec![app_user(12, "active")], None)),
        )
        .expect_response(answer(vec![account(12, "ACTIVE")], None))
)]
#[case::nothing_changed(
    of4::<Read>(request(SINCE, None))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=100")
                .respond_json(200, app_page("users", vec![], None)),
        )
        .expect_response(answer(vec![], None))
)]
#[case::unreadable_since_is_refused_by_the_app(
    of4::<Read>(request("yesterday", None))
        .mock(HttpMock::get("/api/users?updated_since=yesterday&limit=100").respond_json(
            400,
            app_error("updated_since: \"yesterday\" is not an RFC 3339 timestamp"),
        ))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
        .message("updated_since")
)]
#[case::a_cursor_it_did_not_make_is_refused(
    of4::<Read>(request(SINCE, Some(uid(9))))
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::a_cursor_handed_back_stops(
    of4::<Read>(request(SINCE, Some(after(9))))
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/users?updated_since=2025-01-01T00:00:00Z&limit=2&after=u-0000009")
                .respond_json(200, app_page("users", vec![app_user(12, "active")], Some(&uid(9)))),
        )
        .expect_error(ErrorCode::InvalidResponse)
        .message("handed out a cursor it had already handed out")
)]
fn list_updated_accounts(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
