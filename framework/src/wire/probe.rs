//! Payloads of `probe_integration`: which checks to run and what each saw (protocol 4).

use super::{AccountStatus, CustomAttributeCustomizedType, CustomAttributeType, Error};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::wire_enum;

/// The request of `probe_integration`: which checks to run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeIntegration {
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<String>>,
    /// The checks.
    #[serde(default)]
    pub checks: Option<Vec<ProbeCheckName>>,
}

/// The answer of `probe_integration`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeResults {
    /// Lifecycle state.
    pub status: ProbeStatus,
    /// The checks.
    pub checks: Vec<ProbeCheck>,
    /// How long it took, in milliseconds.
    #[serde(default)]
    pub duration_ms: Option<i64>,
}

wire_enum! {
    /// The checks `probe_integration` knows.
    pub enum ProbeCheckName {
        #[doc = "`accounts`"]
        Accounts = "accounts",
        #[doc = "`entitlements`"]
        Entitlements = "entitlements",
        #[doc = "`entitlement_associations`"]
        EntitlementAssociations = "entitlement_associations",
        #[doc = "`capability_config`"]
        CapabilityConfig = "capability_config",
    }
}

/// The outcome of one probe check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeCheck {
    /// Which check.
    pub check: ProbeCheckName,
    /// Lifecycle state.
    pub status: ProbeCheckStatus,
    /// Where it comes from.
    pub source: ProbeCheckSource,
    /// The capability it ran.
    #[serde(default)]
    pub capability: Option<String>,
    /// How many items the check saw.
    pub observed_count: i64,
    /// What happened, in words.
    #[serde(default)]
    pub message: Option<String>,
    /// What went wrong, if anything did.
    #[serde(default)]
    pub error: Option<Error>,
    /// A few redacted examples of what was read.
    pub samples: Vec<ProbeSample>,
    /// Entitlement types.
    #[serde(default)]
    pub entitlement_types: Option<Vec<ProbeEntitlementTypeResult>>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<ProbeCustomAttributeResult>>,
    /// How long it took, in milliseconds.
    #[serde(default)]
    pub duration_ms: Option<i64>,
}

wire_enum! {
    /// The outcome of a whole probe.
    pub enum ProbeStatus {
        #[doc = "`passed`"]
        Passed = "passed",
        #[doc = "`partial`"]
        Partial = "partial",
        #[doc = "`failed`"]
        Failed = "failed",
    }
}

/// One thing a probe check saw: each kind says which by its `kind` key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum ProbeSample {
    /// An account (`"kind": "account"`).
    Account(ProbeSampleAccount),
    /// An entitlement (`"kind": "entitlement"`).
    Entitlement(ProbeSampleEntitlement),
    /// An association (`"kind": "association"`).
    Association(ProbeSampleAssociation),
    /// A capability's configuration (`"kind": "capability_config"`).
    CapabilityConfig(ProbeSampleCapabilityConfig),
}

/// A redacted account a probe check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeSampleAccount {
    /// Which kind of sample.
    #[serde(default)]
    pub kind: String,
    /// The app's own id.
    pub integration_specific_id: String,
    /// Email address.
    #[serde(default)]
    pub email: Option<String>,
    /// Login name.
    #[serde(default)]
    pub username: Option<String>,
    /// Lifecycle state.
    #[serde(default)]
    pub user_status: Option<AccountStatus>,
    /// Custom attributes: names asked for in a request, or values read.
    #[serde(default)]
    pub custom_attributes: Option<Vec<ProbeSampleCustomAttribute>>,
}

/// An entitlement a probe check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeSampleEntitlement {
    /// Which kind of sample.
    #[serde(default)]
    pub kind: String,
    /// The app's own id.
    pub integration_specific_id: String,
    /// The app's id of the resource it belongs to.
    pub integration_specific_resource_id: String,
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// Name shown to people.
    pub label: String,
}

/// An association a probe check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeSampleAssociation {
    /// Which kind of sample.
    #[serde(default)]
    pub kind: String,
    /// The app's id of the account.
    pub account_id: String,
    /// The app's id of the entitlement.
    pub integration_specific_entitlement_id: String,
    /// The app's id of the resource it belongs to.
    pub integration_specific_resource_id: String,
    /// Whether it belongs to a sampled account.
    pub linked_to_sampled_account: bool,
}

/// A capability configuration a probe check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeSampleCapabilityConfig {
    /// Which kind of sample.
    #[serde(default)]
    pub kind: String,
    /// The capability it ran.
    pub capability: String,
    /// The kind of capability.
    pub capability_type: ProbeCapabilityType,
    /// The setting concerned.
    #[serde(default)]
    pub setting: Option<String>,
    /// Lifecycle state.
    pub status: ProbeCapabilityConfigStatus,
    /// What was found.
    pub findings: Vec<ProbeConfigFinding>,
    /// A preview.
    #[serde(default)]
    pub preview: Option<String>,
}

/// A custom attribute a probe check saw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeSampleCustomAttribute {
    /// Name.
    pub name: String,
    /// The value.
    #[serde(default)]
    pub value: Option<String>,
    /// Customized type.
    #[serde(default)]
    pub customized_type: Option<CustomAttributeCustomizedType>,
    /// Type of the attribute.
    #[serde(default)]
    pub attribute_type: Option<CustomAttributeType>,
}

wire_enum! {
    /// The state of a capability's configuration.
    pub enum ProbeCapabilityConfigStatus {
        #[doc = "`valid`"]
        Valid = "valid",
        #[doc = "`warning`"]
        Warning = "warning",
        #[doc = "`invalid`"]
        Invalid = "invalid",
        #[doc = "`not_configured`"]
        NotConfigured = "not_configured",
    }
}

wire_enum! {
    /// The kind of capability a configuration check concerns.
    pub enum ProbeCapabilityType {
        #[doc = "`read`"]
        Read = "read",
        #[doc = "`write`"]
        Write = "write",
    }
}

/// Something a configuration check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeConfigFinding {
    /// How serious it is.
    pub severity: ProbeConfigFindingSeverity,
    /// A stable code.
    pub code: String,
    /// What happened, in words.
    pub message: String,
    /// What to change.
    #[serde(default)]
    pub suggestion: Option<String>,
    /// The setting concerned.
    #[serde(default)]
    pub setting: Option<String>,
}

wire_enum! {
    /// Whether a check ran the connector's own probe or the SDK's default.
    pub enum ProbeCheckSource {
        #[doc = "`native`"]
        Native = "native",
        #[doc = "`default`"]
        Default = "default",
    }
}

wire_enum! {
    /// The outcome of one check.
    pub enum ProbeCheckStatus {
        #[doc = "`passed`"]
        Passed = "passed",
        #[doc = "`failed`"]
        Failed = "failed",
        #[doc = "`unsupported`"]
        Unsupported = "unsupported",
        #[doc = "`skipped`"]
        Skipped = "skipped",
    }
}

/// Whether a custom attribute was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeCustomAttributeResult {
    /// Name.
    pub name: String,
    /// Lifecycle state.
    pub status: ProbeCoverageStatus,
}

/// Whether an entitlement type was seen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ProbeEntitlementTypeResult {
    /// Type of the entitlement.
    pub entitlement_type: String,
    /// Lifecycle state.
    pub status: ProbeCoverageStatus,
}

wire_enum! {
    /// How serious a finding is.
    pub enum ProbeConfigFindingSeverity {
        #[doc = "`error`"]
        Error = "error",
        #[doc = "`warning`"]
        Warning = "warning",
        #[doc = "`info`"]
        Info = "info",
    }
}

wire_enum! {
    /// Whether something was seen.
    pub enum ProbeCoverageStatus {
        #[doc = "`found`"]
        Found = "found",
        #[doc = "`not_found`"]
        NotFound = "not_found",
        #[doc = "`not_checked`"]
        NotChecked = "not_checked",
    }
}
