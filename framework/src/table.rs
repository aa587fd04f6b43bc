//! The one table of capability facts: every other place that needs to know something about
//! each capability (its wire name, payload and result types, envelopes, group, summary, the
//! trait method that runs it) expands this table instead of listing the capabilities again.
//!
//! A consumer defines a macro taking the rows and hands it to `for_each_capability!`:
//!
//! ```text
//! macro_rules! summaries {
//!     ($($Name:ident = $wire:literal { $($rest:tt)* })+) => { … };
//! }
//! crate::table::for_each_capability!(summaries);
//! ```
//!
//! Each row: the [`CapabilityName`](crate::wire::CapabilityName) variant (also the name of the
//! capability trait) and its wire string; the trait method, its payload type and result (`list`
//! of items, or `one` value) in `wire`; the request and response envelope aliases; the group
//! (`Read`, `Write` or `OAuth`: OAuth payloads carry no `auth`); and a one-line summary. Rows
//! are sorted by name, which is the order of `CapabilityName`.
//!
//! Adding a capability: a row here, its payload and result types in `wire`, its trait in
//! `capability`, and its registration method on `IntegrationBuilder`.

macro_rules! for_each_capability {
    ($then:ident) => {
        $then! {
            ActivateAccount = "activate_account" {
                fn activate_account(ActivateAccount) -> one ActivatedAccount;
                envelopes ActivateAccountRequest, ActivateAccountResponse;
                group Write; summary "Re-enable an account";
            }
            AssignEntitlement = "assign_entitlement" {
                fn assign_entitlement(AssignEntitlement) -> one AssignedEntitlement;
                envelopes AssignEntitlementRequest, AssignEntitlementResponse;
                group Write; summary "Grant an entitlement to an account";
            }
            CreateAccount = "create_account" {
                fn create_account(CreateAccount) -> one CreatedAccount;
                envelopes CreateAccountRequest, CreateAccountResponse;
                group Write; summary "Create an account";
            }
            DeactivateAccount = "deactivate_account" {
                fn deactivate_account(DeactivateAccount) -> one DeactivatedAccount;
                envelopes DeactivateAccountRequest, DeactivateAccountResponse;
                group Write; summary "Disable an account";
            }
            DeleteAccount = "delete_account" {
                fn delete_account(DeleteAccount) -> one DeletedAccount;
                envelopes DeleteAccountRequest, DeleteAccountResponse;
                group Write; summary "Delete an account";
            }
            FindEntitlementAssociations = "find_entitlement_associations" {
                fn find_entitlement_associations(FindEntitlementAssociations)
                    -> list FoundEntitlementAssociation;
                envelopes FindEntitlementAssociationsRequest, FindEntitlementAssociationsResponse;
                group Read; summary "List which account holds which entitlement";
            }
            GetAuthorizationUrl = "get_authorization_url" {
                fn get_authorization_url(GetAuthorizationUrl) -> one AuthorizationUrl;
                envelopes GetAuthorizationUrlRequest, GetAuthorizationUrlResponse;
                group OAuth; summary "Build the OAuth authorization URL";
            }
            GetLastActivity = "get_last_activity" {
                fn get_last_activity(GetLastActivity) -> list LastActivityData;
                envelopes GetLastActivityRequest, GetLastActivityResponse;
                group Read; summary "Report when accounts were last active";
            }
            HandleAuthorizationCallback = "handle_authorization_callback" {
                fn handle_authorization_callback(HandleAuthorizationCallback)
                    -> one OauthCredentials;
                envelopes HandleAuthorizationCallbackRequest, HandleAuthorizationCallbackResponse;
                group OAuth; summary "Exchange an OAuth code for tokens";
            }
            HandleClientCredentialsRequest = "handle_client_credentials_request" {
                fn handle_client_credentials_request(HandleClientCredentials)
                    -> one OauthCredentials;
                envelopes HandleClientCredentialsRequest, HandleClientCredentialsResponse;
                group OAuth; summary "Obtain tokens with the OAuth client-credentials grant";
            }
            ListAccounts = "list_accounts" {
                fn list_accounts(ListAccounts) -> list FoundAccountData;
                envelopes ListAccountsRequest, ListAccountsResponse;
                group Read; summary "List accounts, one page at a time";
            }
            ListCustomAttributesSchema = "list_custom_attributes_schema" {
                fn list_custom_attributes_schema(ListCustomAttributesSchema)
                    -> list CustomAttributeSchema;
                envelopes ListCustomAttributesSchemaRequest, ListCustomAttributesSchemaResponse;
                group Read; summary "Declare the custom attributes of accounts";
            }
            ListEntitlements = "list_entitlements" {
                fn list_entitlements(ListEntitlements) -> list FoundEntitlementData;
                envelopes ListEntitlementsRequest, ListEntitlementsResponse;
                group Read; summary "List entitlements, one page at a time";
            }
            ListResources = "list_resources" {
                fn list_resources(ListResources) -> list FoundResourceData;
                envelopes ListResourcesRequest, ListResourcesResponse;
                group Read; summary "List resources, one page at a time";
            }
            RefreshAccessToken = "refresh_access_token" {
                fn refresh_access_token(RefreshAccessToken) -> one OauthCredentials;
                envelopes RefreshAccessTokenRequest, RefreshAccessTokenResponse;
                group OAuth; summary "Exchange a refresh token for new tokens";
            }
            UnassignEntitlement = "unassign_entitlement" {
                fn unassign_entitlement(UnassignEntitlement) -> one UnassignedEntitlement;
                envelopes UnassignEntitlementRequest, UnassignEntitlementResponse;
                group Write; summary "Revoke an entitlement from an account";
            }
            ValidateCredentials = "validate_credentials" {
                fn validate_credentials(ValidateCredentials) -> one ValidatedCredentials;
                envelopes ValidateCredentialsRequest, ValidateCredentialsResponse;
                group Read; summary "Check that the credential works and name its tenant";
            }
        }
    };
}

pub(crate) use for_each_capability;
