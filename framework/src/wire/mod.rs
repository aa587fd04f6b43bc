//! The wire model of the connector protocol (3.7.8): serde + schemars types, no behaviour.
//!
//! Every definition of the protocol's schema has a Rust type here of the same name. The
//! request and success envelopes are generic ([`Request`], [`Response`]); the aliases
//! `<Capability>Request` / `<Capability>Response` name each capability's instantiation.
//!
//! Serialization follows the reference exactly: compact JSON, keys in the reference's field
//! order, `null` written for every absent optional field, enum strings as in the schema.
//! Deserialization ignores unknown keys and never coerces scalars (`"size":"5"` is an error).
//! Passwords, tokens and client secrets are [`Secret`]s, whose `Debug` is redacted.

mod macros;

mod accounts;
mod activity;
mod app_info;
mod applications;
mod arbitrary;
mod auth;
mod common;
mod credential_config;
mod entitlements;
mod envelope;
mod error;
mod execution;
mod expenses;
mod graphs;
mod json;
mod non_human;
mod oauth;
mod offboarding;
mod probe;
pub(crate) mod protocol;
mod rate_limit;
mod secret;

pub use accounts::{
    ActivateAccount, ActivatedAccount, CreateAccount, CreateAccountEntitlement, CreatedAccount,
    DeactivateAccount, DeactivatedAccount, DeleteAccount, DeletedAccount, FoundAccountData,
    GetAccount, ListAccounts, ListUpdatedAccounts, UpdateableAccount, UpdatedAccounts,
    ValidateCredentials, ValidatedCredentials,
};
pub use activity::{
    ActivityEventType, ActivityRecord, ActivityRecordActor, ActivityRecordEntitlement,
    ActivityRecordTarget, ActivityType, CustomAttributeCustomizedType, CustomAttributeSchema,
    CustomAttributeType, DataRecency, GetDataRecency, GetLastActivity, LastActivityData,
    ListActivityRecords, ListCustomAttributesSchema,
};
pub use app_info::{
    AppCategory, CapabilityGroup, CapabilityName, CapabilitySchema, ConnectedTypes,
    EntitlementType, GetConnectedInfo, Info, ResourceType,
};
pub use applications::{
    Application, ApplicationAccount, ApplicationActivityRecord, ApplicationEntitlementAssociation,
    ApplicationEntitlementData, ApplicationResourceData, ApplicationStatus, AssignApplication,
    AssignApplicationEntitlement, AssignedApplication, AssignedApplicationEntitlement,
    AssignmentMode, GetApplication, GetApplicationAccount, ListApplications,
    ListApplicationsAccounts, ListApplicationsActivityRecords,
    ListApplicationsEntitlementAssociations, ListApplicationsEntitlements,
    ListApplicationsResources, SignOnMode, UnassignApplication, UnassignApplicationEntitlement,
    UnassignedApplication, UnassignedApplicationEntitlement,
};
pub use arbitrary::{ArbitraryRequestMethod, ArbitraryResponse, FulfillArbitraryEndpoint};
pub use auth::{
    AuthCredential, BasicCredential, CredentialKind, EmptyCredential, JwtClaims, JwtCredential,
    JwtHeaders, KeyPairCredential, OAuth1Credential, OAuthClientCredential, OAuthCredential,
    ServiceAccountCredential, ServiceAccountKey, ServiceAccountType, TokenCredential,
};
pub use common::{AccountStatus, AccountType, Page, UnknownVariant};
pub use credential_config::{ValidateCredentialConfig, ValidatedCredentialConfig};
pub use entitlements::{
    AssignEntitlement, AssignedEntitlement, FindEntitlementAssociations,
    FoundEntitlementAssociation, FoundEntitlementData, FoundResourceData,
    GetAccountEntitlementAssociations, ListEntitlements, ListResources, UnassignEntitlement,
    UnassignedEntitlement,
};
pub use envelope::{Added, Payload, Request, Response};
pub use error::{Error, ErrorCategory, ErrorCode, ErrorFault, ErrorMetadata, ErrorResponse};
pub(crate) use execution::WriteOutcome;
pub use execution::{Effect, ExecutionSummary, NoopReason, request_fingerprint};
pub use expenses::{
    Amount, Expense, ExpenseApprovalStatus, ExpenseFilters, ExpensePaymentStatus, ExpenseType,
    ListExpenses, NormalizedExpenseApprovalStatus, NormalizedExpensePaymentStatus, SpendUser,
    TimeRange, Vendor,
};
pub use graphs::{
    AccessGraphEntitlement, AccessGraphEntitlementAssignment, AccessGraphEntitlementIdentifier,
    AccessGraphEntitlementRule, AccessGraphImpliedAccess, AccessGraphImpliedAccessRule,
    AccessGraphResource, AccessGraphResourceRelationship, CustomAttribute,
    CustomAttributeParameter, EntitlementGraph, FindEntitlementAssignments, FindEntitlementGraph,
    FindResourceGraph, Reference, ReferenceType, ResourceGraph,
};
pub use json::Json;
pub use non_human::{
    Credential, CredentialLastActivity, CredentialStatus, GetCredentialLastActivity,
    GetNonHumanAccountLastActivity, ListCredentials, ListNonHumanAccounts, NonHumanAccount,
    NonHumanAccountLastActivity,
};
pub use oauth::{
    AuthorizationUrl, GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentials,
    OAuthScopes, OauthCredentials, RefreshAccessToken, TokenType,
};
pub use offboarding::{
    DowngradeLicense, DowngradedLicense, ReleaseResources, ReleaseResourcesStatus, TransferData,
    TransferDataStatus,
};
pub use probe::{
    ProbeCapabilityConfigStatus, ProbeCapabilityType, ProbeCheck, ProbeCheckName, ProbeCheckSource,
    ProbeCheckStatus, ProbeConfigFinding, ProbeConfigFindingSeverity, ProbeCoverageStatus,
    ProbeCustomAttributeResult, ProbeEntitlementTypeResult, ProbeIntegration, ProbeResults,
    ProbeSample, ProbeSampleAccount, ProbeSampleAssociation, ProbeSampleCapabilityConfig,
    ProbeSampleCustomAttribute, ProbeSampleEntitlement, ProbeStatus,
};
pub use protocol::{Protocol, UnknownProtocol};
pub use rate_limit::{
    RateLimitMode, RateLimitRequestInfo, RateLimitResponseInfo, RateLimitStateSnapshot,
    RateLimitStateSource,
};
pub(crate) use secret::REDACTED;
pub use secret::Secret;

/// The result type of a row of the capability table.
macro_rules! result_of {
    (list $Out:ident) => { Vec<$Out> };
    (one $Out:ident) => { $Out };
}

/// Names each capability's envelopes and marks its payload as authenticated or not.
macro_rules! capability_envelopes {
    ($(
        $Name:ident = $wire:literal {
            fn $method:ident($Args:ident) -> $kind:ident $Out:ident;
            envelopes $Req:ident, $Resp:ident;
            group $group:ident; since $since:ident; summary $summary:literal;
        }
    )+) => {
        $(
            impl Payload for $Args {
                const AUTHENTICATED: bool =
                    !matches!(CapabilityGroup::$group, CapabilityGroup::OAuth | CapabilityGroup::Validation);
            }

            #[doc = concat!("The request envelope of `", $wire, "`.")]
            pub type $Req = Request<$Args>;

            #[doc = concat!("The success envelope of `", $wire, "`.")]
            pub type $Resp = Response<result_of!($kind $Out)>;
        )+

        impl CapabilityName {
            /// Reads `envelope` as this capability's success envelope (or, when it says
            /// `is_error`, as an error envelope): `Err` says what does not fit the wire types.
            ///
            /// ```
            /// use connector_sdk::wire::CapabilityName;
            /// use serde_json::json;
            ///
            /// let ok = json!({"response": [], "raw_data": null, "page": null});
            /// assert!(CapabilityName::ListAccounts.read_envelope(&ok).is_ok());
            /// let wrong = json!({"response": {"valid": "yes"}, "raw_data": null, "page": null});
            /// assert!(CapabilityName::ValidateCredentials.read_envelope(&wrong).is_err());
            /// ```
            pub fn read_envelope(self, envelope: &serde_json::Value) -> Result<(), String> {
                fn read<T: serde::de::DeserializeOwned>(
                    envelope: &serde_json::Value,
                ) -> Result<(), String> {
                    T::deserialize(envelope).map(|_| ()).map_err(|e| e.to_string())
                }
                if envelope.get("is_error") == Some(&serde_json::Value::Bool(true)) {
                    return read::<ErrorResponse>(envelope);
                }
                match self {
                    $(Self::$Name => read::<$Resp>(envelope),)+
                }
            }
        }
    };
}

crate::table::for_each_capability!(capability_envelopes);

/// The envelope of `info`.
pub type InfoResponse = Response<Info>;
