//! `create_account`: `POST /Users`, then the requested groups.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::Case;
use rstest::rstest;
use serde_json::json;

use crate::support::{authed, check, route, scim_error, user};

fn new_user() -> serde_json::Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": "ada@work.example",
        "active": true,
        "emails": [{"value": "ada@work.example", "primary": true, "type": "work"}],
    })
}

#[rstest]
#[case::created_and_added_to_a_group(
    authed(CapabilityName::CreateAccount)
        .payload(json!({"email": "ada@work.example", "entitlements": [
            {"integration_specific_resource_id": "g1", "entitlement_type": "member", "integration_specific_id": "member"}
        ]}))
        .mock(route("POST", "/Users").expect_body(new_user()).respond_json(201, user("u9", true)))
        .mock(route("PATCH", "/Groups/g1").expect_body(json!({
            "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            "Operations": [{"op": "add", "path": "members", "value": [{"value": "u9"}]}],
        })).respond_text(204, ""))
        .expect_response(json!({"status": "ACTIVE", "created": true}))
)]
#[case::taken_user_name(
    authed(CapabilityName::CreateAccount)
        .payload(json!({"email": "ada@work.example", "entitlements": []}))
        .mock(route("POST", "/Users").respond_json(409, scim_error(409, Some("uniqueness"), "userName is taken")))
        .expect_error(ErrorCode::InvalidValue)
        .status(409)
        .message("SCIM error 409 (uniqueness): userName is taken")
)]
fn create_account(#[case] case: impl Into<Case>) {
    check(case);
}
