//! `delete_account`: `DELETE /Users/{id}`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route, scim_error};

#[rstest]
#[case::deleted(
    authed(CapabilityName::DeleteAccount)
        .payload(json!({"account_id": "u1"}))
        .mock(route("DELETE", "/Users/u1").respond_text(204, ""))
        .expect_response(json!({"status": "DELETED", "deleted": true}))
)]
#[case::unknown_user(
    authed(CapabilityName::DeleteAccount)
        .payload(json!({"account_id": "u404"}))
        .mock(route("DELETE", "/Users/u404").respond_json(404, scim_error(404, None, "Resource u404 not found")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("Resource u404 not found")
)]
fn delete_account(#[case] case: impl Into<Case>) {
    check(case);
}
