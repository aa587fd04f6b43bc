//! Real-looking envelopes, pinned byte for byte (compact JSON, as a connector prints them).
//!
//! Each is also checked against the strict reference, so a snapshot can't pin a wrong shape.
//! Snapshots live in `tests/integration/snapshots/`; update with
//! `INSTA_UPDATE=always cargo test -p connector-sdk --test integration wire::snapshots`.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Value, json};

use connector_sdk::wire::{
    AccountStatus, AccountType, Error, ErrorCode, ErrorResponse, FoundAccountData,
    ListAccountsResponse, Page, Response, ValidateCredentialsRequest, ValidateCredentialsResponse,
    ValidatedCredentials,
};

use super::reference::{REFERENCE, violations};

/// Snapshots `envelope`'s compact JSON after checking it against definition `def`.
fn assert_wire_snapshot(name: &str, def: &str, envelope: &impl Serialize) {
    let text = serde_json::to_string(envelope).expect("envelopes serialize");
    let document: Value = serde_json::from_str(&text).expect("the output is JSON");
    if let Some(errors) = violations(&REFERENCE.strict_validator(def), &document) {
        panic!("the `{name}` snapshot is not a valid `{def}`:\n    {errors}\n  {text}");
    }
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_description(format!("`{def}`, compact, as on the wire"));
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn validate_credentials_success() {
    let envelope: ValidateCredentialsResponse = Response::new(ValidatedCredentials {
        valid: true,
        unique_tenant_id: "acme-prod-eu".to_owned(),
    });
    assert_wire_snapshot(
        "validate_credentials_success",
        "ValidateCredentialsResponse",
        &envelope,
    );
}

#[test]
fn error_envelope() {
    let envelope = ErrorResponse::new(Error {
        message: "The API token was revoked".to_owned(),
        status_code: Some(401),
        app_error_code: Some("token_revoked".to_owned()),
        error_code: ErrorCode::CredsRevoked,
        app_id: "acme".to_owned(),
        raised_by: Some("HTTPStatusError".to_owned()),
        raised_in: Some("acme.integration:list_accounts".to_owned()),
        error_metadata: None,
    });
    assert_wire_snapshot("error_envelope", "ErrorResponse", &envelope);
}

#[test]
fn list_accounts_page_with_a_next_page() {
    let ada = FoundAccountData {
        email: Some("ada@acme.example".to_owned()),
        given_name: Some("Ada".to_owned()),
        family_name: Some("Lovelace".to_owned()),
        username: Some("ada".to_owned()),
        user_status: Some(AccountStatus::Active),
        extra_data: Some(
            json!({ "title": "Engineer", "groups": ["eng", "admins"] })
                .as_object()
                .cloned()
                .expect("an object"),
        ),
        custom_attributes: Some(BTreeMap::from([(
            "department".to_owned(),
            "R&D".to_owned(),
        )])),
        account_type: Some(AccountType::User),
        ..FoundAccountData::new("u-1001")
    };
    let ci = FoundAccountData {
        user_status: Some(AccountStatus::Suspended),
        account_type: Some(AccountType::Service),
        ..FoundAccountData::new("svc-ci")
    };
    let envelope: ListAccountsResponse = Response {
        page: Some(Page {
            token: Some("eyJvZmZzZXQiOjJ9".to_owned()),
            size: Some(2),
        }),
        ..Response::new(vec![ada, ci])
    };
    assert_wire_snapshot(
        "list_accounts_page_with_a_next_page",
        "ListAccountsResponse",
        &envelope,
    );
}

#[test]
fn validate_credentials_request_as_read_and_written_back() {
    // What a platform sends (sparse, with a key from a newer platform), read and written back:
    // unknown keys gone, absent optionals null, the password written as given.
    let sent = r#"{"auth":{"basic":{"username":"svc-lumos","password":"hunter2"}},"request":{},"settings":{"base_url":"https://acme.example"},"trace_id":"4bf9"}"#;
    let request: ValidateCredentialsRequest =
        serde_json::from_str(sent).expect("a valid validate_credentials request");
    assert_wire_snapshot(
        "validate_credentials_request_written_back",
        "ValidateCredentialsRequest",
        &request,
    );
}
