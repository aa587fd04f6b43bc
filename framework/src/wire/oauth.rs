//! Payloads of the four OAuth capabilities.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Secret;
use super::macros::wire_enum;

/// The request of `get_authorization_url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetAuthorizationUrl {
    /// The OAuth client id.
    pub client_id: String,
    /// Scopes to ask for; empty means "the connector's configured scopes".
    pub scopes: Vec<String>,
    /// Where the provider sends the user back to.
    pub redirect_uri: String,
    /// An opaque value the provider echoes back, against CSRF.
    pub state: String,
    /// Extra form values the platform collected (unused by the standard flow).
    #[serde(default)]
    pub form_data: Option<BTreeMap<String, String>>,
    /// Protocol 4, multi-credential connectors: the OAuth credential whose provider to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub credential_id: Option<String>,
}

/// The answer of `get_authorization_url`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuthorizationUrl {
    /// The URL to send the user's browser to.
    pub authorization_url: String,
    /// The PKCE verifier to send back with the callback (a later protocol addition; written
    /// only when PKCE is on, so 3.7.8 readers never see it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<String>,
}

/// The request of `handle_authorization_callback`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HandleAuthorizationCallback {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: Secret,
    /// The redirect URL the provider sent the user to, with `code` (and `state`) in its query.
    pub redirect_uri_with_code: String,
    /// The state the flow started with, to check against the callback's.
    #[serde(default)]
    pub state: Option<String>,
    /// The PKCE verifier `get_authorization_url` returned (a later protocol addition).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_verifier: Option<Secret>,
    /// Protocol 4, multi-credential connectors: the OAuth credential whose provider to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub credential_id: Option<String>,
}

/// The request of `handle_client_credentials_request`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct HandleClientCredentials {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: Secret,
    /// Scopes to ask for.
    pub scopes: Vec<String>,
    /// Protocol 4, multi-credential connectors: the OAuth credential whose provider to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub credential_id: Option<String>,
}

/// The request of `refresh_access_token`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RefreshAccessToken {
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: Secret,
    /// The refresh token from an earlier token response.
    pub refresh_token: Secret,
    /// An opaque value to echo back.
    #[serde(default)]
    pub state: Option<String>,
    /// Protocol 4, multi-credential connectors: the OAuth credential whose provider to use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(skip)]
    pub credential_id: Option<String>,
}

wire_enum! {
    /// The kind of an OAuth access token. The protocol knows only bearer tokens.
    pub enum TokenType {
        /// `Authorization: Bearer <token>`.
        Bearer = "bearer",
    }
}

/// Tokens obtained from an OAuth provider: the answer of the three token capabilities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OauthCredentials {
    /// The access token.
    pub access_token: Secret,
    /// The refresh token, when the provider issued one.
    #[serde(default)]
    pub refresh_token: Option<Secret>,
    /// Always `bearer`.
    pub token_type: TokenType,
    /// The state of the request, echoed back.
    #[serde(default)]
    pub state: Option<String>,
}

/// The OAuth scopes a connector needs, per capability (space-delimited scope strings).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[allow(missing_docs)]
pub struct OAuthScopes {
    #[serde(default)]
    pub activate_account: Option<String>,
    #[serde(default)]
    pub assign_entitlement: Option<String>,
    #[serde(default)]
    pub create_account: Option<String>,
    #[serde(default)]
    pub deactivate_account: Option<String>,
    #[serde(default)]
    pub delete_account: Option<String>,
    #[serde(default)]
    pub find_entitlement_associations: Option<String>,
    #[serde(default)]
    pub get_last_activity: Option<String>,
    #[serde(default)]
    pub list_accounts: Option<String>,
    #[serde(default)]
    pub list_custom_attributes_schema: Option<String>,
    #[serde(default)]
    pub list_entitlements: Option<String>,
    #[serde(default)]
    pub list_resources: Option<String>,
    #[serde(default)]
    pub unassign_entitlement: Option<String>,
    #[serde(default)]
    pub validate_credentials: Option<String>,
}
