//! `activate_account`: `active: true` by PATCH when the server supports it.

use connector_sdk::wire::CapabilityName;
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route};

#[rstest]
#[case::by_patch(
    authed(CapabilityName::ActivateAccount)
        .payload(json!({"account_id": "u1"}))
        .mock(route("GET", "/ServiceProviderConfig")
            .respond_json(200, json!({"patch": {"supported": true}, "etag": {"supported": true}})))
        .mock(route("PATCH", "/Users/u1").expect_body(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "replace", "path": "active", "value": true}],
        })).respond_text(204, ""))
        .expect_response(json!({"status": "ACTIVE", "activated": true}))
)]
fn activate_account(#[case] case: impl Into<Case>) {
    check(case);
}
