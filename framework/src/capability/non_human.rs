//! Capabilities of protocol 4 about non-human identities: service accounts, bots, API clients, and the credentials that exist in the app.

use std::future::Future;

use super::Connector;
use super::Listing;
use crate::wire;
use crate::{ConnectorError, Context};

/// List non-human accounts, one page at a time (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_non_human_accounts`](crate::IntegrationBuilder::list_non_human_accounts).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_non_human_accounts` capability",
    label = "`list_non_human_accounts` is registered here",
    note = "implement `connector_sdk::capability::ListNonHumanAccounts` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListNonHumanAccounts: Connector {
    /// What this connector's `list_non_human_accounts` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_non_human_accounts` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_non_human_accounts`.
    fn list_non_human_accounts(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListNonHumanAccounts,
    ) -> impl Future<Output = Result<Listing<wire::NonHumanAccount>, ConnectorError>> + Send;
}

/// List the credentials that exist in the app (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::list_credentials`](crate::IntegrationBuilder::list_credentials).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `list_credentials` capability",
    label = "`list_credentials` is registered here",
    note = "implement `connector_sdk::capability::ListCredentials` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait ListCredentials: Connector {
    /// What this connector's `list_credentials` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `list_credentials` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `list_credentials`.
    fn list_credentials(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::ListCredentials,
    ) -> impl Future<Output = Result<Listing<wire::Credential>, ConnectorError>> + Send;
}

/// Report when non-human accounts were last active (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_non_human_account_last_activity`](crate::IntegrationBuilder::get_non_human_account_last_activity).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_non_human_account_last_activity` capability",
    label = "`get_non_human_account_last_activity` is registered here",
    note = "implement `connector_sdk::capability::GetNonHumanAccountLastActivity` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetNonHumanAccountLastActivity: Connector {
    /// What this connector's `get_non_human_account_last_activity` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_non_human_account_last_activity` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_non_human_account_last_activity`.
    fn get_non_human_account_last_activity(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetNonHumanAccountLastActivity,
    ) -> impl Future<Output = Result<Listing<wire::NonHumanAccountLastActivity>, ConnectorError>> + Send;
}

/// Report when credentials were last used (protocol 4; in 3.7.8 the capability does not exist).
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_credential_last_activity`](crate::IntegrationBuilder::get_credential_last_activity).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_credential_last_activity` capability",
    label = "`get_credential_last_activity` is registered here",
    note = "implement `connector_sdk::capability::GetCredentialLastActivity` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetCredentialLastActivity: Connector {
    /// What this connector's `get_credential_last_activity` does, shown in `info` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name `info` and `app_info` show for `get_credential_last_activity` (default: the name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_credential_last_activity`.
    fn get_credential_last_activity(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetCredentialLastActivity,
    ) -> impl Future<Output = Result<Listing<wire::CredentialLastActivity>, ConnectorError>> + Send;
}
