#![doc = include_str!("../README.md")]

mod ad;
mod capability;
mod directory;
mod dn;
mod error;
mod paging;
mod schema;
mod settings;
mod time;

#[doc(inline)]
pub use capability::{DIRECTORY, GROUP_MEMBER, LdapConnector, ORGANIZATIONAL_UNIT};
#[doc(inline)]
pub use settings::{DEFAULT_PAGE_SIZE, DirectoryKind, LdapSettings, MAX_PAGE_SIZE};

use connector_sdk::wire::{AppCategory, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration};

/// The LDAP connector's integration declaration: app id `ldap`, basic auth (bind DN and
/// password), every capability but the OAuth ones.
///
/// ```
/// let integration = ldap_connector::integration();
/// assert_eq!(integration.app_id(), "ldap");
/// assert_eq!(integration.capabilities().len(), 18);
/// assert_eq!(integration.capabilities_in(connector_sdk::Protocol::V3_7_8).len(), 13);
/// ```
pub fn integration() -> Integration<LdapConnector> {
    Integration::builder(LdapConnector, "ldap", env!("CARGO_PKG_VERSION"))
        .auth(AuthKind::Basic)
        .user_friendly_name("LDAP")
        .description(
            "Users, groups and organizational units of an LDAP directory (OpenLDAP, 389-ds, \
             any RFC 4511 server), through the on-prem agent.",
        )
        .category(AppCategory::ItAndSecurity)
        .resource_type(ResourceType::new(DIRECTORY, "Directory"))
        .resource_type(ResourceType::new(
            ORGANIZATIONAL_UNIT,
            "Organizational unit",
        ))
        .entitlement_type(EntitlementType::new(
            GROUP_MEMBER,
            "Group member",
            DIRECTORY,
        ))
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
        .get_account()
        .update_account()
        .list_updated_accounts()
        .get_account_entitlement_associations()
        .find_entitlement_graph()
        .build()
}
