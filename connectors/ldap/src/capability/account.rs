//! Reading accounts: `list_accounts` and `get_last_activity`.

use std::collections::BTreeMap;

use connector_sdk::capability::{GetLastActivity, ListAccounts};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use ldap3::SearchEntry;
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

/// `SUSPENDED` when the lock attribute is present, else `ACTIVE`; on Active Directory, from
/// `userAccountControl`, the lockout and the expiry date (see [`crate::ad::State::status`]).
pub(crate) fn status(settings: &LdapSettings, entry: &SearchEntry) -> wire::AccountStatus {
    if settings.is_active_directory() {
        return crate::ad::State::of(entry, crate::ad::now_filetime()).status();
    }
    if values(entry, &settings.lock_attribute).is_empty() {
        wire::AccountStatus::Active
    } else {
        wire::AccountStatus::Suspended
    }
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
