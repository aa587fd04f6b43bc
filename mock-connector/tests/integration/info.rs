//! `mock-connector info` against the protocol's schema.

use serde_json::Value;

use crate::support::run;

fn protocol_validator(definition: &str) -> jsonschema::Validator {
    let text = include_str!("../../../framework/tests/data/wire-format-3.7.8.schema.json");
    let mut schema: Value = serde_json::from_str(text).unwrap();
    schema["$ref"] = Value::String(format!("#/$defs/{definition}"));
    jsonschema::validator_for(&schema).expect("the protocol schema compiles")
}

#[test]
fn info_validates_as_the_protocols_info_response() {
    let out = run(&["info"]);
    assert_eq!(out.code, 0);
    let doc = out.document();
    let validator = protocol_validator("InfoResponse");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        doc["response"]["capabilities"],
        serde_json::json!([
            "get_authorization_url",
            "handle_authorization_callback",
            "list_accounts",
            "refresh_access_token",
            "validate_credentials"
        ])
    );
    assert_eq!(
        doc["response"]["request_settings_schema"]["required"],
        serde_json::json!(["host"])
    );
    assert_eq!(
        doc["response"]["oauth_scopes"],
        serde_json::json!({"list_accounts": "users:read", "validate_credentials": "profile:read"})
    );
    let schemas = &doc["response"]["capability_schema"];
    assert_eq!(
        schemas["handle_authorization_callback"]["output"]["title"],
        "OauthCredentials"
    );
    assert_eq!(
        schemas["get_authorization_url"]["argument"]["title"],
        "GetAuthorizationUrl"
    );
}

#[test]
fn info_is_printed_like_the_reference() {
    let out = run(&["info"]);
    assert!(out.stdout.starts_with(r#"{"page": null, "raw_data": null, "response": {"app_id": "mock-connector", "authentication_schema": {"#));
    assert!(out.stdout.is_ascii(), "non-ASCII must be escaped");
}

#[test]
fn envelopes_validate_against_the_protocol() {
    let ok = run(&["validate_credentials", "--json", crate::support::VALID]).document();
    assert!(protocol_validator("ValidateCredentialsResponse").is_valid(&ok));
    let err = run(&["validate_credentials", "--json", "{}"]).document();
    assert!(protocol_validator("ErrorResponse").is_valid(&err));
}
