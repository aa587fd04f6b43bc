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
            "activate_account",
            "assign_entitlement",
            "create_account",
            "deactivate_account",
            "delete_account",
            "find_entitlement_associations",
            "get_authorization_url",
            "get_last_activity",
            "handle_authorization_callback",
            "handle_client_credentials_request",
            "list_accounts",
            "list_custom_attributes_schema",
            "list_entitlements",
            "list_resources",
            "refresh_access_token",
            "unassign_entitlement",
            "validate_credentials"
        ])
    );
    assert_eq!(
        doc["response"]["resource_types"],
        serde_json::json!([{"type_id": "group", "type_label": "Group"}])
    );
    assert_eq!(
        doc["response"]["entitlement_types"],
        serde_json::json!([
            {"type_id": "member", "type_label": "Group member", "resource_type_id": "group", "min": 0, "max": null},
            {"type_id": "role", "type_label": "App role", "resource_type_id": "", "min": 0, "max": null}
        ])
    );
    assert_eq!(
        doc["response"]["request_settings_schema"]["required"],
        serde_json::json!(["host"])
    );
    assert_eq!(
        doc["response"]["oauth_scopes"],
        serde_json::json!({
            "activate_account": "users:write",
            "assign_entitlement": "groups:write roles:write",
            "create_account": "users:write groups:write roles:write",
            "deactivate_account": "users:write",
            "delete_account": "users:write",
            "find_entitlement_associations": "groups:read roles:read",
            "get_last_activity": "activity:read",
            "list_accounts": "users:read",
            "list_custom_attributes_schema": "users:read",
            "list_entitlements": "groups:read roles:read",
            "list_resources": "groups:read",
            "unassign_entitlement": "groups:write roles:write",
            "validate_credentials": "profile:read"
        })
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
    assert_eq!(
        schemas["handle_client_credentials_request"]["argument"]["title"],
        "HandleClientCredentials"
    );
    assert_eq!(
        schemas["create_account"]["output"]["title"],
        "CreatedAccount"
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
