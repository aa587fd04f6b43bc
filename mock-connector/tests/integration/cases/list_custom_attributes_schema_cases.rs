//! `list_custom_attributes_schema`: `GET /api/custom-attributes`, one page.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, case, harness, throttled, throttled_once, token_auth};

const SCOPE: CapabilityName = CapabilityName::ListCustomAttributesSchema;

fn attributes() -> HttpMockBuilder {
    HttpMock::get("/api/custom-attributes")
}

#[rstest]
#[case::declared_attributes(
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
)]
#[case::unknown_types_read_as_text(
    case(SCOPE)
        .mock(attributes().respond_json(
            200,
            json!({"attributes": [{"name": "cost_center", "type": "number"}]}),
        ))
        .expect_items(json!([
            {"customized_type": "account", "name": "cost_center", "attribute_type": "string"},
        ]))
)]
#[case::none_declared(
    case(SCOPE)
        .mock(attributes().respond_json(200, json!({"attributes": []})))
        .expect_items(json!([]))
)]
#[case::not_found(
    case(SCOPE)
        .mock(attributes().respond_json(404, app_error("no such endpoint")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no such endpoint")
)]
#[case::rate_limit_is_retried(
    case(SCOPE)
        .mock(throttled_once(attributes(), 200, json!({"attributes": []})))
        .expect_items(json!([]))
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .mock(throttled(attributes()))
        .expect_error(ErrorCode::RateLimit)
)]
#[case::server_error(
    case(SCOPE)
        .mock(attributes().respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::unreadable_answer(
    case(SCOPE)
        .mock(attributes().respond_json(200, json!({"fields": []})))
        .expect_error(ErrorCode::InvalidResponse)
        .message("missing field `attributes`")
)]
#[case::wrong_password_is_unauthorized(
    case(SCOPE)
        .mock(attributes().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_auth_is_refused(
    token_auth(SCOPE, json!({}))
)]
fn list_custom_attributes_schema(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
