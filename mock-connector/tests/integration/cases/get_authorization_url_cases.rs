//! `get_authorization_url` (the SDK's OAuth module): the consent URL under `settings.host`, no
//! HTTP call.

use connector_testkit::Case;
use serde_json::{Value, json};

const SCOPE: &str = "get_authorization_url";

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

pub(crate) fn every_declared_scope_by_default() -> Case {
    Case::new(SCOPE)
        .payload(request(&[], "st-1"))
        .expect_response(url(DEFAULT_SCOPE, "st-1"))
}

pub(crate) fn the_scopes_asked_for() -> Case {
    Case::new(SCOPE)
        .payload(request(&["users:read", "groups:write"], "st-1"))
        .expect_response(url("users%3Aread+groups%3Awrite", "st-1"))
}

pub(crate) fn state_is_encoded() -> Case {
    Case::new(SCOPE)
        .payload(request(&["users:read"], "a b&c=d"))
        .expect_response(url("users%3Aread", "a+b%26c%3Dd"))
}

pub(crate) fn missing_redirect_uri() -> Case {
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "state": "s", "scopes": []}))
        .expect_error("bad_request")
        .with_message("missing field `redirect_uri`")
}

pub(crate) fn scopes_must_be_a_list() -> Case {
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "redirect_uri": "https://p/cb", "state": "s", "scopes": "users:read"}))
        .expect_error("bad_request")
        .with_message("request.scopes")
}

pub(crate) fn invalid_settings() -> Case {
    Case::new(SCOPE)
        .payload(request(&[], "st-1"))
        .settings(json!({"host": ["x"]}))
        .expect_error("bad_request")
        .with_message("settings.host")
}
