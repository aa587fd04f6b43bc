//! `activate_account`: `POST /users/{id}/activate`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route, user};

#[rstest]
#[case::activated(
    authed(CapabilityName::ActivateAccount)
        .payload(json!({"account_id": "u-1"}))
        .mock(route("POST", "/users/u-1/activate").respond_json(200, user("u-1")))
        .expect_written(json!({"status": "ACTIVE", "activated": true}), "updated")
)]
fn activate_account(#[case] case: impl Into<Case>) {
    check(case);
}
