//! Groups and the admin role: resources, entitlements, who holds what, and assignment.
//!
//! Each group is a resource with one entitlement, `member`; each app role (`admin`) is an
//! entitlement on the app itself (empty resource id).

use connector_sdk::http::ApiPath;
use connector_sdk::pagination::PageWalk;
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::{Deserialize, Serialize};

use super::{APP_ROLE, GROUP, GROUP_MEMBER, MAX_PAGE_SIZE, MockConnector, limit, require};
use crate::MockSettings;
use crate::client::{Api, ContainersPage, MemberChange, MembersPage};

/// The two kinds of things with members, in listing order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    Group,
    Role,
}

impl Kind {
    const FIRST: Self = Self::Group;

    fn next(self) -> Option<Self> {
        match self {
            Self::Group => Some(Self::Role),
            Self::Role => None,
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::Group => "/api/groups",
            Self::Role => "/api/roles",
        }
    }

    /// The entitlement type of its members.
    fn entitlement_type(self) -> &'static str {
        match self {
            Self::Group => GROUP_MEMBER,
            Self::Role => APP_ROLE,
        }
    }

    /// The entitlement of a group or role, as the platform names it.
    fn entitlement(self, container: &str) -> (&str, &str) {
        match self {
            // (entitlement id, resource id)
            Self::Group => (GROUP_MEMBER, container),
            Self::Role => (container, ""),
        }
    }
}

/// `?limit=N[&after=ID]`.
fn page_query(limit: &str, after: Option<&str>) -> Vec<(&'static str, String)> {
    let mut query = vec![("limit", limit.to_owned())];
    if let Some(after) = after {
        query.push(("after", after.to_owned()));
    }
    query
}

async fn containers(
    api: &Api,
    kind: Kind,
    limit: u32,
    after: Option<&str>,
) -> Result<ContainersPage, ConnectorError> {
    let query = page_query(&limit.to_string(), after);
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    api.get(kind.path(), &query).await
}

async fn members(
    api: &Api,
    kind: Kind,
    container: &str,
    limit: u32,
    after: Option<&str>,
) -> Result<MembersPage, ConnectorError> {
    let query = page_query(&limit.to_string(), after);
    let query: Vec<(&str, &str)> = query.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let path = ApiPath::new(kind.path())
        .id("the group or role id", container)
        .segment("members");
    api.get(path, &query).await
}

impl ListResources for MockConnector {
    /// The app's groups.
    async fn list_resources(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        // The app's `after` id of this page, handed out by the previous one.
        let after = ctx.cursor::<String>()?;
        let size = limit(ctx.page_size(), MAX_PAGE_SIZE);
        let page = containers(&Api::new(ctx)?, Kind::Group, size, after.as_deref()).await?;
        let resources = page
            .items
            .into_iter()
            .map(|group| wire::FoundResourceData {
                integration_specific_id: group.id,
                label: group.name,
                resource_type: GROUP.to_owned(),
                extra_data: group
                    .description
                    .map(|d| [("description".to_owned(), d)].into()),
            })
            .collect();
        Ok(Listing::with_cursor(resources, page.next))
    }
}

/// Where `list_entitlements` stands: listing groups, then roles, after an id.
#[derive(Debug, Serialize, Deserialize)]
struct EntitlementCursor {
    kind: Kind,
    after: Option<String>,
}

impl ListEntitlements for MockConnector {
    /// One `member` entitlement per group, then one entitlement per app role; pages are
    /// filled across the two.
    async fn list_entitlements(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListEntitlements,
    ) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {
        let mut cursor = ctx
            .cursor::<EntitlementCursor>()?
            .unwrap_or(EntitlementCursor {
                kind: Kind::FIRST,
                after: None,
            });
        let size = limit(ctx.page_size(), MAX_PAGE_SIZE) as usize;
        let api = Api::new(ctx)?;
        let mut items = Vec::new();
        // Cursors are per kind: `groups:<after>`, `roles:<after>`.
        let position = |kind: Kind, after: Option<&str>| after.map(|a| format!("{kind:?}:{a}"));
        let mut walk = PageWalk::new("GET /api/groups, /api/roles");
        walk.cursor(position(cursor.kind, cursor.after.as_deref()).as_deref())?;
        loop {
            let room = size.saturating_sub(items.len());
            if room == 0 {
                return Ok(Listing::with_cursor(items, Some(cursor)));
            }
            let asked = u32::try_from(room).unwrap_or(u32::MAX);
            let page = containers(&api, cursor.kind, asked, cursor.after.as_deref()).await?;
            let kind = cursor.kind;
            walk.step(
                room,
                page.items.len(),
                position(kind, page.next.as_deref()).as_deref(),
            )?;
            items.extend(page.items.into_iter().map(|container| {
                let (id, resource) = kind.entitlement(&container.id);
                wire::FoundEntitlementData {
                    entitlement_type: kind.entitlement_type().to_owned(),
                    extra_data: None,
                    integration_specific_id: id.to_owned(),
                    integration_specific_resource_id: resource.to_owned(),
                    is_assignable: Some(true),
                    label: match kind {
                        Kind::Group => format!("Member of {}", container.name),
                        Kind::Role => container.name,
                    },
                }
            }));
            cursor = match (page.next, kind.next()) {
                (Some(after), _) => EntitlementCursor {
                    kind,
                    after: Some(after),
                },
                (None, Some(next)) => EntitlementCursor {
                    kind: next,
                    after: None,
                },
                (None, None) => return Ok(Listing::last(items)),
            };
        }
    }
}

/// The outer cursor of `find_entitlement_associations`: the group or role being listed
/// (`None` before the first of its kind was looked up).
#[derive(Debug, Serialize, Deserialize)]
struct Container {
    kind: Kind,
    id: Option<String>,
}

/// Where `find_entitlement_associations` stands: the group or role, then the member.
#[derive(Debug, Serialize, Deserialize)]
struct AssociationCursor {
    container: Container,
    member: Member,
}

/// The inner cursor: the last member listed in that group or role.
#[derive(Debug, Serialize, Deserialize)]
struct Member {
    after: Option<String>,
}

impl FindEntitlementAssociations for MockConnector {
    /// Every group's members, then every role's, with a nested cursor (the group or role,
    /// then the member); pages are filled across groups.
    async fn find_entitlement_associations(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::FindEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        // One typed cursor holding both positions, outer and inner.
        let AssociationCursor {
            mut container,
            mut member,
        } = ctx
            .cursor::<AssociationCursor>()?
            .unwrap_or(AssociationCursor {
                container: Container {
                    kind: Kind::FIRST,
                    id: None,
                },
                member: Member { after: None },
            });
        let size = limit(ctx.page_size(), MAX_PAGE_SIZE) as usize;
        let api = Api::new(ctx)?;
        let mut items = Vec::new();
        // Every group or role visited, and every member cursor within one, must be new.
        let mut containers_walk = PageWalk::new("GET /api/groups, /api/roles");
        let mut members_walk = PageWalk::new("GET /api/{groups,roles}/{id}/members");
        let visit = |walk: &mut PageWalk, kind: Kind, id: Option<&str>| {
            walk.cursor(id.map(|id| format!("{kind:?}:{id}")).as_deref())
        };
        visit(
            &mut containers_walk,
            container.kind,
            container.id.as_deref(),
        )?;
        if let Some(id) = &container.id {
            let given = member
                .after
                .as_ref()
                .map(|a| format!("{:?}:{id}:{a}", container.kind));
            members_walk.cursor(given.as_deref())?;
        }
        loop {
            let Some(id) = container.id.clone() else {
                // The first group (or role) of its kind.
                let first = containers(&api, container.kind, 1, None).await?;
                containers_walk.step(1, first.items.len(), None)?;
                match (first.items.into_iter().next(), container.kind.next()) {
                    (Some(first), _) => {
                        visit(&mut containers_walk, container.kind, Some(&first.id))?;
                        container.id = Some(first.id);
                    }
                    (None, Some(next)) => container.kind = next,
                    (None, None) => return Ok(Listing::last(items)),
                }
                continue;
            };
            let room = size.saturating_sub(items.len());
            if room == 0 {
                let next = AssociationCursor { container, member };
                return Ok(Listing::with_cursor(items, Some(next)));
            }
            let kind = container.kind;
            let asked = u32::try_from(room).unwrap_or(u32::MAX);
            let page = members(&api, kind, &id, asked, member.after.as_deref()).await?;
            let member_position = |after: Option<&str>| after.map(|a| format!("{kind:?}:{id}:{a}"));
            members_walk.step(
                room,
                page.members.len(),
                member_position(page.next.as_deref()).as_deref(),
            )?;
            let (entitlement, resource) = kind.entitlement(&id);
            items.extend(page.members.into_iter().map(|account_id| {
                wire::FoundEntitlementAssociation {
                    account_id,
                    integration_specific_entitlement_id: entitlement.to_owned(),
                    integration_specific_resource_id: resource.to_owned(),
                }
            }));
            if let Some(after) = page.next {
                member.after = Some(after);
                continue;
            }
            // This group is done: on to the next one, or to the next kind.
            member.after = None;
            let next = containers(&api, kind, 1, Some(&id)).await?;
            containers_walk.step(1, next.items.len(), None)?;
            match (next.items.into_iter().next(), kind.next()) {
                (Some(next), _) => {
                    visit(&mut containers_walk, kind, Some(&next.id))?;
                    container.id = Some(next.id);
                }
                (None, Some(next_kind)) => {
                    container = Container {
                        kind: next_kind,
                        id: None,
                    };
                }
                (None, None) => return Ok(Listing::last(items)),
            }
        }
    }
}

/// What an entitlement in a request points at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Target {
    /// Membership of a group.
    Group(String),
    /// A role on the app.
    Role(String),
}

impl Target {
    /// Reads an entitlement of a request; `resource_type` is checked when the request has one.
    pub(crate) fn parse(
        entitlement_type: &str,
        resource_type: Option<&str>,
        resource_id: &str,
        entitlement_id: &str,
    ) -> Result<Self, ConnectorError> {
        let bad = |why: String| ConnectorError::bad_request(format!("Invalid request - {why}"));
        match entitlement_type {
            GROUP_MEMBER => {
                if let Some(kind) = resource_type.filter(|k| *k != GROUP) {
                    return Err(bad(format!(
                        "a `{GROUP_MEMBER}` entitlement is on a `{GROUP}` resource, not `{kind}`"
                    )));
                }
                if entitlement_id != GROUP_MEMBER {
                    return Err(bad(format!(
                        "a group has one entitlement, `{GROUP_MEMBER}`, not `{entitlement_id}`"
                    )));
                }
                require("resource id", resource_id)?;
                ApiPath::root().id("resource id", resource_id).check()?;
                Ok(Self::Group(resource_id.to_owned()))
            }
            APP_ROLE => {
                if !resource_id.is_empty() || resource_type.is_some_and(|k| !k.is_empty()) {
                    return Err(bad(format!(
                        "a `{APP_ROLE}` entitlement is on the app itself: no resource"
                    )));
                }
                require("entitlement id", entitlement_id)?;
                ApiPath::root()
                    .id("entitlement id", entitlement_id)
                    .check()?;
                Ok(Self::Role(entitlement_id.to_owned()))
            }
            other => Err(bad(format!(
                "unknown entitlement type `{other}`: expected `{GROUP_MEMBER}` or `{APP_ROLE}`"
            ))),
        }
    }

    fn path(&self, account_id: &str) -> ApiPath {
        let (route, field, id) = match self {
            Self::Group(group) => ("/api/groups", "resource id", group),
            Self::Role(role) => ("/api/roles", "entitlement id", role),
        };
        ApiPath::new(route)
            .id(field, id)
            .segment("members")
            .id("account id", account_id)
    }
}

/// Grants (`member`) or revokes a target; the app makes both idempotent. Returns whether the
/// account holds it afterwards.
pub(crate) async fn assign(
    api: &Api,
    account_id: &str,
    target: &Target,
    member: bool,
) -> Result<bool, ConnectorError> {
    let path = target.path(account_id);
    let change: MemberChange = if member {
        api.put(path).await?
    } else {
        api.delete_json(path).await?
    };
    Ok(change.member)
}

/// Makes `account` hold (or not hold) the entitlement the request names; returns whether it
/// holds it afterwards.
async fn change_membership(
    ctx: &Context<MockSettings>,
    account: &str,
    entitlement_type: &str,
    resource_type: &str,
    resource_id: &str,
    entitlement_id: &str,
    member: bool,
) -> Result<bool, ConnectorError> {
    require("account_integration_specific_id", account)?;
    let target = Target::parse(
        entitlement_type,
        Some(resource_type),
        resource_id,
        entitlement_id,
    )?;
    assign(&Api::new(ctx)?, account, &target, member).await
}

impl AssignEntitlement for MockConnector {
    async fn assign_entitlement(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::AssignEntitlement,
    ) -> Result<wire::AssignedEntitlement, ConnectorError> {
        let holds = change_membership(
            ctx,
            &request.account_integration_specific_id,
            &request.entitlement_type,
            &request.resource_type,
            &request.resource_integration_specific_id,
            &request.entitlement_integration_specific_id,
            true,
        )
        .await?;
        Ok(wire::AssignedEntitlement { assigned: holds })
    }
}

impl UnassignEntitlement for MockConnector {
    async fn unassign_entitlement(
        &self,
        ctx: &Context<MockSettings>,
        request: wire::UnassignEntitlement,
    ) -> Result<wire::UnassignedEntitlement, ConnectorError> {
        let holds = change_membership(
            ctx,
            &request.account_integration_specific_id,
            &request.entitlement_type,
            &request.resource_type,
            &request.resource_integration_specific_id,
            &request.entitlement_integration_specific_id,
            false,
        )
        .await?;
        Ok(wire::UnassignedEntitlement { unassigned: !holds })
    }
}
