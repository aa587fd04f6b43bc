//! The read capabilities: checking the credential and listing accounts, resources,
//! entitlements, memberships and activity.
//!
//! Listings are paged: each hands the app's cursor of the next page to
//! [`Listing::with_cursor`] and reads it back with [`Context::cursor`]. The SDK carries it in
//! an opaque, checksummed page token bound to the capability, so a token from another listing
//! or a tampered one is refused with `invalid_page_token`.

use connector_sdk::pagination::page_size;
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, Listing, wire};

use crate::DemoConnector;
use crate::DemoConnectorSettings;
use crate::client::{Client, User};

/// Page size when the request gives none. PLACEHOLDER: the app's default.
const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest page the app serves. PLACEHOLDER: the app's maximum.
const MAX_PAGE_SIZE: u32 = 500;

/// The page size to ask the app for.
fn limit(ctx: &Context<DemoConnectorSettings>) -> u32 {
    page_size(ctx.page_size(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE)
}

/// The protocol's account for an app user. PLACEHOLDER: the app's statuses.
pub(crate) fn account(user: User) -> wire::FoundAccountData {
    let mut account = wire::FoundAccountData::new(user.id);
    account.email = user.email;
    account.given_name = user.first_name;
    account.family_name = user.last_name;
    account.username = user.username;
    account.user_status = user.status.as_deref().map(account_status);
    account.account_type = Some(wire::AccountType::User);
    account
}

/// The protocol's status for an app status.
pub(crate) fn account_status(status: &str) -> wire::AccountStatus {
    match status {
        "active" => wire::AccountStatus::Active,
        "suspended" => wire::AccountStatus::Suspended,
        "invited" => wire::AccountStatus::Pending,
        "deleted" => wire::AccountStatus::Deleted,
        _ => wire::AccountStatus::Inactive,
    }
}

impl ValidateCredentials for DemoConnector {
    async fn validate_credentials(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        // A rejected credential is a 401 from the app: an `unauthorized` error envelope.
        let me = Client::new(ctx)?.me().await?;
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: me.tenant_id,
        })
    }
}

impl ListAccounts for DemoConnector {
    async fn list_accounts(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let cursor = ctx.cursor::<String>()?;
        let page = Client::new(ctx)?
            .users(limit(ctx), cursor.as_deref())
            .await?;
        let accounts = page.items.into_iter().map(account).collect();
        Ok(Listing::with_cursor(accounts, page.next_cursor))
    }
}

impl ListResources for DemoConnector {
    async fn list_resources(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        _request: wire::ListResources,
    ) -> Result<Listing<wire::FoundResourceData>, ConnectorError> {
        let cursor = ctx.cursor::<String>()?;
        let page = Client::new(ctx)?
            .groups(limit(ctx), cursor.as_deref())
            .await?;
        let resources = page
            .items
            .into_iter()
            .map(|group| wire::FoundResourceData {
                integration_specific_id: group.id,
                label: group.name,
                resource_type: "group".to_owned(),
                extra_data: None,
            })
            .collect();
        Ok(Listing::with_cursor(resources, page.next_cursor))
    }
}

impl ListEntitlements for DemoConnector {
    async fn list_entitlements(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        _request: wire::ListEntitlements,
    ) -> Result<Listing<wire::FoundEntitlementData>, ConnectorError> {
        // Each group has one entitlement: being its member.
        let cursor = ctx.cursor::<String>()?;
        let page = Client::new(ctx)?
            .groups(limit(ctx), cursor.as_deref())
            .await?;
        let entitlements = page
            .items
            .into_iter()
            .map(|group| wire::FoundEntitlementData {
                entitlement_type: "member".to_owned(),
                extra_data: None,
                integration_specific_id: "member".to_owned(),
                integration_specific_resource_id: group.id,
                is_assignable: Some(true),
                label: format!("Member of {}", group.name),
            })
            .collect();
        Ok(Listing::with_cursor(entitlements, page.next_cursor))
    }
}

impl FindEntitlementAssociations for DemoConnector {
    async fn find_entitlement_associations(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        _request: wire::FindEntitlementAssociations,
    ) -> Result<Listing<wire::FoundEntitlementAssociation>, ConnectorError> {
        let cursor = ctx.cursor::<String>()?;
        let page = Client::new(ctx)?
            .memberships(limit(ctx), cursor.as_deref())
            .await?;
        let associations = page
            .items
            .into_iter()
            .map(|membership| wire::FoundEntitlementAssociation {
                account_id: membership.user_id,
                integration_specific_entitlement_id: "member".to_owned(),
                integration_specific_resource_id: membership.group_id,
            })
            .collect();
        Ok(Listing::with_cursor(associations, page.next_cursor))
    }
}

impl GetLastActivity for DemoConnector {
    async fn get_last_activity(
        &self,
        ctx: &Context<DemoConnectorSettings>,
        request: wire::GetLastActivity,
    ) -> Result<Listing<wire::LastActivityData>, ConnectorError> {
        let client = Client::new(ctx)?;
        let mut activity = Vec::new();
        for account_id in request.account_ids {
            let last = client.last_activity(&account_id).await?;
            if let Some(happened_at) = last.last_login_at {
                activity.push(wire::LastActivityData {
                    account_id,
                    event_type: "login".to_owned(),
                    happened_at,
                });
            }
        }
        Ok(Listing::last(activity))
    }
}
