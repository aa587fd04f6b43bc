//! `refresh_access_token` (the SDK's OAuth module): `POST {host}/oauth/token` with
//! `grant_type=refresh_token`.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

const SCOPE: &str = "refresh_access_token";

fn request() -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret", "refresh_token": "rt-1"})
}

fn token() -> HttpMock {
    HttpMock::post("/oauth/token")
}

pub(crate) fn refreshes() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-2", "token_type": "bearer", "expires_in": 3600})))
        .expect_response(json!({"access_token": "at-2", "refresh_token": null, "token_type": "bearer", "state": null}))
}

pub(crate) fn rotated_refresh_token() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-2", "refresh_token": "rt-2"})))
        .expect_response(json!({"access_token": "at-2", "refresh_token": "rt-2", "token_type": "bearer", "state": null}))
}

pub(crate) fn unknown_refresh_token_is_expired() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            400,
            json!({"error": "invalid_grant", "error_description": "unknown refresh token"}),
        ))
        .expect_error("authentication_expired")
        .with_message("unknown refresh token")
}

pub(crate) fn wrong_secret_is_unauthorized() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(401, json!({"error": "invalid_client"})))
        .expect_error("unauthorized")
        .with_status(401)
}

pub(crate) fn provider_down() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(502, json!({"error": "bad_gateway"})))
        .expect_error("api_error")
        .with_status(502)
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
}

pub(crate) fn not_json() -> Case {
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_text(200, "<html>login</html>"))
        .expect_error("invalid_response")
}

pub(crate) fn missing_refresh_token() -> Case {
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "client_secret": "mock-client-secret"}))
        .expect_error("bad_request")
        .with_message("missing field `refresh_token`")
}
