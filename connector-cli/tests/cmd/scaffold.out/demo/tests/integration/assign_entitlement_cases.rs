//! `assign_entitlement`: `POST /groups/{id}/members`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::{Value, json};

use crate::support::{ExpectSuccess, authed, check, route};

fn membership() -> Value {
    json!({
        "account_integration_specific_id": "u-1",
        "resource_integration_specific_id": "g-1",
        "resource_type": "group",
        "entitlement_type": "member",
        "entitlement_integration_specific_id": "member",
    })
}

#[rstest]
#[case::assigned(
    authed(CapabilityName::AssignEntitlement)
        .payload(membership())
        .mock(
            route("POST", "/groups/g-1/members")
                .expect_body(json!({"user_id": "u-1"}))
                .respond_text(204, ""),
        )
        .expect_written(json!({"assigned": true}), "created")
)]
#[case::unknown_group(
    authed(CapabilityName::AssignEntitlement)
        .payload(membership())
        .mock(route("POST", "/groups/g-1/members").respond_json(404, json!({"message": "no such group"})))
        .expect_error(ErrorCode::NotFound)
)]
fn assign_entitlement(#[case] case: impl Into<Case>) {
    check(case);
}
