//! `handle_authorization_callback` (the SDK's OAuth module): the code from the redirect,
//! exchanged at `POST {host}/oauth/token`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

const SCOPE: CapabilityName = CapabilityName::HandleAuthorizationCallback;

fn request(redirect: &str) -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret",
           "redirect_uri_with_code": redirect, "state": "st-1"})
}

fn callback() -> Value {
    request("https://platform.example.com/cb?code=code-1&state=st-1")
}

fn token() -> HttpMockBuilder {
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

#[rstest]
#[case::exchanges_the_code(
    Case::new(SCOPE)
        .payload(callback())
        .mock(token().respond_json(200, issued()))
        .expect_response(json!({"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "state": null}))
)]
#[case::raw_data_when_asked(
    Case::new(SCOPE)
        .payload(callback())
        .include_raw_data()
        .mock(token().respond_json(200, issued()))
        .expect_envelope(json!({
            "response": {"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "state": null},
            "raw_data": {"access_token": "at-1", "refresh_token": "rt-1", "token_type": "bearer", "expires_in": 3600},
            "page": null,
        }))
)]
#[case::used_code_is_expired(
    Case::new(SCOPE)
        .payload(callback())
        .mock(refused(400, "invalid_grant", "unknown or used code"))
        .expect_error(ErrorCode::AuthenticationExpired)
        .status(400)
        .message("invalid_grant: unknown or used code")
)]
#[case::wrong_secret_is_unauthorized(
    Case::new(SCOPE)
        .payload(callback())
        .mock(refused(
            401,
            "invalid_client",
            "unknown client or wrong secret",
        ))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::provider_down(
    Case::new(SCOPE)
        .payload(callback())
        .mock(token().respond_text(500, "oops"))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::provider_throttles(
    Case::new(SCOPE)
        .payload(callback())
        .mock(
            token()
                .respond_json(429, json!({"error": "slow_down"}))
                .with_header("Retry-After", "0"),
        )
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::state_mismatch(
    Case::new(SCOPE)
        .payload(request(
            "https://platform.example.com/cb?code=code-1&state=forged",
        ))
        .expect_error(ErrorCode::BadRequest)
        .message("state")
)]
#[case::consent_refused(
    Case::new(SCOPE)
        .payload(request(
            "https://platform.example.com/cb?error=access_denied&state=st-1",
        ))
        .expect_error(ErrorCode::PermissionDenied)
        .message("access_denied")
)]
#[case::no_code_in_the_redirect(
    Case::new(SCOPE)
        .payload(request("https://platform.example.com/cb?state=st-1"))
        .expect_error(ErrorCode::BadRequest)
        .message("no `code` parameter")
)]
#[case::missing_client_secret(
    Case::new(SCOPE)
        .payload(
            json!({"client_id": "mock-client", "redirect_uri_with_code": "https://p/cb?code=c"}),
        )
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `client_secret`")
)]
fn handle_authorization_callback(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
