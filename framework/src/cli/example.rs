//! One-line summaries and example requests for `--help`.

use serde_json::{Map, Value, json};

use crate::Integration;
use crate::capability::Connector;
use crate::integration::AuthKind;
use crate::wire::{CapabilityGroup, CapabilityName};

/// A placeholder request payload, from the payload's JSON schema: every required field, with
/// `<field name>` for text and one placeholder item for lists of text.
fn payload(schema: &Value) -> Value {
    let required = schema.get("required").and_then(Value::as_array);
    let properties = schema.get("properties").and_then(Value::as_object);
    let (Some(required), Some(properties)) = (required, properties) else {
        return json!({});
    };
    let placeholder = |field: &str| Value::String(format!("<{}>", field.replace('_', " ")));
    let fields = required.iter().filter_map(Value::as_str).map(|field| {
        let property = properties.get(field).unwrap_or(&Value::Null);
        let kind = property
            .get("type")
            .and_then(Value::as_str)
            .unwrap_or("string");
        let value = match kind {
            "array" => match property.pointer("/items/type").and_then(Value::as_str) {
                Some("string") => json!([placeholder(field.trim_end_matches('s'))]),
                _ => json!([]),
            },
            "boolean" => json!(false),
            "integer" | "number" => json!(0),
            "object" => json!({}),
            _ => placeholder(field),
        };
        (field.to_owned(), value)
    });
    Value::Object(fields.collect())
}

fn auth(kind: AuthKind) -> Value {
    match kind {
        AuthKind::Basic => json!({"basic": {"username": "<username>", "password": "<password>"}}),
        AuthKind::Token => json!({"token": {"token": "<token>"}}),
        AuthKind::OAuth => json!({"oauth": {"access_token": "<access token>"}}),
        AuthKind::OAuthClientCredentials => json!({"oauth_client_credentials": {
            "access_token": "<access token>", "client_id": "<client id>",
            "client_secret": "<client secret>", "scopes": []
        }}),
        AuthKind::Jwt => json!({"jwt": {
            "headers": {"alg": "HS256", "jku": "", "jwk": "", "typ": "JWT", "kid": "", "x5u": "",
                        "x5c": "", "x5t": "", "x5t#S256": "", "cty": "", "crit": []},
            "claims": {"iss": "<issuer>", "sub": "<subject>", "aud": "<audience>", "exp": 0,
                       "nbf": 0, "iat": 0, "jti": "", "act": "", "scope": [], "client_id": "",
                       "may_act": ""},
            "secret": "<secret>"
        }}),
        AuthKind::KeyPair => json!({"key_pair": {
            "key_identifier": "<key identifier>", "private_key": "<private key>"
        }}),
        AuthKind::ServiceAccount => json!({"service_account": {
            "key": {"client_email": "<client email>", "private_key": "<private key>",
                    "token_uri": "<token uri>"},
            "impersonation_email": "", "tenant_id": "<tenant id>", "scopes": []
        }}),
        AuthKind::OAuth1 => json!({"oauth1": {
            "consumer_key": "<consumer key>", "consumer_secret": "<consumer secret>",
            "token_id": "<token id>", "token_secret": "<token secret>"
        }}),
        AuthKind::Empty => json!({"empty": {}}),
    }
}

/// An example request envelope for `name`, with placeholders.
pub(super) fn request<C: Connector>(integration: &Integration<C>, name: CapabilityName) -> String {
    let mut envelope = Map::new();
    let authenticated = name.group() != CapabilityGroup::OAuth;
    if authenticated && let Some(kind) = integration.auth_kinds().first() {
        envelope.insert("auth".into(), auth(*kind));
    }
    let schema = integration.argument_schema(name).unwrap_or_default();
    envelope.insert("request".into(), payload(&schema));
    let schema = schemars::schema_for!(C::Settings).to_value();
    let settings: Map<String, Value> = schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(|field| (field.to_owned(), Value::String(format!("<{field}>"))))
        .collect();
    if !settings.is_empty() {
        envelope.insert("settings".into(), Value::Object(settings));
    }
    Value::Object(envelope).to_string()
}
