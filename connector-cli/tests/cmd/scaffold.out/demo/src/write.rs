//! The write capabilities: creating, deleting, activating and deactivating accounts, and
//! granting and revoking group membership.

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, wire};

use crate::DemoConnector;
use crate::DemoConnectorSettings;
use crate::client::{Client, NewUser};
use crate::read::account_status;

/// The protocol's status of a user the app answered with (`active` when it says nothing).
fn status_of(status: Option<&str>) -> wire::AccountStatus {
    status.map_or(wire::AccountStatus::Active, account_status)
}

impl CreateAccount for DemoConnector {
    async fn create_account(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::CreateAccount,
    ) -> Result<wire::CreatedAccount, ConnectorError> {
        let client = Client::new(ctx)?;
        let user = client
            .create_user(&NewUser {
                email: request.email.as_deref(),
                username: request.username.as_deref(),
                first_name: request.given_name.as_deref(),
                last_name: request.family_name.as_deref(),
            })
            .await?;
        // Entitlements to grant at creation: group memberships.
        for entitlement in &request.entitlements {
            if let Some(group_id) = &entitlement.integration_specific_resource_id {
                client.add_member(group_id, &user.id).await?;
            }
        }
        Ok(wire::CreatedAccount {
            status: status_of(user.status.as_deref()),
            created: true,
        })
    }
}

impl DeleteAccount for DemoConnector {
    async fn delete_account(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        Client::new(ctx)?.delete_user(&request.account_id).await?;
        Ok(wire::DeletedAccount {
            status: wire::AccountStatus::Deleted,
            deleted: true,
        })
    }
}

impl ActivateAccount for DemoConnector {
    async fn activate_account(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::ActivateAccount,
    ) -> Result<wire::ActivatedAccount, ConnectorError> {
        let user = Client::new(ctx)?
            .set_active(&request.account_id, true)
            .await?;
        Ok(wire::ActivatedAccount {
            status: status_of(user.status.as_deref()),
            activated: true,
        })
    }
}

impl DeactivateAccount for DemoConnector {
    async fn deactivate_account(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::DeactivateAccount,
    ) -> Result<wire::DeactivatedAccount, ConnectorError> {
        let user = Client::new(ctx)?
            .set_active(&request.account_id, false)
            .await?;
        Ok(wire::DeactivatedAccount {
            status: user
                .status
                .as_deref()
                .map_or(wire::AccountStatus::Inactive, account_status),
            deactivated: true,
        })
    }
}

impl AssignEntitlement for DemoConnector {
    async fn assign_entitlement(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::AssignEntitlement,
    ) -> Result<wire::AssignedEntitlement, ConnectorError> {
        Client::new(ctx)?
            .add_member(
                &request.resource_integration_specific_id,
                &request.account_integration_specific_id,
            )
            .await?;
        Ok(wire::AssignedEntitlement { assigned: true })
    }
}

impl UnassignEntitlement for DemoConnector {
    async fn unassign_entitlement(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::UnassignEntitlement,
    ) -> Result<wire::UnassignedEntitlement, ConnectorError> {
        Client::new(ctx)?
            .remove_member(
                &request.resource_integration_specific_id,
                &request.account_integration_specific_id,
            )
            .await?;
        Ok(wire::UnassignedEntitlement { unassigned: true })
    }
}
