//! Demo Connector: a connector built with the Rust connector SDK.
//!
//! [`integration`] declares what the connector is and what it can do; `src/main.rs` turns it
//! into the command line the platform runs (`demo-connector info`, `demo-connector list_accounts --json
//! …`). The capabilities are in `read.rs` and `write.rs`; they call the app through
//! `client.rs`.
//!
//! ```
//! let integration = demo_connector::integration();
//! assert_eq!(integration.app_id(), "demo-connector");
//! ```

mod client;
mod read;
mod settings;
mod write;

pub use settings::DemoConnectorSettings;

use connector_sdk::capability::Connector;
use connector_sdk::wire::{AppCategory, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration, Protocol};

/// The app id: the connector's name on the platform and in its on-prem bundle.
pub const APP_ID: &str = "demo-connector";

/// The connector. Its capabilities are implemented in `read.rs` and `write.rs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct DemoConnector;

impl Connector for DemoConnector {
    type Settings = DemoConnectorSettings;
}

/// The integration declaration: metadata, the accepted credential, the capabilities.
///
/// Registering a capability the connector does not implement does not compile. Remove the
/// registrations (and their `impl`s and case tables) of what the app cannot do.
pub fn integration() -> Integration<DemoConnector> {
    Integration::builder(DemoConnector, APP_ID, env!("CARGO_PKG_VERSION"))
        // The protocol `info` and the envelopes speak unless the platform asks for another
        // (`--protocol`, `CONNECTOR_PROTOCOL`, or `connector package --protocol`).
        .protocol(Protocol::V4)
        .auth(AuthKind::Token)
        .user_friendly_name("Demo Connector")
        // PLACEHOLDER: what the app is, its logo and category.
        .description("Demo Connector, connected through its REST API.")
        .category(AppCategory::Other)
        // PLACEHOLDER: the app's kinds of resources and entitlements.
        .resource_type(ResourceType::new("group", "Group"))
        .entitlement_type(EntitlementType::new("member", "Group member", "group"))
        // Read capabilities (src/read.rs).
        .validate_credentials()
        .list_accounts()
        .list_resources()
        .list_entitlements()
        .find_entitlement_associations()
        .get_last_activity()
        // Write capabilities (src/write.rs).
        .create_account()
        .delete_account()
        .activate_account()
        .deactivate_account()
        .assign_entitlement()
        .unassign_entitlement()
        .build()
}
