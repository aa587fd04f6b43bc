//! `delete_account`: `DELETE /users/{id}`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::deleted(
    authed(CapabilityName::DeleteAccount)
        .payload(json!({"account_id": "u-1"}))
        .mock(route("DELETE", "/users/u-1").respond_text(204, ""))
        .expect_written(json!({"status": "DELETED", "deleted": true}), "deleted")
)]
#[case::unknown_account(
    authed(CapabilityName::DeleteAccount)
        .payload(json!({"account_id": "u-404"}))
        .mock(route("DELETE", "/users/u-404").respond_json(404, json!({"message": "no such user"})))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
fn delete_account(#[case] case: impl Into<Case>) {
    check(case);
}
