//! One-line summaries and example requests for `--help`.

use serde_json::{Map, Value, json};

use crate::Integration;
use crate::capability::Connector;
use crate::integration::AuthKind;
use crate::wire::CapabilityName;

fn payload(name: CapabilityName) -> Value {
    let entitlement = json!({
        "account_integration_specific_id": "<account id>",
        "resource_integration_specific_id": "<resource id>",
        "resource_type": "<resource type>",
        "entitlement_integration_specific_id": "<entitlement id>",
        "entitlement_type": "<entitlement type>",
    });
    match name {
        CapabilityName::GetLastActivity => json!({"account_ids": ["<account id>"]}),
        CapabilityName::CreateAccount => json!({"email": "<email>", "entitlements": []}),
        CapabilityName::DeleteAccount
        | CapabilityName::ActivateAccount
        | CapabilityName::DeactivateAccount => json!({"account_id": "<account id>"}),
        CapabilityName::AssignEntitlement | CapabilityName::UnassignEntitlement => entitlement,
        CapabilityName::GetAuthorizationUrl => json!({
            "client_id": "<client id>", "scopes": [], "redirect_uri": "<redirect uri>", "state": "<state>"
        }),
        CapabilityName::HandleAuthorizationCallback => json!({
            "client_id": "<client id>", "client_secret": "<client secret>",
            "redirect_uri_with_code": "<redirect uri>?code=<code>&state=<state>"
        }),
        CapabilityName::HandleClientCredentialsRequest => json!({
            "client_id": "<client id>", "client_secret": "<client secret>", "scopes": []
        }),
        CapabilityName::RefreshAccessToken => json!({
            "client_id": "<client id>", "client_secret": "<client secret>",
            "refresh_token": "<refresh token>"
        }),
        _ => json!({}),
    }
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
    }
}

/// An example request envelope for `name`, with placeholders.
pub(super) fn request<C: Connector>(integration: &Integration<C>, name: CapabilityName) -> String {
    let mut envelope = Map::new();
    let authenticated = !matches!(
        name,
        CapabilityName::GetAuthorizationUrl
            | CapabilityName::HandleAuthorizationCallback
            | CapabilityName::HandleClientCredentialsRequest
            | CapabilityName::RefreshAccessToken
    );
    if authenticated && let Some(kind) = integration.auth_kinds().first() {
        envelope.insert("auth".into(), auth(*kind));
    }
    envelope.insert("request".into(), payload(name));
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
