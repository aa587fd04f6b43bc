//! `get_last_activity`: the requested ids in batches (one page per batch) through
//! `GET /api/last-activity?ids=…`; accounts never active are left out.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, case, harness, page_token, throttled, throttled_once, token_auth, uid};

const SCOPE: CapabilityName = CapabilityName::GetLastActivity;
const AT: &str = "2024-12-31T21:48:01Z";

fn ids(ns: &[usize]) -> Value {
    json!({"account_ids": ns.iter().map(|&n| uid(n)).collect::<Vec<_>>()})
}

fn query(ns: &[usize]) -> String {
    let ids: Vec<String> = ns.iter().map(|&n| uid(n)).collect();
    format!("/api/last-activity?ids={}", ids.join(","))
}

fn activity(entries: &[(usize, Option<&str>)]) -> Value {
    json!({"activity": entries.iter()
        .map(|(n, at)| json!({"user_id": uid(*n), "last_activity": at}))
        .collect::<Vec<_>>()})
}

fn seen(n: usize) -> Value {
    json!({"account_id": uid(n), "event_type": "last_activity", "happened_at": AT})
}

#[rstest]
#[case::one_batch(
    case(SCOPE)
        .payload(ids(&[1, 7, 3]))
        .mock(
            HttpMock::get(&query(&[1, 7, 3]))
                .respond_json(200, activity(&[(1, Some(AT)), (7, None), (3, Some(AT))])),
        )
        .expect_items(json!([seen(1), seen(3)]))
)]
#[case::first_page(
    case(SCOPE)
        .payload(ids(&[1, 2, 3, 4, 5]))
        .page(None, Some(2))
        .mock(
            HttpMock::get(&query(&[1, 2]))
                .respond_json(200, activity(&[(1, Some(AT)), (2, Some(AT))])),
        )
        .expect_items_and_next_page(json!([seen(1), seen(2)]), Some(2))
)]
#[case::middle_page(
    case(SCOPE)
        .payload(ids(&[1, 2, 3, 4, 5]))
        .page(Some(&page_token(SCOPE, &2)), Some(2))
        .mock(
            HttpMock::get(&query(&[3, 4])).respond_json(200, activity(&[(3, Some(AT)), (4, None)])),
        )
        .expect_items_and_next_page(json!([seen(3)]), Some(2))
)]
#[case::last_page(
    case(SCOPE)
        .payload(ids(&[1, 2, 3, 4, 5]))
        .page(Some(&page_token(SCOPE, &4)), Some(2))
        .mock(HttpMock::get(&query(&[5])).respond_json(200, activity(&[(5, Some(AT))])))
        .expect_items(json!([seen(5)]))
)]
#[case::batches_are_capped_at_the_apps_limit({
    let all: Vec<usize> = (1..=150).collect();
    let first: Vec<usize> = (1..=100).collect();
    case(SCOPE)
        .payload(ids(&all))
        .page(None, Some(500))
        .mock(HttpMock::get(&query(&first)).respond_json(200, json!({"activity": []})))
        .expect_items_and_next_page(json!([]), Some(500))
})]
#[case::no_ids_no_call(
    case(SCOPE).payload(ids(&[])).expect_items(json!([]))
)]
#[case::unknown_account_is_not_found(
    case(SCOPE)
        .payload(ids(&[1, 404]))
        .mock(HttpMock::get(&query(&[1, 404])).respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::rate_limit_is_retried(
    case(SCOPE)
        .payload(ids(&[1]))
        .mock(throttled_once(
            HttpMock::get(&query(&[1])),
            200,
            activity(&[(1, Some(AT))]),
        ))
        .expect_items(json!([seen(1)]))
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .payload(ids(&[1]))
        .mock(throttled(HttpMock::get(&query(&[1]))))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::server_error(
    case(SCOPE)
        .payload(ids(&[1]))
        .mock(HttpMock::get(&query(&[1])).respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::blank_id_is_a_bad_request(
    case(SCOPE)
        .payload(json!({"account_ids": [uid(1), " "]}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_ids[] must not be empty")
)]
#[case::missing_ids_are_a_bad_request(
    case(SCOPE)
        .payload(json!({}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `account_ids`")
)]
#[case::token_past_the_end_is_refused(
    case(SCOPE)
        .payload(ids(&[1, 2]))
        .page(Some(&page_token(SCOPE, &10)), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::token_auth_is_refused(
    token_auth(SCOPE, ids(&[1]))
)]
fn get_last_activity(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
