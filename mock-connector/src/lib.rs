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

use connector_sdk::wire::{AppCategory, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration};

/// The mock connector's integration declaration.
pub fn integration() -> Integration<MockConnector> {
    Integration::builder(MockConnector, "mock-connector", env!("CARGO_PKG_VERSION"))
        .auth(AuthKind::Basic)
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
