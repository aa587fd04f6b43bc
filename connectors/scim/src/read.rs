//! The read capabilities: the credential, users, groups, memberships, custom attributes.
//!
//! Listings page with SCIM's `startIndex`/`count`, held in the SDK's typed page cursor, so each
//! page is its own process. SCIM pages by offset, so what the connector guarantees is: an
//! account created during a sync is never the cause of another account being lost (it shifts
//! later accounts forward, so at most one is seen again at the next page boundary, and that
//! repeat is dropped by comparing with the last id of the previous page); an account deleted
//! during a sync can shift one account back past the boundary, which then shows up in the next
//! sync. Servers that sort by creation (as most do) append new accounts at the end.

use std::collections::BTreeMap;

use connector_sdk::pagination::page_size;
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::client::{Group, Scim, User};
use crate::{MEMBER, ScimConnector, ScimConnectorSettings};

/// Page size when the request gives none.
const DEFAULT_PAGE_SIZE: u32 = 100;

pub(crate) fn limit(ctx: &Context<ScimConnectorSettings>) -> u32 {
    let max = ctx.settings().max_page_size();
    page_size(ctx.page_size(), DEFAULT_PAGE_SIZE.min(max), max)
}

/// Where a listing goes on: the next 1-based index, and the last id already handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct After {
    pub(crate) start: u64,
    pub(crate) last: Option<String>,
}

impl Default for After {
    /// The beginning of a listing.
    fn default() -> Self {
        Self {
            start: 1,
            last: None,
        }
    }
}

/// The value at a SCIM attribute path: `title`, `name.givenName`, or an extension's
/// `urn:…:User:department`.
fn attribute(user: &User, path: &str) -> Option<String> {
    let (container, name) = match path.rsplit_once(':') {
        Some((urn, name)) => (user.rest.get(urn)?, name),
        None => (&Value::Object(user.rest.clone()), path),
    };
    let mut value = container;
    for part in name.split('.') {
        value = value.get(part)?;
    }
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

/// The protocol's account for a SCIM user.
pub(crate) fn account(user: &User, custom: &[String]) -> wire::FoundAccountData {
    let mut account = wire::FoundAccountData::new(user.id.clone());
    let email = user
        .emails
        .iter()
        .find(|e| e.primary == Some(true))
        .or_else(|| user.emails.first());
    account.email = email.map(|e| e.value.clone());
    account.username = user.user_name.clone();
    account.given_name = user.name.as_ref().and_then(|n| n.given_name.clone());
    account.family_name = user.name.as_ref().and_then(|n| n.family_name.clone());
    account.user_status = Some(match user.active {
        Some(false) => wire::AccountStatus::Suspended,
        _ => wire::AccountStatus::Active,
    });
    account.account_type = Some(wire::AccountType::User);
    let attributes: BTreeMap<String, String> = custom
        .iter()
        .filter_map(|path| Some((path.clone(), attribute(user, path)?)))
        .collect();
    if !attributes.is_empty() {
        account.custom_attributes = Some(attributes.into_iter().collect());
    }
    account
}

/// One page of a SCIM listing from the cursor; the items new to this page and the next cursor.
async fn page<T>(
    ctx: &Context<ScimConnectorSettings>,
    route: &str,
    attributes: Option<&str>,
    id: impl Fn(&T) -> &str,
) -> Result<(Vec<T>, Option<After>), ConnectorError>
where
    T: serde::de::DeserializeOwned,
{
    let after = ctx.cursor::<After>()?.unwrap_or_default();
    page_from(ctx, route, None, attributes, after, id).await
}

/// One page of a SCIM listing (matching `filter`, if given) from `after`; the items new to
/// this page and the next position.
pub(crate) async fn page_from<T>(
    ctx: &Context<ScimConnectorSettings>,
    route: &str,
    filter: Option<&str>,
    attributes: Option<&str>,
    after: After,
    id: impl Fn(&T) -> &str,
) -> Result<(Vec<T>, Option<After>), ConnectorError>
where
    T: serde::de::DeserializeOwned,
{
    let count = limit(ctx);
    let page = Scim::new(ctx)?
        .search::<T>(route, filter, after.start, count, attributes)
        .await?;
    let received = page.resources.len() as u64;
    if received > u64::from(count) {
        return Err(ConnectorError::invalid_response(format!(
            "The SCIM server sent {received} {route} when {count} were asked for"
        )));
    }
    let start = page.start_index.unwrap_or(after.start);
    let mut items = page.resources;
    // A creation before this page shifted it: its first item is the last one already sent.
    if let (Some(last), Some(first)) = (&after.last, items.first())
        && id(first) == last
    {
        items.remove(0);
    }
    let next_start = start.saturating_add(received);
    let next = (received > 0 && next_start <= page.total_results).then(|| After {
        start: next_start,
        last: items.last().map(|item| id(item).to_owned()),
    });
    Ok((items, next))
}

impl ValidateCredentials for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "An authenticated GET /Users?count=1; the tenant id is the SCIM root (origin and path).",
    );

    async fn validate_credentials(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        let scim = Scim::new(ctx)?;
        scim.list::<Value>("/Users", 1, 1, Some("id")).await?;
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: ctx.settings().base_url(),
        })
    }
}

impl ListAccounts for ScimConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("SCIM Users: userName, name, primary email, active, and the configured attributes.");

    async fn list_accounts(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let custom: Vec<String> = match request.custom_attributes {
            Some(asked) => asked,
            None => ctx.settings().custom_attributes.clone(),
        };
        let (users, next) = page::<User>(ctx, "/Users", None, |u| &u.id).await?;
        let accounts = users.iter().map(|user| account(user, &custom)).collect();
        Ok(Listing::with_cursor(accounts, next))
    }
}

impl ListResources for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some("SCIM Groups.");

    async fn list_resources(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        let (groups, next) =
            page::<Group>(ctx, "/Groups", Some("id,displayName"), |g| &g.id).await?;
        let resources = groups
            .into_iter()
            .map(|group| wire::FoundResourceData {
                label: group
                    .display_name
                    .clone()
                    .unwrap_or_else(|| group.id.clone()),
                integration_specific_id: group.id,
                resource_type: crate::GROUP.to_owned(),
                extra_data: None,
            })
            .collect();
        Ok(Listing::with_cursor(resources, next))
    }
}

impl ListEntitlements for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some("One `member` entitlement per SCIM group.");

    async fn list_entitlements(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        _request: wire::ListEntitlements,
    ) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {
        let (groups, next) =
            page::<Group>(ctx, "/Groups", Some("id,displayName"), |g| &g.id).await?;
        let entitlements = groups
            .into_iter()
            .map(|group| wire::FoundEntitlementData {
                entitlement_type: MEMBER.to_owned(),
                extra_data: None,
                integration_specific_id: MEMBER.to_owned(),
                label: format!(
                    "Member of {}",
                    group.display_name.as_deref().unwrap_or(&group.id)
                ),
                integration_specific_resource_id: group.id,
                is_assignable: Some(true),
            })
            .collect();
        Ok(Listing::with_cursor(entitlements, next))
    }
}

/// Where the association listing goes on: the group (1-based index among groups) and how many
/// of its user members were already sent.
#[derive(Debug, Serialize, Deserialize)]
struct MemberCursor {
    group: u64,
    sent: usize,
}

impl FindEntitlementAssociations for ScimConnector {
    const DESCRIPTION: Option<&'static str> = Some(
        "Each SCIM group's user members (nested groups are not accounts), paged across groups.",
    );

    async fn find_entitlement_associations(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        _request: wire::FindEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        let size = limit(ctx) as usize;
        let mut cursor = ctx
            .cursor::<MemberCursor>()?
            .unwrap_or(MemberCursor { group: 1, sent: 0 });
        let scim = Scim::new(ctx)?;
        let mut associations = Vec::new();
        // Groups one at a time, with their members; at most `size` groups per call so an app
        // of empty groups still ends each call.
        for _ in 0..size {
            let page = scim
                .list::<Group>("/Groups", cursor.group, 1, Some("id,members"))
                .await?;
            let Some(group) = page.resources.into_iter().next() else {
                return Ok(Listing::last(associations));
            };
            let members: Vec<_> = group.members.iter().filter(|m| m.is_user()).collect();
            for member in members.iter().skip(cursor.sent) {
                if associations.len() == size {
                    return Ok(Listing::with_cursor(associations, Some(cursor)));
                }
                associations.push(wire::FoundEntitlementAssociation {
                    account_id: member.value.clone(),
                    integration_specific_entitlement_id: MEMBER.to_owned(),
                    integration_specific_resource_id: group.id.clone(),
                });
                cursor.sent += 1;
            }
            cursor = MemberCursor {
                group: cursor.group.saturating_add(1),
                sent: 0,
            };
            if cursor.group > page.total_results {
                return Ok(Listing::last(associations));
            }
        }
        Ok(Listing::with_cursor(associations, Some(cursor)))
    }
}

impl ListCustomAttributesSchema for ScimConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("The user attributes named in the `custom_attributes` setting, as strings.");

    async fn list_custom_attributes_schema(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        _request: wire::ListCustomAttributesSchema,
    ) -> Result<Listing<wire::CustomAttributeSchema>, ConnectorError> {
        let schema = ctx
            .settings()
            .custom_attributes
            .iter()
            .map(|name| wire::CustomAttributeSchema {
                customized_type: wire::CustomAttributeCustomizedType::Account,
                name: name.clone(),
                attribute_type: wire::CustomAttributeType::String,
            })
            .collect();
        Ok(Listing::last(schema))
    }
}
