//! `get_account` (protocol 4): `GET /api/users/{id}`.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{account, app_error, app_user, check4, of4, uid};

type Read = marker::GetAccount;

fn request(id: &str, custom_attributes: Option<&[&str]>) -> wire::GetAccount {
    wire::GetAccount {
        account_id: id.to_owned(),
        custom_attributes: custom_attributes
            .map(|names| names.iter().map(|n| (*n).to_owned()).collect()),
    }
}

/// An account as the shared helpers write it, read as the wire type.
fn found(account: Value) -> wire::FoundAccountData {
    serde_json::from_value(account).unwrap()
}

#[rstest]
#[case::reads_the_account(
    of4::<Read>(request(&uid(1), None))
        .mock(HttpMock::get("/api/users/u-0000001").respond_json(200, app_user(1, "active")))
        .expect_response(found(account(1, "ACTIVE")))
)]
#[case::with_custom_attributes({
    let mut expected = account(2, "SUSPENDED");
    expected["custom_attributes"] = json!({"department": "Sales"});
    of4::<Read>(request(&uid(2), Some(&["department", "manager"])))
        .mock(HttpMock::get("/api/users/u-0000002").respond_json(200, app_user(2, "suspended")))
        .expect_response(found(expected))
})]
#[case::unknown_account_is_not_found(
    of4::<Read>(request(&uid(404), None))
        .mock(HttpMock::get("/api/users/u-0000404").respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::an_id_stays_one_path_segment(
    of4::<Read>(request("a/b", None))
        .mock(HttpMock::get("/api/users/a%2Fb").respond_json(404, app_error("no user a/b")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::blank_id_is_a_bad_request(
    of4::<Read>(request(" ", None))
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn get_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
