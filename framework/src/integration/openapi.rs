//! The OpenAPI 3.0 documents of the protocol and of one connector, generated from the wire
//! types (published as [`crate::spec`]; here so that protocol 4's `app_info` can give its own).

use schemars::generate::{SchemaGenerator, SchemaSettings};
use schemars::{JsonSchema, Schema};
use serde_json::{Map, Value, json};

use super::Integration;
use crate::capability::Connector;
use crate::wire::{self, CapabilityName};

/// The OpenAPI version of the documents.
pub(crate) const OPENAPI_VERSION: &str = "3.0.3";

/// The version of the connector protocol the wire types implement.
pub(crate) const PROTOCOL_VERSION: &str = "3.7.8";

const REF_PREFIX: &str = "#/components/schemas/";

/// The schemas of one capability's operation, by component name.
struct Operation {
    /// The request envelope's component (`ListAccountsRequest`).
    request: String,
    /// The success envelope's component under the protocol's name (`ListAccountsResponse`).
    response: String,
    /// The name schemars gave the success envelope (`Response_for_Array_of_FoundAccountData`).
    generated_response: String,
}

fn ref_name(schema: &Schema) -> String {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(REF_PREFIX))
        .unwrap_or_default()
        .to_owned()
}

/// Registers the envelopes `Req` and `Resp` of a capability.
fn operation<Req: JsonSchema, Resp: JsonSchema>(generator: &mut SchemaGenerator) -> Operation {
    let request = ref_name(&generator.subschema_for::<Req>());
    let generated_response = ref_name(&generator.subschema_for::<Resp>());
    let stem = request.strip_suffix("Request").unwrap_or(&request);
    Operation {
        response: format!("{stem}Response"),
        request,
        generated_response,
    }
}

/// The request and success envelopes of each capability, from the capability table.
fn operation_of(generator: &mut SchemaGenerator, name: CapabilityName) -> Operation {
    macro_rules! operations {
        ($(
            $Name:ident = $wire:literal {
                fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
                envelopes $Req:ident, $Resp:ident;
                group $group:ident; since $since:ident; summary $summary:literal;
            }
        )+) => {
            match name {
                $(CapabilityName::$Name => operation::<wire::$Req, wire::$Resp>(generator),)+
            }
        };
    }
    crate::table::for_each_capability!(operations)
}

fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("{REF_PREFIX}{name}") })
}

/// One `POST /{capability}` path item.
fn path_item(name: CapabilityName, operation: &Operation, description: Option<&str>) -> Value {
    let mut post = json!({
        "operationId": name.as_str(),
        "tags": [name.group().as_str()],
        "summary": name.summary(),
        "requestBody": {
            "required": true,
            "content": {"application/json": {"schema": schema_ref(&operation.request)}},
        },
        "responses": {
            "200": {
                "description": "The capability's envelope: its success envelope, or an error \
                                envelope (`is_error: true`). Both are answered with HTTP 200.",
                "content": {"application/json": {"schema": {"oneOf": [
                    schema_ref(&operation.response),
                    schema_ref("ErrorResponse"),
                ]}}},
            },
        },
    });
    if let Some(description) = description {
        post["description"] = Value::String(description.to_owned());
    }
    json!({ "post": post })
}

/// Paths and components for `capabilities`; `describe` gives an operation's description.
struct Document {
    paths: Map<String, Value>,
    schemas: Map<String, Value>,
}

fn document(
    generator: &mut SchemaGenerator,
    capabilities: &[CapabilityName],
    describe: impl Fn(CapabilityName) -> Option<String>,
) -> Document {
    let mut paths = Map::new();
    let mut renames = Vec::new();
    for &name in capabilities {
        let operation = operation_of(generator, name);
        let description = describe(name);
        paths.insert(
            format!("/{name}"),
            path_item(name, &operation, description.as_deref()),
        );
        renames.push((operation.generated_response, operation.response));
    }
    // The envelopes every document has, whether or not a path uses them.
    let error = ref_name(&generator.subschema_for::<wire::ErrorResponse>());
    let info = ref_name(&generator.subschema_for::<wire::InfoResponse>());
    renames.push((info, "InfoResponse".to_owned()));
    let _ = generator.subschema_for::<wire::OAuthScopes>();
    debug_assert_eq!(error, "ErrorResponse");

    let mut schemas = generator.take_definitions(true);
    // The success envelopes are one generic type; give each the protocol's name for it.
    for (generated, protocol_name) in &renames {
        if let Some(schema) = schemas.get(generated).cloned() {
            schemas.insert(protocol_name.clone(), schema);
        }
    }
    for (generated, protocol_name) in &renames {
        if generated != protocol_name {
            schemas.remove(generated);
        }
    }
    schemas.sort_keys();
    Document { paths, schemas }
}

fn generator() -> SchemaGenerator {
    SchemaSettings::openapi3().into_generator()
}

fn tags() -> Value {
    json!([
        {"name": "read", "description": "Capabilities that read the app."},
        {"name": "write", "description": "Capabilities that change the app."},
        {"name": "oauth", "description": "Capabilities that obtain OAuth credentials."},
        {"name": "validation", "description": "Capabilities that check one credential (protocol 4)."},
        {"name": "meta", "description": "Capabilities about the connection itself (protocol 4)."},
    ])
}

/// The OpenAPI 3.0 document of the whole protocol: one `POST /{capability}` operation per
/// capability, every wire type as a component.
pub(crate) fn protocol() -> Value {
    let mut generator = generator();
    let Document { paths, schemas } = document(&mut generator, CapabilityName::ALL, |_| None);
    json!({
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Lumos connector protocol",
            "version": PROTOCOL_VERSION,
            "description": "The protocol every connector speaks. Each operation is also a command \
                            of a connector executable: `<connector> <capability> --json \
                            '<request body>'` prints the response body on stdout. \
                            `<connector> info` prints an `InfoResponse`.",
        },
        "tags": tags(),
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// The OpenAPI 3.0 document of one connector: its registered capabilities, with its settings
/// type in every request envelope, and its metadata under `info` (`x-app-id`,
/// `x-capabilities`, `x-auth-kinds`, `x-oauth-scopes`, …).
pub(crate) fn connector<C: Connector>(
    integration: &Integration<C>,
    protocol: crate::wire::Protocol,
) -> Value {
    let mut generator = generator();
    let capabilities = integration.capabilities_in(protocol);
    let Document { paths, mut schemas } = document(&mut generator, &capabilities, |name| {
        integration.capability_description(name).map(str::to_owned)
    });
    let settings = generator.subschema_for::<C::Settings>();
    let settings_required = !is_empty_object(&generator, &settings);
    for (name, schema) in generator.take_definitions(true) {
        schemas.entry(name).or_insert(schema);
    }
    schemas.sort_keys();

    let auth_kinds: Vec<&str> = integration.auth_kinds().iter().map(|k| k.field()).collect();
    for name in &capabilities {
        let Some(path) = paths.get(&format!("/{name}")) else {
            continue;
        };
        let request = path["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
            .as_str()
            .and_then(|r| r.strip_prefix(REF_PREFIX))
            .unwrap_or_default()
            .to_owned();
        let Some(Value::Object(envelope)) = schemas.get_mut(&request) else {
            continue;
        };
        specialise_request(envelope, &settings, settings_required, &auth_kinds);
    }

    let info = integration.info();
    let mut metadata = Map::new();
    metadata.insert(
        "title".into(),
        Value::String(
            info.user_friendly_name
                .clone()
                .unwrap_or_else(|| info.app_id.clone()),
        ),
    );
    metadata.insert("version".into(), Value::String(info.version.clone()));
    if let Some(description) = &info.description {
        metadata.insert("description".into(), Value::String(description.clone()));
    }
    metadata.insert("x-app-id".into(), Value::String(info.app_id.clone()));
    metadata.insert(
        "x-protocol-version".into(),
        Value::String(PROTOCOL_VERSION.into()),
    );
    metadata.insert("x-capabilities".into(), json!(capabilities));
    metadata.insert("x-auth-kinds".into(), json!(auth_kinds));
    metadata.insert("x-oauth-scopes".into(), json!(info.oauth_scopes));
    metadata.insert("x-logo-url".into(), json!(info.logo_url));
    metadata.insert("x-categories".into(), json!(info.categories));
    metadata.insert("x-resource-types".into(), json!(info.resource_types));
    metadata.insert("x-entitlement-types".into(), json!(info.entitlement_types));
    json!({
        "openapi": OPENAPI_VERSION,
        "info": metadata,
        "tags": tags(),
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// Whether a settings schema accepts `{}` with nothing in it (the empty settings type).
fn is_empty_object(generator: &SchemaGenerator, schema: &Schema) -> bool {
    let resolved = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => reference
            .strip_prefix(REF_PREFIX)
            .and_then(|name| generator.definitions().get(name))
            .cloned()
            .unwrap_or(Value::Null),
        None => schema.clone().to_value(),
    };
    resolved
        .get("properties")
        .and_then(Value::as_object)
        .is_none_or(Map::is_empty)
}

/// Puts the connector's settings type and accepted credentials into a request envelope.
fn specialise_request(
    envelope: &mut Map<String, Value>,
    settings: &Schema,
    settings_required: bool,
    auth_kinds: &[&str],
) {
    if let Some(Value::Object(properties)) = envelope.get_mut("properties") {
        properties.insert("settings".into(), settings.clone().to_value());
        if let Some(auth) = properties.get_mut("auth")
            && !auth_kinds.is_empty()
        {
            let kinds = auth_kinds
                .iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(", ");
            *auth = json!({
                "allOf": [auth.clone()],
                "description": format!("The credential: one of the kinds this connector accepts ({kinds})."),
            });
        }
    }
    if settings_required
        && let Some(Value::Array(required)) = envelope.get_mut("required")
        && !required.iter().any(|r| r == "settings")
    {
        required.push(Value::String("settings".into()));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_capability_has_a_path_and_its_envelopes() {
        let doc = protocol();
        let schemas = doc["components"]["schemas"].as_object().unwrap();
        for name in CapabilityName::ALL {
            let post = &doc["paths"][format!("/{name}")]["post"];
            assert_eq!(post["operationId"], name.as_str());
            let body = &post["requestBody"]["content"]["application/json"]["schema"]["$ref"];
            let request = body.as_str().unwrap().strip_prefix(REF_PREFIX).unwrap();
            assert!(schemas.contains_key(request), "{request}");
            let answers = &post["responses"]["200"]["content"]["application/json"]["schema"];
            for answer in answers["oneOf"].as_array().unwrap() {
                let name = answer["$ref"].as_str().unwrap().strip_prefix(REF_PREFIX);
                assert!(schemas.contains_key(name.unwrap()), "{answer}");
            }
        }
        assert!(!schemas.keys().any(|k| k.starts_with("Response_for_")));
    }

    #[test]
    fn optional_fields_are_nullable_not_type_arrays() {
        let doc = protocol();
        let email = &doc["components"]["schemas"]["FoundAccountData"]["properties"]["email"];
        assert_eq!(email["nullable"], true, "{email}");
        assert_eq!(email["type"], "string", "{email}");
    }
}
