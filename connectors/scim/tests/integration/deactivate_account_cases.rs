//! `deactivate_account`: without PATCH, a PUT of the user with its ETag; a stale ETag is a
//! precondition failure.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route, scim_error, user};

fn without_patch() -> connector_testkit::HttpMock {
    route("GET", "/ServiceProviderConfig").respond_json(
        200,
        json!({"patch": {"supported": false}, "etag": {"supported": true}}),
    )
}

fn current() -> connector_testkit::HttpMock {
    route("GET", "/Users/u1")
        .respond_json(200, user("u1", true))
        .with_header("ETag", "W/\"7\"")
}

#[rstest]
#[case::by_put_with_the_etag(
    authed(CapabilityName::DeactivateAccount)
        .payload(json!({"account_id": "u1"}))
        .mock(without_patch())
        .mock(current())
        .mock(route("PUT", "/Users/u1").expect_header("if-match", "W/\"7\"").respond_text(204, ""))
        .expect_response(json!({"status": "SUSPENDED", "deactivated": true}))
)]
#[case::stale_etag(
    authed(CapabilityName::DeactivateAccount)
        .payload(json!({"account_id": "u1"}))
        .mock(without_patch())
        .mock(current())
        .mock(route("PUT", "/Users/u1").respond_json(412, scim_error(412, None, "")))
        .expect_error(ErrorCode::ApiError)
        .status(412)
        .message("stale ETag")
)]
fn deactivate_account(#[case] case: impl Into<Case>) {
    check(case);
}
