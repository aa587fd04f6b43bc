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

/// `CONNECTOR_PROTOCOL=4 mock-connector info` lists every standard capability of 4.x but
/// `info` itself (a command): 4.x's `StandardCapabilityName` from the committed schema, plus
/// the custom `get_tenant`, each with its schema; and 4.x's `info` validates.
#[test]
fn protocol_4_info_lists_every_standard_capability_and_a_custom_one() {
    let output = crate::support::connector()
        .env("CONNECTOR_PROTOCOL", "4")
        .arg("info")
        .output()
        .expect("the connector runs");
    assert!(output.status.success());
    let document: Value = serde_json::from_slice(&output.stdout).expect("info is JSON");
    let info = &document["response"];
    let listed: std::collections::BTreeSet<&str> = info["capabilities"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let schema: Value = serde_json::from_str(include_str!(
        "../../../framework/tests/data/wire-format-4.x.schema.json"
    ))
    .unwrap();
    let standard: Vec<&str> = schema["$defs"]["StandardCapabilityName"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .filter(|name| *name != "info")
        .collect();
    let missing: Vec<&&str> = standard
        .iter()
        .filter(|name| !listed.contains(**name))
        .collect();
    assert!(missing.is_empty(), "not listed in protocol 4: {missing:?}");
    assert_eq!(standard.len(), 51);
    assert!(listed.contains("get_tenant"), "{listed:?}");
    assert_eq!(listed.len(), standard.len() + 1);
    for name in &listed {
        assert!(
            info["capability_schema"][name].is_object(),
            "{name} has no schema"
        );
    }
    assert_eq!(
        info["capability_schema"]["get_tenant"]["display_name"],
        "Get Tenant"
    );
    let violations = connector_testkit::protocol4::violations("InfoResponse", &document);
    assert!(violations.is_empty(), "{violations:#?}");
}

/// In 3.7.8 the capabilities protocol 4 added stay unknown: `info` lists the 17 of 3.7.8.
#[test]
fn protocol_3_7_8_info_lists_only_its_capabilities() {
    let info = run(&["info"]).document();
    let listed = info["response"]["capabilities"].as_array().unwrap();
    assert_eq!(listed.len(), 17, "{listed:?}");
    assert!(!listed.contains(&Value::from("get_account")));
    assert!(!listed.contains(&Value::from("get_tenant")));
}
