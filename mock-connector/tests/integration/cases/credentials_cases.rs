//! Protocol 4's credential rules on the multi-credential mock connector (`legacy`: basic,
//! `oauth`: an OAuth token; either alone satisfies it): every rule of a request's `credentials`
//! list with 4.x's exact message (`validate_credential_config_cases` checks one credential on
//! its own). Each row runs through dispatch and through the HTTP server.

use connector_sdk::Protocol;
use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::harness;

/// The caller's fault, as 4.x writes it for a refused request.
fn caller() -> Value {
    json!({"fault": "caller", "category": "client", "hint": null, "retryable": false,
           "throttled": false, "refreshable": false, "retry_after_seconds": null})
}

fn legacy() -> Value {
    json!({"id": "legacy", "basic": {"username": "foo", "password": "bar"}})
}

fn oauth() -> Value {
    json!({"id": "oauth", "oauth": {"access_token": "at-1"}})
}

/// `validate_credentials` in protocol 4 with the envelope `envelope`.
fn v4(envelope: Value) -> Case {
    Case::new(CapabilityName::ValidateCredentials)
        .protocol(Protocol::V4)
        .raw_request(envelope)
}

/// A row refused with `bad_request` and exactly `message`.
fn refused(envelope: Value, message: &str) -> Case {
    v4(envelope)
        .expect_error(ErrorCode::BadRequest)
        .message(message)
        .metadata(caller())
        .into()
}

/// A 4.x success envelope of `validate_credentials`.
fn valid(tenant: &str) -> Value {
    json!({"response": {"valid": true, "unique_tenant_id": tenant}, "raw_data": null,
           "page": null, "rate_limit": null, "execution_summary": null})
}

/// The basic credential is checked locally: no HTTP call.
fn by_legacy(envelope: Value) -> Case {
    v4(envelope).expect_envelope(valid("mock-connector-tenant-id"))
}

/// The OAuth token is checked against the app's `GET /api/me`.
fn by_oauth(envelope: Value) -> Case {
    let me = HttpMock::get("/api/me")
        .expect_header("authorization", "Bearer at-1")
        .respond_json(200, json!({"tenant_id": "acme"}));
    v4(envelope).mock(me).expect_envelope(valid("acme"))
}

#[rstest]
#[case::both_auth_and_credentials(refused(
    json!({"auth": {"basic": legacy()["basic"]}, "credentials": [legacy()], "request": {}}),
    "Cannot pass credentials and auth in the same request, if you've meant to make this connector multi-auth compatible, please remove the auth field."
))]
#[case::both_auth_and_an_empty_list(refused(
    json!({"auth": {"basic": legacy()["basic"]}, "credentials": [], "request": {}}),
    "Cannot pass credentials and auth in the same request, if you've meant to make this connector multi-auth compatible, please remove the auth field."
))]
#[case::neither_auth_nor_credentials(refused(
    json!({"request": {}}),
    "Missing auth/credentials in request"
))]
#[case::null_auth_and_null_credentials(refused(
    json!({"auth": null, "credentials": null, "request": {}}),
    "Missing auth/credentials in request"
))]
#[case::empty_list(refused(
    json!({"credentials": [], "request": {}}),
    "Missing credentials in request"
))]
#[case::unknown_id(refused(
    json!({"credentials": [{"id": "nope", "basic": legacy()["basic"]}], "request": {}}),
    "Credential with id 'nope' not expected"
))]
#[case::a_kind_name_is_not_a_declared_id(refused(
    json!({"credentials": [{"id": "basic", "basic": legacy()["basic"]}], "request": {}}),
    "Credential with id 'basic' not expected"
))]
#[case::missing_id_at_index_0(refused(
    json!({"credentials": [{"basic": legacy()["basic"]}, legacy()], "request": {}}),
    "Missing ID in credential at index 0"
))]
#[case::missing_id_at_index_1(refused(
    json!({"credentials": [legacy(), {"oauth": oauth()["oauth"]}], "request": {}}),
    "Missing ID in credential at index 1"
))]
#[case::the_first_bad_entry_wins(refused(
    json!({"credentials": [{"id": "nope"}, {"basic": legacy()["basic"]}], "request": {}}),
    "Credential with id 'nope' not expected"
))]
#[case::wrong_kind_for_legacy(refused(
    json!({"credentials": [{"id": "legacy", "oauth": {"access_token": "t"}}], "request": {}}),
    "Missing 'basic' credential in request"
))]
#[case::wrong_kind_for_oauth(refused(
    json!({"credentials": [{"id": "oauth", "basic": legacy()["basic"]}], "request": {}}),
    "Missing 'basic' credential in request"
))]
#[case::ids_without_payloads_are_outside_every_allowed_set(refused(
    json!({"credentials": [{"id": "legacy"}, {"id": "oauth"}], "request": {}}),
    "Missing 'basic' credential in request"
))]
#[case::duplicate_ids_both_incomplete(refused(
    json!({"credentials": [{"id": "legacy"}, {"id": "legacy"}], "request": {}}),
    "Missing 'basic' credential in request"
))]
#[case::the_credential_is_checked_before_the_settings(refused(
    json!({"credentials": [{"id": "legacy"}], "request": {}, "settings": null}),
    "Missing 'basic' credential in request"
))]
#[case::legacy_alone(by_legacy(json!({"credentials": [legacy()], "request": {}})))]
#[case::oauth_alone(by_oauth(json!({"credentials": [oauth()], "request": {}})))]
#[case::duplicate_ids_a_complete_one_replaces_an_incomplete_one(by_legacy(
    json!({"credentials": [{"id": "legacy"}, legacy()], "request": {}})
))]
#[case::duplicate_ids_both_complete(by_legacy(
    json!({"credentials": [legacy(), legacy()], "request": {}})
))]
#[case::an_incomplete_extra_beside_a_satisfied_one(by_oauth(
    json!({"credentials": [{"id": "legacy"}, oauth()], "request": {}})
))]
#[case::legacy_auth_still_passes(by_legacy(
    json!({"auth": {"basic": legacy()["basic"]}, "request": {}})
))]
fn credentials(#[case] case: Case, #[values(Through::Dispatch, Through::Server)] through: Through) {
    harness().through(through).check_blocking(case);
}
