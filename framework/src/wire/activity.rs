//! Payloads about last activity and custom attributes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::wire_enum;

/// The request of `get_last_activity`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetLastActivity {
    /// The accounts to report on.
    pub account_ids: Vec<String>,
}

/// When an account was last seen doing something.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct LastActivityData {
    /// The account's id in the app.
    pub account_id: String,
    /// What happened (for example `last_login`).
    pub event_type: String,
    /// When it happened, as an ISO 8601 timestamp.
    pub happened_at: String,
}

/// The request of `list_custom_attributes_schema`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListCustomAttributesSchema {}

wire_enum! {
    /// What kind of object a custom attribute belongs to.
    pub enum CustomAttributeCustomizedType {
        /// Accounts.
        Account = "account",
    }
}

wire_enum! {
    /// The value type of a custom attribute.
    pub enum CustomAttributeType {
        /// Free text.
        String = "string",
        /// A reference to another user.
        User = "user",
    }
}

/// The declaration of one custom attribute the app supports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CustomAttributeSchema {
    /// What the attribute belongs to.
    pub customized_type: CustomAttributeCustomizedType,
    /// The attribute's name.
    pub name: String,
    /// The attribute's value type.
    pub attribute_type: CustomAttributeType,
}
