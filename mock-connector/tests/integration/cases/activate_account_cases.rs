//! `activate_account`: `POST /api/users/{id}/activate`; the app makes it idempotent, so it is
//! retried like a PUT.

use connector_testkit::{Case, HttpMock};
use serde_json::json;

use super::{app_error, app_user, case, throttled, throttled_once, uid};

const SCOPE: &str = "activate_account";

fn switch(n: usize) -> HttpMock {
    HttpMock::post(&format!("/api/users/{}/activate", uid(n)))
}

pub(crate) fn switches() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(200, app_user(10, "active")))
        .expect_response(json!({"status": "ACTIVE", "activated": true}))
}

pub(crate) fn unknown_account_is_not_found() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(404)}))
        .mock(switch(404).respond_json(404, app_error("no user u-0000404")))
        .expect_error("not_found")
        .with_status(404)
        .with_message("no user u-0000404")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(throttled_once(switch(10), 200, app_user(10, "active")))
        .expect_response(json!({"status": "ACTIVE", "activated": true}))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(throttled(switch(10)))
        .expect_error("rate_limit")
        .with_status(429)
        .with_message("after 3 retries")
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn blank_id_is_a_bad_request() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": "  "}))
        .expect_error("bad_request")
        .with_message("request.account_id must not be empty")
}

pub(crate) fn wrong_password_is_unauthorized() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(10)}))
        .mock(switch(10).respond_json(401, app_error("invalid credentials")))
        .expect_error("unauthorized")
        .with_status(401)
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(SCOPE, json!({"account_id": uid(10)}))
}
