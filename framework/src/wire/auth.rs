//! Credentials: what a request authenticates with.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Secret;

/// The credential of a request. Exactly one kind is expected to be set; which kinds a connector
/// accepts is part of its integration declaration.
///
/// ```
/// use connector_sdk::wire::AuthCredential;
///
/// let auth: AuthCredential =
///     serde_json::from_str(r#"{"basic":{"username":"u","password":"p"}}"#).unwrap();
/// assert_eq!(auth.basic.unwrap().username, "u");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuthCredential {
    /// Protocol 4: which of the connector's declared credentials this is, in a `credentials`
    /// list.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// An OAuth access token obtained through the authorization-code flow.
    #[serde(default)]
    pub oauth: Option<OAuthCredential>,
    /// An OAuth access token obtained through the client-credentials flow.
    #[serde(default)]
    pub oauth_client_credentials: Option<OAuthClientCredential>,
    /// A username and password.
    #[serde(default)]
    pub basic: Option<BasicCredential>,
    /// A static API token.
    #[serde(default)]
    pub token: Option<TokenCredential>,
}

/// An OAuth access token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OAuthCredential {
    /// The bearer token to send to the app.
    pub access_token: Secret,
}

/// An OAuth access token from the client-credentials flow, with the client that obtained it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct OAuthClientCredential {
    /// The bearer token to send to the app.
    pub access_token: Secret,
    /// The OAuth client id.
    pub client_id: String,
    /// The OAuth client secret.
    pub client_secret: Secret,
    /// The scopes the token was granted for.
    pub scopes: Vec<String>,
}

/// A static API token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TokenCredential {
    /// The token.
    pub token: Secret,
}

/// A username and password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct BasicCredential {
    /// The user to authenticate as.
    pub username: String,
    /// The user's password.
    pub password: Secret,
}
