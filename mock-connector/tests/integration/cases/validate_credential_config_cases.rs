//! `validate_credential_config` (protocol 4), run by the SDK because the mock connector accepts
//! two credentials (basic and oauth): one credential checked on its own, no app call.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, AuthCredential, BasicCredential, ErrorCode, OAuthCredential};
use connector_testkit::{Case, Through};
use rstest::rstest;

use super::harness;

fn check(
    credential: AuthCredential,
) -> connector_testkit::TypedCase<marker::ValidateCredentialConfig> {
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
    check(basic(Some("basic"), "foo", "bar")).expect_response(verdict(&[]))
)]
#[case::an_oauth_credential_by_its_id(
    check(AuthCredential {
        id: Some("oauth".to_owned()),
        oauth: Some(OAuthCredential { access_token: "at-1".into() }),
        ..AuthCredential::default()
    })
    .expect_response(verdict(&[]))
)]
#[case::whitespace_is_a_reason(
    check(basic(Some("basic"), "foo ", "bar")).expect_response(verdict(&[
        "Credential has extra whitespace, please remove it before submitting it again",
    ]))
)]
#[case::an_empty_field_is_a_reason(
    check(basic(Some("basic"), "foo", "")).expect_response(verdict(&[
        "A required field is empty, please provide a value before submitting again",
    ]))
)]
#[case::no_id_is_an_error(
    check(basic(None, "foo", "bar"))
        .expect_error(ErrorCode::IntegrationMissingParameter)
        .message("Received credential without an ID")
)]
#[case::an_unknown_id_is_an_error(
    check(basic(Some("zzz"), "foo", "bar"))
        .expect_error(ErrorCode::InvalidValue)
        .message("Missing credential configuration for ID zzz")
)]
#[case::a_payload_of_another_kind_is_an_error(
    check(basic(Some("oauth"), "foo", "bar"))
        .expect_error(ErrorCode::InvalidValue)
        .message("Invalid or malformed credential received")
)]
fn validate_credential_config(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
