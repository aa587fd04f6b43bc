//! `validate_credential_config` (protocol 4): the SDK's, registered because the mock connector
//! is multi-credential. One credential, checked on its own against the declared ids and kinds
//! with 4.x's codes and messages; field problems are reasons of `valid: false`.

use connector_sdk::Protocol;
use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

fn legacy() -> Value {
    json!({"id": "legacy", "basic": {"username": "foo", "password": "bar"}})
}

fn oauth() -> Value {
    json!({"id": "oauth", "oauth": {"access_token": "at-1"}})
}

/// `validate_credential_config` (the SDK's, registered because the connector is
/// multi-credential) in protocol 4 with `credential`.
fn config(credential: Value) -> Case {
    Case::new(CapabilityName::ValidateCredentialConfig)
        .protocol(Protocol::V4)
        .raw_request(json!({"request": {"credential": credential}}))
}

fn checked(valid: bool, errors: Value) -> Value {
    json!({"response": {"valid": valid, "validation_errors": errors}, "raw_data": null,
           "page": null, "rate_limit": null, "execution_summary": null})
}

#[rstest]
#[case::a_declared_id_of_its_kind(config(legacy()).expect_envelope(checked(true, json!([]))))]
#[case::the_oauth_credential(config(oauth()).expect_envelope(checked(true, json!([]))))]
#[case::whitespace_is_a_reason(
    config(json!({"id": "legacy", "basic": {"username": " foo", "password": "bar"}}))
        .expect_envelope(checked(false, json!(["Credential has extra whitespace, please remove it before submitting it again"])))
)]
#[case::an_empty_field_is_a_reason(
    config(json!({"id": "legacy", "basic": {"username": "foo", "password": ""}}))
        .expect_envelope(checked(false, json!(["A required field is empty, please provide a value before submitting again"])))
)]
#[case::no_id(
    config(json!({"basic": legacy()["basic"]}))
        .expect_error(ErrorCode::IntegrationMissingParameter)
        .message("Received credential without an ID")
        .into()
)]
#[case::a_kind_name_is_not_a_declared_id(
    config(json!({"id": "basic", "basic": legacy()["basic"]}))
        .expect_error(ErrorCode::InvalidValue)
        .message("Missing credential configuration for ID basic")
        .into()
)]
#[case::a_payload_of_another_kind(
    config(json!({"id": "oauth", "basic": legacy()["basic"]}))
        .expect_error(ErrorCode::InvalidValue)
        .message("Invalid or malformed credential received")
        .into()
)]
fn validate_credential_config(
    #[case] case: Case,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
