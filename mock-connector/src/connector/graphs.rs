//! The access graph (protocol 4): groups nested in groups and application workspaces placed in
//! groups (the resource graph); membership of a nested group implying membership of the group
//! around it, and the admin role implying membership of the Admins group (the entitlement
//! graph); which group is a member of which (the entitlement assignments).

use connector_sdk::capability::{
    FindEntitlementAssignments, FindEntitlementGraph, FindResourceGraph,
};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;

use super::{APP_ROLE, GROUP, GROUP_MEMBER, MockConnector, WORKSPACE, all_of, page_of};
use crate::MockSettings;
use crate::client::Api;

/// A group of `GET /api/group-tree`: the groups and workspaces inside it.
#[derive(Debug, Deserialize)]
struct GroupNode {
    id: String,
    name: String,
    subgroups: Vec<String>,
    workspaces: Vec<Named>,
}

/// Something with an id and a name.
#[derive(Debug, Deserialize)]
struct Named {
    id: String,
    name: String,
}

/// `GET /api/role-implications`.
#[derive(Debug, Deserialize)]
struct Implications {
    implications: Vec<Implication>,
}

/// The groups a role makes its holders members of.
#[derive(Debug, Deserialize)]
struct Implication {
    role_id: String,
    role_name: String,
    group_ids: Vec<String>,
}

fn resource(id: String, kind: &str, label: String, terminal: bool) -> wire::AccessGraphResource {
    wire::AccessGraphResource {
        id,
        resource_type: kind.to_owned(),
        reference: None,
        label,
        description: None,
        is_terminal: Some(terminal),
        is_credential_bearing: None,
        linked_credential_ids: None,
    }
}

impl FindResourceGraph for MockConnector {
    /// Every group and workspace, and which group contains which (every page of the tree).
    async fn find_resource_graph(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::FindResourceGraph,
    ) -> Result<wire::ResourceGraph, ConnectorError> {
        let groups: Vec<GroupNode> = all_of(&Api::new(ctx)?, "/api/group-tree").await?;
        let mut resources = Vec::new();
        let mut relationships = Vec::new();
        for group in groups {
            let leaf = group.subgroups.is_empty() && group.workspaces.is_empty();
            if !leaf {
                let mut to_ids = group.subgroups;
                to_ids.extend(group.workspaces.iter().map(|w| w.id.clone()));
                relationships.push(wire::AccessGraphResourceRelationship {
                    from_id: group.id.clone(),
                    to_ids,
                    label: "contains".to_owned(),
                });
            }
            resources.push(resource(group.id, GROUP, group.name, leaf));
            resources.extend(
                group
                    .workspaces
                    .into_iter()
                    .map(|w| resource(w.id, WORKSPACE, w.name, true)),
            );
        }
        Ok(wire::ResourceGraph {
            resources,
            resource_relationships: relationships,
            custom_attributes: Vec::new(),
        })
    }
}

fn member_of(group: &str) -> wire::AccessGraphEntitlementIdentifier {
    wire::AccessGraphEntitlementIdentifier {
        entitlement_id: GROUP_MEMBER.to_owned(),
        resource_id: group.to_owned(),
    }
}

impl FindEntitlementGraph for MockConnector {
    /// Every group's `member` entitlement and every role; a role implies membership of the
    /// groups the app names for it, and membership of a nested group implies membership of
    /// the group around it.
    async fn find_entitlement_graph(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::FindEntitlementGraph,
    ) -> Result<wire::EntitlementGraph, ConnectorError> {
        let api = Api::new(ctx)?;
        let groups: Vec<GroupNode> = all_of(&api, "/api/group-tree").await?;
        let roles: Implications = api.get("/api/role-implications", &[]).await?;
        let mut nodes = Vec::new();
        let mut implications = Vec::new();
        for group in &groups {
            nodes.push(wire::AccessGraphEntitlement {
                id: GROUP_MEMBER.to_owned(),
                entitlement_type: GROUP_MEMBER.to_owned(),
                resource_id: group.id.clone(),
                is_assignable: Some(true),
                denies_access: false,
                label: format!("Member of {}", group.name),
                description: None,
            });
            implications.extend(group.subgroups.iter().map(|inner| {
                wire::AccessGraphImpliedAccess {
                    from_entitlement: member_of(inner),
                    to_entitlements: vec![member_of(&group.id)],
                }
            }));
        }
        for role in roles.implications {
            nodes.push(wire::AccessGraphEntitlement {
                id: role.role_id.clone(),
                entitlement_type: APP_ROLE.to_owned(),
                resource_id: String::new(),
                is_assignable: Some(true),
                denies_access: false,
                label: role.role_name,
                description: None,
            });
            if !role.group_ids.is_empty() {
                implications.push(wire::AccessGraphImpliedAccess {
                    from_entitlement: wire::AccessGraphEntitlementIdentifier {
                        entitlement_id: role.role_id,
                        resource_id: String::new(),
                    },
                    to_entitlements: role.group_ids.iter().map(|g| member_of(g)).collect(),
                });
            }
        }
        Ok(wire::EntitlementGraph {
            nodes,
            entitlement_implications: implications,
            custom_attributes: Vec::new(),
            access_graph_entitlement_rules: Vec::new(),
            access_graph_implied_access_rules: Vec::new(),
        })
    }
}

impl FindEntitlementAssignments for MockConnector {
    /// Each nested group holds `member` of the group around it; paged over the group tree.
    async fn find_entitlement_assignments(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::FindEntitlementAssignments,
    ) -> Result<Listing<wire::AccessGraphEntitlementAssignment>, ConnectorError> {
        let page = page_of::<GroupNode>(ctx, "/api/group-tree", &[]).await?;
        let items = page
            .items
            .into_iter()
            .flat_map(|group| {
                group.subgroups.into_iter().map(move |inner| {
                    wire::AccessGraphEntitlementAssignment {
                        resource_id: inner,
                        entitlement_id: GROUP_MEMBER.to_owned(),
                        entitlement_resource_id: group.id.clone(),
                    }
                })
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}
