//! The OAuth capabilities. The OAuth module implements them from configuration; implement
//! these traits only to replace it.

use super::capability;
use crate::wire;

capability! {
    /// Builds the URL that starts an OAuth authorization-code flow.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::get_authorization_url`](crate::integration::IntegrationBuilder::get_authorization_url).
    on_unimplemented(
        message = "`{Self}` does not implement the `get_authorization_url` capability",
        label = "`get_authorization_url` is registered here",
        note = "implement `connector_sdk::capability::GetAuthorizationUrl` for `{Self}`:\n    impl GetAuthorizationUrl for {Self} {{\n        async fn get_authorization_url(&self, ctx: &Context<Self::Settings>, request: wire::GetAuthorizationUrl) -> Result<wire::AuthorizationUrl, ConnectorError> {{ … }}\n    }}"
    );
    pub trait GetAuthorizationUrl {
        fn get_authorization_url(request: wire::GetAuthorizationUrl) -> wire::AuthorizationUrl;
    }
    name = GetAuthorizationUrl, marker = GetAuthorizationUrlMarker;
}

capability! {
    /// Exchanges the authorization code of an OAuth callback for tokens.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::handle_authorization_callback`](crate::integration::IntegrationBuilder::handle_authorization_callback).
    on_unimplemented(
        message = "`{Self}` does not implement the `handle_authorization_callback` capability",
        label = "`handle_authorization_callback` is registered here",
        note = "implement `connector_sdk::capability::HandleAuthorizationCallback` for `{Self}`:\n    impl HandleAuthorizationCallback for {Self} {{\n        async fn handle_authorization_callback(&self, ctx: &Context<Self::Settings>, request: wire::HandleAuthorizationCallback) -> Result<wire::OauthCredentials, ConnectorError> {{ … }}\n    }}"
    );
    pub trait HandleAuthorizationCallback {
        fn handle_authorization_callback(request: wire::HandleAuthorizationCallback) -> wire::OauthCredentials;
    }
    name = HandleAuthorizationCallback, marker = HandleAuthorizationCallbackMarker;
}

capability! {
    /// Obtains tokens with the OAuth client-credentials grant.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::handle_client_credentials_request`](crate::integration::IntegrationBuilder::handle_client_credentials_request).
    on_unimplemented(
        message = "`{Self}` does not implement the `handle_client_credentials_request` capability",
        label = "`handle_client_credentials_request` is registered here",
        note = "implement `connector_sdk::capability::HandleClientCredentialsRequest` for `{Self}`:\n    impl HandleClientCredentialsRequest for {Self} {{\n        async fn handle_client_credentials_request(&self, ctx: &Context<Self::Settings>, request: wire::HandleClientCredentials) -> Result<wire::OauthCredentials, ConnectorError> {{ … }}\n    }}"
    );
    pub trait HandleClientCredentialsRequest {
        fn handle_client_credentials_request(request: wire::HandleClientCredentials) -> wire::OauthCredentials;
    }
    name = HandleClientCredentialsRequest, marker = HandleClientCredentialsRequestMarker;
}

capability! {
    /// Exchanges a refresh token for new OAuth tokens.
    ///
    /// Implement it with a plain `async fn`, then register it with
    /// [`IntegrationBuilder::refresh_access_token`](crate::integration::IntegrationBuilder::refresh_access_token).
    on_unimplemented(
        message = "`{Self}` does not implement the `refresh_access_token` capability",
        label = "`refresh_access_token` is registered here",
        note = "implement `connector_sdk::capability::RefreshAccessToken` for `{Self}`:\n    impl RefreshAccessToken for {Self} {{\n        async fn refresh_access_token(&self, ctx: &Context<Self::Settings>, request: wire::RefreshAccessToken) -> Result<wire::OauthCredentials, ConnectorError> {{ … }}\n    }}"
    );
    pub trait RefreshAccessToken {
        fn refresh_access_token(request: wire::RefreshAccessToken) -> wire::OauthCredentials;
    }
    name = RefreshAccessToken, marker = RefreshAccessTokenMarker;
}
