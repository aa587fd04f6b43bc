//! Payloads about last activity and custom attributes.

use std::collections::BTreeMap;

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

/// The request of `get_data_recency`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetDataRecency {}

/// The answer of `get_data_recency`: how fresh the app's data is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DataRecency {
    /// For each kind of data, when it was last refreshed in the app (RFC 3339).
    pub data: BTreeMap<String, Option<String>>,
}

/// The request of `list_activity_records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListActivityRecords {
    /// Only activity from this moment on (RFC 3339).
    pub since_date: String,
    /// Whose activity to list.
    pub actors: Vec<ActivityRecordActor>,
}

/// One record of activity in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityRecord {
    /// The app's own id.
    pub id: String,
    /// What kind of activity.
    pub activity_type: String,
    /// When it happened (RFC 3339).
    pub timestamp: String,
    /// Who acted.
    pub actor: ActivityRecordActor,
    /// What the activity touched.
    pub targets: Vec<ActivityRecordTarget>,
    /// Details of the record, as name/value text.
    #[serde(default)]
    pub metadata: Option<BTreeMap<String, String>>,
}

wire_enum! {
    /// The kinds of activity the protocol names (apps may use their own words too).
    pub enum ActivityType {
        #[doc = "`ACCOUNT_LOGIN`"]
        AccountLogin = "ACCOUNT_LOGIN",
    }
}

wire_enum! {
    /// Which kind of last activity a time stands for.
    pub enum ActivityEventType {
        #[doc = "`last_login`"]
        LastLogin = "last_login",
        #[doc = "`last_activity`"]
        LastActivity = "last_activity",
    }
}

/// Who acted in an activity record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityRecordActor {
    /// The app's id of the account.
    pub account_id: String,
}

/// What an activity touched: an account, an entitlement, or both.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityRecordTarget {
    /// The app's id of the account.
    #[serde(default)]
    pub account_id: Option<String>,
    /// The entitlement concerned.
    #[serde(default)]
    pub entitlement: Option<ActivityRecordEntitlement>,
}

/// An entitlement an activity touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ActivityRecordEntitlement {
    /// The app's own id.
    pub id: String,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: String,
    /// The app's id of the resource it belongs to.
    #[serde(default)]
    pub resource_id: Option<String>,
    /// Type of the resource.
    #[serde(default)]
    pub resource_type: Option<String>,
}
