//! Payloads of offboarding: moving an account's data, releasing what it holds, downgrading its license (protocol 4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The request of `transfer_data`: move one account's data to another before it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TransferData {
    /// The account whose data moves.
    pub source_account_id: String,
    /// The account that receives the data.
    pub target_account_id: String,
}

/// The answer of `transfer_data`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct TransferDataStatus {
    /// Whether the app did it.
    pub success: bool,
    /// Why, when it did not.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The request of `release_resources`: free what an account holds (licenses, seats).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReleaseResources {
    /// The app's id of the account.
    pub account_id: String,
}

/// The answer of `release_resources`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ReleaseResourcesStatus {
    /// Whether the app did it.
    pub success: bool,
    /// Why, when it did not.
    #[serde(default)]
    pub reason: Option<String>,
}

/// The request of `downgrade_license`: move an account to a cheaper license.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DowngradeLicense {
    /// The app's id of the account.
    pub account_id: String,
}

/// The answer of `downgrade_license`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DowngradedLicense {
    /// Whether the app did it.
    pub success: bool,
    /// Why, when it did not.
    #[serde(default)]
    pub reason: Option<String>,
}
