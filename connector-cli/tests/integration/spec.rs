//! `connector spec` and `<connector> spec`: OpenAPI 3.0 documents generated from the wire types.

use std::collections::BTreeSet;

use connector_sdk::wire::CapabilityName;
use serde_json::Value;

use crate::support::{connector, protocol_definitions, run_ok};

/// Every `$ref` of the document, which must name a component.
fn dangling_refs(document: &Value) -> Vec<String> {
    fn walk(value: &Value, refs: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    refs.push(reference.clone());
                }
                map.values().for_each(|v| walk(v, refs));
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, refs)),
            _ => {}
        }
    }
    let mut refs = Vec::new();
    walk(document, &mut refs);
    let schemas = &document["components"]["schemas"];
    refs.into_iter()
        .filter(|r| {
            r.strip_prefix("#/components/schemas/")
                .is_none_or(|name| schemas.get(name).is_none())
        })
        .collect()
}

fn protocol_spec(format: &str) -> String {
    let output = run_ok(connector().args(["spec", "--format", format]));
    String::from_utf8(output.stdout).expect("UTF-8")
}

#[test]
fn the_protocol_spec_is_openapi_3_with_every_capability_and_wire_type() {
    let text = protocol_spec("json");
    let document: Value = serde_json::from_str(&text).expect("JSON");
    let api: openapiv3::OpenAPI = serde_json::from_value(document.clone()).expect("OpenAPI 3.0");
    assert_eq!(api.openapi, "3.0.3");

    let operations: BTreeSet<(String, String)> = api
        .operations()
        .map(|(path, method, _)| (path.to_owned(), method.to_owned()))
        .collect();
    let expected: BTreeSet<(String, String)> = CapabilityName::ALL
        .iter()
        .map(|name| (format!("/{name}"), "post".to_owned()))
        .collect();
    assert_eq!(
        operations, expected,
        "one POST per capability, nothing else"
    );
    for (path, _, operation) in api.operations() {
        let name = path.trim_start_matches('/');
        assert_eq!(operation.operation_id.as_deref(), Some(name));
        assert!(
            operation.request_body.is_some(),
            "{name} has a request body"
        );
        assert!(
            operation.responses.responses.len() == 1,
            "{name}: one answer"
        );
    }

    let components = api.components.expect("components");
    let missing: Vec<String> = protocol_definitions()
        .into_iter()
        .filter(|name| !components.schemas.contains_key(name))
        .collect();
    assert!(
        missing.is_empty(),
        "wire types without a component: {missing:?}"
    );
    assert_eq!(dangling_refs(&document), Vec::<String>::new());
}

#[test]
fn yaml_is_the_same_document() {
    let json: Value = serde_json::from_str(&protocol_spec("json")).expect("JSON");
    let yaml: Value = yaml_serde::from_str(&protocol_spec("yaml")).expect("YAML");
    assert_eq!(json, yaml);
}

#[test]
fn a_connector_spec_has_its_capabilities_and_settings() {
    let integration = mock_connector::integration();
    let document = connector_sdk::spec::connector(&integration);
    let api: openapiv3::OpenAPI = serde_json::from_value(document.clone()).expect("OpenAPI 3.0");
    let paths: Vec<String> = api.paths.paths.keys().cloned().collect();
    // Those of the protocol it speaks (validate_credential_config is protocol 4's).
    let registered: Vec<String> = integration
        .capabilities_in(integration.protocol())
        .iter()
        .map(|name| format!("/{name}"))
        .collect();
    assert_eq!(
        paths, registered,
        "the registered capabilities, nothing else"
    );
    let request = &document["components"]["schemas"]["ListAccountsRequest"];
    assert_eq!(
        request["properties"]["settings"]["$ref"],
        "#/components/schemas/MockSettings"
    );
    assert!(
        request["required"]
            .as_array()
            .unwrap()
            .contains(&"settings".into())
    );
    assert_eq!(
        document["components"]["schemas"]["MockSettings"]["required"],
        serde_json::json!(["host"])
    );
    assert_eq!(document["info"]["x-app-id"], "mock-connector");
    assert_eq!(
        document["info"]["x-auth-kinds"],
        serde_json::json!(["basic", "oauth"])
    );
    assert_eq!(dangling_refs(&document), Vec::<String>::new());
}

#[test]
fn every_connector_answers_spec() {
    let integration = mock_connector::integration();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .expect("a runtime");
    let outcome = runtime.block_on(connector_sdk::cli::execute(
        &integration,
        ["mock-connector", "spec"],
    ));
    assert_eq!(outcome.exit_code, 0, "{}", outcome.stderr);
    let printed: Value = serde_json::from_str(&outcome.stdout).expect("one JSON document");
    assert_eq!(printed, connector_sdk::spec::connector(&integration));
}
