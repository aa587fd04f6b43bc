//! Payloads of the access graph: resources and how they relate, entitlements and which implies which, who holds what (protocol 4).

use super::CustomAttributeCustomizedType;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::macros::wire_enum;

/// The request of `find_resource_graph`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindResourceGraph {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<CustomAttributeParameter>>,
}

/// The answer of `find_resource_graph`: resources and how they relate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResourceGraph {
    /// The resources.
    pub resources: Vec<AccessGraphResource>,
    /// Which resource contains or links to which.
    pub resource_relationships: Vec<AccessGraphResourceRelationship>,
    /// Custom attributes: names asked for in a request, or values read.
    pub custom_attributes: Vec<CustomAttribute>,
}

/// The request of `find_entitlement_graph`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindEntitlementGraph {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<CustomAttributeParameter>>,
}

/// The answer of `find_entitlement_graph`: entitlements and which implies which.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntitlementGraph {
    /// The entitlements of the graph.
    pub nodes: Vec<AccessGraphEntitlement>,
    /// Which entitlement implies which.
    pub entitlement_implications: Vec<AccessGraphImpliedAccess>,
    /// Custom attributes: names asked for in a request, or values read.
    pub custom_attributes: Vec<CustomAttribute>,
    /// Rules about entitlements.
    #[serde(default)]
    pub access_graph_entitlement_rules: Vec<AccessGraphEntitlementRule>,
    /// Rules of implied access.
    #[serde(default)]
    pub access_graph_implied_access_rules: Vec<AccessGraphImpliedAccessRule>,
}

/// The request of `find_entitlement_assignments`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FindEntitlementAssignments {}

/// Which resource holds which entitlement in the access graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphEntitlementAssignment {
    /// The app's id of the resource it belongs to.
    pub resource_id: String,
    /// The app's id of the entitlement.
    pub entitlement_id: String,
    /// Resource of the entitlement.
    pub entitlement_resource_id: String,
}

/// A custom attribute to read, with its type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CustomAttributeParameter {
    /// Name shown to people.
    pub label: String,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: CustomAttributeCustomizedType,
}

/// A node of the resource graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphResource {
    /// The app's own id.
    pub id: String,
    /// Type of the resource.
    pub resource_type: String,
    /// What it refers to.
    #[serde(default)]
    pub reference: Option<Reference>,
    /// Name shown to people.
    pub label: String,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
    /// Whether nothing hangs below it.
    #[serde(default)]
    pub is_terminal: Option<bool>,
    /// Whether it holds credentials.
    #[serde(default)]
    pub is_credential_bearing: Option<bool>,
    /// Credentials that give access to it.
    #[serde(default)]
    pub linked_credential_ids: Option<Vec<String>>,
}

/// An edge of the resource graph: one resource to others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphResourceRelationship {
    /// Id of the resource the relationship starts at.
    pub from_id: String,
    /// Ids of the related resources.
    pub to_ids: Vec<String>,
    /// Name shown to people.
    pub label: String,
}

/// An entitlement of the access graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphEntitlement {
    /// The app's own id.
    pub id: String,
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// The app's id of the resource it belongs to.
    pub resource_id: String,
    /// Whether it can be granted through the connector.
    #[serde(default)]
    pub is_assignable: Option<bool>,
    /// Whether holding it takes access away.
    pub denies_access: bool,
    /// Name shown to people.
    pub label: String,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
}

/// A rule about entitlements of a resource type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphEntitlementRule {
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// The app's id of the entitlement.
    pub entitlement_id: String,
    /// Type of the resource.
    pub resource_type: String,
    /// Whether it can be granted through the connector.
    #[serde(default)]
    pub is_assignable: Option<bool>,
    /// Whether holding it takes access away.
    pub denies_access: bool,
    /// Name shown to people.
    pub label: String,
    /// Free-text description.
    #[serde(default)]
    pub description: Option<String>,
}

/// One entitlement implying others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphImpliedAccess {
    /// The implying entitlement.
    pub from_entitlement: AccessGraphEntitlementIdentifier,
    /// The entitlements it implies.
    pub to_entitlements: Vec<AccessGraphEntitlementIdentifier>,
}

/// A rule of implied access between entitlement types.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphImpliedAccessRule {
    /// Type of the implying entitlement.
    pub from_entitlement_type: String,
    /// Id of the implying entitlement.
    pub from_entitlement_id: String,
    /// Resource type of the implying entitlement.
    pub from_resource_type: String,
    /// What the relationship is called.
    #[serde(default)]
    pub relationship_label: Option<String>,
    /// Type of the implied entitlement.
    pub to_entitlement_type: String,
    /// Id of the implied entitlement.
    pub to_entitlement_id: String,
    /// Resource type of the implied entitlement.
    pub to_resource_type: String,
}

/// An entitlement, by resource and id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AccessGraphEntitlementIdentifier {
    /// The app's id of the entitlement.
    pub entitlement_id: String,
    /// The app's id of the resource it belongs to.
    pub resource_id: String,
}

/// A custom attribute's value on a record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CustomAttribute {
    /// The record the value belongs to.
    pub record_id: String,
    /// Name shown to people.
    pub label: String,
    /// The value.
    pub value: Option<Value>,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: CustomAttributeCustomizedType,
}

/// A reference to another record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Reference {
    /// The app's own id.
    pub id: String,
    /// Kind, in the app's words.
    #[serde(rename = "type")]
    pub r#type: ReferenceType,
}

wire_enum! {
    /// What a reference points at.
    pub enum ReferenceType {
        #[doc = "`account`"]
        Account = "account",
    }
}
