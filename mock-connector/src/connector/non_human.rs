//! Non-human identities (protocol 4): the app's service accounts, its API keys, and when each
//! was last used.

use connector_sdk::capability::{
    GetCredentialLastActivity, GetNonHumanAccountLastActivity, ListCredentials,
    ListNonHumanAccounts,
};
use connector_sdk::{ConnectorError, Context, Listing, wire};
use serde::Deserialize;
use serde_json::{Map, Value};

use super::{MockConnector, page_of};
use crate::MockSettings;

/// The `type` of the app's service accounts and the `credential_type` of its keys.
const SERVICE_ACCOUNT: &str = "service_account";
const API_KEY: &str = "api_key";

/// A service account as the app returns it.
#[derive(Debug, Deserialize)]
struct ServiceAccount {
    id: String,
    name: String,
    owner_id: Option<String>,
    status: String,
    created_at: Option<String>,
    updated_at: Option<String>,
    last_activity: Option<String>,
}

/// An API key as the app returns it.
#[derive(Debug, Deserialize)]
struct Key {
    id: String,
    name: String,
    status: String,
    user_id: Option<String>,
    service_account_id: Option<String>,
    created_at: Option<String>,
    last_used_at: Option<String>,
    expires_at: Option<String>,
}

impl ListNonHumanAccounts for MockConnector {
    /// The app's service accounts; `extra_data.owner_id` names the user responsible.
    async fn list_non_human_accounts(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListNonHumanAccounts,
    ) -> Result<Listing<wire::NonHumanAccount>, ConnectorError> {
        let page = page_of::<ServiceAccount>(ctx, "/api/service-accounts", &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|account| wire::NonHumanAccount {
                // Service accounts belong to the app itself.
                resource_id: String::new(),
                workload_id: account.id.clone(),
                id: account.id,
                label: account.name.clone(),
                workload_name: account.name,
                r#type: SERVICE_ACCOUNT.to_owned(),
                status: if account.status == "active" {
                    wire::AccountStatus::Active
                } else {
                    wire::AccountStatus::Inactive
                },
                created_at: account.created_at,
                updated_at: account.updated_at,
                last_login: None,
                last_activity: account.last_activity,
                custom_attributes: None,
                extra_data: Some(Map::from_iter([(
                    "owner_id".to_owned(),
                    account.owner_id.map_or(Value::Null, Value::String),
                )])),
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

fn credential_status(status: &str) -> wire::CredentialStatus {
    match status {
        "active" => wire::CredentialStatus::Active,
        "expired" => wire::CredentialStatus::Expired,
        "revoked" => wire::CredentialStatus::Revoked,
        _ => wire::CredentialStatus::Inactive,
    }
}

impl ListCredentials for MockConnector {
    /// The app's API keys, each opening a user's account or a service account.
    async fn list_credentials(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListCredentials,
    ) -> Result<Listing<wire::Credential>, ConnectorError> {
        let page = page_of::<Key>(ctx, "/api/credentials", &[]).await?;
        let items = page
            .items
            .into_iter()
            .map(|key| wire::Credential {
                resource_id: String::new(),
                external_id: key.id,
                label: key.name,
                credential_type: API_KEY.to_owned(),
                status: Some(credential_status(&key.status)),
                grants_access_to_account_id: key.user_id,
                grants_access_to_non_human_account_id: key.service_account_id,
                created_at: key.created_at,
                updated_at: None,
                last_used_at: key.last_used_at.clone(),
                expires_at: key.expires_at,
                last_rotated_at: None,
                last_activity: key.last_used_at,
                custom_attributes: None,
                extra_data: None,
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl GetNonHumanAccountLastActivity for MockConnector {
    /// Pages over the service accounts; those never active are left out.
    async fn get_non_human_account_last_activity(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::GetNonHumanAccountLastActivity,
    ) -> Result<Listing<wire::NonHumanAccountLastActivity>, ConnectorError> {
        let page = page_of::<ServiceAccount>(ctx, "/api/service-accounts", &[]).await?;
        let items = page
            .items
            .into_iter()
            .filter_map(|account| {
                Some(wire::NonHumanAccountLastActivity {
                    happened_at: account.last_activity?,
                    non_human_account_id: account.id,
                    event_type: wire::ActivityEventType::LastActivity,
                })
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}

impl GetCredentialLastActivity for MockConnector {
    /// Pages over the API keys; those never used are left out.
    async fn get_credential_last_activity(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::GetCredentialLastActivity,
    ) -> Result<Listing<wire::CredentialLastActivity>, ConnectorError> {
        let page = page_of::<Key>(ctx, "/api/credentials", &[]).await?;
        let items = page
            .items
            .into_iter()
            .filter_map(|key| {
                Some(wire::CredentialLastActivity {
                    happened_at: key.last_used_at?,
                    credential_id: key.id,
                    event_type: wire::ActivityEventType::LastActivity,
                })
            })
            .collect();
        Ok(Listing::with_cursor(items, page.next))
    }
}
