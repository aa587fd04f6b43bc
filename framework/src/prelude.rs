//! The capability traits, for `use connector_sdk::prelude::*;`. Types are at the crate root.

pub use crate::capability::{
    ActivateAccount, AssignEntitlement, Connector, CreateAccount, DeactivateAccount, DeleteAccount,
    FindEntitlementAssociations, GetAuthorizationUrl, GetLastActivity, HandleAuthorizationCallback,
    HandleClientCredentialsRequest, ListAccounts, ListCustomAttributesSchema, ListEntitlements,
    ListResources, RefreshAccessToken, UnassignEntitlement, ValidateCredentials,
};
