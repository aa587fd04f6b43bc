//! `get_last_activity`: `GET /users/{id}/last-activity` for each account asked about.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route};

#[rstest]
#[case::seen_and_never_seen(
    authed(CapabilityName::GetLastActivity)
        .payload(json!({"account_ids": ["u-1", "u-2"]}))
        .mock(route("GET", "/users/u-1/last-activity")
            .respond_json(200, json!({"last_login_at": "2024-05-01T10:00:00Z"})))
        .mock(route("GET", "/users/u-2/last-activity")
            .respond_json(200, json!({"last_login_at": null})))
        .expect_success(json!([
            {"account_id": "u-1", "event_type": "login", "happened_at": "2024-05-01T10:00:00Z"},
        ]))
)]
fn get_last_activity(#[case] case: impl Into<Case>) {
    check(case);
}
