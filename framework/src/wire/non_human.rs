//! Payloads about non-human identities: service accounts, bots and API clients, and the credentials that exist in the app (protocol 4).

use super::{AccountStatus, ActivityEventType};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::macros::wire_enum;

/// The request of `list_non_human_accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListNonHumanAccounts {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// An account used by software: a service account, a bot, an API client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NonHumanAccount {
    /// The app's id of the resource it belongs to.
    pub resource_id: String,
    /// The app's own id.
    pub id: String,
    /// Name shown to people.
    pub label: String,
    /// Workload name.
    pub workload_name: String,
    /// The workload it runs as, if any.
    pub workload_id: String,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: String,
    /// Lifecycle state.
    pub status: AccountStatus,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// When it last signed in (RFC 3339).
    #[serde(default)]
    pub last_login: Option<String>,
    /// When it was last active (RFC 3339).
    #[serde(default)]
    pub last_activity: Option<String>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Map<String, Value>>,
    /// Anything else the app says about it.
    #[serde(default)]
    pub extra_data: Option<Map<String, Value>>,
}

/// The request of `list_credentials`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListCredentials {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// A credential that exists in the app (API key, token, certificate).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Credential {
    /// The app's id of the resource it belongs to.
    pub resource_id: String,
    /// Id of the credential outside the app.
    pub external_id: String,
    /// Name shown to people.
    pub label: String,
    /// Kind of credential.
    pub credential_type: String,
    /// Lifecycle state.
    #[serde(default)]
    pub status: Option<CredentialStatus>,
    /// The account it opens.
    #[serde(default)]
    pub grants_access_to_account_id: Option<String>,
    /// The non-human account it opens.
    #[serde(default)]
    pub grants_access_to_non_human_account_id: Option<String>,
    /// When it was created (RFC 3339).
    #[serde(default)]
    pub created_at: Option<String>,
    /// When it last changed (RFC 3339).
    #[serde(default)]
    pub updated_at: Option<String>,
    /// When it was last used (RFC 3339).
    #[serde(default)]
    pub last_used_at: Option<String>,
    /// When it expires (RFC 3339).
    #[serde(default)]
    pub expires_at: Option<String>,
    /// When it was last rotated (RFC 3339).
    #[serde(default)]
    pub last_rotated_at: Option<String>,
    /// When it was last active (RFC 3339).
    #[serde(default)]
    pub last_activity: Option<String>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Map<String, Value>>,
    /// Anything else the app says about it.
    #[serde(default)]
    pub extra_data: Option<Map<String, Value>>,
}

/// The request of `get_non_human_account_last_activity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetNonHumanAccountLastActivity {}

/// When a non-human account was last active.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct NonHumanAccountLastActivity {
    /// The app's id of the non-human account.
    pub non_human_account_id: String,
    /// Which kind of activity this is.
    pub event_type: ActivityEventType,
    /// When it happened (RFC 3339).
    pub happened_at: String,
}

/// The request of `get_credential_last_activity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetCredentialLastActivity {}

/// When a credential was last used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CredentialLastActivity {
    /// The app's id of the credential.
    pub credential_id: String,
    /// Which kind of activity this is.
    pub event_type: ActivityEventType,
    /// When it happened (RFC 3339).
    pub happened_at: String,
}

wire_enum! {
    /// The state of a credential.
    pub enum CredentialStatus {
        #[doc = "`active`"]
        Active = "active",
        #[doc = "`inactive`"]
        Inactive = "inactive",
        #[doc = "`stale`"]
        Stale = "stale",
        #[doc = "`expired`"]
        Expired = "expired",
        #[doc = "`revoked`"]
        Revoked = "revoked",
    }
}
