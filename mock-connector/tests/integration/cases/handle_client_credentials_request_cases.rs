//! `handle_client_credentials_request` (written by hand: the OAuth module provides one flow
//! type per integration): `POST {host}/oauth/token` with `grant_type=client_credentials`.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

const SCOPE: &str = "handle_client_credentials_request";

fn request() -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": ["users:read"]})
}

fn token() -> HttpMock {
    HttpMock::post("/oauth/token")
        .expect_header("content-type", "application/x-www-form-urlencoded")
}

fn issued() -> Value {
    json!({"access_token": "at-9", "token_type": "Bearer", "expires_in": 3600})
}

fn credentials() -> Value {
    json!({"access_token": "at-9", "refresh_token": null, "token_type": "bearer", "state": null})
}

pub(crate) fn issues_a_token() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, issued()))
        .expect_response(credentials())
}

pub(crate) fn raw_data_when_asked() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .include_raw_data()
        .mock(token().respond_json(200, issued()))
        .expect_envelope(json!({
            "response": credentials(),
            "raw_data": {"access_token": "at-9", "token_type": "bearer", "expires_in": 3600},
            "page": null,
        }))
}

pub(crate) fn wrong_secret_is_unauthorized() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            401,
            json!({"error": "invalid_client", "error_description": "unknown client or wrong secret"}),
        ))
        .expect_error("unauthorized")
        .with_status(401)
        .with_message("unknown client or wrong secret")
}

pub(crate) fn unsupported_grant_is_a_bad_request() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            400,
            json!({"error": "unsupported_grant_type", "error_description": "client_credentials"}),
        ))
        .expect_error("bad_request")
        .with_status(400)
}

pub(crate) fn provider_down() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(500, json!({"error": "server_error"})))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn provider_throttles() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(
            token()
                .respond_json(429, json!({"error": "slow_down"}))
                .with_header("Retry-After", "0"),
        )
        .expect_error("rate_limit")
        .with_status(429)
}

pub(crate) fn not_a_bearer_token() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-9", "token_type": "mac"})))
        .expect_error("invalid_response")
        .with_message("`mac`")
}

pub(crate) fn no_access_token() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"token_type": "Bearer"})))
        .expect_error("invalid_response")
        .with_message("no access_token")
}

pub(crate) fn blank_client_id() -> Case {
    Case::new(SCOPE)
        .payload(json!({"client_id": " ", "client_secret": "s", "scopes": []}))
        .expect_error("bad_request")
        .with_message("request.client_id must not be empty")
}

pub(crate) fn missing_scopes() -> Case {
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "client_secret": "s"}))
        .expect_error("bad_request")
        .with_message("missing field `scopes`")
}
