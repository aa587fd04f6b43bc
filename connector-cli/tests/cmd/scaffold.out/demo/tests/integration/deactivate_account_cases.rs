//! `deactivate_account`: `POST /users/{id}/deactivate`.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::deactivated(
    authed(CapabilityName::DeactivateAccount)
        .payload(json!({"account_id": "u-1"}))
        .mock(
            route("POST", "/users/u-1/deactivate")
                .respond_json(200, json!({"id": "u-1", "status": "suspended"})),
        )
        .expect_written(json!({"status": "SUSPENDED", "deactivated": true}), "updated")
)]
fn deactivate_account(#[case] case: impl Into<Case>) {
    check(case);
}
