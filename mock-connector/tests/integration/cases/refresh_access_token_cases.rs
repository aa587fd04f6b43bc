//! `refresh_access_token` (the SDK's OAuth module): `POST {host}/oauth/token` with
//! `grant_type=refresh_token`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

const SCOPE: CapabilityName = CapabilityName::RefreshAccessToken;

fn request() -> Value {
    json!({"client_id": "mock-client", "client_secret": "mock-client-secret", "refresh_token": "rt-1"})
}

fn token() -> HttpMockBuilder {
    HttpMock::post("/oauth/token")
}

#[rstest]
#[case::refreshes(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-2", "token_type": "bearer", "expires_in": 3600})))
        .expect_response(json!({"access_token": "at-2", "refresh_token": null, "token_type": "bearer", "state": null}))
)]
#[case::rotated_refresh_token(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(200, json!({"access_token": "at-2", "refresh_token": "rt-2"})))
        .expect_response(json!({"access_token": "at-2", "refresh_token": "rt-2", "token_type": "bearer", "state": null}))
)]
#[case::unknown_refresh_token_is_expired(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(
            400,
            json!({"error": "invalid_grant", "error_description": "unknown refresh token"}),
        ))
        .expect_error(ErrorCode::AuthenticationExpired)
        .message("unknown refresh token")
)]
#[case::wrong_secret_is_unauthorized(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(401, json!({"error": "invalid_client"})))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::provider_down(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_json(502, json!({"error": "bad_gateway"})))
        .expect_error(ErrorCode::ApiError)
        .status(502)
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
)]
#[case::not_json(
    Case::new(SCOPE)
        .payload(request())
        .mock(token().respond_text(200, "<html>login</html>"))
        .expect_error(ErrorCode::InvalidResponse)
)]
#[case::missing_refresh_token(
    Case::new(SCOPE)
        .payload(json!({"client_id": "mock-client", "client_secret": "mock-client-secret"}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field `refresh_token`")
)]
fn refresh_access_token(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
