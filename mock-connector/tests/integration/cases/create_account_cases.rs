//! `create_account`: `POST /api/users` (not retried: it is not idempotent), then one `PUT` per
//! entitlement; everything in the request is checked before the app is called.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_user, case, harness, throttled_write, token_auth, uid};

const SCOPE: CapabilityName = CapabilityName::CreateAccount;

fn create(body: Value) -> HttpMockBuilder {
    HttpMock::post("/api/users").expect_body(body)
}

fn created(n: usize, status: &str) -> Value {
    app_user(n, status)
}

#[rstest]
#[case::minimal(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(201, created(13, "active")),
        )
        .expect_response(json!({"status": "ACTIVE", "created": true}))
)]
#[case::with_profile_and_custom_attributes(
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
)]
#[case::inactive_from_the_start(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "user_status": "inactive", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "suspended"}))
                .respond_json(201, created(13, "suspended")),
        )
        .expect_response(json!({"status": "SUSPENDED", "created": true}))
)]
#[case::with_a_group_and_the_admin_role(
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
)]
#[case::duplicate_is_a_conflict(
    case(SCOPE)
        .payload(json!({"email": "ann.lee1@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "ann.lee1@example.com", "status": "active"})).respond_json(
                409,
                app_error("a user with email ann.lee1@example.com already exists"),
            ),
        )
        .expect_error(ErrorCode::ApiError)
        .status(409)
        .message("already exists")
)]
#[case::app_refuses_the_input(
    case(SCOPE)
        .payload(json!({"email": "new@", "entitlements": []}))
        .mock(
            create(json!({"email": "new@", "status": "active"}))
                .respond_json(400, app_error("email \"new@\" is not an email address")),
        )
        .expect_error(ErrorCode::BadRequest)
        .status(400)
        .message("is not an email address")
)]
#[case::group_that_does_not_exist(
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
        .expect_error(ErrorCode::NotFound)
        .message("no group g-404")
)]
#[case::rate_limit_is_not_retried(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(throttled_write(create(
            json!({"email": "new@example.com", "status": "active"}),
        )))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::server_error(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": []}))
        .mock(
            create(json!({"email": "new@example.com", "status": "active"}))
                .respond_json(500, app_error("boom")),
        )
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::missing_email(
    case(SCOPE)
        .payload(json!({"username": "zed", "entitlements": []}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.email is required")
)]
#[case::unknown_status(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "user_status": "ON_LEAVE", "entitlements": []}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.user_status")
)]
#[case::unknown_entitlement_type(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "entitlements": [
            {"entitlement_type": "license", "integration_specific_id": "pro"},
        ]}))
        .expect_error(ErrorCode::BadRequest)
        .message("unknown entitlement type `license`")
)]
#[case::unknown_custom_attribute(
    case(SCOPE)
        .payload(json!({"email": "new@example.com", "extra_data": {"shoe_size": "44"}, "entitlements": []}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.extra_data.shoe_size")
)]
#[case::missing_entitlements_field(
    case(SCOPE)
        .payload(json!({"email": "new@example.com"}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `entitlements`")
)]
#[case::token_auth_is_refused(
    token_auth(
        SCOPE,
        json!({"email": "new@example.com", "entitlements": []}),
    )
)]
fn create_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
