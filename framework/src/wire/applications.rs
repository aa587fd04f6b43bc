//! Payloads about applications: the apps an identity provider knows, who is assigned to them, and what they hold inside (protocol 4).

use std::collections::BTreeMap;

use super::{AccountStatus, ActivityRecordActor, ActivityRecordTarget};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::macros::wire_enum;

/// The request of `list_applications`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplications {}

/// An application known to the app (an identity provider's app catalogue, for one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Application {
    /// The app's own id.
    pub id: String,
    /// Name.
    pub name: String,
    /// Name shown to people.
    #[serde(default)]
    pub display_name: Option<String>,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Lifecycle state.
    pub status: ApplicationStatus,
    /// Address of the logo.
    #[serde(default)]
    pub logo: Option<String>,
    /// How people sign on.
    pub sign_on_mode: SignOnMode,
    /// The single sign-on address.
    #[serde(default)]
    pub sso_login_url: Option<String>,
    /// How it can be assigned.
    pub assignment_modes: Vec<AssignmentMode>,
}

/// The request of `get_application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetApplication {
    /// The app's id of the application instance.
    pub application_instance_id: String,
}

/// The request of `list_applications_accounts`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplicationsAccounts {}

/// An account's assignment to an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationAccount {
    /// The app's id of the account.
    pub account_id: String,
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// Lifecycle state.
    pub status: AccountStatus,
}

/// The request of `get_application_account`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetApplicationAccount {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_id: String,
}

/// The request of `assign_application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignApplication {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_id: String,
}

/// The answer of `assign_application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignedApplication {
    /// Whether it was granted.
    pub assigned: bool,
    /// Whether an account was provisioned for it.
    pub provisioned: bool,
}

/// The request of `unassign_application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignApplication {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_id: String,
}

/// The answer of `unassign_application`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignedApplication {
    /// Whether it was revoked.
    pub unassigned: bool,
    /// Whether the account was removed from it.
    pub deprovisioned: bool,
    /// Lifecycle state.
    pub status: AccountStatus,
}

/// The request of `list_applications_resources`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplicationsResources {}

/// A resource inside an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationResourceData {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's own id.
    pub integration_specific_id: String,
    /// Name shown to people.
    pub label: String,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Type of the resource.
    pub resource_type: String,
    /// Anything else the app says about it.
    #[serde(default)]
    pub extra_data: Option<BTreeMap<String, String>>,
}

/// The request of `list_applications_entitlements`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplicationsEntitlements {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
}

/// An entitlement inside an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationEntitlementData {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// Anything else the app says about it.
    #[serde(default)]
    pub extra_data: Option<BTreeMap<String, Map<String, Value>>>,
    /// The app's own id.
    pub integration_specific_id: String,
    /// The app's id of the resource it belongs to.
    pub integration_specific_resource_id: String,
    /// Whether it can be granted through the connector.
    #[serde(default)]
    pub is_assignable: Option<bool>,
    /// Name shown to people.
    pub label: String,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<BTreeMap<String, String>>,
}

/// The request of `list_applications_entitlement_associations`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplicationsEntitlementAssociations {}

/// Which account holds which entitlement of an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationEntitlementAssociation {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_id: String,
    /// The app's id of the entitlement.
    pub integration_specific_entitlement_id: String,
    /// The app's id of the resource it belongs to.
    pub integration_specific_resource_id: String,
}

/// The request of `list_applications_activity_records`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListApplicationsActivityRecords {
    /// Only activity from this moment on (RFC 3339).
    pub since_date: String,
    /// Whose activity to list.
    pub actors: Vec<ActivityRecordActor>,
}

/// One record of activity in an application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationActivityRecord {
    /// The app's id of the application instance.
    pub application_instance_id: String,
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

/// The request of `assign_application_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignApplicationEntitlement {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_integration_specific_id: String,
    /// The app's id of the entitlement's resource.
    pub resource_integration_specific_id: String,
    /// Type of the resource.
    pub resource_type: String,
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// The app's id of the entitlement.
    pub entitlement_integration_specific_id: String,
}

/// The answer of `assign_application_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignedApplicationEntitlement {
    /// Whether it was granted.
    pub assigned: bool,
}

/// The request of `unassign_application_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignApplicationEntitlement {
    /// The app's id of the application instance.
    pub application_instance_id: String,
    /// The app's id of the account.
    pub account_integration_specific_id: String,
    /// Type of the resource.
    pub resource_type: String,
    /// The app's id of the entitlement's resource.
    pub resource_integration_specific_id: String,
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// The app's id of the entitlement.
    pub entitlement_integration_specific_id: String,
}

/// The answer of `unassign_application_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignedApplicationEntitlement {
    /// Whether it was revoked.
    pub unassigned: bool,
}

wire_enum! {
    /// The state of an application.
    pub enum ApplicationStatus {
        #[doc = "`ACTIVE`"]
        Active = "ACTIVE",
        #[doc = "`INACTIVE`"]
        Inactive = "INACTIVE",
    }
}

wire_enum! {
    /// How an application is assigned.
    pub enum AssignmentMode {
        #[doc = "`ACCOUNT`"]
        Account = "ACCOUNT",
        #[doc = "`ENTITLEMENT`"]
        Entitlement = "ENTITLEMENT",
    }
}

wire_enum! {
    /// How people sign on to an application.
    pub enum SignOnMode {
        #[doc = "`SAML`"]
        Saml = "SAML",
        #[doc = "`OIDC`"]
        Oidc = "OIDC",
        #[doc = "`BOOKMARK`"]
        Bookmark = "BOOKMARK",
        #[doc = "`UNKNOWN`"]
        Unknown = "UNKNOWN",
    }
}
