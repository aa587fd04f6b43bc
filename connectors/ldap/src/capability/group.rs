//! Groups as entitlements: `list_entitlements`, `find_entitlement_associations`,
//! `assign_entitlement`, `unassign_entitlement`.
//!
//! A membership is the account's DN among the group's member attribute values. Assigning a
//! membership that exists, or removing one that does not, succeeds: the server's
//! `attributeOrValueExists` and `noSuchAttribute` mean "already so".

use std::collections::HashSet;

use connector_sdk::capability::{
    AssignEntitlement, FindEntitlementAssociations, ListEntitlements, UnassignEntitlement,
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
        let attributes = ["cn", "description"].map(str::to_owned).to_vec();
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
        integration_specific_id: group.dn.clone(),
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
        let (mut position, mut offset) = match cursor {
            Some(cursor) => (cursor.after, cursor.offset),
            None => (None, 0),
        };
        let member_attribute = &settings.group_member_attribute;
        let resource = settings.base_dn.trim().to_owned();
        let mut directory = Directory::connect(ctx).await?;
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
                let mut members: Vec<&String> = values(group, member_attribute)
                    .iter()
                    .filter(|member| is_user(settings, member))
                    .collect();
                members.sort_by_cached_key(|member| dn::normalize(member));
                for (index, member) in members.iter().enumerate().skip(skip) {
                    if associations.len() == size {
                        directory.close().await;
                        let next = listing.cursor(Some(key), index);
                        return Ok(Listing::with_cursor(associations, Some(next)));
                    }
                    associations.push(wire::FoundEntitlementAssociation {
                        account_id: (*member).clone(),
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

/// Whether a member DN can be a user: it lies under the user base, and not under a group base
/// that is apart from the user base (there it is a nested group).
fn is_user(settings: &LdapSettings, member: &str) -> bool {
    let (users, groups) = (settings.user_base(), settings.group_base());
    dn::is_under(member, users) && (dn::is_under(users, groups) || !dn::is_under(member, groups))
}

/// Adds `member` to `group` (already a member: success). The group must match the group
/// filter.
pub(super) async fn add_member(
    directory: &mut Directory,
    settings: &LdapSettings,
    group: &str,
    member: &str,
) -> Result<(), ConnectorError> {
    directory.require_group(settings, group).await?;
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
        directory.require_account(settings, account).await?;
        add_member(
            &mut directory,
            settings,
            &request.entitlement_integration_specific_id,
            account,
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
        directory.require_group(settings, group).await?;
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
