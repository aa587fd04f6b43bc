//! Payloads about resources, entitlements and who holds them.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The request of `list_resources`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListResources {}

/// One resource found in the app (a workspace, a repository, a group…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FoundResourceData {
    /// The app's own id of the resource.
    pub integration_specific_id: String,
    /// A human-readable name.
    pub label: String,
    /// The id of one of the integration's declared resource types.
    pub resource_type: String,
    /// Anything else the app says about the resource, as strings.
    #[serde(default)]
    pub extra_data: Option<BTreeMap<String, String>>,
}

/// The request of `list_entitlements`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ListEntitlements {}

/// One entitlement found in the app (a role, a group membership, a license…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FoundEntitlementData {
    /// The id of one of the integration's declared entitlement types.
    pub entitlement_type: String,
    /// Anything else the app says about the entitlement.
    #[serde(default)]
    pub extra_data: Option<Map<String, Value>>,
    /// The app's own id of the entitlement.
    pub integration_specific_id: String,
    /// The resource the entitlement belongs to (empty for the app itself).
    pub integration_specific_resource_id: String,
    /// Whether the connector can assign it.
    #[serde(default)]
    pub is_assignable: Option<bool>,
    /// A human-readable name.
    pub label: String,
}

/// The request of `find_entitlement_associations`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindEntitlementAssociations {}

/// "This account holds this entitlement on this resource."
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FoundEntitlementAssociation {
    /// The account's id in the app.
    pub account_id: String,
    /// The entitlement's id in the app.
    pub integration_specific_entitlement_id: String,
    /// The resource's id in the app.
    pub integration_specific_resource_id: String,
}

/// The request of `assign_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignEntitlement {
    /// The account's id in the app.
    pub account_integration_specific_id: String,
    /// The resource's id in the app.
    pub resource_integration_specific_id: String,
    /// The resource type's id.
    pub resource_type: String,
    /// The entitlement type's id.
    pub entitlement_type: String,
    /// The entitlement's id in the app.
    pub entitlement_integration_specific_id: String,
}

/// The answer of `assign_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AssignedEntitlement {
    /// Whether the account holds the entitlement after the call.
    pub assigned: bool,
}

/// The request of `unassign_entitlement` (the reference orders its fields differently from
/// [`AssignEntitlement`]; we keep its order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignEntitlement {
    /// The account's id in the app.
    pub account_integration_specific_id: String,
    /// The resource type's id.
    pub resource_type: String,
    /// The resource's id in the app.
    pub resource_integration_specific_id: String,
    /// The entitlement type's id.
    pub entitlement_type: String,
    /// The entitlement's id in the app.
    pub entitlement_integration_specific_id: String,
}

/// The answer of `unassign_entitlement`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct UnassignedEntitlement {
    /// Whether the account no longer holds the entitlement after the call.
    pub unassigned: bool,
}

/// The request of `get_account_entitlement_associations`: one account's entitlements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetAccountEntitlementAssociations {
    /// The app's id of the account.
    pub account_id: String,
}
