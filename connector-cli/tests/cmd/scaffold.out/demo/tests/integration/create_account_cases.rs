//! `create_account`: `POST /users`, then a membership per entitlement asked for.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{ExpectSuccess, authed, check, route, user};

#[rstest]
#[case::with_a_group(
    authed(CapabilityName::CreateAccount)
        .payload(json!({
            "email": "u-9@example.com",
            "username": "u-9",
            "given_name": "Ada",
            "family_name": "Lovelace",
            "entitlements": [{
                "integration_specific_resource_id": "g-1",
                "entitlement_type": "member",
                "integration_specific_id": "member",
            }],
        }))
        .mock(
            route("POST", "/users")
                .expect_body(json!({"email": "u-9@example.com", "username": "u-9",
                                    "first_name": "Ada", "last_name": "Lovelace"}))
                .respond_json(201, user("u-9")),
        )
        .mock(
            route("POST", "/groups/g-1/members")
                .expect_body(json!({"user_id": "u-9"}))
                .respond_text(204, ""),
        )
        .expect_written(json!({"status": "ACTIVE", "created": true}), "created")
)]
#[case::refused(
    authed(CapabilityName::CreateAccount)
        .payload(json!({"email": "taken@example.com", "entitlements": []}))
        .mock(route("POST", "/users").respond_json(400, json!({"message": "email taken"})))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
        .message("email taken")
)]
fn create_account(#[case] case: impl Into<Case>) {
    check(case);
}
