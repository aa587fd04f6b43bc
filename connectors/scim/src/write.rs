//! The write capabilities: users (create, delete, activate, deactivate) and group membership.

use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, wire};
use serde_json::json;

use crate::client::{Scim, USER_SCHEMA};
use crate::{GROUP, MEMBER, ScimConnector, ScimConnectorSettings};

fn require(field: &str, value: &str) -> Result<(), ConnectorError> {
    if value.trim().is_empty() {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - request.{field} must not be empty"
        )));
    }
    Ok(())
}

/// The group an entitlement of a request names: a `member` entitlement on a `group`.
fn group_of<'a>(
    entitlement_type: &str,
    resource_type: &str,
    resource_id: &'a str,
) -> Result<&'a str, ConnectorError> {
    if entitlement_type != MEMBER || (!resource_type.is_empty() && resource_type != GROUP) {
        return Err(ConnectorError::bad_request(format!(
            "Invalid request - a SCIM entitlement is `{MEMBER}` of a `{GROUP}`, not \
             `{entitlement_type}` of `{resource_type}`"
        )));
    }
    require("resource_integration_specific_id", resource_id)?;
    Ok(resource_id)
}

impl CreateAccount for ScimConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("POST /Users (userName from username, else email), then the requested groups.");

    async fn create_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::CreateAccount,
    ) -> Result<wire::CreatedAccount, ConnectorError> {
        let user_name = request
            .username
            .clone()
            .or_else(|| request.email.clone())
            .unwrap_or_default();
        require("username (or email)", &user_name)?;
        let groups = request
            .entitlements
            .iter()
            .map(|e| {
                let resource = e.integration_specific_resource_id.as_deref().unwrap_or("");
                group_of(&e.entitlement_type, GROUP, resource).map(str::to_owned)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let mut user = json!({
            "schemas": [USER_SCHEMA],
            "userName": user_name,
            "active": !matches!(request.user_status.as_deref(), Some("SUSPENDED" | "INACTIVE")),
        });
        if request.given_name.is_some() || request.family_name.is_some() {
            user["name"] =
                json!({"givenName": request.given_name, "familyName": request.family_name});
        }
        if let Some(email) = &request.email {
            user["emails"] = json!([{"value": email, "primary": true, "type": "work"}]);
        }
        let scim = Scim::new(ctx)?;
        let created = scim.create_user(&user).await?;
        for group in groups {
            scim.membership(&group, &created.id, true).await?;
        }
        Ok(wire::CreatedAccount {
            status: if created.active == Some(false) {
                wire::AccountStatus::Suspended
            } else {
                wire::AccountStatus::Active
            },
            created: true,
        })
    }
}

impl DeleteAccount for ScimConnector {
    async fn delete_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        require("account_id", &request.account_id)?;
        Scim::new(ctx)?.delete_user(&request.account_id).await?;
        Ok(wire::DeletedAccount {
            status: wire::AccountStatus::Deleted,
            deleted: true,
        })
    }
}

async fn set_active(
    ctx: &Context<ScimConnectorSettings>,
    account_id: &str,
    active: bool,
) -> Result<(), ConnectorError> {
    require("account_id", account_id)?;
    let scim = Scim::new(ctx)?;
    let features = scim.features().await?;
    scim.set_active(account_id, active, features).await
}

impl ActivateAccount for ScimConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("`active: true`, by PATCH, or by PUT with the ETag when the server has no PATCH.");

    async fn activate_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::ActivateAccount,
    ) -> Result<wire::ActivatedAccount, ConnectorError> {
        set_active(ctx, &request.account_id, true).await?;
        Ok(wire::ActivatedAccount {
            status: wire::AccountStatus::Active,
            activated: true,
        })
    }
}

impl DeactivateAccount for ScimConnector {
    const DESCRIPTION: Option<&'static str> =
        Some("`active: false`, by PATCH, or by PUT with the ETag when the server has no PATCH.");

    async fn deactivate_account(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::DeactivateAccount,
    ) -> Result<wire::DeactivatedAccount, ConnectorError> {
        set_active(ctx, &request.account_id, false).await?;
        Ok(wire::DeactivatedAccount {
            status: wire::AccountStatus::Suspended,
            deactivated: true,
        })
    }
}

/// Adds (`member`) or removes the request's account in the request's group.
async fn change_membership(
    ctx: &Context<ScimConnectorSettings>,
    account: &str,
    entitlement_type: &str,
    resource_type: &str,
    resource_id: &str,
    member: bool,
) -> Result<(), ConnectorError> {
    require("account_integration_specific_id", account)?;
    let group = group_of(entitlement_type, resource_type, resource_id)?;
    Scim::new(ctx)?.membership(group, account, member).await
}

impl AssignEntitlement for ScimConnector {
    async fn assign_entitlement(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::AssignEntitlement,
    ) -> Result<wire::AssignedEntitlement, ConnectorError> {
        change_membership(
            ctx,
            &request.account_integration_specific_id,
            &request.entitlement_type,
            &request.resource_type,
            &request.resource_integration_specific_id,
            true,
        )
        .await?;
        Ok(wire::AssignedEntitlement { assigned: true })
    }
}

impl UnassignEntitlement for ScimConnector {
    async fn unassign_entitlement(
        &self,
        ctx: &Context<ScimConnectorSettings>,
        request: wire::UnassignEntitlement,
    ) -> Result<wire::UnassignedEntitlement, ConnectorError> {
        change_membership(
            ctx,
            &request.account_integration_specific_id,
            &request.entitlement_type,
            &request.resource_type,
            &request.resource_integration_specific_id,
            false,
        )
        .await?;
        Ok(wire::UnassignedEntitlement { unassigned: true })
    }
}
