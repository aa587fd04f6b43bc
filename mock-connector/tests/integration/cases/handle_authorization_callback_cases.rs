//! `handle_authorization_callback` (the SDK's OAuth module): the code from the redirect,
//! exchanged at `POST {host}/oauth/token`.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

const SCOPE: &str = "handle_authorization_callback";

fn request(redirect: &str) -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret",
           "redirect_uri_with_code": redirect, "state": "st-1"})
}

fn callback() -> Value {
    request("https://platform.example.com/cb?code=code-1&state=st-1")
}

fn token() -> HttpMock {
    HttpMock::post("/oauth/token")
        .expect_header("content-type", "application/x-www-form-urlencoded")
}

fn issued() -> Value {
    json!({"access_token": "at-1", "refresh_token": "rt-1", "token_type": "Bearer", "expires_in": 3600})
}

fn refused(status: u16, error: &str, description: &str) -> HttpMock {
    token().respond_json(
        status,
        json!({"error": error, "error_description": description}),
    )
}

pub(crate) fn exchanges_the_code() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .mock(token().respond_json(200, issued()))
        .expect_response(json!({"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "state": null}))
}

pub(crate) fn raw_data_when_asked() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .include_raw_data()
        .mock(token().respond_json(200, issued()))
        .expect_envelope(json!({
            "response": {"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "state": null},
            "raw_data": {"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "expires_in": 3600},
            "page": null,
        }))
}

pub(crate) fn used_code_is_expired() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .mock(refused(400, "invalid_grant", "unknown or used code"))
        .expect_error("authentication_expired")
        .with_status(400)
        .with_message("invalid_grant: unknown or used code")
}

pub(crate) fn wrong_secret_is_unauthorized() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .mock(refused(
            401,
            "invalid_client",
            "unknown client or wrong secret",
        ))
        .expect_error("unauthorized")
        .with_status(401)
}

pub(crate) fn provider_down() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .mock(token().respond_text(500, "oops"))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn provider_throttles() -> Case {
    Case::new(SCOPE)
        .payload(callback())
        .mock(
            token()
                .respond_json(429, json!({"error": "slow_down"}))
                .with_header("Retry-After", "0"),
        )
        .expect_error("rate_limit")
        .with_status(429)
}

pub(crate) fn state_mismatch() -> Case {
    Case::new(SCOPE)
        .payload(request(
            "https://platform.example.com/cb?code=code-1&state=forged",
        ))
        .expect_error("bad_request")
        .with_message("state")
}

pub(crate) fn consent_refused() -> Case {
    Case::new(SCOPE)
        .payload(request(
            "https://platform.example.com/cb?error=access_denied&state=st-1",
        ))
        .expect_error("permission_denied")
        .with_message("access_denied")
}

pub(crate) fn no_code_in_the_redirect() -> Case {
    Case::new(SCOPE)
        .payload(request("https://platform.example.com/cb?state=st-1"))
        .expect_error("bad_request")
        .with_message("no `code` parameter")
}

pub(crate) fn missing_client_secret() -> Case {
    Case::new(SCOPE)
        .payload(
            json!({"client_id": "mock-client", "redirect_uri_with_code": "https://p/cb?code=c"}),
        )
        .expect_error("bad_request")
        .with_message("missing field `client_secret`")
}
