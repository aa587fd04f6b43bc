//! `create_account`: `POST /api/users` (not retried: it is not idempotent), then one `PUT` per
//! entitlement; everything in the request is checked before the app is called.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

use super::{app_error, app_user, case, throttled_write, uid};

const SCOPE: &str = "create_account";

fn create(body: Value) -> HttpMock {
    HttpMock::post("/api/users").expect_body(body)
}

fn created(n: usize, status: &str) -> Value {
    app_user(n, status)
}

pub(crate) fn minimal() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(201, created(13, "active")),
        )
        .expect_response(json!({"status": "ACTIVE", "created": true}))
}

pub(crate) fn with_profile_and_custom_attributes() -> Case {
    case(SCOPE)
        .payload(json!({
            "email": "zed@example.com", "username": "zed", "given_name": "Zed", "family_name": "Ng",
            "user_status": "ACTIVE", "extra_data": {"department": "Legal", "manager": uid(1)},
            "entitlements": [],
        }))
        .mock(
            create(json!({
                "email": "zed@example.com", "username": "zed", "first_name": "Zed",
                "last_name": "Ng", "status": "active", "department": "Legal", "manager": uid(1),
            }))
            .respond_json(201, created(13, "active")),
        )
        .expect_response(json!({"status": "ACTIVE", "created": true}))
}

pub(crate) fn inactive_from_the_start() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "user_status": "inactive", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "suspended"}))
                .respond_json(201, created(13, "suspended")),
        )
        .expect_response(json!({"status": "SUSPENDED", "created": true}))
}

pub(crate) fn with_a_group_and_the_admin_role() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": [
            {"integration_specific_resource_id": "g-002", "entitlement_type": "member", "integration_specific_id": "member"},
            {"integration_specific_resource_id": null, "entitlement_type": "role", "integration_specific_id": "admin"},
        ]}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(201, created(13, "active")),
        )
        .mock(HttpMock::put("/api/groups/g-002/members/u-0000013").respond_json(
            200,
            json!({"group_id": "g-002", "user_id": uid(13), "member": true, "changed": true}),
        ))
        .mock(HttpMock::put("/api/roles/admin/members/u-0000013").respond_json(
            200,
            json!({"role_id": "admin", "user_id": uid(13), "member": true, "changed": true}),
        ))
        .expect_response(json!({"status": "ACTIVE", "created": true}))
}

pub(crate) fn duplicate_is_a_conflict() -> Case {
    case(SCOPE)
        .payload(json!({"email": "ann.lee1@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "ann.lee1@example.com", "status": "active"})).respond_json(
                409,
                app_error("a user with email ann.lee1@example.com already exists"),
            ),
        )
        .expect_error("api_error")
        .with_status(409)
        .with_message("already exists")
}

pub(crate) fn app_refuses_the_input() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@", "entitlements": []}))
        .mock(
            create(json!({"email": "new@", "status": "active"}))
                .respond_json(400, app_error("email \"new@\" is not an email address")),
        )
        .expect_error("bad_request")
        .with_status(400)
        .with_message("is not an email address")
}

pub(crate) fn group_that_does_not_exist() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": [
            {"integration_specific_resource_id": "g-404", "entitlement_type": "member", "integration_specific_id": "member"},
        ]}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(201, created(13, "active")),
        )
        .mock(
            HttpMock::put("/api/groups/g-404/members/u-0000013")
                .respond_json(404, app_error("no group g-404")),
        )
        .expect_error("not_found")
        .with_message("no group g-404")
}

pub(crate) fn rate_limit_is_not_retried() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(throttled_write(create(
            json!({"email": "new@example.com", "status": "active"}),
        )))
        .expect_error("rate_limit")
        .with_status(429)
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(500, app_error("boom")),
        )
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn missing_email() -> Case {
    case(SCOPE)
        .payload(json!({"username": "zed", "entitlements": []}))
        .expect_error("bad_request")
        .with_message("request.email is required")
}

pub(crate) fn unknown_status() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "user_status": "ON_LEAVE", "entitlements": []}))
        .expect_error("bad_request")
        .with_message("request.user_status")
}

pub(crate) fn unknown_entitlement_type() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": [
            {"entitlement_type": "license", "integration_specific_id": "pro"},
        ]}))
        .expect_error("bad_request")
        .with_message("unknown entitlement type `license`")
}

pub(crate) fn unknown_custom_attribute() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "extra_data": {"shoe_size": "44"}, "entitlements": []}))
        .expect_error("bad_request")
        .with_message("request.extra_data.shoe_size")
}

pub(crate) fn missing_entitlements_field() -> Case {
    case(SCOPE)
        .payload(json!({"email": "new@example.com"}))
        .expect_error("bad_request")
        .with_message("missing field `entitlements`")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(
        SCOPE,
        json!({"email": "new@example.com", "entitlements": []}),
    )
}
