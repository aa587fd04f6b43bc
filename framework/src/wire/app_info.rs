//! What a connector says about itself: `info`, capability names, resource and entitlement types.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::macros::wire_enum;

/// Declares [`CapabilityName`] from the capability table.
macro_rules! capability_names {
    ($(
        $Name:ident = $wire:literal {
            fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
            envelopes $Req:ident, $Resp:ident;
            group $group:ident; since $since:ident; summary $summary:literal;
        }
    )+) => {
        wire_enum! {
            /// The standard capabilities: the 17 of 3.7.8 and those protocol 4 added ([`Self::since`]).
            /// `info` is a command, not a capability.
            ///
            /// The order of the values is alphabetical, so sorting capabilities sorts them by name.
            pub enum CapabilityName {
                $( #[doc = $summary] $Name = $wire, )+
            }
        }

        impl CapabilityName {
            /// What the capability does, in one line (`--help`, the OpenAPI spec).
            ///
            /// ```
            /// use connector_sdk::wire::CapabilityName;
            ///
            /// assert_eq!(CapabilityName::DeleteAccount.summary(), "Delete an account");
            /// ```
            pub const fn summary(self) -> &'static str {
                match self {
                    $(Self::$Name => $summary,)+
                }
            }

            /// The protocol version that introduced the capability: in an older protocol it is
            /// unknown.
            ///
            /// ```
            /// use connector_sdk::Protocol;
            /// use connector_sdk::wire::CapabilityName;
            ///
            /// assert_eq!(CapabilityName::ListAccounts.since(), Protocol::V3_7_8);
            /// assert_eq!(CapabilityName::GetAccount.since(), Protocol::V4);
            /// assert!(!CapabilityName::GetAccount.exists_in(Protocol::V3_7_8));
            /// ```
            pub const fn since(self) -> super::Protocol {
                match self {
                    $(Self::$Name => super::Protocol::$since,)+
                }
            }

            /// Whether the capability exists in `protocol`.
            pub const fn exists_in(self, protocol: super::Protocol) -> bool {
                matches!(protocol, super::Protocol::V4) || matches!(self.since(), super::Protocol::V3_7_8)
            }

            /// Whether the capability reads, writes, or belongs to the OAuth flows.
            pub const fn group(self) -> CapabilityGroup {
                match self {
                    $(Self::$Name => CapabilityGroup::$group,)+
                }
            }

            /// Whether the capability is a listing: its `response` is a page of items, and a
            /// non-null `page` asks for the next.
            ///
            /// ```
            /// use connector_sdk::wire::CapabilityName;
            ///
            /// assert!(CapabilityName::ListAccounts.is_listing());
            /// assert!(!CapabilityName::CreateAccount.is_listing());
            /// ```
            pub const fn is_listing(self) -> bool {
                match self {
                    $(Self::$Name => is_listing!($kind),)+
                }
            }
        }
    };
}

/// Whether a row of the capability table is a listing.
macro_rules! is_listing {
    (list) => {
        true
    };
    (one) => {
        false
    };
}

crate::table::for_each_capability!(capability_names);

/// The kind of a capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapabilityGroup {
    /// Reads from the app (`validate_credentials`, the listings).
    Read,
    /// Changes the app (accounts, assignments).
    Write,
    /// The OAuth flows: their requests carry no `auth`.
    OAuth,
    /// Checks one credential on its own (`validate_credential_config`): its request carries
    /// the credential in its payload, not in the envelope.
    Validation,
    /// About the connection itself (`connected_info`).
    Meta,
}

impl CapabilityGroup {
    /// The group's name, as the OpenAPI spec tags it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Read => "read",
            Self::Write => "write",
            Self::OAuth => "oauth",
            Self::Validation => "validation",
            Self::Meta => "meta",
        }
    }
}

wire_enum! {
    /// The category an app is listed under.
    pub enum AppCategory {
        /// HR and learning.
        HrAndLearning = "HR_AND_LEARNING",
        /// Office and legal.
        OfficeAndLegal = "OFFICE_AND_LEGAL",
        /// Sales and support.
        SalesAndSupport = "SALES_AND_SUPPORT",
        /// Commerce and marketplaces.
        CommerceAndMarketplaces = "COMMERCE_AND_MARKETPLACES",
        /// IT and security.
        ItAndSecurity = "IT_AND_SECURITY",
        /// Communication.
        Communication = "COMMUNICATION",
        /// Design and creativity.
        DesignAndCreativity = "DESIGN_AND_CREATIVITY",
        /// Other.
        Other = "OTHER",
        /// Marketing and analytics.
        MarketingAndAnalytics = "MARKETING_AND_ANALYTICS",
        /// Developer tools.
        Developers = "DEVELOPERS",
        /// Accounting and finance.
        AccountingAndFinance = "ACCOUNTING_AND_FINANCE",
        /// Collaboration.
        Collaboration = "COLLABORATION",
        /// Content and social media.
        ContentAndSocialMedia = "CONTENT_AND_SOCIAL_MEDIA",
        /// Internal tools.
        Internal = "INTERNAL",
        /// Early access.
        EarlyAccess = "EARLY_ACCESS",
    }
}

/// A kind of resource the app has (a workspace, a repository…).
///
/// ```
/// use connector_sdk::wire::ResourceType;
///
/// let group = ResourceType::new("group", "Group");
/// assert_eq!(serde_json::to_string(&group).unwrap(), r#"{"type_id":"group","type_label":"Group"}"#);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ResourceType {
    /// The id used in `resource_type` fields.
    pub type_id: String,
    /// A human-readable name.
    pub type_label: String,
}

impl ResourceType {
    /// A resource type with an id and a label.
    pub fn new(type_id: impl Into<String>, type_label: impl Into<String>) -> Self {
        Self {
            type_id: type_id.into(),
            type_label: type_label.into(),
        }
    }
}

/// A kind of entitlement the app has, on a kind of resource (a role on a workspace…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EntitlementType {
    /// The id used in `entitlement_type` fields.
    pub type_id: String,
    /// A human-readable name.
    pub type_label: String,
    /// The resource type it applies to (empty for the app itself).
    pub resource_type_id: String,
    /// The least number of these an account must hold.
    pub min: u32,
    /// The most an account may hold; `null` for no limit.
    #[serde(default)]
    pub max: Option<u32>,
}

impl EntitlementType {
    /// An entitlement type with no upper bound and no minimum.
    pub fn new(
        type_id: impl Into<String>,
        type_label: impl Into<String>,
        resource_type_id: impl Into<String>,
    ) -> Self {
        Self {
            type_id: type_id.into(),
            type_label: type_label.into(),
            resource_type_id: resource_type_id.into(),
            min: 0,
            max: None,
        }
    }
}

/// The JSON schemas of one capability's request payload and response payload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct CapabilitySchema {
    /// The JSON schema of the `request` payload.
    pub argument: Map<String, Value>,
    /// The JSON schema of the `response` payload (the empty object schema for lists).
    pub output: Map<String, Value>,
    /// What the capability does, when the connector says.
    #[serde(default)]
    pub description: Option<String>,
}

/// Everything a platform needs to know about a connector: the answer of `info`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Info {
    /// The app's id.
    pub app_id: String,
    /// The connector's version.
    pub version: String,
    /// Registered capabilities, sorted.
    pub capabilities: Vec<CapabilityName>,
    /// The JSON schema of the credential model.
    pub authentication_schema: Map<String, Value>,
    /// Argument and output schemas per capability name.
    pub capability_schema: BTreeMap<String, CapabilitySchema>,
    /// OAuth scopes per capability, or `null` for connectors without OAuth.
    #[serde(default)]
    pub oauth_scopes: Option<BTreeMap<String, String>>,
    /// The app's logo.
    #[serde(default)]
    pub logo_url: Option<String>,
    /// The app's display name.
    #[serde(default)]
    pub user_friendly_name: Option<String>,
    /// What the app is.
    #[serde(default)]
    pub description: Option<String>,
    /// Where the app is listed.
    #[serde(default)]
    pub categories: Option<Vec<AppCategory>>,
    /// Declared resource types.
    pub resource_types: Vec<ResourceType>,
    /// Declared entitlement types.
    pub entitlement_types: Vec<EntitlementType>,
    /// The JSON schema of the connector's settings, with form hints (`x-field_type`).
    pub request_settings_schema: Map<String, Value>,
}

/// What `connected_info` adds to the connector's `info` for one tenant: the resource and
/// entitlement types this tenant really has. The envelope's `response` is the whole protocol 4
/// `info` with these in place of the declared ones.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ConnectedTypes {
    /// The tenant's resource types.
    #[serde(default)]
    pub resource_types: Vec<ResourceType>,
    /// The tenant's entitlement types.
    #[serde(default)]
    pub entitlement_types: Vec<EntitlementType>,
}

/// The request of `connected_info`: no fields.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GetConnectedInfo {}
