//! The LDAP connector's settings: where the directory is and how it is laid out.
//!
//! Every field but `server_url` and `base_dn` has a default that fits an OpenLDAP directory of
//! `inetOrgPerson` users and `groupOfNames` groups with the `ppolicy` overlay.

use std::time::Duration;

use connector_sdk::ConnectorError;
use schemars::JsonSchema;
use serde::Deserialize;

/// Page size when neither the request nor the settings give one.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest page the connector asks the server for.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Where the directory lives and how its users and groups are found.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct LdapSettings {
    /// The server: `ldap://host[:389]` or `ldaps://host[:636]`.
    pub server_url: String,
    /// Upgrade an `ldap://` connection with StartTLS before binding.
    #[serde(default)]
    pub start_tls: bool,
    /// Extra trusted CA certificates (PEM), added to the system's roots for `ldaps://` and
    /// StartTLS. The `CONNECTOR_CA_BUNDLE` environment variable (a PEM file path) adds more.
    #[serde(default)]
    #[schemars(extend("x-field_type" = "MULTI_LINES"))]
    pub ca_bundle: Option<String>,
    /// The base DN of the directory, e.g. `dc=example,dc=com`.
    pub base_dn: String,
    /// Where users are searched (subtree) and created; defaults to the base DN.
    #[serde(default)]
    pub user_search_base: Option<String>,
    /// The LDAP filter that selects user entries.
    #[serde(default = "default_user_filter")]
    pub user_filter: String,
    /// Object classes of a created account; also where the custom attribute schema is read.
    #[serde(default = "default_user_object_classes")]
    pub user_object_classes: Vec<String>,
    /// Where groups are searched (subtree); defaults to the base DN.
    #[serde(default)]
    pub group_search_base: Option<String>,
    /// The LDAP filter that selects group entries.
    #[serde(default = "default_group_filter")]
    pub group_filter: String,
    /// The group attribute holding member DNs (`member`, or `uniqueMember`).
    #[serde(default = "default_member_attribute")]
    pub group_member_attribute: String,
    /// The user attribute holding the login name (also the RDN of created accounts).
    #[serde(default = "default_uid_attribute")]
    pub uid_attribute: String,
    /// The user attribute holding the email address.
    #[serde(default = "default_mail_attribute")]
    pub mail_attribute: String,
    /// The user attribute holding the first name.
    #[serde(default = "default_given_name_attribute")]
    pub given_name_attribute: String,
    /// The user attribute holding the last name.
    #[serde(default = "default_family_name_attribute")]
    pub family_name_attribute: String,
    /// Entries per page when the request does not say (at most 1000).
    #[serde(default)]
    pub page_size: Option<u32>,
    /// The attribute listings are ordered and resumed by: unique per entry, with an ORDERING
    /// matching rule, sortable by the server (RFC 2891). `entryUUID` on OpenLDAP and 389-ds,
    /// `uSNCreated` on Active Directory.
    #[serde(default = "default_page_key_attribute")]
    pub page_key_attribute: String,
    /// The attribute whose presence marks a locked (deactivated) account.
    #[serde(default = "default_lock_attribute")]
    pub lock_attribute: String,
    /// The value written to `lock_attribute` to deactivate an account (`000001010000Z` is the
    /// ppolicy overlay's "locked until an administrator unlocks it").
    #[serde(default = "default_lock_value")]
    pub lock_value: String,
    /// Attributes holding the time of the last successful bind, most specific first
    /// (`pwdLastSuccess` from ppolicy, `authTimestamp` from the lastbind overlay,
    /// `lastLogonTimestamp` on Active Directory).
    #[serde(default = "default_last_activity_attributes")]
    pub last_activity_attributes: Vec<String>,
    /// Timeout of the connection and of each operation, in seconds.
    #[serde(default = "default_timeout_seconds")]
    pub timeout_seconds: u32,
}

fn default_user_filter() -> String {
    "(objectClass=inetOrgPerson)".to_owned()
}

fn default_user_object_classes() -> Vec<String> {
    ["top", "person", "organizationalPerson", "inetOrgPerson"]
        .map(str::to_owned)
        .to_vec()
}

fn default_group_filter() -> String {
    "(objectClass=groupOfNames)".to_owned()
}

fn default_member_attribute() -> String {
    "member".to_owned()
}

fn default_uid_attribute() -> String {
    "uid".to_owned()
}

fn default_mail_attribute() -> String {
    "mail".to_owned()
}

fn default_given_name_attribute() -> String {
    "givenName".to_owned()
}

fn default_family_name_attribute() -> String {
    "sn".to_owned()
}

fn default_page_key_attribute() -> String {
    "entryUUID".to_owned()
}

fn default_lock_attribute() -> String {
    "pwdAccountLockedTime".to_owned()
}

fn default_lock_value() -> String {
    "000001010000Z".to_owned()
}

fn default_last_activity_attributes() -> Vec<String> {
    ["pwdLastSuccess", "authTimestamp", "lastLogonTimestamp"]
        .map(str::to_owned)
        .to_vec()
}

const fn default_timeout_seconds() -> u32 {
    30
}

impl LdapSettings {
    /// Settings for `server_url` and `base_dn`, every other field at its default.
    ///
    /// ```
    /// let settings = ldap_connector::LdapSettings::new("ldap://127.0.0.1:389", "dc=example,dc=com");
    /// assert_eq!(settings.user_base(), "dc=example,dc=com");
    /// assert_eq!(settings.page_key_attribute, "entryUUID");
    /// ```
    pub fn new(server_url: impl Into<String>, base_dn: impl Into<String>) -> Self {
        Self {
            server_url: server_url.into(),
            start_tls: false,
            ca_bundle: None,
            base_dn: base_dn.into(),
            user_search_base: None,
            user_filter: default_user_filter(),
            user_object_classes: default_user_object_classes(),
            group_search_base: None,
            group_filter: default_group_filter(),
            group_member_attribute: default_member_attribute(),
            uid_attribute: default_uid_attribute(),
            mail_attribute: default_mail_attribute(),
            given_name_attribute: default_given_name_attribute(),
            family_name_attribute: default_family_name_attribute(),
            page_size: None,
            page_key_attribute: default_page_key_attribute(),
            lock_attribute: default_lock_attribute(),
            lock_value: default_lock_value(),
            last_activity_attributes: default_last_activity_attributes(),
            timeout_seconds: default_timeout_seconds(),
        }
    }

    /// Where users are searched and created.
    pub fn user_base(&self) -> &str {
        non_empty(self.user_search_base.as_deref()).unwrap_or(&self.base_dn)
    }

    /// Where groups are searched.
    pub fn group_base(&self) -> &str {
        non_empty(self.group_search_base.as_deref()).unwrap_or(&self.base_dn)
    }

    /// The timeout of the connection and of each operation.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.timeout_seconds.max(1)))
    }

    /// Checks what serde cannot: the URL scheme, the filters' parentheses, non-empty names.
    pub(crate) fn check(&self) -> Result<(), ConnectorError> {
        let url = self.server_url.trim();
        let secure = if url.starts_with("ldaps://") {
            true
        } else if url.starts_with("ldap://") {
            false
        } else {
            return Err(ConnectorError::invalid_value(format!(
                "settings.server_url must start with ldap:// or ldaps://, not {url:?}"
            )));
        };
        if secure && self.start_tls {
            return Err(ConnectorError::invalid_value(
                "settings.start_tls applies to ldap:// URLs; an ldaps:// connection is already TLS",
            ));
        }
        if self.base_dn.trim().is_empty() {
            return Err(ConnectorError::invalid_value(
                "settings.base_dn must not be empty",
            ));
        }
        for (name, filter) in [
            ("user_filter", &self.user_filter),
            ("group_filter", &self.group_filter),
        ] {
            let filter = filter.trim();
            if !(filter.starts_with('(') && filter.ends_with(')')) {
                return Err(ConnectorError::invalid_value(format!(
                    "settings.{name} must be a parenthesized LDAP filter, e.g. (objectClass=person)"
                )));
            }
        }
        for (name, value) in [
            ("group_member_attribute", &self.group_member_attribute),
            ("uid_attribute", &self.uid_attribute),
            ("mail_attribute", &self.mail_attribute),
            ("given_name_attribute", &self.given_name_attribute),
            ("family_name_attribute", &self.family_name_attribute),
            ("page_key_attribute", &self.page_key_attribute),
            ("lock_attribute", &self.lock_attribute),
        ] {
            if !is_attribute_name(value) {
                return Err(ConnectorError::invalid_value(format!(
                    "settings.{name} is not an attribute name: {value:?}"
                )));
            }
        }
        Ok(())
    }
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.filter(|v| !v.trim().is_empty())
}

/// An attribute description as RFC 4512 spells it: a name or an OID, with options.
fn is_attribute_name(value: &str) -> bool {
    !value.is_empty()
        && value
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.' || b == b';')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: serde_json::Value) -> LdapSettings {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn defaults_fit_inet_org_person_and_group_of_names() {
        let s = parse(serde_json::json!({"server_url": "ldap://h", "base_dn": "dc=x"}));
        assert_eq!(s.user_filter, "(objectClass=inetOrgPerson)");
        assert_eq!(s.group_filter, "(objectClass=groupOfNames)");
        assert_eq!(s.user_base(), "dc=x");
        assert_eq!(s.group_base(), "dc=x");
        assert_eq!(s.timeout(), Duration::from_secs(30));
        s.check().unwrap();
    }

    #[test]
    fn bad_settings_are_invalid_values() {
        let mut s = LdapSettings::new("http://h", "dc=x");
        assert!(s.check().unwrap_err().message().contains("ldap://"));
        s.server_url = "ldaps://h".into();
        s.start_tls = true;
        assert!(s.check().unwrap_err().message().contains("start_tls"));
        s.start_tls = false;
        s.user_filter = "objectClass=person".into();
        assert!(s.check().unwrap_err().message().contains("user_filter"));
        s.user_filter = default_user_filter();
        s.uid_attribute = "u id".into();
        assert!(s.check().unwrap_err().message().contains("uid_attribute"));
    }
}
