//! The mock connector's capabilities.

use connector_sdk::pagination::{PageToken, page_size};
use connector_sdk::prelude::*;
use connector_sdk::{ConnectorError, Context, Listing, wire};

use crate::MockSettings;
use crate::client::{Me, UsersPage, get_json};

/// Page size when the request gives none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The largest page the mock app serves.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// The mock connector.
#[derive(Debug, Clone, Copy, Default)]
pub struct MockConnector;

impl Connector for MockConnector {
    type Settings = MockSettings;
}

impl ValidateCredentials for MockConnector {
    async fn validate_credentials(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ValidateCredentials,
    ) -> Result<wire::ValidatedCredentials, ConnectorError> {
        // An OAuth token is checked against the app; a basic credential is checked locally,
        // as the reference connector does.
        if ctx.auth().is_some_and(|auth| auth.basic.is_none()) {
            let me: Me = get_json(ctx, "/api/me", &[]).await?;
            return Ok(wire::ValidatedCredentials {
                valid: true,
                unique_tenant_id: me.tenant_id,
            });
        }
        let basic = ctx.basic()?;
        if basic.username.is_empty() || basic.password.is_empty() {
            return Err(ConnectorError::unauthorized(
                "Invalid credentials: the username and the password must not be empty",
            ));
        }
        Ok(wire::ValidatedCredentials {
            valid: true,
            unique_tenant_id: "mock-connector-tenant-id".to_owned(),
        })
    }
}

impl ListAccounts for MockConnector {
    async fn list_accounts(
        &self,
        ctx: &Context<MockSettings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        const SCOPE: &str = "list_accounts";
        let after: Option<String> = match PageToken::decode(SCOPE, ctx.page_token())? {
            Some(mut token) => token.pop()?,
            None => None,
        };
        let limit = page_size(ctx.page_size(), DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE).to_string();
        let mut query = vec![("limit", limit.as_str())];
        if let Some(after) = after.as_deref() {
            query.push(("after", after));
        }
        let page: UsersPage = get_json(ctx, "/api/users", &query).await?;
        let accounts = page
            .users
            .into_iter()
            .map(|user| {
                let mut account = wire::FoundAccountData::new(user.id);
                account.email = user.email;
                account.given_name = user.first_name;
                account.family_name = user.last_name;
                account.username = user.username;
                account.user_status = user.status.as_deref().map(|s| match s {
                    "active" => wire::AccountStatus::Active,
                    "suspended" => wire::AccountStatus::Suspended,
                    _ => wire::AccountStatus::Inactive,
                });
                account.account_type = Some(wire::AccountType::User);
                account
            })
            .collect();
        let next = match page.next {
            Some(after) => {
                let mut token = PageToken::new(SCOPE);
                token.push(&after)?;
                Some(token.encode())
            }
            None => None,
        };
        Ok(Listing::new(accounts, next))
    }
}
