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

/// The kind of directory server; its profile sets the defaults of the other settings.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DirectoryKind {
    /// OpenLDAP or any RFC 4511 server: `inetOrgPerson`, `groupOfNames`, ppolicy locks.
    #[default]
    Generic,
    /// Microsoft Active Directory (and Samba AD): `user`/`group` objects, `sAMAccountName`,
    /// `uSNCreated` pages, status and (de)activation through `userAccountControl`.
    ActiveDirectory,
    /// 389 Directory Server: the generic layout, locked through `nsAccountLock`.
    #[serde(rename = "389ds")]
    Ds389,
}

/// Where the directory lives and how its users and groups are found.
///
/// `directory` picks a profile whose defaults fill every setting the request leaves out.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(remote = "Self")]
pub struct LdapSettings {
    /// The kind of server (`generic`, `active_directory`, `389ds`): sets the defaults of the
    /// filters, attributes, page key and lock, which the other settings still override.
    #[serde(default)]
    pub directory: DirectoryKind,
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
    /// Whether memberships are transitive: an account in a group nested in another is listed
    /// as a member of both (AD: the in-chain matching rule 1.2.840.113556.1.4.1941; other
    /// directories: expanded by the connector, each group read once).
    #[serde(default)]
    pub transitive_memberships: bool,
}

/// The profile's defaults for the settings a request leaves out, as JSON fields.
fn profile_defaults(kind: DirectoryKind) -> serde_json::Value {
    match kind {
        DirectoryKind::Generic => serde_json::json!({}),
        DirectoryKind::ActiveDirectory => serde_json::json!({
            "user_filter": "(&(objectCategory=person)(objectClass=user))",
            "user_object_classes": ["top", "person", "organizationalPerson", "user"],
            "group_filter": "(objectClass=group)",
            "uid_attribute": "sAMAccountName",
            "page_key_attribute": "uSNCreated",
            "last_activity_attributes": ["lastLogonTimestamp"],
        }),
        DirectoryKind::Ds389 => serde_json::json!({
            "lock_attribute": "nsAccountLock",
            "lock_value": "true",
        }),
    }
}

impl<'de> Deserialize<'de> for LdapSettings {
    /// Reads the settings, the profile named by `directory` filling the fields left out. The
    /// request's fields go straight through (an error keeps its field path); the profile's
    /// defaults follow them as if the request had them.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Settings;
        impl<'de> serde::de::Visitor<'de> for Settings {
            type Value = LdapSettings;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("the LDAP settings (an object)")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<LdapSettings, A::Error> {
                let profiled = Profiled {
                    inner: map,
                    seen: Vec::new(),
                    current: None,
                    kind: DirectoryKind::Generic,
                    tail: None,
                    pending: None,
                };
                LdapSettings::deserialize(serde::de::value::MapAccessDeserializer::new(profiled))
            }
        }
        deserializer.deserialize_map(Settings)
    }
}

/// The request's settings, then the profile's defaults for the fields it left out.
struct Profiled<A> {
    inner: A,
    seen: Vec<String>,
    current: Option<String>,
    kind: DirectoryKind,
    tail: Option<std::vec::IntoIter<(String, serde_json::Value)>>,
    pending: Option<serde_json::Value>,
}

impl<'de, A: serde::de::MapAccess<'de>> serde::de::MapAccess<'de> for Profiled<A> {
    type Error = A::Error;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, A::Error> {
        use serde::de::IntoDeserializer as _;
        if self.tail.is_none() {
            if let Some(key) = self.inner.next_key::<String>()? {
                self.seen.push(key.clone());
                self.current = Some(key.clone());
                return seed.deserialize(key.into_deserializer()).map(Some);
            }
            let defaults = match profile_defaults(self.kind) {
                serde_json::Value::Object(defaults) => defaults,
                _ => serde_json::Map::new(),
            };
            let missing: Vec<(String, serde_json::Value)> = defaults
                .into_iter()
                .filter(|(name, _)| !self.seen.contains(name))
                .collect();
            self.tail = Some(missing.into_iter());
        }
        match self.tail.as_mut().and_then(Iterator::next) {
            Some((key, value)) => {
                self.pending = Some(value);
                seed.deserialize(key.into_deserializer()).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, A::Error> {
        use serde::de::Error as _;
        if let Some(value) = self.pending.take() {
            return seed.deserialize(value).map_err(A::Error::custom);
        }
        if self.current.as_deref() == Some("directory") {
            let value: serde_json::Value = self.inner.next_value()?;
            self.kind = DirectoryKind::deserialize(&value).map_err(A::Error::custom)?;
            return seed.deserialize(value).map_err(A::Error::custom);
        }
        self.inner.next_value_seed(seed)
    }
}

impl LdapSettings {
    /// Whether the profile is Active Directory's.
    pub fn is_active_directory(&self) -> bool {
        self.directory == DirectoryKind::ActiveDirectory
    }
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
            directory: DirectoryKind::Generic,
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
            transitive_memberships: false,
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
    fn the_ad_profile_sets_defaults_that_settings_override() {
        let s = parse(serde_json::json!({
            "server_url": "ldaps://h", "base_dn": "DC=x",
            "directory": "active_directory", "group_filter": "(objectClass=mine)"
        }));
        assert!(s.is_active_directory());
        assert_eq!(
            s.user_filter,
            "(&(objectCategory=person)(objectClass=user))"
        );
        assert_eq!(s.uid_attribute, "sAMAccountName");
        assert_eq!(s.page_key_attribute, "uSNCreated");
        assert_eq!(s.group_filter, "(objectClass=mine)");
        let s = parse(
            serde_json::json!({"server_url": "ldap://h", "base_dn": "dc=x", "directory": "389ds"}),
        );
        assert_eq!(
            (s.lock_attribute.as_str(), s.lock_value.as_str()),
            ("nsAccountLock", "true")
        );
        let bad: Result<LdapSettings, _> = serde_json::from_value(serde_json::json!({
            "server_url": "ldap://h", "base_dn": "dc=x", "directory": "novell"
        }));
        assert!(bad.is_err());
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
