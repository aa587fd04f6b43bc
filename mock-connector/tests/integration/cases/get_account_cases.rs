//! `get_account` (protocol 4): `GET /api/users/{id}`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{account, app_error, app_user, case4, check4, uid};

const SCOPE: CapabilityName = CapabilityName::GetAccount;

#[rstest]
#[case::reads_the_account(
    case4(SCOPE)
        .payload(json!({"account_id": uid(1)}))
        .mock(HttpMock::get("/api/users/u-0000001").respond_json(200, app_user(1, "active")))
        .expect_response(account(1, "ACTIVE"))
)]
#[case::with_custom_attributes({
    let mut expected = account(2, "SUSPENDED");
    expected["custom_attributes"] = json!({"department": "Sales"});
    case4(SCOPE)
        .payload(json!({"account_id": uid(2), "custom_attributes": ["department", "manager"]}))
        .mock(HttpMock::get("/api/users/u-0000002").respond_json(200, app_user(2, "suspended")))
        .expect_response(expected)
})]
#[case::unknown_account_is_not_found(
    case4(SCOPE)
        .payload(json!({"account_id": uid(404)}))
        .mock(HttpMock::get("/api/users/u-0000404").respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::an_id_stays_one_path_segment(
    case4(SCOPE)
        .payload(json!({"account_id": "a/b"}))
        .mock(HttpMock::get("/api/users/a%2Fb").respond_json(404, app_error("no user a/b")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::blank_id_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"account_id": " "}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn get_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
