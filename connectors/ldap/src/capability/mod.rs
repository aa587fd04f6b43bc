//! The LDAP connector's capabilities, one module per area.

mod account;
mod graph;
mod group;
mod lifecycle;
mod resource;
mod schema;
mod validate;

use connector_sdk::capability::Connector;
use connector_sdk::pagination::page_size;
use connector_sdk::{ConnectorError, Context};

use crate::paging::Listing;
use crate::settings::{DEFAULT_PAGE_SIZE, LdapSettings, MAX_PAGE_SIZE};

/// Resource type of the directory itself (its base DN).
pub const DIRECTORY: &str = "directory";
/// Resource type of an organizational unit.
pub const ORGANIZATIONAL_UNIT: &str = "organizational_unit";
/// Entitlement type of a group membership.
pub const GROUP_MEMBER: &str = "member";

/// The LDAP connector: users are entries under the user base matching the user filter, groups
/// are entries under the group base matching the group filter, and a membership is the user's
/// DN in the group's member attribute. Account, group and resource ids are DNs.
#[derive(Debug, Clone, Copy, Default)]
pub struct LdapConnector;

impl Connector for LdapConnector {
    type Settings = LdapSettings;
}

/// The page size of a listing: the request's, else the settings', else 100; at most 1000.
fn size_of(ctx: &Context<LdapSettings>) -> u32 {
    let default = ctx.settings().page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    page_size(ctx.page_size(), default, MAX_PAGE_SIZE)
}

/// The user listing of the settings.
fn users(settings: &LdapSettings) -> Listing<'_> {
    Listing {
        base: settings.user_base(),
        filter: &settings.user_filter,
        key: &settings.page_key_attribute,
    }
}

/// The group listing of the settings.
fn groups(settings: &LdapSettings) -> Listing<'_> {
    Listing {
        base: settings.group_base(),
        filter: &settings.group_filter,
        key: &settings.page_key_attribute,
    }
}

/// The id of an account or group entry: its DN; on Active Directory its objectGUID (the DN
/// where the server returned none).
fn id_of(settings: &LdapSettings, entry: &ldap3::SearchEntry) -> String {
    if settings.is_active_directory()
        && let Some(guid) = crate::ad::guid_of(entry)
    {
        return guid;
    }
    entry.dn.clone()
}

/// An `invalid_value` error unless `entitlement_type` is the group membership type.
fn check_entitlement_type(entitlement_type: &str) -> Result<(), ConnectorError> {
    if entitlement_type == GROUP_MEMBER {
        Ok(())
    } else {
        Err(ConnectorError::invalid_value(format!(
            "Unknown entitlement type {entitlement_type:?}: the LDAP connector has only \
             {GROUP_MEMBER:?} (group membership)"
        )))
    }
}
