//! The OAuth capabilities as handlers, registered through the same typed path as a
//! connector's own capability traits.

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use super::flow;
use super::{Endpoint, OAuthSettings};
use crate::capability::{Connector, Handler, marker};
use crate::wire::{
    AuthorizationUrl, GetAuthorizationUrl, HandleAuthorizationCallback, HandleClientCredentials,
    OauthCredentials, RefreshAccessToken,
};
use crate::{ConnectorError, Context, IntegrationBuilder};

/// One OAuth capability `M`, run from the integration's OAuth settings.
struct OAuth<M, S> {
    settings: Arc<OAuthSettings<S>>,
    capability: PhantomData<fn() -> M>,
}

impl<M, S> OAuth<M, S> {
    fn new(settings: &Arc<OAuthSettings<S>>) -> Self {
        Self {
            settings: Arc::clone(settings),
            capability: PhantomData,
        }
    }
}

/// `get_authorization_url`: holds its authorization endpoint, so it cannot lack one.
struct Authorize<S> {
    settings: Arc<OAuthSettings<S>>,
    authorization: Endpoint<S>,
}

impl<C: Connector> Handler<C> for Authorize<C::Settings> {
    type Spec = marker::GetAuthorizationUrl;

    fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: GetAuthorizationUrl,
    ) -> impl Future<Output = Result<AuthorizationUrl, ConnectorError>> + Send + 'a {
        let url = flow::authorization_url(
            &self.settings,
            &self.authorization,
            ctx.settings(),
            &request,
        );
        async move { url }
    }
}

impl<C: Connector> Handler<C> for OAuth<marker::HandleAuthorizationCallback, C::Settings> {
    type Spec = marker::HandleAuthorizationCallback;

    async fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: HandleAuthorizationCallback,
    ) -> Result<OauthCredentials, ConnectorError> {
        let callback = flow::parse_callback(&request.redirect_uri_with_code)?;
        if let (Some(expected), Some(got)) = (&request.state, &callback.state)
            && expected != got
        {
            return Err(ConnectorError::bad_request(
                "The state of the callback does not match the state the flow started with",
            ));
        }
        let mut fields = vec![
            ("grant_type", "authorization_code".to_owned()),
            ("code", callback.code),
            ("redirect_uri", callback.redirect_uri),
        ];
        if let Some(verifier) = &request.code_verifier {
            fields.push(("code_verifier", verifier.expose().to_owned()));
        }
        let secret = &request.client_secret;
        tokens(&self.settings, ctx, fields, &request.client_id, secret).await
    }
}

impl<C: Connector> Handler<C> for OAuth<marker::HandleClientCredentialsRequest, C::Settings> {
    type Spec = marker::HandleClientCredentialsRequest;

    async fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: HandleClientCredentials,
    ) -> Result<OauthCredentials, ConnectorError> {
        let mut fields = vec![("grant_type", "client_credentials".to_owned())];
        let scope = flow::scope_for(&self.settings, &request.scopes);
        if !scope.is_empty() {
            fields.push(("scope", scope));
        }
        let secret = &request.client_secret;
        tokens(&self.settings, ctx, fields, &request.client_id, secret).await
    }
}

impl<C: Connector> Handler<C> for OAuth<marker::RefreshAccessToken, C::Settings> {
    type Spec = marker::RefreshAccessToken;

    async fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: RefreshAccessToken,
    ) -> Result<OauthCredentials, ConnectorError> {
        let fields = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", request.refresh_token.expose().to_owned()),
        ];
        let secret = &request.client_secret;
        tokens(&self.settings, ctx, fields, &request.client_id, secret).await
    }
}

/// A token request; the provider's answer becomes `raw_data`.
async fn tokens<S>(
    settings: &OAuthSettings<S>,
    ctx: &Context<S>,
    fields: Vec<(&'static str, String)>,
    client_id: &str,
    client_secret: &crate::wire::Secret,
) -> Result<OauthCredentials, ConnectorError> {
    let (credentials, raw) =
        flow::token_request(settings, ctx, fields, client_id, client_secret).await?;
    ctx.set_raw_data(raw);
    Ok(credentials)
}

impl<C: Connector> IntegrationBuilder<C> {
    /// Adds the OAuth module: the capabilities of its grants, implemented from configuration,
    /// and their scopes in `info.oauth_scopes`. A capability the connector registers by hand,
    /// before or after this call, or switches off with [`OAuthSettings::without`], is left to
    /// the connector.
    #[must_use]
    pub fn oauth(mut self, settings: OAuthSettings<C::Settings>) -> Self {
        let scopes = settings.scopes.iter().cloned().collect();
        self = self.oauth_scopes(scopes);
        self = self.oauth_facts(crate::integration::OAuthFacts {
            code_flow: settings.authorization_url.is_some(),
            token_url: settings.token_url.fixed().map(str::to_owned),
            authorization_url: settings
                .authorization_url
                .as_ref()
                .and_then(|url| url.fixed().map(str::to_owned)),
            pkce: settings.pkce,
        });
        let settings = Arc::new(settings);
        if let Some(authorization) = &settings.authorization_url {
            let authorize = Authorize {
                settings: Arc::clone(&settings),
                authorization: authorization.clone(),
            };
            self = self.offer(&settings, authorize);
            let callback = OAuth::<marker::HandleAuthorizationCallback, _>::new(&settings);
            self = self.offer(&settings, callback);
        }
        if settings.client_credentials {
            let grant = OAuth::<marker::HandleClientCredentialsRequest, _>::new(&settings);
            self = self.offer(&settings, grant);
        }
        let refresh = OAuth::<marker::RefreshAccessToken, _>::new(&settings);
        self.offer(&settings, refresh)
    }

    /// Registers a module handler unless the connector has its own or switched it off.
    fn offer<H: Handler<C>>(self, settings: &OAuthSettings<C::Settings>, handler: H) -> Self {
        let name = <H::Spec as crate::capability::Capability>::NAME;
        if self.has(name) || settings.disabled.contains(&name) {
            self
        } else {
            self.register(handler, "connector_sdk.oauth".to_owned())
        }
    }
}
