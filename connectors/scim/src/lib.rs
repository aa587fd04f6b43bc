//! A SCIM 2.0 connector (RFC 7643/7644), built with the Rust connector SDK.
//!
//! [`integration`] declares what the connector is and what it can do; `src/main.rs` turns it
//! into the command line the platform runs (`scim-connector info`, `scim-connector list_accounts --json
//! …`). The capabilities are in `read.rs` and `write.rs`, protocol 4's single-account ones in
//! `account.rs`; they call the app through `client.rs`.
//!
//! ```
//! let integration = scim_connector::integration();
//! assert_eq!(integration.app_id(), "scim-connector");
//! ```

mod account;
mod client;
mod read;
mod settings;
mod write;

pub use settings::ScimConnectorSettings;

use connector_sdk::capability::Connector;
use connector_sdk::wire::{AppCategory, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration};

/// The app id: the connector's name on the platform and in its on-prem bundle.
pub const APP_ID: &str = "scim-connector";

/// The resource type of SCIM groups.
pub const GROUP: &str = "group";
/// The entitlement of a group: membership.
pub const MEMBER: &str = "member";

/// The connector. Its capabilities are implemented in `read.rs` and `write.rs`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ScimConnector;

impl Connector for ScimConnector {
    type Settings = ScimConnectorSettings;
}

/// The integration declaration: metadata, the accepted credential, the capabilities.
///
/// Registering a capability the connector does not implement does not compile. Remove the
/// registrations (and their `impl`s and case tables) of what the app cannot do.
pub fn integration() -> Integration<ScimConnector> {
    Integration::builder(ScimConnector, APP_ID, env!("CARGO_PKG_VERSION"))
        .auth(AuthKind::Token)
        .auth(AuthKind::Basic)
        .auth(AuthKind::OAuthClientCredentials)
        .user_friendly_name("SCIM 2.0")
        .description("Any app that speaks SCIM 2.0 (RFC 7643/7644): its users and groups.")
        .category(AppCategory::Other)
        .resource_type(ResourceType::new(GROUP, "Group"))
        .entitlement_type(EntitlementType::new(MEMBER, "Group member", GROUP))
        .validate_credentials()
        .list_accounts()
        .list_resources()
        .list_entitlements()
        .find_entitlement_associations()
        .list_custom_attributes_schema()
        .create_account()
        .delete_account()
        .activate_account()
        .deactivate_account()
        .assign_entitlement()
        .unassign_entitlement()
        .get_account()
        .update_account()
        .list_updated_accounts()
        .get_account_entitlement_associations()
        .build()
}
