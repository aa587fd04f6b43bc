//! Groups as entitlements: `list_entitlements`, `find_entitlement_associations`,
//! `assign_entitlement`, `unassign_entitlement`, and protocol 4's
//! `get_account_entitlement_associations`.
//!
//! A membership is the account's DN among the group's member attribute values. Assigning a
//! membership that exists, or removing one that does not, succeeds: the server's
//! `attributeOrValueExists` and `noSuchAttribute` mean "already so".

use std::collections::HashSet;
use std::fmt::Write as _;

use connector_sdk::capability::{
    AssignEntitlement, FindEntitlementAssociations, GetAccountEntitlementAssociations,
    ListEntitlements, UnassignEntitlement,
};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use ldap3::{Mod, SearchEntry};
use serde_json::{Map, Value};

use super::{GROUP_MEMBER, LdapConnector, check_entitlement_type, groups, size_of};
use crate::directory::{Directory, first, values};
use crate::dn;
use crate::error::rc;
use crate::paging::{Cursor, Start};
use crate::settings::LdapSettings;

/// Groups fetched by the first search while filling a page of associations; each further
/// search fetches four times as many, up to [`MAX_GROUP_BATCH`]. Small first batches keep a
/// page that one large group fills from reading the member lists of the groups after it.
const FIRST_GROUP_BATCH: u32 = 4;
/// The most groups (with their member lists) one search fetches.
const MAX_GROUP_BATCH: u32 = 256;

impl ListEntitlements for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("Groups under the group base matching the group filter.");

    async fn list_entitlements(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::ListEntitlements,
    ) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {
        let settings = ctx.settings();
        let listing = groups(settings);
        let cursor = Cursor::read(ctx, listing.key)?;
        let mut directory = Directory::connect(ctx).await?;
        let start = Start::after(cursor.and_then(|c| c.after));
        let mut attributes = ["cn", "description"].map(str::to_owned).to_vec();
        if settings.is_active_directory() {
            attributes.push("objectGUID".to_owned());
        }
        let page = listing
            .page(&mut directory, &start, size_of(ctx), attributes)
            .await?;
        directory.close().await;
        let next = listing.next(&page)?;
        let entitlements = page
            .entries
            .iter()
            .map(|group| entitlement(settings, group))
            .collect();
        Ok(Listing::with_cursor(entitlements, next))
    }
}

fn entitlement(settings: &LdapSettings, group: &SearchEntry) -> wire::FoundEntitlementData {
    let mut extra = Map::new();
    extra.insert("dn".to_owned(), Value::String(group.dn.clone()));
    if let Some(description) = first(group, "description") {
        extra.insert(
            "description".to_owned(),
            Value::String(description.to_owned()),
        );
    }
    wire::FoundEntitlementData {
        entitlement_type: GROUP_MEMBER.to_owned(),
        extra_data: Some(extra),
        integration_specific_id: super::id_of(settings, group),
        integration_specific_resource_id: settings.base_dn.trim().to_owned(),
        is_assignable: Some(true),
        label: first(group, "cn")
            .unwrap_or_else(|| dn::first_value(&group.dn))
            .to_owned(),
    }
}

impl FindEntitlementAssociations for LdapConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("Group memberships of users under the user base.");

    /// Pages through groups in key order and, inside a group, through its members (sorted),
    /// so a group larger than a page spans pages. Members outside the user base, and members
    /// under a separate group base (nested groups), are left out.
    async fn find_entitlement_associations(
        &self,
        ctx: &Context<LdapSettings>,
        _request: wire::FindEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        let settings = ctx.settings();
        let listing = groups(settings);
        let cursor = Cursor::read(ctx, listing.key)?;
        let size = usize::try_from(size_of(ctx)).unwrap_or(usize::MAX);
        let (mut position, mut offset) = match &cursor {
            Some(cursor) => (cursor.after.clone(), cursor.offset),
            None => (None, 0),
        };
        let member_attribute = &settings.group_member_attribute;
        let resource = settings.base_dn.trim().to_owned();
        let mut directory = Directory::connect(ctx).await?;
        if settings.is_active_directory() {
            let found = ad_associations(&mut directory, settings, cursor, size).await?;
            directory.close().await;
            return Ok(found);
        }
        let mut associations = Vec::new();
        let mut batch = FIRST_GROUP_BATCH;
        loop {
            // The group at `position` again (inclusive), to go on from `offset` in it.
            let start = position.clone().map_or(Start::First, Start::From);
            let page = listing
                .page(
                    &mut directory,
                    &start,
                    batch,
                    vec![member_attribute.clone()],
                )
                .await?;
            batch = (batch * 4).min(MAX_GROUP_BATCH);
            let before = position.clone();
            for group in &page.entries {
                let key = listing.key_of(group)?.to_owned();
                let skip = if position.as_deref() == Some(key.as_str()) {
                    offset
                } else {
                    0
                };
                let mut members: Vec<String> = if settings.transitive_memberships {
                    nested_members(&mut directory, settings, group).await?
                } else {
                    values(group, member_attribute)
                        .iter()
                        .filter(|member| is_user(settings, member))
                        .cloned()
                        .collect()
                };
                members.sort_by_cached_key(|member| dn::normalize(member));
                for (index, member) in members.iter().enumerate().skip(skip) {
                    if associations.len() == size {
                        directory.close().await;
                        let next = listing.cursor(Some(key), index);
                        return Ok(Listing::with_cursor(associations, Some(next)));
                    }
                    associations.push(wire::FoundEntitlementAssociation {
                        account_id: member.clone(),
                        integration_specific_entitlement_id: group.dn.clone(),
                        integration_specific_resource_id: resource.clone(),
                    });
                }
                position = Some(key);
                offset = members.len();
            }
            if !page.more {
                directory.close().await;
                return Ok(Listing::last(associations));
            }
            if position == before {
                return Err(ConnectorError::api_error(
                    "The LDAP server's size limit is too low to page through groups: raise it \
                     for the bind DN",
                ));
            }
        }
    }
}

/// Active Directory's memberships: for each group (in page-key order), the accounts of the
/// user filter that are members (`memberOf`, a back-link the DC keeps for every `member`
/// value) or have the group as primary group (`primaryGroupID` = the group's RID: how every
/// user is in `Domain Users`). Members come from a keyed search of users, not from the group's
/// `member` values, so nested groups are never accounts and a group of any size is complete
/// (no `member;range=…` retrieval, no MaxValRange cut); pages resume inside a group at the
/// last member's key.
async fn ad_associations(
    directory: &mut Directory,
    settings: &LdapSettings,
    cursor: Option<crate::paging::Cursor>,
    size: usize,
) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
    let listing = groups(settings);
    let users = super::users(settings);
    let resource = settings.base_dn.trim().to_owned();
    let (mut position, mut resume) = match cursor {
        Some(cursor) => (cursor.after, cursor.inner),
        None => (None, None),
    };
    let mut associations = Vec::new();
    let mut batch = FIRST_GROUP_BATCH;
    loop {
        let start = position.clone().map_or(Start::First, Start::From);
        let page = listing
            .page(
                directory,
                &start,
                batch,
                vec!["objectSid".to_owned(), "objectGUID".to_owned()],
            )
            .await?;
        batch = (batch * 4).min(MAX_GROUP_BATCH);
        let before = position.clone();
        for group in &page.entries {
            let key = listing.key_of(group)?.to_owned();
            let mut inner = if position.as_deref() == Some(key.as_str()) {
                resume.take()
            } else {
                None
            };
            let mut members = format!(
                "(memberOf{}={})",
                in_chain(settings),
                ldap3::ldap_escape(group.dn.as_str())
            );
            if let Some(rid) = relative_id(group) {
                members = format!("(|{members}(primaryGroupID={rid}))");
            }
            let filter = format!("(&{}{members})", settings.user_filter.trim());
            let member_listing = crate::paging::Listing {
                base: users.base,
                filter: &filter,
                key: users.key,
            };
            loop {
                let remaining = size.saturating_sub(associations.len());
                if remaining == 0 {
                    let mut next = listing.cursor(Some(key), 0);
                    next.inner = inner;
                    return Ok(Listing::with_cursor(associations, Some(next)));
                }
                let wanted = u32::try_from(remaining).unwrap_or(u32::MAX);
                let found = member_listing
                    .page(
                        directory,
                        &Start::after(inner.clone()),
                        wanted,
                        vec!["objectGUID".to_owned()],
                    )
                    .await?;
                for member in &found.entries {
                    associations.push(wire::FoundEntitlementAssociation {
                        account_id: super::id_of(settings, member),
                        integration_specific_entitlement_id: super::id_of(settings, group),
                        integration_specific_resource_id: resource.clone(),
                    });
                }
                // `page` returns at least one entry when more follow: the key moves on.
                if let Some(last) = found.entries.last() {
                    inner = Some(member_listing.key_of(last)?.to_owned());
                }
                if !found.more {
                    break;
                }
            }
            position = Some(key);
            resume = None;
        }
        if !page.more {
            return Ok(Listing::last(associations));
        }
        if position == before {
            return Err(ConnectorError::api_error(
                "The LDAP server's size limit is too low to page through groups: raise it for \
                 the bind DN",
            ));
        }
    }
}

/// The relative id (last sub-authority) of a group's `objectSid`, the value of its members'
/// `primaryGroupID`.
fn relative_id(group: &SearchEntry) -> Option<u32> {
    let binary = group
        .bin_attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("objectSid"))
        .and_then(|(_, values)| values.first().cloned());
    // A SID whose bytes happen to be UTF-8 lands among the text attributes.
    let sid = binary.or_else(|| {
        values(group, "objectSid")
            .first()
            .map(|v| v.as_bytes().to_vec())
    })?;
    // revision, sub-authority count, 6-byte authority, then count × 4-byte sub-authorities.
    let count = usize::from(*sid.get(1)?);
    if count == 0 || sid.len() != 8 + 4 * count {
        return None;
    }
    let last: [u8; 4] = sid.get(sid.len() - 4..)?.try_into().ok()?;
    Some(u32::from_le_bytes(last))
}

/// Whether a member DN can be a user: it lies under the user base, and not under a group base
/// that is apart from the user base (there it is a nested group).
fn is_user(settings: &LdapSettings, member: &str) -> bool {
    let (users, groups) = (settings.user_base(), settings.group_base());
    dn::is_under(member, users) && (dn::is_under(users, groups) || !dn::is_under(member, groups))
}

/// `:1.2.840.113556.1.4.1941:` (AD's LDAP_MATCHING_RULE_IN_CHAIN: the attribute's values
/// followed through nested groups) when memberships are transitive, else nothing.
fn in_chain(settings: &LdapSettings) -> &'static str {
    if settings.transitive_memberships {
        ":1.2.840.113556.1.4.1941:"
    } else {
        ""
    }
}

/// The most groups one expansion reads (a directory nesting deeper than this is refused
/// rather than read without end).
const MAX_NESTED_GROUPS: usize = 10_000;

/// The accounts of `group` and of every group nested in it, at any depth, without
/// duplicates: each nested group (a member that is no user) is read once, so cycles end.
async fn nested_members(
    directory: &mut Directory,
    settings: &LdapSettings,
    group: &SearchEntry,
) -> Result<Vec<String>, ConnectorError> {
    let attribute = &settings.group_member_attribute;
    let mut seen: HashSet<String> = HashSet::from([dn::normalize(&group.dn)]);
    let mut users: Vec<String> = Vec::new();
    let mut users_seen: HashSet<String> = HashSet::new();
    let mut pending: Vec<String> = values(group, attribute).to_vec();
    while let Some(member) = pending.pop() {
        let key = dn::normalize(&member);
        if is_user(settings, &member) {
            if users_seen.insert(key) {
                users.push(member);
            }
            continue;
        }
        if !seen.insert(key) {
            continue;
        }
        if seen.len() > MAX_NESTED_GROUPS {
            return Err(ConnectorError::api_error(format!(
                "The group {} nests more than {MAX_NESTED_GROUPS} groups: turn \
                 settings.transitive_memberships off",
                group.dn
            )));
        }
        if let Some(inner) = directory
            .read(
                &member,
                settings.group_filter.trim(),
                vec![attribute.clone()],
            )
            .await?
        {
            pending.extend(values(&inner, attribute).iter().cloned());
        }
    }
    Ok(users)
}

/// The DNs of the groups holding `dn`, directly or through groups nested in them (each group
/// searched for once, so cycles end), as one filter alternative each: `(member=<dn>)` for
/// `dn` and every group found.
async fn holders(
    directory: &mut Directory,
    settings: &LdapSettings,
    dn: &str,
) -> Result<String, ConnectorError> {
    let attribute = &settings.group_member_attribute;
    let clause = |dn: &str| format!("({attribute}={})", ldap3::ldap_escape(dn));
    let mut seen: HashSet<String> = HashSet::from([dn::normalize(dn)]);
    let mut clauses = vec![clause(dn)];
    let mut frontier = vec![dn.to_owned()];
    while !frontier.is_empty() {
        let alternatives: String = frontier.iter().map(|dn| clause(dn)).collect();
        let filter = format!("(&{}(|{alternatives}))", settings.group_filter.trim());
        let found = directory
            .search(crate::directory::Search {
                base: settings.group_base(),
                scope: ldap3::Scope::Subtree,
                filter: &filter,
                attributes: vec!["1.1".to_owned()],
                size_limit: 0,
                controls: Vec::new(),
            })
            .await?;
        if found.truncated {
            return Err(ConnectorError::api_error(
                "The LDAP server's size limit is too low to follow nested groups: raise it for \
                 the bind DN, or turn settings.transitive_memberships off",
            ));
        }
        frontier = found
            .entries
            .into_iter()
            .filter(|group| seen.insert(dn::normalize(&group.dn)))
            .map(|group| group.dn)
            .collect();
        if seen.len() > MAX_NESTED_GROUPS {
            return Err(ConnectorError::api_error(format!(
                "{dn} is in more than {MAX_NESTED_GROUPS} groups through nesting: turn \
                 settings.transitive_memberships off"
            )));
        }
        clauses.extend(frontier.iter().map(|dn| clause(dn)));
    }
    Ok(clauses.concat())
}

/// Adds `member` to `group` (already a member: success). The group must match the group
/// filter.
pub(super) async fn add_member(
    directory: &mut Directory,
    settings: &LdapSettings,
    group: &str,
    member: &str,
) -> Result<(), ConnectorError> {
    let group = directory.require_group(settings, group).await?;
    let group = group.as_str();
    let change = Mod::Add(
        settings.group_member_attribute.clone(),
        HashSet::from([member.to_owned()]),
    );
    let code = directory
        .modify(group, vec![change], &[rc::ATTRIBUTE_OR_VALUE_EXISTS])
        .await?;
    tracing::info!(
        group,
        member,
        already = code != rc::SUCCESS,
        "membership added"
    );
    Ok(())
}

impl AssignEntitlement for LdapConnector {
    async fn assign_entitlement(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::AssignEntitlement,
    ) -> Result<wire::AssignedEntitlement, ConnectorError> {
        check_entitlement_type(&request.entitlement_type)?;
        let settings = ctx.settings();
        let account = request.account_integration_specific_id.as_str();
        let mut directory = Directory::connect(ctx).await?;
        let account = directory.require_account(settings, account).await?;
        add_member(
            &mut directory,
            settings,
            &request.entitlement_integration_specific_id,
            &account,
        )
        .await?;
        directory.close().await;
        Ok(wire::AssignedEntitlement { assigned: true })
    }
}

impl UnassignEntitlement for LdapConnector {
    async fn unassign_entitlement(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::UnassignEntitlement,
    ) -> Result<wire::UnassignedEntitlement, ConnectorError> {
        check_entitlement_type(&request.entitlement_type)?;
        let settings = ctx.settings();
        let group = request.entitlement_integration_specific_id.as_str();
        let member = request.account_integration_specific_id.as_str();
        let mut directory = Directory::connect(ctx).await?;
        let group = directory.require_group(settings, group).await?;
        let group = group.as_str();
        // On AD the id is a GUID: the member value is the account's DN. Elsewhere a member that
        // is no account (any more) can still be removed.
        let member = if settings.is_active_directory() {
            directory.require_account(settings, member).await?
        } else {
            member.to_owned()
        };
        let member = member.as_str();
        let change = Mod::Delete(
            settings.group_member_attribute.clone(),
            HashSet::from([member.to_owned()]),
        );
        let code = directory
            .modify(group, vec![change], &[rc::NO_SUCH_ATTRIBUTE])
            .await?;
        directory.close().await;
        tracing::info!(
            group,
            member,
            already = code != rc::SUCCESS,
            "membership removed"
        );
        Ok(wire::UnassignedEntitlement { unassigned: true })
    }
}

/// A binary attribute's first value (servers send valid UTF-8 among the text attributes).
fn binary(entry: &SearchEntry, attribute: &str) -> Option<Vec<u8>> {
    entry
        .bin_attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(attribute))
        .and_then(|(_, values)| values.first().cloned())
        .or_else(|| {
            values(entry, attribute)
                .first()
                .map(|v| v.as_bytes().to_vec())
        })
}

/// An LDAP filter value matching exactly these bytes (every byte escaped, RFC 4515).
fn escaped_bytes(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut out, byte| {
        // Writing to a String cannot fail.
        let _ = write!(out, "\\{byte:02x}");
        out
    })
}

/// The SID of an AD account's primary group: the account's domain SID with the account's
/// `primaryGroupID` as last sub-authority (how every user is in `Domain Users` without being
/// among its `member` values).
fn primary_group_sid(account: &SearchEntry) -> Option<Vec<u8>> {
    let mut sid = binary(account, "objectSid")?;
    let count = usize::from(*sid.get(1)?);
    if count == 0 || sid.len() != 8 + 4 * count {
        return None;
    }
    let rid: u32 = values(account, "primaryGroupID")
        .first()?
        .trim()
        .parse()
        .ok()?;
    let last = sid.len() - 4;
    sid.get_mut(last..)?.copy_from_slice(&rid.to_le_bytes());
    Some(sid)
}

impl GetAccountEntitlementAssociations for LdapConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "The groups (group filter, under the group base) whose member attribute holds the \
         account's DN; on AD also its primary group. As find_entitlement_associations reports \
         them.",
    );

    async fn get_account_entitlement_associations(
        &self,
        ctx: &Context<LdapSettings>,
        request: wire::GetAccountEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        let settings = ctx.settings();
        let listing = groups(settings);
        let cursor = Cursor::read(ctx, listing.key)?;
        let mut directory = Directory::connect(ctx).await?;
        let account = directory
            .account(
                settings,
                &request.account_id,
                vec!["objectSid".to_owned(), "primaryGroupID".to_owned()],
            )
            .await?;
        let member = if !settings.transitive_memberships {
            format!(
                "({}={})",
                settings.group_member_attribute,
                ldap3::ldap_escape(account.dn.as_str())
            )
        } else if settings.is_active_directory() {
            format!(
                "({}{}={})",
                settings.group_member_attribute,
                in_chain(settings),
                ldap3::ldap_escape(account.dn.as_str())
            )
        } else {
            format!(
                "(|{})",
                holders(&mut directory, settings, &account.dn).await?
            )
        };
        let memberships =
            match primary_group_sid(&account).filter(|_| settings.is_active_directory()) {
                Some(sid) => format!("(|{member}(objectSid={}))", escaped_bytes(&sid)),
                None => member,
            };
        let filter = format!("(&{}{memberships})", settings.group_filter.trim());
        let listing = crate::paging::Listing {
            filter: &filter,
            ..listing
        };
        // The page key only, and on AD the objectGUID that is the group's id.
        let attributes = if settings.is_active_directory() {
            vec!["objectGUID".to_owned()]
        } else {
            Vec::new()
        };
        let page = listing
            .page(
                &mut directory,
                &Start::after(cursor.and_then(|c| c.after)),
                size_of(ctx),
                attributes,
            )
            .await?;
        directory.close().await;
        let next = listing.next(&page)?;
        let resource = settings.base_dn.trim().to_owned();
        let associations = page
            .entries
            .iter()
            .map(|group| wire::FoundEntitlementAssociation {
                account_id: request.account_id.clone(),
                integration_specific_entitlement_id: super::id_of(settings, group),
                integration_specific_resource_id: resource.clone(),
            })
            .collect();
        Ok(Listing::with_cursor(associations, next))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn binary_filter_values_escape_every_byte() {
        assert_eq!(escaped_bytes(&[0x01, 0x2a, 0xff]), "\\01\\2a\\ff");
    }
}
