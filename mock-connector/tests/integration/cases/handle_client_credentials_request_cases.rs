//! `handle_client_credentials_request` (written by hand: the OAuth module provides one flow
//! type per integration): `POST {host}/oauth/token` with `grant_type=client_credentials`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

const SCOPE: CapabilityName = CapabilityName::HandleClientCredentialsRequest;

fn request() -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": ["users:read"]})
}

fn token() -> HttpMockBuilder {
    HttpMock::post("/oauth/token")
        .expect_header("content-type", "application/x-www-form-urlencoded")
}

fn issued() -> Value {
    json!({"access_token": "at-9", "token_type": "Bearer", "expires_in": 3600})
}

fn credentials() -> Value {
    json!({"access_token": "at-9", "refresh_token": null, "token_type": "bearer", "state": null})
}

#[rstest]
#[case::issues_a_token(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, issued()))
        .expect_response(credentials())
)]
#[case::raw_data_when_asked(
    Case::new(SCOPE)
        .payload(request())
        .include_raw_data()
        .mock(token().respond_json(200, issued()))
        .expect_envelope(json!({
            "response": credentials(),
            "raw_data": {"access_token": "at-9", "token_type": "bearer", "expires_in": 3600},
            "page": null,
        }))
)]
#[case::wrong_secret_is_unauthorized(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            401,
            json!({"error": "invalid_client", "error_description": "unknown client or wrong secret"}),
        ))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
        .message("unknown client or wrong secret")
)]
#[case::unsupported_grant_is_a_bad_request(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            400,
            json!({"error": "unsupported_grant_type", "error_description": "client_credentials"}),
        ))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
)]
#[case::provider_down(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(500, json!({"error": "server_error"})))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::provider_throttles(
    Case::new(SCOPE)
        .payload(request())
        .mock(
            token()
                .respond_json(429, json!({"error": "slow_down"}))
                .with_header("Retry-After", "0"),
        )
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::not_a_bearer_token(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-9", "token_type": "mac"})))
        .expect_error(ErrorCode::InvalidResponse)
        .message("`mac`")
)]
#[case::no_access_token(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"token_type": "Bearer"})))
        .expect_error(ErrorCode::InvalidResponse)
        .message("no access_token")
)]
#[case::blank_client_id(
    Case::new(SCOPE)
        .payload(json!({"client_id": " ", "client_secret": "s", "scopes": []}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.client_id must not be empty")
)]
#[case::missing_scopes(
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "client_secret": "s"}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `scopes`")
)]
fn handle_client_credentials_request(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
