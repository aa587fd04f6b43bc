//! Changing accounts: `create_account`, `delete_account`, `activate_account`,
//! `deactivate_account`, and protocol 4's `update_account`.
//!
//! Deactivation writes the lock attribute (`pwdAccountLockedTime: 000001010000Z` by default:
//! with the ppolicy overlay and `pwdLockout: TRUE`, the server then refuses the account's
//! binds until an administrator removes it); activation removes it.

use std::collections::HashSet;

use connector_sdk::capability::{
    AccountChange, ActivateAccount, CreateAccount, DeactivateAccount, DeleteAccount, UpdateAccount,
};
use connector_sdk::{ConnectorError, Context, wire};
use ldap3::{Mod, Scope, SearchEntry, dn_escape, ldap_escape};
use serde_json::Value;

use super::{LdapConnector, check_entitlement_type};
use crate::directory::{Directory, Search};
use crate::error::rc;
use crate::settings::LdapSettings;

impl CreateAccount for LdapConnector {
    async fn create_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::CreateAccount,
    ) -> Result<wire::CreatedAccount, ConnectorError> {
        let settings = ctx.settings();
        for entitlement in &request.entitlements {
            check_entitlement_type(&entitlement.entitlement_type)?;
        }
        let locked = match request.user_status.as_deref().map(str::to_ascii_uppercase) {
            None => false,
            Some(status) if status == "ACTIVE" => false,
            Some(status)
                if ["SUSPENDED", "INACTIVE", "DEPROVISIONED"].contains(&status.as_str()) =>
            {
                true
            }
            Some(status) => {
                return Err(ConnectorError::invalid_value(format!(
                    "create_account: user_status {status:?} is not one the LDAP connector can \
                     set (ACTIVE, SUSPENDED, INACTIVE)"
                )));
            }
        };
        let username = request
            .username
            .clone()
            .filter(|u| !u.trim().is_empty())
            .or_else(|| {
                request
                    .email
                    .as_deref()
                    .and_then(|e| e.split('@').next())
                    .filter(|local| !local.is_empty())
                    .map(str::to_owned)
            })
            .ok_or_else(|| {
                ConnectorError::invalid_value(
                    "create_account needs a username (or an email to derive one from)",
                )
            })?;
        let (dn, attributes) = if settings.is_active_directory() {
            let dn = format!(
                "CN={},{}",
                dn_escape(username.as_str()),
                settings.user_base()
            );
            (
                dn,
                ad_entry_attributes(settings, &request, &username, locked)?,
            )
        } else {
            let dn = format!(
                "{}={},{}",
                settings.uid_attribute,
                dn_escape(username.as_str()),
                settings.user_base()
            );
            (dn, entry_attributes(settings, &request, &username)?)
        };

        let mut directory = Directory::connect(ctx).await?;
        directory.add(&dn, attributes).await.map_err(|e| {
            let message = format!("create_account {dn}: {}", e.message());
            e.with_message(message)
        })?;
        tracing::info!(dn, "account created");
        if locked && !settings.is_active_directory() {
            lock(&mut directory, settings, &dn).await.map_err(|e| {
                let message = format!(
                    "The account {dn} was created, but not locked: {}",
                    e.message()
                );
                e.with_message(message)
            })?;
        }
        for entitlement in &request.entitlements {
            let group = &entitlement.integration_specific_id;
            super::group::add_member(&mut directory, settings, group, &dn)
                .await
                .map_err(|e| {
                    let message = format!(
                        "The account {dn} was created, but not added to {group}: {}",
                        e.message()
                    );
                    e.with_message(message)
                })?;
        }
        directory.close().await;
        Ok(wire::CreatedAccount {
            status: if locked {
                wire::AccountStatus::Suspended
            } else {
                wire::AccountStatus::Active
            },
            created: true,
        })
    }
}

/// The attributes of a new account entry.
fn entry_attributes(
    settings: &LdapSettings,
    request: &wire::CreateAccount,
    username: &str,
) -> Result<Vec<(String, HashSet<String>)>, ConnectorError> {
    let mut attributes: Vec<(String, HashSet<String>)> = Vec::new();
    let mut set = |name: &str, values: HashSet<String>| {
        if values.is_empty() {
            return;
        }
        match attributes
            .iter_mut()
            .find(|(existing, _)| existing.eq_ignore_ascii_case(name))
        {
            Some((_, existing)) => *existing = values,
            None => attributes.push((name.to_owned(), values)),
        }
    };
    let one = |value: &str| HashSet::from([value.to_owned()]);
    set(
        "objectClass",
        settings.user_object_classes.iter().cloned().collect(),
    );
    set(&settings.uid_attribute, one(username));
    let full_name = match (&request.given_name, &request.family_name) {
        (Some(given), Some(family)) => format!("{given} {family}"),
        (None, Some(name)) | (Some(name), None) => name.clone(),
        (None, None) => username.to_owned(),
    };
    set("cn", one(&full_name));
    set(
        &settings.family_name_attribute,
        one(request.family_name.as_deref().unwrap_or(username)),
    );
    if let Some(given) = &request.given_name {
        set(&settings.given_name_attribute, one(given));
    }
    if let Some(email) = &request.email {
        set(&settings.mail_attribute, one(email));
    }
    for (name, value) in request.extra_data.iter().flatten() {
        let values = match value {
            Value::String(s) => one(s),
            Value::Number(n) => one(&n.to_string()),
            Value::Bool(b) => one(if *b { "TRUE" } else { "FALSE" }),
            Value::Array(items) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(()),
                })
                .collect::<Result<_, ()>>()
                .map_err(|()| extra_data_error(name))?,
            Value::Null => continue,
            Value::Object(_) => return Err(extra_data_error(name)),
        };
        set(name, values);
    }
    Ok(attributes)
}

/// The attributes of a new Active Directory user: a working account with a random password
/// (never logged nor returned: the protocol has no field for it) that must be changed at the
/// next logon, enabled or disabled (`locked`) per the request. The password is only sent over
/// TLS: `ldaps://` or StartTLS, which AD requires for `unicodePwd` anyway.
fn ad_entry_attributes(
    settings: &LdapSettings,
    request: &wire::CreateAccount,
    username: &str,
    disabled: bool,
) -> Result<Vec<(String, HashSet<String>)>, ConnectorError> {
    let url = settings.server_url.trim();
    if !(url.starts_with("ldaps://") || settings.start_tls) {
        return Err(ConnectorError::invalid_value(
            "create_account on Active Directory sets a password, which is only sent over TLS: \
             use an ldaps:// server_url or start_tls",
        ));
    }
    // sAMAccountName: at most 20 characters, none of AD's forbidden ones.
    if username.chars().count() > 20
        || username
            .chars()
            .any(|c| "\"/\\[]:;|=,+*?<>@".contains(c) || c.is_control())
    {
        return Err(ConnectorError::invalid_value(
            "create_account: an Active Directory username (sAMAccountName) has at most 20 \
             characters and none of \" / \\ [ ] : ; | = , + * ? < > @",
        ));
    }
    for (name, _) in request.extra_data.iter().flatten() {
        if [
            "unicodePwd",
            "userPassword",
            "userAccountControl",
            "pwdLastSet",
        ]
        .iter()
        .any(|reserved| reserved.eq_ignore_ascii_case(name))
        {
            return Err(ConnectorError::invalid_value(format!(
                "create_account: extra_data.{name} is set by the connector on Active Directory"
            )));
        }
    }
    let mut attributes = entry_attributes(settings, request, username)?;
    let mut attributes_display = None;
    // The RDN is CN=<username>: `cn` must be the same; the full name goes to displayName.
    for (name, values) in &mut attributes {
        if name.eq_ignore_ascii_case("cn") {
            let full_name = std::mem::replace(values, HashSet::from([username.to_owned()]));
            *name = "cn".to_owned();
            attributes_display = Some(full_name);
        }
    }
    let realm: Vec<&str> = settings
        .base_dn
        .split(',')
        .filter_map(|rdn| {
            let (name, value) = rdn.split_once('=')?;
            name.trim().eq_ignore_ascii_case("DC").then(|| value.trim())
        })
        .collect();
    let one = |value: String| HashSet::from([value]);
    if let Some(full_name) = attributes_display {
        attributes.push(("displayName".to_owned(), full_name));
    }
    if !realm.is_empty() {
        attributes.push((
            "userPrincipalName".to_owned(),
            one(format!("{username}@{}", realm.join("."))),
        ));
    }
    // The quoted password in UTF-16LE; ASCII only, so the bytes are valid UTF-8 too.
    let password = random_password()?;
    let encoded: Vec<u8> = format!("\"{password}\"")
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let encoded = String::from_utf8(encoded)
        .map_err(|_| ConnectorError::internal_error("the generated password is not ASCII"))?;
    attributes.push(("unicodePwd".to_owned(), one(encoded)));
    let uac = crate::ad::with_disabled(NORMAL_ACCOUNT, disabled);
    attributes.push(("userAccountControl".to_owned(), one(uac.to_string())));
    // 0: the password must be changed at the next logon.
    attributes.push(("pwdLastSet".to_owned(), one("0".to_owned())));
    Ok(attributes)
}

/// The UAC flag of an ordinary user account.
const NORMAL_ACCOUNT: u32 = 0x200;

/// 24 random characters from the OS's generator, with every class AD's complexity rule asks.
fn random_password() -> Result<String, ConnectorError> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789-_.!#%+";
    let mut bytes = [0_u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| {
        ConnectorError::internal_error(format!("no random numbers for a password: {e}"))
    })?;
    let mut password: String = bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect();
    password.push_str("Aa7!");
    Ok(password)
}

fn extra_data_error(name: &str) -> ConnectorError {
    ConnectorError::invalid_value(format!(
        "create_account: extra_data.{name} must be a string, a number, a boolean or a list of \
         strings (it becomes the LDAP attribute {name})"
    ))
}

impl DeleteAccount for LdapConnector {
    async fn delete_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        let dn = directory
            .require_account(settings, &request.account_id)
            .await?;
        let dn = dn.as_str();
        // Leave no dangling memberships behind (OpenLDAP's refint overlay would do this too).
        let member = &settings.group_member_attribute;
        let filter = format!(
            "(&{}({member}={}))",
            settings.group_filter.trim(),
            ldap_escape(dn)
        );
        let groups = directory
            .search(Search {
                base: settings.group_base(),
                scope: Scope::Subtree,
                filter: &filter,
                attributes: vec!["1.1".to_owned()],
                size_limit: 0,
                controls: Vec::new(),
            })
            .await?;
        for group in &groups.entries {
            let removed = directory
                .modify(
                    &group.dn,
                    vec![Mod::Delete(member.clone(), HashSet::from([dn.to_owned()]))],
                    // The last member of a groupOfNames cannot go: leave it dangling.
                    &[rc::NO_SUCH_ATTRIBUTE, rc::OBJECT_CLASS_VIOLATION],
                )
                .await?;
            if removed == rc::OBJECT_CLASS_VIOLATION {
                tracing::warn!(
                    group = group.dn,
                    dn,
                    "the account is the group's last member"
                );
            }
        }
        directory.delete(dn).await?;
        directory.close().await;
        tracing::info!(dn, "account deleted");
        Ok(wire::DeletedAccount {
            status: wire::AccountStatus::Deleted,
            deleted: true,
        })
    }
}

/// Sets (`disabled`) or clears ACCOUNTDISABLE in the account's `userAccountControl`: a
/// read-modify-write that keeps every other flag and writes nothing when the flag is already
/// so (idempotent). A concurrent change of the other flags between the read and the write is
/// lost; the replace is guarded by a delete of the value read, so it fails instead.
async fn set_disabled(
    directory: &mut Directory,
    settings: &LdapSettings,
    dn: &str,
    disabled: bool,
) -> Result<(), ConnectorError> {
    let entry = directory
        .require(
            "account",
            dn,
            &settings.user_filter,
            vec!["userAccountControl".to_owned()],
        )
        .await?;
    let read = crate::directory::first(&entry, "userAccountControl").ok_or_else(|| {
        ConnectorError::invalid_response(format!("The account {dn} has no userAccountControl"))
    })?;
    let uac: u32 = read.trim().parse().map_err(|_| {
        ConnectorError::invalid_response(format!(
            "The account {dn} has a userAccountControl that is not a number"
        ))
    })?;
    let wanted = crate::ad::with_disabled(uac, disabled);
    if wanted == uac {
        tracing::info!(dn, disabled, "userAccountControl already so");
        return Ok(());
    }
    let name = "userAccountControl".to_owned();
    directory
        .modify(
            dn,
            vec![
                Mod::Delete(name.clone(), HashSet::from([read.to_owned()])),
                Mod::Add(name, HashSet::from([wanted.to_string()])),
            ],
            &[],
        )
        .await?;
    tracing::info!(dn, disabled, "userAccountControl changed");
    Ok(())
}

/// Writes the lock attribute.
async fn lock(
    directory: &mut Directory,
    settings: &LdapSettings,
    dn: &str,
) -> Result<(), ConnectorError> {
    directory
        .modify(
            dn,
            vec![Mod::Replace(
                settings.lock_attribute.clone(),
                HashSet::from([settings.lock_value.clone()]),
            )],
            &[],
        )
        .await
        .map(drop)
}

impl DeactivateAccount for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Writes the lock attribute (pwdAccountLockedTime with the ppolicy overlay); on AD, sets ACCOUNTDISABLE.",
    );

    async fn deactivate_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::DeactivateAccount,
    ) -> Result<wire::DeactivatedAccount, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        if settings.is_active_directory() {
            let dn = directory
                .require_account(settings, &request.account_id)
                .await?;
            set_disabled(&mut directory, settings, &dn, true).await?;
        } else {
            directory
                .require_account(settings, &request.account_id)
                .await?;
            lock(&mut directory, settings, &request.account_id).await?;
        }
        directory.close().await;
        Ok(wire::DeactivatedAccount {
            status: wire::AccountStatus::Suspended,
            deactivated: true,
        })
    }
}

impl ActivateAccount for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("Removes the lock attribute; on AD, clears ACCOUNTDISABLE.");

    async fn activate_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::ActivateAccount,
    ) -> Result<wire::ActivatedAccount, ConnectorError> {
        let settings = ctx.settings();
        let mut directory = Directory::connect(ctx).await?;
        if settings.is_active_directory() {
            let dn = directory
                .require_account(settings, &request.account_id)
                .await?;
            set_disabled(&mut directory, settings, &dn, false).await?;
            directory.close().await;
            return Ok(wire::ActivatedAccount {
                status: wire::AccountStatus::Active,
                activated: true,
            });
        }
        directory
            .require_account(settings, &request.account_id)
            .await?;
        // Removing a lock that is not there is `noSuchAttribute`: already active.
        directory
            .modify(
                &request.account_id,
                vec![Mod::Delete(settings.lock_attribute.clone(), HashSet::new())],
                &[rc::NO_SUCH_ATTRIBUTE],
            )
            .await?;
        directory.close().await;
        Ok(wire::ActivatedAccount {
            status: wire::AccountStatus::Active,
            activated: true,
        })
    }
}

/// One change `update_account` understands: an attribute's new value (`None`: remove it), or
/// the account's state.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Change {
    Attribute(String, Option<String>),
    Active(bool),
}

/// The request's changes as LDAP attributes, checked before the directory is contacted (by
/// the SDK's [`AccountChange::read`]): an unknown key or a value of the wrong type is a
/// `bad_request` naming the key.
fn changes(
    settings: &LdapSettings,
    request: &wire::UpdateableAccount,
) -> Result<Vec<(String, Change)>, ConnectorError> {
    let attribute = |name: &str, value: Option<String>| Change::Attribute(name.to_owned(), value);
    AccountChange::read(request)?
        .into_iter()
        .map(|(key, change)| {
            let change = match change {
                AccountChange::Email(email) => attribute(&settings.mail_attribute, email),
                AccountChange::GivenName(name) => attribute(&settings.given_name_attribute, name),
                AccountChange::FamilyName(name) => attribute(&settings.family_name_attribute, name),
                AccountChange::Username(name) => {
                    // Outside AD the id is the DN, whose RDN is usually the username: renaming
                    // would change the id, which update_account cannot report.
                    let rdn = request
                        .id
                        .split(',')
                        .next()
                        .and_then(|rdn| rdn.split_once('='));
                    if !settings.is_active_directory()
                        && rdn.is_some_and(|(name, _)| {
                            name.trim().eq_ignore_ascii_case(&settings.uid_attribute)
                        })
                    {
                        return Err(ConnectorError::invalid_value(format!(
                            "request.username: {} is the account's RDN, so renaming it would \
                             change the account's id (its DN); the LDAP connector does not \
                             rename entries",
                            settings.uid_attribute
                        )));
                    }
                    attribute(&settings.uid_attribute, Some(name))
                }
                AccountChange::Active(active) => Change::Active(active),
                _ => {
                    return Err(AccountChange::not_changeable(
                        &key,
                        &AccountChange::STANDARD,
                    ));
                }
            };
            Ok((key, change))
        })
        .collect()
}

impl Change {
    /// Whether the entry already is so.
    fn holds(&self, settings: &LdapSettings, entry: &SearchEntry) -> bool {
        match self {
            Self::Attribute(name, value) => {
                let current = crate::directory::values(entry, name);
                match value {
                    Some(value) => current.len() == 1 && current[0] == *value,
                    None => current.is_empty(),
                }
            }
            Self::Active(active) => {
                let enabled = if settings.is_active_directory() {
                    crate::directory::first(entry, "userAccountControl")
                        .and_then(|uac| uac.trim().parse::<u32>().ok())
                        .is_some_and(|uac| uac & crate::ad::ACCOUNTDISABLE == 0)
                } else {
                    !super::account::is_locked(settings, entry)
                };
                enabled == *active
            }
        }
    }
}

impl UpdateAccount for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Replaces the mapped attributes (email, given_name, family_name, username) and sets the \
         state (active/user_status: the lock attribute, on AD ACCOUNTDISABLE). Names only what \
         really changed.",
    );

    async fn update_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::UpdateableAccount,
    ) -> Result<wire::UpdateableAccount, ConnectorError> {
        let settings = ctx.settings();
        let wanted = changes(settings, &request)?;
        if wanted.is_empty() {
            return Ok(wire::UpdateableAccount::unchanged(request.id));
        }
        let mut directory = Directory::connect(ctx).await?;
        let entry = directory
            .account(
                settings,
                &request.id,
                super::account::account_attributes(settings),
            )
            .await?;
        let pending: Vec<&(String, Change)> = wanted
            .iter()
            .filter(|(_, change)| !change.holds(settings, &entry))
            .collect();
        let dn = entry.dn.as_str();
        let mods: Vec<Mod<String>> = pending
            .iter()
            .filter_map(|(_, change)| match change {
                // A replace with no value removes the attribute (and is no error without one).
                Change::Attribute(name, value) => Some(Mod::Replace(
                    name.clone(),
                    value.iter().cloned().collect::<HashSet<_>>(),
                )),
                Change::Active(_) => None,
            })
            .collect();
        if !mods.is_empty() {
            directory.modify(dn, mods, &[]).await?;
        }
        for (_, change) in &pending {
            if let Change::Active(active) = change {
                if settings.is_active_directory() {
                    set_disabled(&mut directory, settings, dn, !active).await?;
                } else if *active {
                    directory
                        .modify(
                            dn,
                            vec![Mod::Delete(settings.lock_attribute.clone(), HashSet::new())],
                            &[rc::NO_SUCH_ATTRIBUTE],
                        )
                        .await?;
                } else {
                    lock(&mut directory, settings, dn).await?;
                }
            }
        }
        directory.close().await;
        tracing::info!(dn, changed = pending.len(), "account updated");
        let changed = pending
            .iter()
            .filter_map(|(key, _)| Some((key.clone(), request.changes.get(key)?.clone())))
            .collect();
        Ok(wire::UpdateableAccount {
            id: request.id,
            changes: changed,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn request(id: &str, value: Value) -> wire::UpdateableAccount {
        wire::UpdateableAccount {
            id: id.to_owned(),
            changes: value.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn changes_map_to_the_settings_attributes() {
        let settings = LdapSettings::new("ldap://x", "dc=x");
        let id = "uid=a,dc=x";
        let mapped = changes(
            &settings,
            &request(
                id,
                json!({"email": "a@x", "given_name": null, "user_status": "SUSPENDED"}),
            ),
        )
        .unwrap();
        assert_eq!(
            mapped,
            vec![
                (
                    "email".to_owned(),
                    Change::Attribute("mail".to_owned(), Some("a@x".to_owned()))
                ),
                (
                    "given_name".to_owned(),
                    Change::Attribute("givenName".to_owned(), None)
                ),
                ("user_status".to_owned(), Change::Active(false)),
            ]
        );
    }

    #[test]
    fn unknown_keys_and_renames_are_refused_by_name() {
        let settings = LdapSettings::new("ldap://x", "dc=x");
        let id = "uid=a,dc=x";
        let error = changes(&settings, &request(id, json!({"mail": "a@x"}))).unwrap_err();
        assert_eq!(error.code(), connector_sdk::wire::ErrorCode::BadRequest);
        assert!(error.message().contains("\"mail\""), "{}", error.message());
        let error = changes(&settings, &request(id, json!({"email": 3}))).unwrap_err();
        assert!(
            error.message().contains("request.email"),
            "{}",
            error.message()
        );
        let error = changes(&settings, &request(id, json!({"username": "b"}))).unwrap_err();
        assert_eq!(error.code(), connector_sdk::wire::ErrorCode::InvalidValue);
        assert!(changes(&settings, &request("cn=A,dc=x", json!({"username": "b"}))).is_ok());
        let error = changes(
            &settings,
            &request(id, json!({"active": false, "user_status": "ACTIVE"})),
        )
        .unwrap_err();
        assert!(
            error.message().contains("contradict"),
            "{}",
            error.message()
        );
    }
}
