//! `validate_credentials`: basic is checked locally (the seed example), an OAuth token against
//! `GET /api/me`.

use connector_testkit::{Case, HttpMock};
use serde_json::json;

use super::{app_error, case, throttled, throttled_once};

fn me() -> HttpMock {
    HttpMock::get("/api/me").expect_header("authorization", "Bearer at-1")
}

pub(crate) fn basic_is_checked_locally() -> Case {
    case("validate_credentials")
        .expect_response(json!({"valid": true, "unique_tenant_id": "mock-connector-tenant-id"}))
}

pub(crate) fn oauth_token_is_checked_against_the_app() -> Case {
    Case::new("validate_credentials")
        .oauth("at-1")
        .mock(me().respond_json(200, json!({"tenant_id": "acme"})))
        .expect_response(json!({"valid": true, "unique_tenant_id": "acme"}))
}

pub(crate) fn revoked_oauth_token_is_unauthorized() -> Case {
    Case::new("validate_credentials")
        .oauth("at-1")
        .mock(me().respond_json(401, app_error("invalid credentials")))
        .expect_error("unauthorized")
        .with_status(401)
        .with_message("invalid credentials")
}

pub(crate) fn empty_password_is_unauthorized() -> Case {
    Case::new("validate_credentials")
        .basic("foo", "")
        .expect_error("unauthorized")
        .with_message("must not be empty")
}

pub(crate) fn app_failure_is_an_api_error() -> Case {
    Case::new("validate_credentials")
        .oauth("at-1")
        .mock(me().respond_json(500, app_error("database on fire")))
        .expect_error("api_error")
        .with_status(500)
        .with_message("database on fire")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    Case::new("validate_credentials")
        .oauth("at-1")
        .mock(throttled_once(me(), 200, json!({"tenant_id": "acme"})))
        .expect_response(json!({"valid": true, "unique_tenant_id": "acme"}))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    Case::new("validate_credentials")
        .oauth("at-1")
        .mock(throttled(me()))
        .expect_error("rate_limit")
        .with_status(429)
        .with_message("after 3 retries")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth("validate_credentials", json!({}))
}

pub(crate) fn invalid_settings_are_a_bad_request() -> Case {
    case("validate_credentials")
        .settings(json!({"host": 5}))
        .expect_error("bad_request")
        .with_message("settings.host: invalid type: integer")
}
