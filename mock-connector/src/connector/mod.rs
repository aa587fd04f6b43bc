//! The mock connector's capabilities: accounts (read and lifecycle), groups and the admin role
//! (resources, entitlements, who holds what, assignment).
//!
//! The OAuth capabilities come from the SDK's OAuth module (see
//! [`oauth_settings`](crate::oauth_settings)).

mod accounts;
mod custom;
mod entitlements;

pub use custom::{GetTenant, Tenant, TenantOfCredential};

use connector_sdk::ConnectorError;
use connector_sdk::prelude::*;

use crate::MockSettings;

/// Page size when the request gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest page the mock app serves.
pub const MAX_PAGE_SIZE: u32 = 1_000;
/// The most account ids the app reports activity for in one call (and so the largest page
/// of `get_last_activity`).
pub const MAX_ACTIVITY_BATCH: u32 = 100;

/// The resource type of the app's groups.
pub const GROUP: &str = "group";
/// The entitlement type "member of a group" (on a group resource).
pub const GROUP_MEMBER: &str = "member";
/// The entitlement type "holds a role on the app" (on the app itself: no resource).
pub const APP_ROLE: &str = "role";

/// The mock connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct MockConnector;

impl Connector for MockConnector {
    type Settings = MockSettings;
}

/// The page size of a listing: the request's, within `1..=max`.
fn limit(requested: Option<u32>, max: u32) -> u32 {
    connector_sdk::pagination::page_size(requested, DEFAULT_PAGE_SIZE.min(max), max)
}

/// A `bad_request` for an empty or blank id in the request.
fn require(field: &str, value: &str) -> Result<(), ConnectorError> {
    if value.trim().is_empty() {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - request.{field} must not be empty"
        )));
    }
    Ok(())
}
