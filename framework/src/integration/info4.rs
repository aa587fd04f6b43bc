//! Protocol 4's `info` and `app_info`: the 3.7.8 self-description with what 4.x adds (display
//! names, capability levels, `field_order` and the `x-` keys, `credentials_schema`, the access
//! graph), and the connector's OpenAPI document.

use serde_json::{Map, Value, json};

use super::Integration;
use crate::capability::Connector;
use crate::settings::field_type;
use crate::wire::{CapabilityGroup, CapabilityName};

/// `list_accounts` → `List Accounts`, as 4.x names a capability by default (pydantic's field
/// titles, the same rule).
pub(crate) fn display_name(name: &str) -> String {
    super::info::title_case(name)
}

/// Adds 4.x's keys to a form schema: `field_order` (the properties' order) at the root, and
/// `x-secret` / `x-hidden` / `x-multiline` beside each property's `x-field_type`.
fn form_v4(schema: &mut Map<String, Value>) {
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        schema.insert("field_order".into(), json!([]));
        return;
    };
    let order: Vec<Value> = properties.keys().cloned().map(Value::String).collect();
    for property in properties.values_mut().filter_map(Value::as_object_mut) {
        match property.get("x-field_type").and_then(Value::as_str) {
            Some(field_type::SECRET) => {
                property.insert("x-secret".into(), Value::Bool(true));
            }
            Some(field_type::HIDDEN) => {
                property.insert("x-hidden".into(), Value::Bool(true));
            }
            Some(field_type::MULTI_LINES) => {
                property.insert("x-multiline".into(), Value::Bool(true));
            }
            _ => {}
        }
    }
    schema.insert("field_order".into(), Value::Array(order));
}

/// The schema of `app_info`'s payload and answer.
fn app_info_schema() -> Value {
    json!({
        "argument": {
            "description": "AppInfoRequestPayload",
            "properties": {},
            "title": "AppInfoRequestPayload",
            "type": "object",
            "x-capability-category": "specification",
        },
        "description": null,
        "display_name": "App Info",
        "output": {
            "description": "AppInfo",
            "properties": {
                "app_id": {"title": "App Id", "type": "string"},
                "app_schema": {
                    "additionalProperties": true,
                    "description": "The connector's OpenAPI document.",
                    "title": "App Schema",
                    "type": "object",
                },
            },
            "required": ["app_id", "app_schema"],
            "title": "AppInfo",
            "type": "object",
        },
    })
}

/// The capabilities protocol 4 lists: every one with a schema (the registered ones, the SDK's,
/// the custom ones) and `app_info`, sorted.
fn capabilities_v4(info: &crate::wire::Info) -> Vec<String> {
    let mut capabilities: Vec<String> = info.capability_schema.keys().cloned().collect();
    capabilities.push("app_info".to_owned());
    capabilities.sort();
    capabilities
}

/// The entitlement types as 4.x writes them: `requirements` present (null unless set).
fn entitlement_types_v4(info: &crate::wire::Info) -> Vec<Value> {
    info.entitlement_types
        .iter()
        .map(|entitlement| {
            let mut value = serde_json::to_value(entitlement).unwrap_or_default();
            if let Some(map) = value.as_object_mut() {
                map.entry("requirements").or_insert(Value::Null);
            }
            value
        })
        .collect()
}

/// One provider's entry of `x-oauth-settings`: the flow, its endpoints (null when computed from
/// the settings), the OAuth capabilities, the scopes inverted (scope → `Required for
/// <capability>`, empty ones dropped) and PKCE.
fn oauth_entry(
    info: &crate::wire::Info,
    facts: &super::OAuthFacts,
    scopes: &std::collections::BTreeMap<String, String>,
) -> Value {
    let mut inverted = Map::new();
    for (capability, scope) in scopes {
        if !scope.is_empty() {
            inverted.insert(
                scope.clone(),
                Value::String(format!("Required for {capability}")),
            );
        }
    }
    let flows: Map<String, Value> = info
        .capabilities
        .iter()
        .filter(|name| name.group() == CapabilityGroup::OAuth)
        .filter(|name| facts.code_flow || **name != CapabilityName::GetAuthorizationUrl)
        .map(|name| (name.to_string(), Value::Bool(true)))
        .collect();
    json!({
        "oauth_type": if facts.code_flow { "CODE_FLOW" } else { "CLIENT_CREDENTIALS" },
        "token_url": facts.token_url,
        "authorization_url": facts.authorization_url,
        "capabilities": flows,
        "scopes": inverted,
        "pkce_enabled": facts.pkce,
    })
}

/// The label of a kind of credential, the `x-credential-name` of an unnamed one (4.x names an
/// OAuth credential "OAuth 2.0").
fn kind_label(kind: super::AuthKind) -> &'static str {
    use super::AuthKind;
    match kind {
        AuthKind::OAuth => "OAuth 2.0",
        AuthKind::OAuthClientCredentials => "OAuth 2.0 Client Credentials",
        AuthKind::OAuth1 => "OAuth 1.0a",
        AuthKind::Basic => "Basic",
        AuthKind::Token => "Token",
        AuthKind::Jwt => "JWT",
        AuthKind::ServiceAccount => "Service Account",
        AuthKind::KeyPair => "Key Pair",
        AuthKind::Empty => "No credential",
    }
}

/// 4.x's property `credential_id` of the OAuth capabilities' payloads in multi-credential mode.
fn credential_id_property() -> Value {
    json!({
        "anyOf": [{"type": "string"}, {"type": "null"}],
        "default": null,
        "description": "The id of the OAuth credential whose provider to use (multi-credential connectors).",
        "title": "Credential Id",
    })
}

impl<C: Connector> Integration<C> {
    /// `app_info`'s `x-oauth-settings`: `{}` without OAuth, else the flow, its endpoints (null
    /// when computed from the settings), the OAuth capabilities, the scopes inverted (scope →
    /// `Required for <capability>`, empty ones dropped) and PKCE.
    fn oauth_settings_v4(&self, info: &crate::wire::Info) -> Value {
        if self.is_multi_credential() && !self.credential_oauth.is_empty() {
            let by_id: Map<String, Value> = self
                .credential_oauth
                .iter()
                .map(|(id, facts, scopes)| (id.clone(), oauth_entry(info, facts, scopes)))
                .collect();
            return Value::Object(by_id);
        }
        let (Some(scopes), Some(facts)) = (&info.oauth_scopes, &self.oauth_facts) else {
            return json!({});
        };
        oauth_entry(info, facts, scopes)
    }

    /// `components.schemas.Credentials` of a multi-credential connector's `app_schema`, as 4.x
    /// writes it: an array whose items are one of the declared credentials, each an object of
    /// its `id` and its kind's payload (with `x-credential-type`, `x-field_order`, `x-optional`
    /// and `x-credential-name`: the declared name, else the kind's label).
    fn credentials_component(&self) -> Option<Value> {
        if !self.is_multi_credential() {
            return None;
        }
        let items: Vec<Value> = self
            .declared_credentials()
            .into_iter()
            .map(|credential| {
                let mut payload = super::info::credential_schema(credential.kind);
                form_v4(&mut payload);
                if let Some(order) = payload.remove("field_order") {
                    payload.insert("x-field_order".into(), order);
                }
                payload.insert("x-credential-type".into(), credential.kind.field().into());
                payload.insert("x-optional".into(), credential.optional.into());
                let name = credential
                    .name
                    .clone()
                    .unwrap_or_else(|| kind_label(credential.kind).to_owned());
                payload.insert("x-credential-name".into(), name.into());
                let field = credential.kind.field();
                json!({
                    "type": "object",
                    "properties": {
                        "id": {"type": "string", "enum": [credential.id]},
                        field: payload,
                    },
                    "required": ["id", field],
                })
            })
            .collect();
        Some(json!({"type": "array", "items": {"allOf": items}}))
    }

    /// `oauth_settings` of a `credentials_schema` entry, when the connector has OAuth.
    fn credential_oauth_settings(&self, info: &crate::wire::Info) -> Option<Value> {
        let facts = self.oauth_facts.as_ref()?;
        Some(json!({
            "oauth_type": if facts.code_flow { "CODE_FLOW" } else { "CLIENT_CREDENTIALS" },
            "pkce_enabled": facts.pkce,
            "scopes": info.oauth_scopes,
        }))
    }

    /// The `response` of `connected_info`: protocol 4's `info` with the tenant's resource and
    /// entitlement types (the handler's [`wire::ConnectedTypes`](crate::wire::ConnectedTypes))
    /// in place of the declared ones. Other capabilities' responses pass through.
    pub(crate) fn connected(
        &self,
        capability: CapabilityName,
        response: crate::wire::Json,
    ) -> crate::wire::Json {
        if capability != CapabilityName::ConnectedInfo {
            return response;
        }
        let mut info = self.info_v4();
        if let (Some(map), Value::Object(types)) = (info.as_object_mut(), response.into_value()) {
            for (key, mut value) in types {
                if key == "entitlement_types"
                    && let Some(items) = value.as_array_mut()
                {
                    for item in items.iter_mut().filter_map(Value::as_object_mut) {
                        item.entry("requirements").or_insert(Value::Null);
                    }
                }
                map.insert(key, value);
            }
        }
        info.into()
    }

    /// The `response` of protocol 4's `info`.
    pub(crate) fn info_v4(&self) -> Value {
        let info = self.info_in(crate::wire::Protocol::V4);
        let capabilities = capabilities_v4(&info);

        let mut capability_schema = Map::new();
        for (name, schema) in &info.capability_schema {
            let mut argument = schema.argument.clone();
            match name.parse::<CapabilityName>().map(CapabilityName::group) {
                Ok(CapabilityGroup::OAuth) => {
                    argument.insert("x-capability-category".into(), "authorization".into());
                    if self.is_multi_credential()
                        && let Some(Value::Object(properties)) = argument.get_mut("properties")
                    {
                        properties.insert("credential_id".into(), credential_id_property());
                    }
                }
                Ok(CapabilityGroup::Write) => {
                    argument.insert("x-capability-level".into(), "write".into());
                }
                Ok(CapabilityGroup::Validation) => {
                    argument.insert("x-capability-level".into(), "validation".into());
                }
                Ok(CapabilityGroup::Meta) | Err(_) => {}
                Ok(CapabilityGroup::Read) => {
                    argument.insert("x-capability-level".into(), "read".into());
                }
            }
            capability_schema.insert(
                name.clone(),
                json!({
                    "argument": argument,
                    "description": schema.description,
                    "display_name": match name.parse::<CapabilityName>() {
                        Ok(known) => self.capability_display_name(known),
                        Err(_) => self
                            .custom
                            .get(name.as_str())
                            .and_then(|custom| custom.handler.display_name())
                            .map_or_else(|| display_name(name), str::to_owned),
                    },
                    "output": schema.output,
                }),
            );
        }
        capability_schema.insert("app_info".into(), app_info_schema());

        let multi = self.is_multi_credential();
        let mut credentials = Vec::new();
        let declared = self.declared_credentials();
        for credential in declared.iter().filter(|_| multi) {
            let mut schema = super::info::credential_schema(credential.kind);
            form_v4(&mut schema);
            schema.insert("x-credential-type".into(), credential.kind.field().into());
            schema.insert("id".into(), credential.id.clone().into());
            if let Some(description) = &credential.description {
                schema.insert("description".into(), description.clone().into());
            }
            schema.insert("x-optional".into(), credential.optional.into());
            if let Some(oauth) = self.credential_oauth_settings(&info) {
                schema.insert("oauth_settings".into(), oauth);
            }
            credentials.push(Value::Object(schema));
        }
        let authentication_schema = match declared.as_slice() {
            [credential] if !multi => {
                let mut schema = super::info::credential_schema(credential.kind);
                form_v4(&mut schema);
                schema.insert("x-credential-type".into(), credential.kind.field().into());
                Value::Object(schema)
            }
            _ => json!({}),
        };
        let mut settings = info.request_settings_schema.clone();
        form_v4(&mut settings);
        let entitlement_types = entitlement_types_v4(&info);

        json!({
            "access_graph_entitlement_rules": [],
            "access_graph_entitlement_types": [],
            "app_id": info.app_id,
            "app_vendor_domain": self.app_vendor_domain,
            "authentication_schema": authentication_schema,
            "capabilities": capabilities,
            "capability_schema": capability_schema,
            "categories": info.categories,
            "credentials_schema": credentials,
            "description": info.description,
            "entitlement_types": entitlement_types,
            "implied_access_rules": [],
            "logo_url": info.logo_url,
            "oauth_scopes": info.oauth_scopes,
            "request_settings_schema": settings,
            "resource_types": info.resource_types,
            "user_friendly_name": info.user_friendly_name,
            "version": info.version,
        })
    }

    /// The connector's OpenAPI 3.0 document as 4.x's `app_info` gives it: the spec of its
    /// capabilities (see [`crate::spec::connector`]) with 4.x's `x-` keys under `info`.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0").build();
    /// let schema = integration.app_schema();
    /// assert_eq!(schema["openapi"], "3.0.0");
    /// assert_eq!(schema["info"]["x-app-id"], "demo");
    /// assert_eq!(
    ///     schema["info"]["x-capabilities"],
    ///     serde_json::json!(["app_info", "probe_integration"])
    /// );
    /// ```
    pub fn app_schema(&self) -> Value {
        let mut document = super::openapi::connector(self, crate::wire::Protocol::V4);
        let info = self.info_in(crate::wire::Protocol::V4);
        let capabilities = capabilities_v4(&info);
        let oauth_settings = self.oauth_settings_v4(&info);
        let entitlement_types = entitlement_types_v4(&info);
        let metadata = json!({
            "title": info.user_friendly_name.clone().unwrap_or_else(|| info.app_id.clone()),
            "description": info.description,
            "version": info.version,
            "x-app-id": info.app_id,
            "x-app-logo-url": info.logo_url,
            "x-app-vendor-domain": self.app_vendor_domain,
            "x-entitlement-types": entitlement_types,
            "x-access-graph-entitlement-types": [],
            "x-access-graph-entitlement-rules": [],
            "x-implied-access-rules": [],
            "x-resource-types": info.resource_types,
            "x-categories": {"type": "enum", "enum": info.categories.unwrap_or_default()},
            "x-oauth-settings": oauth_settings,
            "x-capabilities": capabilities,
            "x-multi-credential": self.is_multi_credential(),
            "x-probe-checks": null,
            "x-allowed-credentials": if self.is_multi_credential() {
                json!(self.credential_combinations())
            } else {
                json!([])
            },
        });
        let credentials = self.credentials_component();
        if let (Some(credentials), Some(Value::Object(schemas))) =
            (credentials, document.pointer_mut("/components/schemas"))
        {
            schemas.insert("Credentials".into(), credentials);
        }
        if let Some(map) = document.as_object_mut() {
            map.insert("openapi".into(), "3.0.0".into());
            map.insert("info".into(), metadata);
            map.insert("servers".into(), json!([]));
            if let Some(Value::Object(paths)) = map.get_mut("paths") {
                paths.insert(
                    "/app_info".into(),
                    json!({"post": {
                        "operationId": "app_info",
                        "tags": ["Specification"],
                        "summary": "App Info",
                        "description": "The connector's OpenAPI document, with its metadata under `info`.",
                        "requestBody": {"required": true, "content": {"application/json": {"schema": {
                            "type": "object",
                            "properties": {"request": {"type": "object"}},
                            "required": ["request"],
                        }}}},
                        "responses": {"200": {"description": "The app_info envelope."}},
                    }}),
                );
            }
        }
        document
    }
}
