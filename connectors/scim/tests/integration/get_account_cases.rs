//! `get_account`: `GET /Users/{id}`, mapped like `list_accounts`; an id stays one path segment.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ErrorCode};
use connector_testkit::{Case, TypedCase};
use rstest::rstest;
use serde_json::json;

use crate::support::{ENTERPRISE, check, route, scim_error, typed, user};

fn get(account_id: &str, custom: Option<Vec<String>>) -> TypedCase<marker::GetAccount> {
    typed::<marker::GetAccount>(wire::GetAccount {
        account_id: account_id.to_owned(),
        custom_attributes: custom,
    })
}

fn mapped(id: &str, custom: serde_json::Value) -> wire::FoundAccountData {
    serde_json::from_value(crate::support::account(id, true, custom)).expect("an account")
}

#[rstest]
#[case::maps_the_user(
    get("u1", Some(vec![format!("{ENTERPRISE}:department")]))
        .mock(route("GET", "/Users/u1").respond_json(200, user("u1", true)))
        .expect_response(mapped("u1", json!({format!("{ENTERPRISE}:department"): "R&D"})))
)]
#[case::settings_custom_attributes_by_default(
    get("u1", None)
        .settings(json!({"custom_attributes": [format!("{ENTERPRISE}:department")]}))
        .mock(route("GET", "/Users/u1").respond_json(200, user("u1", true)))
        .expect_response(mapped("u1", json!({format!("{ENTERPRISE}:department"): "R&D"})))
)]
#[case::filter_metacharacters_stay_in_the_segment(
    get("x\" or userName pr/..?a=b", None)
        .mock(route("GET", "/Users/x%22%20or%20userName%20pr%2F..%3Fa%3Db")
            .respond_json(404, scim_error(404, None, "not found")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::dot_dot_is_refused_before_a_request(
    get("..", None).expect_error(ErrorCode::BadRequest).message("request.account_id")
)]
#[case::empty_id_is_a_bad_request(
    get(" ", None).expect_error(ErrorCode::BadRequest).message("request.account_id")
)]
#[case::no_permission(
    get("u1", None)
        .mock(route("GET", "/Users/u1").respond_json(403, scim_error(403, None, "not yours")))
        .expect_error(ErrorCode::PermissionDenied)
        .message("SCIM error 403: not yours")
)]
#[case::a_server_error_is_protocol_4s_bad_gateway(
    get("u1", None)
        .mock(route("GET", "/Users/u1").respond_json(500, scim_error(500, None, "database down")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("SCIM error 500: database down")
)]
fn get_account(#[case] case: impl Into<Case>) {
    check(case);
}
