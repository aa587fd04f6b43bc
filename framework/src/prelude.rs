//! The capability traits, for `use connector_sdk::prelude::*;`. Types are at the crate root.

pub use crate::capability::{
    ActivateAccount, AssignApplication, AssignApplicationEntitlement, AssignEntitlement,
    ConnectedInfo, Connector, CreateAccount, DeactivateAccount, DeleteAccount, DowngradeLicense,
    FindEntitlementAssignments, FindEntitlementAssociations, FindEntitlementGraph,
    FindResourceGraph, FulfillArbitraryEndpoint, GetAccount, GetAccountEntitlementAssociations,
    GetApplication, GetApplicationAccount, GetAuthorizationUrl, GetCredentialLastActivity,
    GetDataRecency, GetLastActivity, GetNonHumanAccountLastActivity, HandleAuthorizationCallback,
    HandleClientCredentialsRequest, ListAccounts, ListActivityRecords, ListApplications,
    ListApplicationsAccounts, ListApplicationsActivityRecords,
    ListApplicationsEntitlementAssociations, ListApplicationsEntitlements,
    ListApplicationsResources, ListCredentials, ListCustomAttributesSchema, ListEntitlements,
    ListExpenses, ListNonHumanAccounts, ListResources, ListUpdatedAccounts, ProbeIntegration,
    RefreshAccessToken, ReleaseResources, TransferData, UnassignApplication,
    UnassignApplicationEntitlement, UnassignEntitlement, UpdateAccount, ValidateCredentialConfig,
    ValidateCredentials,
};
