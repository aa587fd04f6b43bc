//! `get_authorization_url` (the SDK's OAuth module): the consent URL under `settings.host`, no
//! HTTP call.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

const SCOPE: CapabilityName = CapabilityName::GetAuthorizationUrl;

/// Every scope the connector declares, form-encoded, in declaration order.
const DEFAULT_SCOPE: &str = "profile%3Aread+users%3Aread+groups%3Aread+roles%3Aread+activity%3Aread+users%3Awrite+groups%3Awrite+roles%3Awrite";

fn request(scopes: &[&str], state: &str) -> Value {
    json!({"client_id": "mock-client", "redirect_uri": "https://platform.example.com/cb",
           "state": state, "scopes": scopes})
}

fn url(scope: &str, state: &str) -> Value {
    json!({"authorization_url": format!(
        "{{{{base_url}}}}/oauth/authorize?client_id=mock-client&response_type=code&scope={scope}\
         &redirect_uri=https%3A%2F%2Fplatform.example.com%2Fcb&state={state}"
    )})
}

#[rstest]
#[case::every_declared_scope_by_default(
    Case::new(SCOPE)
        .payload(request(&[], "st-1"))
        .expect_response(url(DEFAULT_SCOPE, "st-1"))
)]
#[case::the_scopes_asked_for(
    Case::new(SCOPE)
        .payload(request(&["users:read", "groups:write"], "st-1"))
        .expect_response(url("users%3Aread+groups%3Awrite", "st-1"))
)]
#[case::state_is_encoded(
    Case::new(SCOPE)
        .payload(request(&["users:read"], "a b&c=d"))
        .expect_response(url("users%3Aread", "a+b%26c%3Dd"))
)]
#[case::missing_redirect_uri(
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "state": "s", "scopes": []}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `redirect_uri`")
)]
#[case::scopes_must_be_a_list(
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "redirect_uri": "https://p/cb", "state": "s", "scopes": "users:read"}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.scopes")
)]
#[case::invalid_settings(
    Case::new(SCOPE)
        .payload(request(&[], "st-1"))
        .settings(json!({"host": ["x"]}))
        .expect_error(ErrorCode::BadRequest)
        .message("settings.host")
)]
fn get_authorization_url(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
