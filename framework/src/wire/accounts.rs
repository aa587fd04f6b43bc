//! Payloads about accounts: validating credentials, listing, creating and changing accounts.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{AccountStatus, AccountType};

/// The request of `validate_credentials`: no fields, the credential is in the envelope.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidateCredentials {}

/// The answer of `validate_credentials`.
///
/// ```
/// use connector_sdk::wire::ValidatedCredentials;
///
/// let ok = ValidatedCredentials { valid: true, unique_tenant_id: "acme".into() };
/// assert_eq!(
///     serde_json::to_string(&ok).unwrap(),
///     r#"{"valid":true,"unique_tenant_id":"acme"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidatedCredentials {
    /// Whether the credential works against the app.
    pub valid: bool,
    /// An id that is the same for every credential of the same tenant (workspace, org, …).
    pub unique_tenant_id: String,
}

/// The request of `list_accounts`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListAccounts {
    /// Names of custom attributes to read for each account, if the app has them.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// One account found in the app.
///
/// Every optional field is written as `null` when absent, as the protocol does.
///
/// ```
/// use connector_sdk::wire::FoundAccountData;
///
/// let account = FoundAccountData::new("u-1");
/// let json = serde_json::to_string(&account).unwrap();
/// assert!(json.starts_with(r#"{"integration_specific_id":"u-1","email":null"#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FoundAccountData {
    /// The app's own id of the account.
    pub integration_specific_id: String,
    /// Protocol 4: the resource the account belongs to, in apps with several.
    #[serde(default, skip_serializing_if = "super::protocol::v3_omits")]
    pub resource_id: Option<String>,
    /// The account's email address.
    #[serde(default)]
    pub email: Option<String>,
    /// First name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// Lifecycle state.
    #[serde(default)]
    pub user_status: Option<AccountStatus>,
    /// Anything else the app says about the account.
    #[serde(default)]
    pub extra_data: Option<Map<String, Value>>,
    /// Values of the custom attributes asked for in the request.
    #[serde(default)]
    pub custom_attributes: Option<BTreeMap<String, String>>,
    /// Person or machine.
    #[serde(default)]
    pub account_type: Option<AccountType>,
}

impl FoundAccountData {
    /// An account with only its id set.
    pub fn new(integration_specific_id: impl Into<String>) -> Self {
        Self {
            integration_specific_id: integration_specific_id.into(),
            resource_id: None,
            email: None,
            given_name: None,
            family_name: None,
            username: None,
            user_status: None,
            extra_data: None,
            custom_attributes: None,
            account_type: None,
        }
    }
}

/// The request of `create_account`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreateAccount {
    /// Email address of the new account.
    #[serde(default)]
    pub email: Option<String>,
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// First name.
    #[serde(default)]
    pub given_name: Option<String>,
    /// Last name.
    #[serde(default)]
    pub family_name: Option<String>,
    /// The state the account should start in (free text in this protocol version).
    #[serde(default)]
    pub user_status: Option<String>,
    /// App-specific fields.
    #[serde(default)]
    pub extra_data: Option<Map<String, Value>>,
    /// Entitlements to grant the new account.
    pub entitlements: Vec<CreateAccountEntitlement>,
}

/// An entitlement to grant when creating an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreateAccountEntitlement {
    /// The resource the entitlement belongs to, if it is not the app itself.
    #[serde(default)]
    pub integration_specific_resource_id: Option<String>,
    /// The entitlement type's id.
    pub entitlement_type: String,
    /// The entitlement's id in the app.
    pub integration_specific_id: String,
}

/// The answer of `create_account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CreatedAccount {
    /// The account's state after the call.
    pub status: AccountStatus,
    /// Whether the account was created.
    pub created: bool,
}

/// Declares a request with a single `account_id` and its answer with a flag and a status.
macro_rules! account_change {
    ($(#[$rdoc:meta])* $req:ident, $(#[$adoc:meta])* $ans:ident { $(#[$fdoc:meta])* $flag:ident }) => {
        $(#[$rdoc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        pub struct $req {
            /// The app's id of the account.
            pub account_id: String,
        }

        $(#[$adoc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
        pub struct $ans {
            /// The account's state after the call.
            pub status: AccountStatus,
            $(#[$fdoc])*
            pub $flag: bool,
        }
    };
}

account_change!(
    /// The request of `delete_account`.
    DeleteAccount,
    /// The answer of `delete_account`.
    DeletedAccount {
        /// Whether the account was deleted.
        deleted
    }
);
account_change!(
    /// The request of `activate_account`.
    ActivateAccount,
    /// The answer of `activate_account`.
    ActivatedAccount {
        /// Whether the account was activated.
        activated
    }
);
account_change!(
    /// The request of `deactivate_account`.
    DeactivateAccount,
    /// The answer of `deactivate_account`.
    DeactivatedAccount {
        /// Whether the account was deactivated.
        deactivated
    }
);

/// The request of `get_account`: one account by id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetAccount {
    /// The app's id of the account.
    pub account_id: String,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// The request and answer of `update_account` (protocol 4): the account, by id, and the
/// attributes to change beside it (`{"id": "u-1", "email": "new@example.com"}`).
///
/// The answer names the attributes the connector really changed: none means nothing changed,
/// which protocol 4's `execution_summary` reports as a no-op.
///
/// ```
/// use connector_sdk::wire::UpdateableAccount;
///
/// let request: UpdateableAccount =
///     serde_json::from_str(r#"{"id":"u-1","email":"new@example.com"}"#).unwrap();
/// assert_eq!(request.id, "u-1");
/// assert_eq!(request.changes["email"], "new@example.com");
/// assert_eq!(
///     serde_json::to_string(&UpdateableAccount::unchanged("u-1")).unwrap(),
///     r#"{"id":"u-1"}"#
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UpdateableAccount {
    /// The app's id of the account.
    pub id: String,
    /// The attributes to change (request) or changed (answer), by name.
    #[serde(flatten)]
    pub changes: Map<String, Value>,
}

impl UpdateableAccount {
    /// The answer for an account of which nothing changed.
    pub fn unchanged(id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            changes: Map::new(),
        }
    }
}

/// The request of `list_updated_accounts`: accounts changed since a moment, continued by `cursor`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListUpdatedAccounts {
    /// Only changes after this moment (RFC 3339).
    #[serde(default)]
    pub since: Option<String>,
    /// Where the next call continues; `null` when there is nothing more.
    #[serde(default)]
    pub cursor: Option<String>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// The answer of `list_updated_accounts`: the changed accounts and where to continue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UpdatedAccounts {
    /// The accounts that changed.
    pub accounts: Vec<FoundAccountData>,
    /// Where the next call continues; `null` when there is nothing more.
    #[serde(default)]
    pub cursor: Option<String>,
}
