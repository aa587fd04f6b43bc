//! The reference connector: a small, complete example of a connector built with the SDK. It
//! implements all 17 capabilities of 3.7.8 against the mock app (`mock-app`): users as
//! accounts, groups as resources with a `member` entitlement each, and an `admin` role on the
//! app; and protocol 4's further ones (applications, non-human identities, the access graph,
//! activity, expenses, offboarding, `connected_info`), which 3.7.8's `info` does not show.
//!
//! ```
//! let integration = mock_connector::integration();
//! assert_eq!(integration.app_id(), "mock-connector");
//! // 3.7.8's 17; protocol 4 adds its further ones (list_applications, update_account, …).
//! assert_eq!(integration.capabilities_in(connector_sdk::Protocol::V3_7_8).len(), 17);
//! assert!(integration.capabilities_in(connector_sdk::Protocol::V4).len() >= 17 + 30);
//! ```

mod client;
mod connector;
mod settings;

pub use connector::{
    APP_ROLE, DEFAULT_PAGE_SIZE, GROUP, GROUP_MEMBER, GetTenant, MAX_ACTIVITY_BATCH, MAX_PAGE_SIZE,
    MockConnector, Tenant, TenantOfCredential, WORKSPACE, WORKSPACE_ADMIN, WORKSPACE_MEMBER,
};
pub use settings::MockSettings;

use connector_sdk::arbitrary::AllowList;
use connector_sdk::oauth::{Endpoint, OAuthSettings};
use connector_sdk::wire::{AppCategory, CapabilityName, EntitlementType, ResourceType};
use connector_sdk::{Credential, Integration, IntegrationBuilder};

/// The OAuth scopes each capability needs, in the order the default scope lists them.
const SCOPES: &[(CapabilityName, &str)] = &[
    (CapabilityName::ValidateCredentials, "profile:read"),
    (CapabilityName::ListAccounts, "users:read"),
    (CapabilityName::ListResources, "groups:read"),
    (CapabilityName::ListEntitlements, "groups:read roles:read"),
    (
        CapabilityName::FindEntitlementAssociations,
        "groups:read roles:read",
    ),
    (CapabilityName::GetLastActivity, "activity:read"),
    (CapabilityName::ListCustomAttributesSchema, "users:read"),
    (
        CapabilityName::CreateAccount,
        "users:write groups:write roles:write",
    ),
    (CapabilityName::DeleteAccount, "users:write"),
    (CapabilityName::ActivateAccount, "users:write"),
    (CapabilityName::DeactivateAccount, "users:write"),
    (
        CapabilityName::AssignEntitlement,
        "groups:write roles:write",
    ),
    (
        CapabilityName::UnassignEntitlement,
        "groups:write roles:write",
    ),
];

/// The mock app's OAuth provider: endpoints under `settings.host`; the authorization-code flow
/// and the client-credentials grant side by side.
pub fn oauth_settings() -> OAuthSettings<MockSettings> {
    let endpoint = |path: &'static str| {
        Endpoint::from_settings(move |s: &MockSettings| format!("{}{path}", s.base_url()))
    };
    let oauth = OAuthSettings::code_flow(endpoint("/oauth/authorize"), endpoint("/oauth/token"))
        .with_client_credentials();
    SCOPES.iter().fold(oauth, |oauth, (capability, scope)| {
        oauth.scope(*capability, *scope)
    })
}

/// The id of the mock connector's basic credential (the seed example's username and password).
pub const LEGACY: &str = "legacy";

/// The id of the mock connector's OAuth credential (an access token from the mock app's
/// provider).
pub const OAUTH: &str = "oauth";

/// The mock connector's integration declaration: basic auth (the seed example) or an OAuth
/// access token from the mock app's provider; all 17 capabilities of 3.7.8 and protocol 4's
/// further ones (the SDK hides those in 3.7.8). In protocol 4 it is multi-credential: a
/// request's `credentials` list carries `legacy` (basic) or `oauth` (or both); in 3.7.8 its
/// `auth` carries either kind.
pub fn integration() -> Integration<MockConnector> {
    builder().build()
}

/// [`integration`] before `build()`, for tests that declare more (how calls are recorded, say).
pub fn builder() -> IntegrationBuilder<MockConnector> {
    Integration::builder(MockConnector, "mock-connector", env!("CARGO_PKG_VERSION"))
        .credential(
            Credential::basic(LEGACY)
                .name("Legacy login")
                .description("The mock app's **username and password** (the seed example).")
                .optional(),
        )
        .credential(
            Credential::oauth(OAUTH)
                .name("OAuth 2.0")
                .description("An access token from the mock app's OAuth provider.")
                .optional(),
        )
        .oauth(oauth_settings())
        .user_friendly_name("Mock Connector")
        .description("The reference connector of the Rust connector SDK, against a mock app.")
        .logo_url("https://example.com/mock-connector.png")
        .category(AppCategory::Developers)
        .resource_type(ResourceType::new(GROUP, "Group"))
        .entitlement_type(EntitlementType::new(GROUP_MEMBER, "Group member", GROUP))
        .entitlement_type(EntitlementType::new(APP_ROLE, "App role", ""))
        .validate_credentials()
        .list_accounts()
        .list_resources()
        .list_entitlements()
        .find_entitlement_associations()
        .get_last_activity()
        .list_custom_attributes_schema()
        .create_account()
        .delete_account()
        .activate_account()
        .deactivate_account()
        .assign_entitlement()
        .unassign_entitlement()
        // Protocol 4 only.
        .connected_info()
        .get_account()
        .update_account()
        .list_updated_accounts()
        .get_account_entitlement_associations()
        .get_data_recency()
        .list_activity_records()
        .list_applications()
        .get_application()
        .list_applications_accounts()
        .get_application_account()
        .assign_application()
        .unassign_application()
        .list_applications_resources()
        .list_applications_entitlements()
        .list_applications_entitlement_associations()
        .list_applications_activity_records()
        .assign_application_entitlement()
        .unassign_application_entitlement()
        .list_non_human_accounts()
        .list_credentials()
        .get_non_human_account_last_activity()
        .get_credential_last_activity()
        .list_expenses()
        .find_resource_graph()
        .find_entitlement_graph()
        .find_entitlement_assignments()
        .transfer_data()
        .release_resources()
        .downgrade_license()
        .custom("get_tenant", TenantOfCredential)
        .arbitrary_endpoints(arbitrary_endpoints())
}

/// What `fulfill_arbitrary_endpoint` may ask the mock app for: reads of users and groups.
pub fn arbitrary_endpoints() -> AllowList<MockSettings> {
    AllowList::new(MockSettings::base_url)
        .get("/api/users")
        .get("/api/users/*")
        .get("/api/groups")
        .get("/api/groups/**")
}
