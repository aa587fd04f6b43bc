//! `list_custom_attributes_schema`: `GET /api/custom-attributes`, one page.

use connector_testkit::{Case, HttpMock};
use serde_json::json;

use super::{app_error, case, throttled_once};

const SCOPE: &str = "list_custom_attributes_schema";

fn attributes() -> HttpMock {
    HttpMock::get("/api/custom-attributes")
}

pub(crate) fn declared_attributes() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(
            200,
            json!({"attributes": [
                {"name": "department", "type": "string", "description": "Department"},
                {"name": "manager", "type": "user", "description": "Manager"},
            ]}),
        ))
        .expect_items(json!([
            {"customized_type": "account", "name": "department", "attribute_type": "string"},
            {"customized_type": "account", "name": "manager", "attribute_type": "user"},
        ]))
}

pub(crate) fn unknown_types_read_as_text() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(
            200,
            json!({"attributes": [{"name": "cost_center", "type": "number"}]}),
        ))
        .expect_items(json!([
            {"customized_type": "account", "name": "cost_center", "attribute_type": "string"},
        ]))
}

pub(crate) fn none_declared() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(200, json!({"attributes": []})))
        .expect_items(json!([]))
}

pub(crate) fn not_found() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(404, app_error("no such endpoint")))
        .expect_error("not_found")
        .with_status(404)
        .with_message("no such endpoint")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case(SCOPE)
        .mock(throttled_once(attributes(), 200, json!({"attributes": []})))
        .expect_items(json!([]))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case(SCOPE)
        .mock(super::throttled(attributes()))
        .expect_error("rate_limit")
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn unreadable_answer() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(200, json!({"fields": []})))
        .expect_error("invalid_response")
        .with_message("missing field `attributes`")
}

pub(crate) fn wrong_password_is_unauthorized() -> Case {
    case(SCOPE)
        .mock(attributes().respond_json(401, app_error("invalid credentials")))
        .expect_error("unauthorized")
        .with_status(401)
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(SCOPE, json!({}))
}
