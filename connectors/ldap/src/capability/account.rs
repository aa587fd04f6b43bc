//! Reading accounts: `list_accounts`, `get_last_activity`, and protocol 4's `get_account` and
//! `list_updated_accounts`.

use std::collections::BTreeMap;

use connector_sdk::capability::{GetAccount, GetLastActivity, ListAccounts, ListUpdatedAccounts};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use ldap3::SearchEntry;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{LdapConnector, size_of, users};
use crate::directory::{Directory, first, values};
use crate::paging::{Cursor, Start};
use crate::settings::LdapSettings;
use crate::time::Instant;

impl ListAccounts for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("Users under the user base matching the user filter; locked accounts are SUSPENDED.");

    async fn list_accounts(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let settings = ctx.settings();
        let listing = users(settings);
        let cursor = Cursor::read(ctx, listing.key)?;
        let custom = request.custom_attributes.unwrap_or_default();
        let mut attributes = account_attributes(settings);
        attributes.extend(custom.iter().cloned());

        let mut directory = Directory::connect(ctx).await?;
        let start = Start::after(cursor.and_then(|c| c.after));
        let page = listing
            .page(&mut directory, &start, size_of(ctx), attributes)
            .await?;
        directory.close().await;

        let next = listing.next(&page)?;
        let accounts = page
            .entries
            .iter()
            .map(|entry| account(settings, entry, &custom))
            .collect();
        Ok(Listing::with_cursor(accounts, next))
    }
}

/// The attributes read for an account.
pub(crate) fn account_attributes(settings: &LdapSettings) -> Vec<String> {
    let mut attributes: Vec<String> = [
        settings.uid_attribute.as_str(),
        settings.mail_attribute.as_str(),
        settings.given_name_attribute.as_str(),
        settings.family_name_attribute.as_str(),
        "cn",
        settings.lock_attribute.as_str(),
    ]
    .map(str::to_owned)
    .to_vec();
    if settings.is_active_directory() {
        attributes.extend(crate::ad::STATE_ATTRIBUTES.map(str::to_owned));
        attributes.push("userPrincipalName".to_owned());
        attributes.push("objectGUID".to_owned());
    }
    attributes
}

/// An entry as an account: its DN is the id, the lock attribute gives the status.
pub(crate) fn account(
    settings: &LdapSettings,
    entry: &SearchEntry,
    custom: &[String],
) -> wire::FoundAccountData {
    let text = |attribute: &str| first(entry, attribute).map(str::to_owned);
    let mut account = wire::FoundAccountData::new(super::id_of(settings, entry));
    account.username = text(&settings.uid_attribute);
    account.email = text(&settings.mail_attribute);
    account.given_name = text(&settings.given_name_attribute);
    account.family_name = text(&settings.family_name_attribute);
    account.user_status = Some(status(settings, entry));
    account.account_type = Some(wire::AccountType::User);
    let mut extra = Map::new();
    extra.insert("dn".to_owned(), Value::String(entry.dn.clone()));
    if let Some(cn) = text("cn") {
        extra.insert("cn".to_owned(), Value::String(cn));
    }
    if settings.is_active_directory() {
        let state = crate::ad::State::of(entry, crate::ad::now_filetime());
        extra.insert(
            "ad_state".to_owned(),
            Value::String(state.name().to_owned()),
        );
        for attribute in ["userAccountControl", "userPrincipalName"] {
            if let Some(value) = text(attribute) {
                extra.insert(attribute.to_owned(), Value::String(value));
            }
        }
    } else if let Some(locked) = text(&settings.lock_attribute) {
        extra.insert(settings.lock_attribute.clone(), Value::String(locked));
    }
    account.extra_data = Some(extra);
    if !custom.is_empty() {
        let found: BTreeMap<String, String> = custom
            .iter()
            .filter_map(|name| {
                let values = values(entry, name);
                (!values.is_empty()).then(|| (name.clone(), values.join("; ")))
            })
            .collect();
        account.custom_attributes = Some(found);
    }
    account
}

/// `SUSPENDED` when the lock attribute is set ([`is_locked`]), else `ACTIVE`; on Active Directory, from
/// `userAccountControl`, the lockout and the expiry date (see [`crate::ad::State::status`]).
pub(crate) fn status(settings: &LdapSettings, entry: &SearchEntry) -> wire::AccountStatus {
    if settings.is_active_directory() {
        return crate::ad::State::of(entry, crate::ad::now_filetime()).status();
    }
    if is_locked(settings, entry) {
        wire::AccountStatus::Suspended
    } else {
        wire::AccountStatus::Active
    }
}

/// Whether the lock attribute holds a value other than `false` (any case): present means
/// locked, but 389-ds's `nsAccountLock: false` is an explicit "not locked" its bind honours.
/// Not for Active Directory (see [`crate::ad::State`]).
pub(crate) fn is_locked(settings: &LdapSettings, entry: &SearchEntry) -> bool {
    values(entry, &settings.lock_attribute)
        .iter()
        .any(|value| !value.trim().eq_ignore_ascii_case("false"))
}

impl GetLastActivity for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("The last successful bind, where the server records it (ppolicy, lastbind, AD).");

    async fn get_last_activity(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::GetLastActivity,
    ) -> Result<Listing<wire::LastActivityData>, ConnectorError> {
        let settings = ctx.settings();
        if settings.last_activity_attributes.is_empty() {
            return Err(ConnectorError::unsupported_operation(
                "settings.last_activity_attributes is empty: the connector does not know where \
                 the server records binds",
            ));
        }
        let directory = Directory::connect(ctx).await?;
        // One base search per account, all in flight at once on the one connection.
        let reads = request.account_ids.iter().map(|id| {
            let mut handle = directory.fork();
            let attributes = settings.last_activity_attributes.clone();
            async move {
                // On AD an id is an objectGUID (one that is not names no account).
                let base = if settings.is_active_directory() {
                    match crate::ad::parse_guid(id) {
                        Some(guid) => format!("<GUID={guid}>"),
                        None => return Ok((id, None)),
                    }
                } else {
                    id.clone()
                };
                handle
                    .read(&base, &settings.user_filter, attributes)
                    .await
                    .map(|entry| (id, entry))
            }
        });
        let entries = futures::future::try_join_all(reads).await?;
        directory.close().await;
        let activity = entries
            .into_iter()
            .filter_map(|(dn, entry)| {
                let entry = entry?;
                let latest = settings
                    .last_activity_attributes
                    .iter()
                    .flat_map(|attribute| values(&entry, attribute))
                    .filter_map(|value| Instant::parse(value))
                    .max()?;
                Some(wire::LastActivityData {
                    account_id: dn.clone(),
                    event_type: "last_login".to_owned(),
                    happened_at: latest.to_iso8601(),
                })
            })
            .collect();
        Ok(Listing::last(activity))
    }
}

impl GetAccount for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "A base search on the account's DN (on AD its objectGUID) under the user base, with the \
         user filter; mapped like list_accounts.",
    );

    async fn get_account(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::GetAccount,
    ) -> Result<wire::FoundAccountData, ConnectorError> {
        let settings = ctx.settings();
        let custom = request.custom_attributes.unwrap_or_default();
        let mut attributes = account_attributes(settings);
        attributes.extend(custom.iter().cloned());
        let mut directory = Directory::connect(ctx).await?;
        let entry = directory
            .account(settings, &request.account_id, attributes)
            .await?;
        directory.close().await;
        Ok(account(settings, &entry, &custom))
    }
}

/// The attribute holding an entry's last change: `whenChanged` on Active Directory (where
/// `modifyTimestamp` is computed from it and cannot be filtered on), `modifyTimestamp`
/// elsewhere (RFC 4512).
fn modified_attribute(settings: &LdapSettings) -> &'static str {
    if settings.is_active_directory() {
        "whenChanged"
    } else {
        "modifyTimestamp"
    }
}

/// The filter value of a moment for `modified_attribute`: GeneralizedTime to the second
/// (directories record changes to the second), with AD's one-digit fraction.
fn changed_since(settings: &LdapSettings, since: &str) -> Result<String, ConnectorError> {
    let instant = Instant::from_rfc3339(since).ok_or_else(|| {
        ConnectorError::bad_request(format!(
            "Invalid request - request.since must be an RFC 3339 date-time \
             (2026-01-31T23:59:59Z), not {since:?}"
        ))
    })?;
    let time = instant.to_generalized_time();
    Ok(if settings.is_active_directory() {
        time.replace('Z', ".0Z")
    } else {
        time
    })
}

/// Where `list_updated_accounts` goes on (inside its `cursor`): the moment it lists from and
/// the position in the user listing.
#[derive(Debug, Serialize, Deserialize)]
struct UpdatedCursor {
    since: Option<String>,
    at: Cursor,
}

impl ListUpdatedAccounts for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Users matching the user filter whose modifyTimestamp (whenChanged on AD) is at or after \
         the second of `since`, paged by the page key in the request's own cursor.",
    );

    async fn list_updated_accounts(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::ListUpdatedAccounts,
    ) -> Result<wire::UpdatedAccounts, ConnectorError> {
        let settings = ctx.settings();
        let listing = users(settings);
        let resumed: Option<UpdatedCursor> = ctx.payload_cursor(request.cursor.as_deref())?;
        let (since, after) = match resumed {
            Some(cursor) => {
                if request.since.is_some() && request.since != cursor.since {
                    return Err(ConnectorError::invalid_page_token(
                        "request.cursor was made for another request.since; start again \
                         without a cursor",
                    ));
                }
                (cursor.since, cursor.at.made_with(listing.key)?.after)
            }
            None => (request.since, None),
        };
        let filter = match &since {
            Some(since) => format!(
                "(&{}({}>={}))",
                settings.user_filter.trim(),
                modified_attribute(settings),
                changed_since(settings, since)?
            ),
            None => settings.user_filter.trim().to_owned(),
        };
        let listing = crate::paging::Listing {
            filter: &filter,
            ..listing
        };
        let custom = request.custom_attributes.unwrap_or_default();
        let mut attributes = account_attributes(settings);
        attributes.extend(custom.iter().cloned());

        let mut directory = Directory::connect(ctx).await?;
        let page = listing
            .page(
                &mut directory,
                &Start::after(after),
                size_of(ctx),
                attributes,
            )
            .await?;
        directory.close().await;
        let cursor = match listing.next(&page)? {
            Some(at) => Some(ctx.cursor_text(&UpdatedCursor { since, at })?),
            None => None,
        };
        let accounts = page
            .entries
            .iter()
            .map(|entry| account(settings, entry, &custom))
            .collect();
        Ok(wire::UpdatedAccounts { accounts, cursor })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn since_becomes_a_generalized_time_of_the_profile() {
        let generic = LdapSettings::new("ldap://x", "dc=x");
        assert_eq!(
            changed_since(&generic, "2026-01-31T23:59:59.9+01:00").unwrap(),
            "20260131225959Z"
        );
        let mut ad = LdapSettings::new("ldap://x", "dc=x");
        ad.directory = crate::settings::DirectoryKind::ActiveDirectory;
        assert_eq!(modified_attribute(&ad), "whenChanged");
        assert_eq!(
            changed_since(&ad, "2026-01-31T23:59:59Z").unwrap(),
            "20260131235959.0Z"
        );
        let error = changed_since(&generic, "*)(uid=*").unwrap_err();
        assert_eq!(error.code(), connector_sdk::wire::ErrorCode::BadRequest);
    }

    #[test]
    fn a_lock_attribute_of_false_is_no_lock() {
        let settings: LdapSettings = serde_json::from_value(serde_json::json!(
            {"server_url": "ldap://h", "base_dn": "dc=x", "directory": "389ds"}
        ))
        .unwrap();
        let entry = |values: &[&str]| SearchEntry {
            dn: "uid=a,dc=x".to_owned(),
            attrs: std::collections::HashMap::from([(
                "nsAccountLock".to_owned(),
                values.iter().map(|v| (*v).to_owned()).collect(),
            )]),
            bin_attrs: std::collections::HashMap::new(),
        };
        assert!(is_locked(&settings, &entry(&["true"])));
        assert!(is_locked(&settings, &entry(&["TRUE"])));
        assert!(!is_locked(&settings, &entry(&["false"])));
        assert!(!is_locked(&settings, &entry(&[" FALSE "])));
        assert!(!is_locked(&settings, &entry(&[])));
        assert_eq!(
            status(&settings, &entry(&["False"])),
            wire::AccountStatus::Active
        );
        // ppolicy's lock is a time: any value locks.
        let generic = LdapSettings::new("ldap://h", "dc=x");
        let locked_time = SearchEntry {
            dn: "uid=a,dc=x".to_owned(),
            attrs: std::collections::HashMap::from([(
                "pwdAccountLockedTime".to_owned(),
                vec!["000001010000Z".to_owned()],
            )]),
            bin_attrs: std::collections::HashMap::new(),
        };
        assert!(is_locked(&generic, &locked_time));
    }
}
