#![doc = include_str!("../README.md")]

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
pub use settings::{DEFAULT_PAGE_SIZE, LdapSettings, MAX_PAGE_SIZE};

use connector_sdk::wire::{AppCategory, CapabilityName, EntitlementType, ResourceType};
use connector_sdk::{AuthKind, Integration};

/// The LDAP connector's integration declaration: app id `ldap`, basic auth (bind DN and
/// password), every capability but the OAuth ones.
///
/// ```
/// let integration = ldap_connector::integration();
/// assert_eq!(integration.app_id(), "ldap");
/// assert_eq!(integration.capabilities().len(), 13);
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
        .describe(
            CapabilityName::ValidateCredentials,
            "Binds as the bind DN; the tenant id is the naming context holding the base DN.",
        )
        .describe(
            CapabilityName::ListAccounts,
            "Users under the user base matching the user filter; locked accounts are SUSPENDED.",
        )
        .describe(
            CapabilityName::ListResources,
            "The directory (its base DN), then its organizational units.",
        )
        .describe(
            CapabilityName::ListEntitlements,
            "Groups under the group base matching the group filter.",
        )
        .describe(
            CapabilityName::FindEntitlementAssociations,
            "Group memberships of users under the user base.",
        )
        .describe(
            CapabilityName::GetLastActivity,
            "The last successful bind, where the server records it (ppolicy, lastbind, AD).",
        )
        .describe(
            CapabilityName::DeactivateAccount,
            "Writes the lock attribute (pwdAccountLockedTime with the ppolicy overlay).",
        )
        .describe(
            CapabilityName::ActivateAccount,
            "Removes the lock attribute.",
        )
        .build()
}
