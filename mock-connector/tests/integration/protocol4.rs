//! Protocol 4 outside the case tables: documents that are not a JSON object, an unregistered
//! capability, a panic-free internal error, `info` and `app_info` validated against the 4.x
//! schema, and 3.7.8 left as it was.

use connector_sdk::{Envelope, Protocol};
use connector_testkit::protocol4;
use serde_json::{Value, json};

fn dispatch(protocol: Protocol, capability: &str, request: &[u8]) -> Value {
    let integration = mock_connector::integration();
    let envelope: Envelope = crate::support::current_thread_runtime()
        .block_on(integration.dispatch_bytes_as(protocol, capability, request));
    envelope.to_value()
}

const CALLER: &str = r#"{"fault":"caller","category":"client","hint":null,"retryable":false,"throttled":false,"refreshable":false,"retry_after_seconds":null}"#;

#[test]
fn documents_that_are_not_an_object_are_bad_requests() {
    for (document, fragment) in [
        (
            &b"{not json"[..],
            "Invalid request - the request is not valid JSON: key must be a string",
        ),
        (
            b"5",
            "Invalid request - the request must be a JSON object, not a number",
        ),
        (
            b"[]",
            "Invalid request - the request must be a JSON object, not an array",
        ),
        (
            b"null",
            "Invalid request - the request must be a JSON object, not null",
        ),
        (
            b"{\"request\": \"\xff\"}",
            "Invalid request - the request is not valid JSON: invalid UTF-8 at byte 13",
        ),
    ] {
        let envelope = dispatch(Protocol::V4, "list_accounts", document);
        assert!(
            protocol4::problems(connector_sdk::wire::CapabilityName::ListAccounts, &envelope)
                .is_empty(),
            "{envelope}"
        );
        let error = &envelope["error"];
        assert_eq!(error["error_code"], "bad_request", "{envelope}");
        assert!(
            error["message"].as_str().unwrap().starts_with(fragment),
            "{envelope}"
        );
        assert_eq!(error["error_metadata"].to_string(), CALLER);
        assert_eq!(error["raised_by"], Value::Null);
    }
}

#[test]
fn an_unregistered_capability_is_an_unsupported_operation() {
    // The mock connector registers every standard capability; this one only lists accounts.
    let integration = connector_sdk::Integration::builder(
        mock_connector::MockConnector,
        "mock-connector",
        "0.0.0",
    )
    .auth(connector_sdk::AuthKind::Basic)
    .list_accounts()
    .build();
    for name in ["list_applications", "frobnicate"] {
        let envelope = crate::support::current_thread_runtime()
            .block_on(integration.dispatch_as(Protocol::V4, name, "{not json"))
            .to_value();
        assert_eq!(envelope["error"]["error_code"], "unsupported_operation");
        assert_eq!(
            envelope["error"]["message"],
            format!("Capability '{name}' is not implemented.")
        );
        assert_eq!(
            envelope["error"]["error_metadata"],
            json!({"fault": "connector", "category": "internal", "hint": null, "retryable": false,
                   "throttled": false, "refreshable": false, "retry_after_seconds": null})
        );
        // 3.7.8 keeps its own code and no metadata.
        let old = crate::support::current_thread_runtime()
            .block_on(integration.dispatch_as(Protocol::V3_7_8, name, "{not json"))
            .to_json();
        assert!(old.contains(r#""error_code":"not_implemented""#), "{old}");
        assert!(!old.contains("error_metadata"), "{old}");
    }
}

#[test]
fn info_is_a_valid_4x_info_document() {
    let integration = mock_connector::integration();
    let text = integration.info_json_as(Protocol::V4);
    let info: Value = serde_json::from_str(&text).expect("info is JSON");
    let violations = protocol4::violations("InfoResponse", &info);
    assert!(violations.is_empty(), "{violations:#?}\n{text}");
    // Printed as 4.x prints it: sorted keys, Python's separators.
    assert!(text.starts_with(r#"{"execution_summary": null, "page": null, "rate_limit": null, "raw_data": null, "response": {"access_graph_entitlement_rules": [], "#), "{text}");
    let response = &info["response"];
    assert_eq!(response.as_object().unwrap().len(), 18);
    assert!(
        response["capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("app_info"))
    );
    let list = &response["capability_schema"]["list_accounts"];
    // The connector's own display name; the others default to the name in Title Case.
    assert_eq!(list["display_name"], "List Users");
    assert_eq!(
        response["capability_schema"]["list_resources"]["display_name"],
        "List Resources"
    );
    assert_eq!(list["argument"]["x-capability-level"], "read");
    assert_eq!(
        response["capability_schema"]["create_account"]["argument"]["x-capability-level"],
        "write"
    );
    assert_eq!(
        response["capability_schema"]["app_info"]["argument"]["x-capability-category"],
        "specification"
    );
    let settings = &response["request_settings_schema"];
    assert_eq!(
        settings["field_order"],
        json!(["host", "api_key", "rate_limit"])
    );
    assert_eq!(settings["properties"]["api_key"]["x-secret"], true);
    // Two optional credentials, declared by id.
    let credentials = response["credentials_schema"].as_array().unwrap();
    let ids: Vec<&Value> = credentials.iter().map(|c| &c["id"]).collect();
    assert_eq!(ids, [&json!("legacy"), &json!("oauth")]);
    assert_eq!(
        credentials[0]["description"],
        "The mock app's **username and password** (the seed example)."
    );
    assert_eq!(response["authentication_schema"], json!({}));
    assert_eq!(credentials[0]["x-credential-type"], "basic");
    assert_eq!(credentials[0]["x-optional"], true);
    assert_eq!(
        credentials[0]["field_order"],
        json!(["username", "password"])
    );
    assert_eq!(credentials[0]["properties"]["password"]["x-secret"], true);
    // 3.7.8's info is untouched.
    let old = integration.info_json_as(Protocol::V3_7_8);
    assert_eq!(old, integration.info_json());
    assert!(!old.contains("credentials_schema") && !old.contains("x-capability-level"));
}

#[test]
fn app_info_is_a_valid_4x_envelope_without_auth_or_settings() {
    let envelope = dispatch(
        Protocol::V4,
        "app_info",
        br#"{"request":{},"auth":{},"credentials":[]}"#,
    );
    let violations = protocol4::violations("AppInfoResponse", &envelope);
    assert!(violations.is_empty(), "{violations:#?}");
    let keys: Vec<&String> = envelope.as_object().unwrap().keys().collect();
    assert_eq!(keys, protocol4::SUCCESS_KEYS);
    let schema = &envelope["response"]["app_schema"];
    assert_eq!(envelope["response"]["app_id"], "mock-connector");
    assert_eq!(schema["openapi"], "3.0.0");
    assert_eq!(schema["info"]["x-app-id"], "mock-connector");
    assert_eq!(schema["info"]["x-multi-credential"], true);
    assert_eq!(
        schema["info"]["x-allowed-credentials"],
        json!([["legacy"], ["oauth"]])
    );
    assert!(schema["paths"]["/list_accounts"].is_object());
    assert!(schema["paths"]["/app_info"].is_object());
    let oauth = &schema["info"]["x-oauth-settings"];
    assert_eq!(oauth["oauth_type"], "CODE_FLOW", "{oauth}");
    assert_eq!(
        oauth["capabilities"]["get_authorization_url"], true,
        "{oauth}"
    );
    assert!(oauth["scopes"].is_object(), "{oauth}");
    assert!(
        schema["info"]["x-capabilities"]
            .as_array()
            .unwrap()
            .contains(&json!("app_info"))
    );

    let missing = dispatch(Protocol::V4, "app_info", b"{}");
    assert_eq!(missing["error"]["error_code"], "bad_request");
    assert_eq!(
        missing["error"]["message"],
        "Invalid request - request: missing field `request`"
    );
    // 3.7.8 has no app_info.
    let old = dispatch(Protocol::V3_7_8, "app_info", br#"{"request":{}}"#);
    assert_eq!(old["error"]["error_code"], "not_implemented");
}

/// What the binary prints with `CONNECTOR_PROTOCOL=4`.
fn binary_v4(args: &[&str]) -> Value {
    let output = crate::support::connector()
        .env("CONNECTOR_PROTOCOL", "4")
        .args(args)
        .output()
        .expect("the connector runs");
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(stdout.matches('\n').count(), 1, "{stdout}");
    serde_json::from_str(&stdout).expect("one JSON document")
}

#[test]
fn the_binary_in_protocol_4_prints_valid_info_and_app_info() {
    let info = binary_v4(&["info"]);
    let violations = protocol4::violations("InfoResponse", &info);
    assert!(violations.is_empty(), "{violations:#?}");
    let app_info = binary_v4(&["app_info", "--json", r#"{"request":{}}"#]);
    let violations = protocol4::violations("AppInfoResponse", &app_info);
    assert!(violations.is_empty(), "{violations:#?}");
    assert_eq!(app_info["response"]["app_id"], "mock-connector");
}
