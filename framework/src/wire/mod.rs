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
mod auth;
mod common;
mod entitlements;
mod envelope;
mod error;
mod oauth;
mod secret;

pub use accounts::{
    ActivateAccount, ActivatedAccount, CreateAccount, CreateAccountEntitlement, CreatedAccount,
    DeactivateAccount, DeactivatedAccount, DeleteAccount, DeletedAccount, FoundAccountData,
    ListAccounts, ValidateCredentials, ValidatedCredentials,
};
pub use activity::{
    CustomAttributeCustomizedType, CustomAttributeSchema, CustomAttributeType, GetLastActivity,
    LastActivityData, ListCustomAttributesSchema,
};
pub use app_info::{
    AppCategory, CapabilityName, CapabilitySchema, EntitlementType, Info, ResourceType,
};
pub use auth::{
    AuthCredential, BasicCredential, OAuthClientCredential, OAuthCredential, TokenCredential,
};
pub use common::{AccountStatus, AccountType, Page, UnknownVariant};
pub use entitlements::{
    AssignEntitlement, AssignedEntitlement, FindEntitlementAssociations,
    FoundEntitlementAssociation, FoundEntitlementData, FoundResourceData, ListEntitlements,
    ListResources, UnassignEntitlement, UnassignedEntitlement,
};
pub use envelope::{Payload, Request, Response};
pub use error::{Error, ErrorCode, ErrorResponse};
pub use oauth::{
    AuthorizationUrl, GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentials,
    OAuthScopes, OauthCredentials, RefreshAccessToken, TokenType,
};
pub use secret::Secret;

/// Names each capability's envelopes and marks its payload as authenticated or not.
macro_rules! capability_envelopes {
    ($( $payload:ident => $req:ident, $resp:ident($output:ty), auth = $auth:literal; )+) => {
        $(
            impl Payload for $payload {
                const AUTHENTICATED: bool = $auth;
            }

            #[doc = concat!("The request envelope of the capability whose payload is [`", stringify!($payload), "`].")]
            pub type $req = Request<$payload>;

            #[doc = concat!("The success envelope of the capability whose payload is [`", stringify!($payload), "`].")]
            pub type $resp = Response<$output>;
        )+
    };
}

capability_envelopes! {
    ValidateCredentials => ValidateCredentialsRequest, ValidateCredentialsResponse(ValidatedCredentials), auth = true;
    ListAccounts => ListAccountsRequest, ListAccountsResponse(Vec<FoundAccountData>), auth = true;
    ListResources => ListResourcesRequest, ListResourcesResponse(Vec<FoundResourceData>), auth = true;
    ListEntitlements => ListEntitlementsRequest, ListEntitlementsResponse(Vec<FoundEntitlementData>), auth = true;
    FindEntitlementAssociations => FindEntitlementAssociationsRequest, FindEntitlementAssociationsResponse(Vec<FoundEntitlementAssociation>), auth = true;
    GetLastActivity => GetLastActivityRequest, GetLastActivityResponse(Vec<LastActivityData>), auth = true;
    ListCustomAttributesSchema => ListCustomAttributesSchemaRequest, ListCustomAttributesSchemaResponse(Vec<CustomAttributeSchema>), auth = true;
    CreateAccount => CreateAccountRequest, CreateAccountResponse(CreatedAccount), auth = true;
    DeleteAccount => DeleteAccountRequest, DeleteAccountResponse(DeletedAccount), auth = true;
    ActivateAccount => ActivateAccountRequest, ActivateAccountResponse(ActivatedAccount), auth = true;
    DeactivateAccount => DeactivateAccountRequest, DeactivateAccountResponse(DeactivatedAccount), auth = true;
    AssignEntitlement => AssignEntitlementRequest, AssignEntitlementResponse(AssignedEntitlement), auth = true;
    UnassignEntitlement => UnassignEntitlementRequest, UnassignEntitlementResponse(UnassignedEntitlement), auth = true;
    GetAuthorizationUrl => GetAuthorizationUrlRequest, GetAuthorizationUrlResponse(AuthorizationUrl), auth = false;
    HandleAuthorizationCallback => HandleAuthorizationCallbackRequest, HandleAuthorizationCallbackResponse(OauthCredentials), auth = false;
    HandleClientCredentials => HandleClientCredentialsRequest, HandleClientCredentialsResponse(OauthCredentials), auth = false;
    RefreshAccessToken => RefreshAccessTokenRequest, RefreshAccessTokenResponse(OauthCredentials), auth = false;
}

/// The envelope of `info`.
pub type InfoResponse = Response<Info>;
