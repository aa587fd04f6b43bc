//! OAuth capabilities: one rstest table per capability, its cases in `cases/<capability>_cases.rs`.

use connector_testkit::Case;
use rstest::rstest;

use crate::cases::{
    get_authorization_url_cases, handle_authorization_callback_cases,
    handle_client_credentials_request_cases, harness, refresh_access_token_cases,
};

#[rstest]
#[case::every_declared_scope_by_default(
    get_authorization_url_cases::every_declared_scope_by_default()
)]
#[case::the_scopes_asked_for(get_authorization_url_cases::the_scopes_asked_for())]
#[case::state_is_encoded(get_authorization_url_cases::state_is_encoded())]
#[case::missing_redirect_uri(get_authorization_url_cases::missing_redirect_uri())]
#[case::scopes_must_be_a_list(get_authorization_url_cases::scopes_must_be_a_list())]
#[case::invalid_settings(get_authorization_url_cases::invalid_settings())]
fn get_authorization_url(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::exchanges_the_code(handle_authorization_callback_cases::exchanges_the_code())]
#[case::raw_data_when_asked(handle_authorization_callback_cases::raw_data_when_asked())]
#[case::used_code_is_expired(handle_authorization_callback_cases::used_code_is_expired())]
#[case::wrong_secret_is_unauthorized(
    handle_authorization_callback_cases::wrong_secret_is_unauthorized()
)]
#[case::provider_down(handle_authorization_callback_cases::provider_down())]
#[case::provider_throttles(handle_authorization_callback_cases::provider_throttles())]
#[case::state_mismatch(handle_authorization_callback_cases::state_mismatch())]
#[case::consent_refused(handle_authorization_callback_cases::consent_refused())]
#[case::no_code_in_the_redirect(handle_authorization_callback_cases::no_code_in_the_redirect())]
#[case::missing_client_secret(handle_authorization_callback_cases::missing_client_secret())]
fn handle_authorization_callback(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::issues_a_token(handle_client_credentials_request_cases::issues_a_token())]
#[case::raw_data_when_asked(handle_client_credentials_request_cases::raw_data_when_asked())]
#[case::wrong_secret_is_unauthorized(
    handle_client_credentials_request_cases::wrong_secret_is_unauthorized()
)]
#[case::unsupported_grant_is_a_bad_request(
    handle_client_credentials_request_cases::unsupported_grant_is_a_bad_request()
)]
#[case::provider_down(handle_client_credentials_request_cases::provider_down())]
#[case::provider_throttles(handle_client_credentials_request_cases::provider_throttles())]
#[case::not_a_bearer_token(handle_client_credentials_request_cases::not_a_bearer_token())]
#[case::no_access_token(handle_client_credentials_request_cases::no_access_token())]
#[case::blank_client_id(handle_client_credentials_request_cases::blank_client_id())]
#[case::missing_scopes(handle_client_credentials_request_cases::missing_scopes())]
fn handle_client_credentials_request(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
#[case::refreshes(refresh_access_token_cases::refreshes())]
#[case::rotated_refresh_token(refresh_access_token_cases::rotated_refresh_token())]
#[case::unknown_refresh_token_is_expired(
    refresh_access_token_cases::unknown_refresh_token_is_expired()
)]
#[case::wrong_secret_is_unauthorized(refresh_access_token_cases::wrong_secret_is_unauthorized())]
#[case::provider_down(refresh_access_token_cases::provider_down())]
#[case::provider_throttles(refresh_access_token_cases::provider_throttles())]
#[case::not_json(refresh_access_token_cases::not_json())]
#[case::missing_refresh_token(refresh_access_token_cases::missing_refresh_token())]
fn refresh_access_token(#[case] case: Case) {
    harness().check_blocking(case);
}
