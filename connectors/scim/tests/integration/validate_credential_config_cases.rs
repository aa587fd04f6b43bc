//! `validate_credential_config` (protocol 4), run by the SDK because the connector accepts
//! several credentials (token, basic, OAuth client credentials): one credential checked on its
//! own, without a call to the SCIM server.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, AuthCredential, BasicCredential, ErrorCode};
use connector_testkit::{Case, TypedCase};
use rstest::rstest;

use crate::support::check;

fn config(credential: AuthCredential) -> TypedCase<marker::ValidateCredentialConfig> {
    Case::of::<marker::ValidateCredentialConfig>(wire::ValidateCredentialConfig { credential })
}

fn basic(id: Option<&str>, username: &str, password: &str) -> AuthCredential {
    AuthCredential {
        id: id.map(str::to_owned),
        basic: Some(BasicCredential {
            username: username.to_owned(),
            password: password.into(),
        }),
        ..AuthCredential::default()
    }
}

fn verdict(errors: &[&str]) -> wire::ValidatedCredentialConfig {
    wire::ValidatedCredentialConfig {
        valid: errors.is_empty(),
        validation_errors: Some(errors.iter().map(|e| (*e).to_owned()).collect()),
    }
}

#[rstest]
#[case::a_good_basic_credential_is_valid(
    config(basic(Some("basic"), "scim-admin", "s3cret")).expect_response(verdict(&[]))
)]
#[case::an_empty_password_is_a_reason(
    config(basic(Some("basic"), "scim-admin", "")).expect_response(verdict(&[
        "A required field is empty, please provide a value before submitting again",
    ]))
)]
#[case::no_id_is_an_error(
    config(basic(None, "scim-admin", "s3cret"))
        .expect_error(ErrorCode::IntegrationMissingParameter)
        .message("Received credential without an ID")
)]
fn validate_credential_config(#[case] case: impl Into<Case>) {
    check(case);
}
