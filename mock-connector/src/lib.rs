//! The reference connector: a small, complete example of a connector built with the SDK.
//!
//! ```
//! let integration = mock_connector::integration();
//! assert_eq!(integration.app_id(), "mock-connector");
//! ```

mod client;
mod connector;
mod settings;

pub use connector::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, MockConnector};
pub use settings::MockSettings;

use connector_sdk::oauth::OAuthSettings;
use connector_sdk::wire::{AppCategory, CapabilityName, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration};

/// The mock app's OAuth provider: endpoints under `settings.host`, authorization-code flow.
pub fn oauth_settings() -> OAuthSettings<MockSettings> {
    OAuthSettings::token_url_from(|s: &MockSettings| format!("{}/oauth/token", s.base_url()))
        .authorization_url_from(|s: &MockSettings| format!("{}/oauth/authorize", s.base_url()))
        .scope(CapabilityName::ValidateCredentials, "profile:read")
        .scope(CapabilityName::ListAccounts, "users:read")
}

/// The mock connector's integration declaration: basic auth (the seed example) or an OAuth
/// access token from the mock app's provider.
pub fn integration() -> Integration<MockConnector> {
    Integration::builder(MockConnector, "mock-connector", env!("CARGO_PKG_VERSION"))
        .auth(AuthKind::Basic)
        .auth(AuthKind::OAuth)
        .oauth(oauth_settings())
        .user_friendly_name("Mock Connector")
        .description("The reference connector of the Rust connector SDK, against a mock app.")
        .logo_url("https://example.com/mock-connector.png")
        .category(AppCategory::Developers)
        .resource_type(ResourceType::new("group", "Group"))
        .entitlement_type(EntitlementType::new("member", "Group member", "group"))
        .validate_credentials()
        .list_accounts()
        .build()
}
