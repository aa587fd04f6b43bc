//! `connected_info` (protocol 4): the resource and entitlement types this tenant has.

use connector_sdk::capability::ConnectedInfo;
use connector_sdk::{ConnectorError, Context, wire};
use serde::Deserialize;

use super::{
    APP_ROLE, GROUP, GROUP_MEMBER, MockConnector, WORKSPACE, WORKSPACE_ADMIN, WORKSPACE_MEMBER,
};
use crate::MockSettings;
use crate::client::{Api, ContainersPage};

/// The first page of `GET /api/apps`, read only for whether there is one.
#[derive(Debug, Deserialize)]
struct Apps {
    apps: Vec<serde_json::Value>,
}

impl ConnectedInfo for MockConnector {
    /// Groups with their `member` entitlement always; the app role when the tenant has roles;
    /// application workspaces with their two entitlements when it has applications.
    async fn connected_info(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::GetConnectedInfo,
    ) -> Result<wire::ConnectedTypes, ConnectorError> {
        let api = Api::new(ctx)?;
        let roles: ContainersPage = api.get("/api/roles", &[("limit", "1")]).await?;
        let apps: Apps = api.get("/api/apps", &[("limit", "1")]).await?;
        let mut resource_types = vec![wire::ResourceType::new(GROUP, "Group")];
        let mut entitlement_types = vec![wire::EntitlementType::new(
            GROUP_MEMBER,
            "Group member",
            GROUP,
        )];
        if !roles.items.is_empty() {
            entitlement_types.push(wire::EntitlementType::new(APP_ROLE, "App role", ""));
        }
        if !apps.apps.is_empty() {
            resource_types.push(wire::ResourceType::new(WORKSPACE, "Application workspace"));
            entitlement_types.push(wire::EntitlementType::new(
                WORKSPACE_MEMBER,
                "Workspace member",
                WORKSPACE,
            ));
            entitlement_types.push(wire::EntitlementType::new(
                WORKSPACE_ADMIN,
                "Workspace admin",
                WORKSPACE,
            ));
        }
        Ok(wire::ConnectedTypes {
            resource_types,
            entitlement_types,
        })
    }
}
