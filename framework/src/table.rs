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
//! capability trait and of its [`marker`](crate::capability::marker) type) and its wire string;
//! the trait method, its payload type and result (`list` of items, or `one` value) in `wire`;
//! the request and response envelope aliases; the group (`Read`, `Write`, `OAuth`,
//! `Validation` or `Meta`: OAuth and validation payloads carry no `auth`; a write's answer
//! says what it did, see `wire::WriteOutcome`); the protocol version that introduced it
//! (`V3_7_8` or `V4`: in an older protocol the capability is unknown); and a one-line summary.
//! Rows are sorted by wire name, which is the order of `CapabilityName`.
//!
//! Adding a capability: a row here, its payload and result types in `wire` (a write's answer
//! also implements `WriteOutcome`), and its trait in `capability` (re-exported from
//! `capability/mod.rs`). Everything else (the marker and its `Capability` descriptor, the
//! builder's registration method, dispatch, `info`, `app_info`, the OpenAPI spec, the CLI, the
//! console, `connector check`'s envelope typing, the scaffold's list) is derived from the row.

macro_rules! for_each_capability {
    ($then:ident) => {
        $then! {
            ActivateAccount = "activate_account" {
                fn activate_account(ActivateAccount) -> one ActivatedAccount;
                envelopes ActivateAccountRequest, ActivateAccountResponse;
                group Write; since V3_7_8; summary "Re-enable an account";
            }
            AssignApplication = "assign_application" {
                fn assign_application(AssignApplication) -> one AssignedApplication;
                envelopes AssignApplicationRequest, AssignApplicationResponse;
                group Write; since V4; summary "Assign an application to an account";
            }
            AssignApplicationEntitlement = "assign_application_entitlement" {
                fn assign_application_entitlement(AssignApplicationEntitlement)
                    -> one AssignedApplicationEntitlement;
                envelopes AssignApplicationEntitlementRequest, AssignApplicationEntitlementResponse;
                group Write; since V4; summary "Grant an entitlement inside an application";
            }
            AssignEntitlement = "assign_entitlement" {
                fn assign_entitlement(AssignEntitlement) -> one AssignedEntitlement;
                envelopes AssignEntitlementRequest, AssignEntitlementResponse;
                group Write; since V3_7_8; summary "Grant an entitlement to an account";
            }
            ConnectedInfo = "connected_info" {
                fn connected_info(GetConnectedInfo) -> one ConnectedTypes;
                envelopes ConnectedInfoRequest, ConnectedInfoResponse;
                group Meta; since V4; summary "Describe the connector as connected to this tenant";
            }
            CreateAccount = "create_account" {
                fn create_account(CreateAccount) -> one CreatedAccount;
                envelopes CreateAccountRequest, CreateAccountResponse;
                group Write; since V3_7_8; summary "Create an account";
            }
            DeactivateAccount = "deactivate_account" {
                fn deactivate_account(DeactivateAccount) -> one DeactivatedAccount;
                envelopes DeactivateAccountRequest, DeactivateAccountResponse;
                group Write; since V3_7_8; summary "Disable an account";
            }
            DeleteAccount = "delete_account" {
                fn delete_account(DeleteAccount) -> one DeletedAccount;
                envelopes DeleteAccountRequest, DeleteAccountResponse;
                group Write; since V3_7_8; summary "Delete an account";
            }
            DowngradeLicense = "downgrade_license" {
                fn downgrade_license(DowngradeLicense) -> one DowngradedLicense;
                envelopes DowngradeLicenseRequest, DowngradeLicenseResponse;
                group Write; since V4; summary "Move an account to a cheaper license";
            }
            FindEntitlementAssignments = "find_entitlement_assignments" {
                fn find_entitlement_assignments(FindEntitlementAssignments)
                    -> list AccessGraphEntitlementAssignment;
                envelopes FindEntitlementAssignmentsRequest, FindEntitlementAssignmentsResponse;
                group Read; since V4; summary "List which resource holds which entitlement in the access graph";
            }
            FindEntitlementAssociations = "find_entitlement_associations" {
                fn find_entitlement_associations(FindEntitlementAssociations)
                    -> list FoundEntitlementAssociation;
                envelopes FindEntitlementAssociationsRequest, FindEntitlementAssociationsResponse;
                group Read; since V3_7_8; summary "List which account holds which entitlement";
            }
            FindEntitlementGraph = "find_entitlement_graph" {
                fn find_entitlement_graph(FindEntitlementGraph) -> one EntitlementGraph;
                envelopes FindEntitlementGraphRequest, FindEntitlementGraphResponse;
                group Read; since V4; summary "Read the entitlement graph: which entitlement implies which";
            }
            FindResourceGraph = "find_resource_graph" {
                fn find_resource_graph(FindResourceGraph) -> one ResourceGraph;
                envelopes FindResourceGraphRequest, FindResourceGraphResponse;
                group Read; since V4; summary "Read the resource graph: which resource contains which";
            }
            FulfillArbitraryEndpoint = "fulfill_arbitrary_endpoint" {
                fn fulfill_arbitrary_endpoint(FulfillArbitraryEndpoint) -> one ArbitraryResponse;
                envelopes FulfillArbitraryEndpointRequest, FulfillArbitraryEndpointResponse;
                group Read; since V4; summary "Make one allow-listed HTTP request to the app";
            }
            GetAccount = "get_account" {
                fn get_account(GetAccount) -> one FoundAccountData;
                envelopes GetAccountRequest, GetAccountResponse;
                group Read; since V4; summary "Read one account";
            }
            GetAccountEntitlementAssociations = "get_account_entitlement_associations" {
                fn get_account_entitlement_associations(GetAccountEntitlementAssociations)
                    -> list FoundEntitlementAssociation;
                envelopes
                    GetAccountEntitlementAssociationsRequest,
                    GetAccountEntitlementAssociationsResponse;
                group Read; since V4; summary "List one account's entitlements";
            }
            GetApplication = "get_application" {
                fn get_application(GetApplication) -> one Application;
                envelopes GetApplicationRequest, GetApplicationResponse;
                group Read; since V4; summary "Read one application";
            }
            GetApplicationAccount = "get_application_account" {
                fn get_application_account(GetApplicationAccount) -> one ApplicationAccount;
                envelopes GetApplicationAccountRequest, GetApplicationAccountResponse;
                group Read; since V4; summary "Read one account's assignment to an application";
            }
            GetAuthorizationUrl = "get_authorization_url" {
                fn get_authorization_url(GetAuthorizationUrl) -> one AuthorizationUrl;
                envelopes GetAuthorizationUrlRequest, GetAuthorizationUrlResponse;
                group OAuth; since V3_7_8; summary "Build the OAuth authorization URL";
            }
            GetCredentialLastActivity = "get_credential_last_activity" {
                fn get_credential_last_activity(GetCredentialLastActivity)
                    -> list CredentialLastActivity;
                envelopes GetCredentialLastActivityRequest, GetCredentialLastActivityResponse;
                group Read; since V4; summary "Report when credentials were last used";
            }
            GetDataRecency = "get_data_recency" {
                fn get_data_recency(GetDataRecency) -> one DataRecency;
                envelopes GetDataRecencyRequest, GetDataRecencyResponse;
                group Read; since V4; summary "Report how fresh the app's data is";
            }
            GetLastActivity = "get_last_activity" {
                fn get_last_activity(GetLastActivity) -> list LastActivityData;
                envelopes GetLastActivityRequest, GetLastActivityResponse;
                group Read; since V3_7_8; summary "Report when accounts were last active";
            }
            GetNonHumanAccountLastActivity = "get_non_human_account_last_activity" {
                fn get_non_human_account_last_activity(GetNonHumanAccountLastActivity)
                    -> list NonHumanAccountLastActivity;
                envelopes
                    GetNonHumanAccountLastActivityRequest,
                    GetNonHumanAccountLastActivityResponse;
                group Read; since V4; summary "Report when non-human accounts were last active";
            }
            HandleAuthorizationCallback = "handle_authorization_callback" {
                fn handle_authorization_callback(HandleAuthorizationCallback)
                    -> one OauthCredentials;
                envelopes HandleAuthorizationCallbackRequest, HandleAuthorizationCallbackResponse;
                group OAuth; since V3_7_8; summary "Exchange an OAuth code for tokens";
            }
            HandleClientCredentialsRequest = "handle_client_credentials_request" {
                fn handle_client_credentials_request(HandleClientCredentials)
                    -> one OauthCredentials;
                envelopes HandleClientCredentialsRequest, HandleClientCredentialsResponse;
                group OAuth; since V3_7_8; summary "Obtain tokens with the OAuth client-credentials grant";
            }
            ListAccounts = "list_accounts" {
                fn list_accounts(ListAccounts) -> list FoundAccountData;
                envelopes ListAccountsRequest, ListAccountsResponse;
                group Read; since V3_7_8; summary "List accounts, one page at a time";
            }
            ListActivityRecords = "list_activity_records" {
                fn list_activity_records(ListActivityRecords) -> list ActivityRecord;
                envelopes ListActivityRecordsRequest, ListActivityRecordsResponse;
                group Read; since V4; summary "List activity records, one page at a time";
            }
            ListApplications = "list_applications" {
                fn list_applications(ListApplications) -> list Application;
                envelopes ListApplicationsRequest, ListApplicationsResponse;
                group Read; since V4; summary "List applications, one page at a time";
            }
            ListApplicationsAccounts = "list_applications_accounts" {
                fn list_applications_accounts(ListApplicationsAccounts) -> list ApplicationAccount;
                envelopes ListApplicationsAccountsRequest, ListApplicationsAccountsResponse;
                group Read; since V4; summary "List who is assigned to which application";
            }
            ListApplicationsActivityRecords = "list_applications_activity_records" {
                fn list_applications_activity_records(ListApplicationsActivityRecords)
                    -> list ApplicationActivityRecord;
                envelopes
                    ListApplicationsActivityRecordsRequest,
                    ListApplicationsActivityRecordsResponse;
                group Read; since V4; summary "List activity records of applications";
            }
            ListApplicationsEntitlementAssociations = "list_applications_entitlement_associations" {
                fn list_applications_entitlement_associations(ListApplicationsEntitlementAssociations)
                    -> list ApplicationEntitlementAssociation;
                envelopes
                    ListApplicationsEntitlementAssociationsRequest,
                    ListApplicationsEntitlementAssociationsResponse;
                group Read; since V4; summary "List who holds which entitlement inside applications";
            }
            ListApplicationsEntitlements = "list_applications_entitlements" {
                fn list_applications_entitlements(ListApplicationsEntitlements)
                    -> list ApplicationEntitlementData;
                envelopes ListApplicationsEntitlementsRequest, ListApplicationsEntitlementsResponse;
                group Read; since V4; summary "List entitlements inside applications";
            }
            ListApplicationsResources = "list_applications_resources" {
                fn list_applications_resources(ListApplicationsResources)
                    -> list ApplicationResourceData;
                envelopes ListApplicationsResourcesRequest, ListApplicationsResourcesResponse;
                group Read; since V4; summary "List resources inside applications";
            }
            ListCredentials = "list_credentials" {
                fn list_credentials(ListCredentials) -> list Credential;
                envelopes ListCredentialsRequest, ListCredentialsResponse;
                group Read; since V4; summary "List the credentials that exist in the app";
            }
            ListCustomAttributesSchema = "list_custom_attributes_schema" {
                fn list_custom_attributes_schema(ListCustomAttributesSchema)
                    -> list CustomAttributeSchema;
                envelopes ListCustomAttributesSchemaRequest, ListCustomAttributesSchemaResponse;
                group Read; since V3_7_8; summary "Declare the custom attributes of accounts";
            }
            ListEntitlements = "list_entitlements" {
                fn list_entitlements(ListEntitlements) -> list FoundEntitlementData;
                envelopes ListEntitlementsRequest, ListEntitlementsResponse;
                group Read; since V3_7_8; summary "List entitlements, one page at a time";
            }
            ListExpenses = "list_expenses" {
                fn list_expenses(ListExpenses) -> list Expense;
                envelopes ListExpensesRequest, ListExpensesResponse;
                group Read; since V4; summary "List expenses, one page at a time";
            }
            ListNonHumanAccounts = "list_non_human_accounts" {
                fn list_non_human_accounts(ListNonHumanAccounts) -> list NonHumanAccount;
                envelopes ListNonHumanAccountsRequest, ListNonHumanAccountsResponse;
                group Read; since V4; summary "List non-human accounts, one page at a time";
            }
            ListResources = "list_resources" {
                fn list_resources(ListResources) -> list FoundResourceData;
                envelopes ListResourcesRequest, ListResourcesResponse;
                group Read; since V3_7_8; summary "List resources, one page at a time";
            }
            ListUpdatedAccounts = "list_updated_accounts" {
                fn list_updated_accounts(ListUpdatedAccounts) -> one UpdatedAccounts;
                envelopes ListUpdatedAccountsRequest, ListUpdatedAccountsResponse;
                group Read; since V4; summary "List the accounts changed since a moment";
            }
            ProbeIntegration = "probe_integration" {
                fn probe_integration(ProbeIntegration) -> one ProbeResults;
                envelopes ProbeIntegrationRequest, ProbeIntegrationResponse;
                group Read; since V4; summary "Check what the connector can read, with samples";
            }
            RefreshAccessToken = "refresh_access_token" {
                fn refresh_access_token(RefreshAccessToken) -> one OauthCredentials;
                envelopes RefreshAccessTokenRequest, RefreshAccessTokenResponse;
                group OAuth; since V3_7_8; summary "Exchange a refresh token for new tokens";
            }
            ReleaseResources = "release_resources" {
                fn release_resources(ReleaseResources) -> one ReleaseResourcesStatus;
                envelopes ReleaseResourcesRequest, ReleaseResourcesResponse;
                group Write; since V4; summary "Free what an account holds";
            }
            TransferData = "transfer_data" {
                fn transfer_data(TransferData) -> one TransferDataStatus;
                envelopes TransferDataRequest, TransferDataResponse;
                group Write; since V4; summary "Move an account's data to another account";
            }
            UnassignApplication = "unassign_application" {
                fn unassign_application(UnassignApplication) -> one UnassignedApplication;
                envelopes UnassignApplicationRequest, UnassignApplicationResponse;
                group Write; since V4; summary "Remove an account from an application";
            }
            UnassignApplicationEntitlement = "unassign_application_entitlement" {
                fn unassign_application_entitlement(UnassignApplicationEntitlement)
                    -> one UnassignedApplicationEntitlement;
                envelopes
                    UnassignApplicationEntitlementRequest,
                    UnassignApplicationEntitlementResponse;
                group Write; since V4; summary "Revoke an entitlement inside an application";
            }
            UnassignEntitlement = "unassign_entitlement" {
                fn unassign_entitlement(UnassignEntitlement) -> one UnassignedEntitlement;
                envelopes UnassignEntitlementRequest, UnassignEntitlementResponse;
                group Write; since V3_7_8; summary "Revoke an entitlement from an account";
            }
            UpdateAccount = "update_account" {
                fn update_account(UpdateableAccount) -> one UpdateableAccount;
                envelopes UpdateAccountRequest, UpdateAccountResponse;
                group Write; since V4; summary "Change an account's attributes";
            }
            ValidateCredentialConfig = "validate_credential_config" {
                fn validate_credential_config(ValidateCredentialConfig)
                    -> one ValidatedCredentialConfig;
                envelopes ValidateCredentialConfigRequest, ValidateCredentialConfigResponse;
                group Validation; since V4; summary "Check one credential of the connection";
            }
            ValidateCredentials = "validate_credentials" {
                fn validate_credentials(ValidateCredentials) -> one ValidatedCredentials;
                envelopes ValidateCredentialsRequest, ValidateCredentialsResponse;
                group Read; since V3_7_8; summary "Check that the credential works and name its tenant";
            }
        }
    };
}

pub(crate) use for_each_capability;
