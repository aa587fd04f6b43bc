//! The OAuth capabilities. The OAuth module implements them from configuration; implement
//! these traits only to replace it.

use std::future::Future;

use super::Connector;
use crate::wire;
use crate::{ConnectorError, Context};

/// Builds the URL that starts an OAuth authorization-code flow.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::get_authorization_url`](crate::IntegrationBuilder::get_authorization_url).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `get_authorization_url` capability",
    label = "`get_authorization_url` is registered here",
    note = "implement `connector_sdk::capability::GetAuthorizationUrl` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait GetAuthorizationUrl: Connector {
    /// What this connector's `get_authorization_url` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `get_authorization_url` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `get_authorization_url`.
    fn get_authorization_url(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::GetAuthorizationUrl,
    ) -> impl Future<Output = Result<wire::AuthorizationUrl, ConnectorError>> + Send;
}

/// Exchanges the authorization code of an OAuth callback for tokens.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::handle_authorization_callback`](crate::IntegrationBuilder::handle_authorization_callback).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `handle_authorization_callback` capability",
    label = "`handle_authorization_callback` is registered here",
    note = "implement `connector_sdk::capability::HandleAuthorizationCallback` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait HandleAuthorizationCallback: Connector {
    /// What this connector's `handle_authorization_callback` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `handle_authorization_callback` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `handle_authorization_callback`.
    fn handle_authorization_callback(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::HandleAuthorizationCallback,
    ) -> impl Future<Output = Result<wire::OauthCredentials, ConnectorError>> + Send;
}

/// Obtains tokens with the OAuth client-credentials grant.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::handle_client_credentials_request`](crate::IntegrationBuilder::handle_client_credentials_request).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `handle_client_credentials_request` capability",
    label = "`handle_client_credentials_request` is registered here",
    note = "implement `connector_sdk::capability::HandleClientCredentialsRequest` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait HandleClientCredentialsRequest: Connector {
    /// What this connector's `handle_client_credentials_request` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `handle_client_credentials_request` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `handle_client_credentials_request`.
    fn handle_client_credentials_request(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::HandleClientCredentials,
    ) -> impl Future<Output = Result<wire::OauthCredentials, ConnectorError>> + Send;
}

/// Exchanges a refresh token for new tokens.
///
/// Implement it with a plain `async fn`, then register it with
/// [`IntegrationBuilder::refresh_access_token`](crate::IntegrationBuilder::refresh_access_token).
#[diagnostic::on_unimplemented(
    message = "`{Self}` does not implement the `refresh_access_token` capability",
    label = "`refresh_access_token` is registered here",
    note = "implement `connector_sdk::capability::RefreshAccessToken` for `{Self}`; the `async fn` to write and the usual mistakes are in the `Capability errors` section of `connector_sdk::capability`"
)]
pub trait RefreshAccessToken: Connector {
    /// What this connector's `refresh_access_token` does, shown in `info` and `--help` (default: none).
    const DESCRIPTION: Option<&'static str> = None;

    /// The name protocol 4's `info` and `app_info` show for `refresh_access_token` (default: the
    /// name in Title Case).
    const DISPLAY_NAME: Option<&'static str> = None;

    /// Runs `refresh_access_token`.
    fn refresh_access_token(
        &self,
        ctx: &Context<Self::Settings>,
        request: wire::RefreshAccessToken,
    ) -> impl Future<Output = Result<wire::OauthCredentials, ConnectorError>> + Send;
}
