//! `list_updated_accounts`: users with `meta.lastModified gt "<since>"`, paged by
//! `startIndex`/`count` in the request's own `cursor`; servers that do not filter are refused.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, TypedCase};
use rstest::rstest;
use serde_json::json;

use crate::support::{account, check, list, route, scim_error, typed, user};

const SINCE: &str = "2026-01-01T00:00:00Z";
/// `filter=meta.lastModified gt "2026-01-01T00:00:00Z"`, as the query carries it.
const FILTER: &str = "filter=meta.lastModified+gt+%222026-01-01T00%3A00%3A00Z%22";

fn updated(since: Option<&str>, cursor: Option<String>) -> TypedCase<marker::ListUpdatedAccounts> {
    typed::<marker::ListUpdatedAccounts>(wire::ListUpdatedAccounts {
        since: since.map(str::to_owned),
        cursor,
        custom_attributes: None,
    })
    .settings(json!({"max_page_size": 2}))
}

fn filtering(supported: bool) -> HttpMock {
    route("GET", "/ServiceProviderConfig").respond_json(
        200,
        json!({"patch": {"supported": true}, "filter": {"supported": supported}}),
    )
}

/// The cursor the connector hands out to go on at `start` after `last`.
fn cursor(start: u64, last: &str) -> String {
    connector_sdk::pagination::cursor_token(
        connector_sdk::wire::CapabilityName::ListUpdatedAccounts,
        &json!({"since": SINCE, "after": {"start": start, "last": last}}),
    )
}

fn accounts(ids: &[&str]) -> Vec<wire::FoundAccountData> {
    ids.iter()
        .map(|id| serde_json::from_value(account(id, true, json!(null))).expect("an account"))
        .collect()
}

fn first_page() -> Case {
    updated(Some(SINCE), None)
        .mock(filtering(true))
        .mock(
            route(
                "GET",
                &format!("/Users?{FILTER}&startIndex=1&count=2&sortBy=meta.created"),
            )
            .respond_json(200, list(3, 1, vec![user("u1", true), user("u2", true)])),
        )
        .expect_response(wire::UpdatedAccounts {
            accounts: accounts(&["u1", "u2"]),
            cursor: Some(cursor(3, "u2")),
        })
}

fn last_page() -> Case {
    updated(Some(SINCE), Some(cursor(3, "u2")))
        .mock(
            route(
                "GET",
                &format!("/Users?{FILTER}&startIndex=3&count=2&sortBy=meta.created"),
            )
            .respond_json(200, list(3, 3, vec![user("u3", true)])),
        )
        .expect_response(wire::UpdatedAccounts {
            accounts: accounts(&["u3"]),
            cursor: None,
        })
}

fn shifted_page_drops_the_repeat() -> Case {
    // A user modified since the first page was read moved into the filter before u2.
    updated(None, Some(cursor(3, "u2")))
        .mock(
            route(
                "GET",
                &format!("/Users?{FILTER}&startIndex=3&count=2&sortBy=meta.created"),
            )
            .respond_json(200, list(5, 3, vec![user("u2", true), user("u3", true)])),
        )
        .expect_response(wire::UpdatedAccounts {
            accounts: accounts(&["u3"]),
            cursor: Some(cursor(5, "u3")),
        })
}

fn without_since_every_user() -> Case {
    updated(None, None)
        .mock(
            route("GET", "/Users?startIndex=1&count=2&sortBy=meta.created")
                .respond_json(200, list(1, 1, vec![user("u1", true)])),
        )
        .expect_response(wire::UpdatedAccounts {
            accounts: accounts(&["u1"]),
            cursor: None,
        })
}

#[rstest]
#[case::first_page_and_its_cursor(first_page())]
#[case::the_cursor_goes_on_to_the_last_page(last_page())]
#[case::a_shifted_page_drops_the_repeat(shifted_page_drops_the_repeat())]
#[case::without_since_every_user(without_since_every_user())]
#[case::since_in_lower_case_is_sent_in_upper_case(
    updated(Some("2026-01-01t00:00:00z"), None)
        .mock(filtering(true))
        .mock(route("GET", &format!("/Users?{FILTER}&startIndex=1&count=2&sortBy=meta.created"))
            .respond_json(200, list(0, 1, vec![])))
        .expect_response(wire::UpdatedAccounts { accounts: vec![], cursor: None })
)]
#[case::a_server_that_does_not_filter_is_refused(
    updated(Some(SINCE), None)
        .mock(filtering(false))
        .expect_error(ErrorCode::UnsupportedOperation)
        .message("does not support filtering")
)]
#[case::since_that_is_no_date_time_is_refused_before_any_request(
    updated(Some("2026-01-01\" or userName pr or \""), None)
        .expect_error(ErrorCode::BadRequest)
        .message("request.since must be an RFC 3339 date-time")
)]
#[case::a_foreign_cursor_is_refused(
    updated(Some(SINCE), Some("bm90LWEtY3Vyc29y".to_owned()))
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::a_cursor_of_another_since_is_refused(
    updated(Some("2025-01-01T00:00:00Z"), Some(cursor(3, "u2")))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("another request.since")
)]
#[case::a_bad_filter_is_a_bad_request(
    updated(Some(SINCE), None)
        .mock(filtering(true))
        .mock(route("GET", &format!("/Users?{FILTER}&startIndex=1&count=2&sortBy=meta.created"))
            .respond_json(400, scim_error(400, Some("invalidFilter"), "no lastModified")))
        .expect_error(ErrorCode::BadRequest)
        .app_error_code("invalidFilter")
)]
fn list_updated_accounts(#[case] case: impl Into<Case>) {
    check(case);
}
