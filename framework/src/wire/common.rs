//! Types shared by many payloads: pages, enums of the protocol, the parse error of an enum.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::wire_enum;

/// A page of a listing.
///
/// In a request it asks for a page (`token` from the previous response, `size` items); in a
/// response a non-null `page` means "there is more" and carries the token of the next page.
///
/// ```
/// use connector_sdk::wire::Page;
///
/// let page: Page = serde_json::from_str(r#"{"token":"abc","size":50}"#).unwrap();
/// assert_eq!(page.size, Some(50));
/// assert!(serde_json::from_str::<Page>(r#"{"size":"50"}"#).is_err()); // scalars are strict
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Page {
    /// Opaque token of the page to fetch (request) or of the next page (response).
    #[serde(default)]
    pub token: Option<String>,
    /// Number of items per page.
    #[serde(default)]
    pub size: Option<u32>,
}

wire_enum! {
    /// The lifecycle state of an account in the app.
    pub enum AccountStatus {
        /// The account can sign in.
        Active = "ACTIVE",
        /// The account exists but is switched off.
        Inactive = "INACTIVE",
        /// The account is suspended by an administrator.
        Suspended = "SUSPENDED",
        /// The account was removed from the app's active directory of users.
        Deprovisioned = "DEPROVISIONED",
        /// The account is invited or otherwise not yet usable.
        Pending = "PENDING",
        /// The account is deleted.
        Deleted = "DELETED",
    }
}

wire_enum! {
    /// Whether an account belongs to a person or to a machine.
    pub enum AccountType {
        /// A machine or integration account.
        Service = "service",
        /// A human user.
        User = "user",
    }
}

/// The error of parsing a wire enum from a string that is not one of its values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {type_name}")]
pub struct UnknownVariant {
    /// The enum's name.
    pub type_name: &'static str,
    /// The string that was given.
    pub value: String,
}
