//! Credentials: what a request authenticates with.

use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

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
    /// Protocol 4: JWT headers and claims the SDK signs with the secret, freshly per call.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jwt: Option<JwtCredential>,
    /// Protocol 4: a service account's JSON key, exchanged for an access token.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ServiceAccountCredential>,
    /// Protocol 4: a private key (SSH or PEM) and its identifier.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(extend("x-semantic" = "key-pair"))]
    pub key_pair: Option<KeyPairCredential>,
    /// Protocol 4: OAuth 1.0a consumer and token credentials (RFC 5849 request signing).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oauth1: Option<OAuth1Credential>,
    /// Protocol 4: no credential at all (the app needs none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub empty: Option<EmptyCredential>,
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

/// A JWT the SDK signs per call: the declared headers and claims, signed with `secret` by the
/// algorithm the `alg` header names (HS256 with a shared secret; RS256 or ES256 with a PEM
/// private key). See [`crate::credential::sign_jwt`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("x-credential-type" = "jwt"))]
pub struct JwtCredential {
    /// The JOSE header.
    pub headers: JwtHeaders,
    /// The claims.
    pub claims: JwtClaims,
    /// The HMAC secret or the PEM private key.
    pub secret: Secret,
}

/// The JOSE header of a [`JwtCredential`]. Empty strings and lists mean "not set".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JwtHeaders {
    /// The signing algorithm: `HS256`, `RS256` or `ES256`.
    pub alg: String,
    /// JWK Set URL.
    pub jku: String,
    /// The public key, as a JWK (JSON text).
    pub jwk: String,
    /// The token's media type, usually `JWT`.
    pub typ: String,
    /// The key's identifier.
    pub kid: String,
    /// X.509 URL.
    pub x5u: String,
    /// X.509 certificate chain (base64 DER).
    pub x5c: String,
    /// X.509 certificate SHA-1 thumbprint.
    pub x5t: String,
    /// X.509 certificate SHA-256 thumbprint.
    #[serde(rename = "x5t#S256")]
    pub x5t_s256: String,
    /// The payload's content type.
    pub cty: String,
    /// Critical extensions.
    pub crit: Vec<String>,
}

/// The claims of a [`JwtCredential`]. Empty strings and lists mean "not set"; `iat`, `nbf` and
/// `exp` are shifted to the time of signing (their distances to `iat` are kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct JwtClaims {
    /// Issuer.
    pub iss: String,
    /// Subject.
    pub sub: String,
    /// Audience.
    pub aud: String,
    /// Expiry (seconds since the epoch).
    pub exp: i64,
    /// Not before (seconds since the epoch).
    pub nbf: i64,
    /// Issued at (seconds since the epoch).
    pub iat: i64,
    /// The token's unique id (a fresh random one per call when empty).
    pub jti: String,
    /// Actor (RFC 8693).
    pub act: String,
    /// Scopes.
    pub scope: Vec<String>,
    /// Client id.
    pub client_id: String,
    /// Authorized actor (RFC 8693).
    pub may_act: String,
}

/// A private key and its identifier. See [`crate::credential::KeyPair`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend(
    "x-credential-type" = "key_pair",
    "x-keygen-type" = "SSH",
    "x-semantic" = "key-pair"
))]
pub struct KeyPairCredential {
    /// Which key this is, for the app (a fingerprint, a key id, a user name).
    #[schemars(extend("x-field_type" = "HIDDEN", "x-hidden" = true))]
    pub key_identifier: String,
    /// The private key: OpenSSH (`-----BEGIN OPENSSH PRIVATE KEY-----`) or PEM (PKCS#8, PKCS#1,
    /// SEC1).
    #[schemars(extend("x-field_type" = "HIDDEN", "x-hidden" = true, "x-secret" = true))]
    pub private_key: Secret,
}

/// The kind of a service account.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceAccountType {
    /// A Google Cloud service account.
    GoogleCloud,
    /// A Google Drive service account.
    GoogleDrive,
    /// AWS access keys.
    Aws,
    /// An AWS role.
    AwsRole,
}

/// A service account: its JSON key, the user it acts for and the scopes it asks for. See
/// [`crate::Context::service_account_token`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("x-credential-type" = "service_account"))]
pub struct ServiceAccountCredential {
    /// The JSON key as the provider issued it (`client_email`, `private_key`, `token_uri`, …).
    #[schemars(extend("x-field_type" = "HIDDEN", "x-hidden" = true, "x-secret" = true))]
    pub key: ServiceAccountKey,
    /// The user to act as (the JWT's `sub`); empty for the account itself.
    pub impersonation_email: String,
    /// The tenant (domain, directory) the account belongs to.
    pub tenant_id: String,
    /// The scopes to ask for.
    #[schemars(extend("x-field_type" = "HIDDEN", "x-hidden" = true))]
    pub scopes: Vec<String>,
    /// Which provider's account this is.
    #[serde(default)]
    #[schemars(extend("x-field_type" = "HIDDEN", "x-hidden" = true))]
    pub service_type: Option<ServiceAccountType>,
}

/// A service account's JSON key: a JSON object whose `Debug` shows no value (it holds a private
/// key), and that serializes as the object.
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ServiceAccountKey(Map<String, Value>);

impl ServiceAccountKey {
    /// Wraps a key's JSON object.
    pub fn new(object: Map<String, Value>) -> Self {
        Self(object)
    }

    /// The string field `name` of the key (`client_email`, `private_key`, `token_uri`, …).
    /// Call this only where the value is used.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.0.get(name).and_then(Value::as_str)
    }

    /// The whole key. Call this only where the value is used.
    pub fn expose(&self) -> &Map<String, Value> {
        &self.0
    }
}

impl fmt::Debug for ServiceAccountKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(super::REDACTED)
    }
}

impl JsonSchema for ServiceAccountKey {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ServiceAccountKey".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "object", "additionalProperties": true, "writeOnly": true })
    }
}

/// OAuth 1.0a credentials (RFC 5849): the SDK's HTTP client signs every request with them. See
/// [`crate::credential::OAuth1Signature`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("x-credential-type" = "oauth1"))]
pub struct OAuth1Credential {
    /// The consumer (client) key.
    pub consumer_key: String,
    /// The consumer (client) secret.
    #[schemars(extend("x-field_type" = "SECRET", "x-secret" = true))]
    pub consumer_secret: Secret,
    /// The token.
    pub token_id: String,
    /// The token secret.
    #[schemars(extend("x-field_type" = "SECRET", "x-secret" = true))]
    pub token_secret: Secret,
}

/// No credential: for apps that need none.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[schemars(extend("x-credential-type" = "empty"))]
pub struct EmptyCredential {}

mod sealed {
    pub trait Sealed {}
}

/// A kind of credential payload a handler can ask for by id with
/// [`Context::credential`](crate::Context::credential): [`BasicCredential`],
/// [`TokenCredential`], [`OAuthCredential`], [`OAuthClientCredential`], [`JwtCredential`],
/// [`KeyPairCredential`], [`ServiceAccountCredential`], [`OAuth1Credential`],
/// [`EmptyCredential`]. Sealed: the kinds are the protocol's.
pub trait CredentialKind: sealed::Sealed + Sized {
    /// The payload's key in a credential (`basic`, `token`, …).
    const FIELD: &'static str;
    /// The type's name, as error messages give it (`BasicCredential`).
    const TYPE_NAME: &'static str;
    /// The payload of this kind in `credential`, if it has one.
    fn of(credential: &AuthCredential) -> Option<&Self>;
}

macro_rules! credential_kinds {
    ($($Type:ident => $field:ident;)+) => {
        $(
            impl sealed::Sealed for $Type {}
            impl CredentialKind for $Type {
                const FIELD: &'static str = stringify!($field);
                const TYPE_NAME: &'static str = stringify!($Type);
                fn of(credential: &AuthCredential) -> Option<&Self> {
                    credential.$field.as_ref()
                }
            }
        )+
    };
}

credential_kinds! {
    BasicCredential => basic;
    TokenCredential => token;
    OAuthCredential => oauth;
    OAuthClientCredential => oauth_client_credentials;
    JwtCredential => jwt;
    KeyPairCredential => key_pair;
    ServiceAccountCredential => service_account;
    OAuth1Credential => oauth1;
    EmptyCredential => empty;
}
