//! The OAuth capabilities as handlers, registered through the same typed path as a
//! connector's own capability traits. One handler per capability serves every provider: the
//! integration's (`.oauth(…)`), or, for a multi-credential connector, the provider of the OAuth
//! credential the request names in `credential_id` (`.oauth_credential(…)`).

use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;

use super::OAuthSettings;
use super::flow;
use crate::capability::{Connector, Handler, marker};
use crate::integration::OAuthFacts;
use crate::wire::{
    AuthorizationUrl, ErrorCode, GetAuthorizationUrl, HandleAuthorizationCallback,
    HandleClientCredentials, OauthCredentials, Protocol, RefreshAccessToken,
};
use crate::{AuthKind, ConnectorError, Context, Credential, IntegrationBuilder};

/// The providers the OAuth module serves.
pub(super) struct Routes<S> {
    /// The integration's provider (`.oauth(…)`): used whatever the request's `credential_id`.
    legacy: Option<Arc<OAuthSettings<S>>>,
    /// Each OAuth credential's own provider (`.oauth_credential(…)`), by credential id.
    by_id: Vec<(String, Arc<OAuthSettings<S>>)>,
}

impl<S> Default for Routes<S> {
    fn default() -> Self {
        Self {
            legacy: None,
            by_id: Vec::new(),
        }
    }
}

impl<S> Clone for Routes<S> {
    fn clone(&self) -> Self {
        Self {
            legacy: self.legacy.clone(),
            by_id: self.by_id.clone(),
        }
    }
}

impl<S> Routes<S> {
    fn all(&self) -> impl Iterator<Item = &OAuthSettings<S>> {
        self.legacy
            .iter()
            .chain(self.by_id.iter().map(|(_, settings)| settings))
            .map(|settings| &**settings)
    }

    /// The provider of a call. With per-credential providers, protocol 4 routes by
    /// `credential_id` with 4.x's messages; 3.7.8, which has no `credential_id`, uses the
    /// integration's provider, else the first credential's. Without them, the integration's.
    fn select(
        &self,
        ctx: &Context<S>,
        credential_id: Option<&str>,
    ) -> Result<&OAuthSettings<S>, ConnectorError> {
        if self.by_id.is_empty() || ctx.protocol() == Protocol::V3_7_8 {
            return self
                .legacy
                .as_ref()
                .or_else(|| self.by_id.first().map(|(_, settings)| settings))
                .map(|settings| &**settings)
                .ok_or_else(|| not_provided(ctx));
        }
        let Some(id) = credential_id else {
            return Err(not_provided(ctx));
        };
        self.by_id
            .iter()
            .find(|(known, _)| known == id)
            .map(|(_, settings)| &**settings)
            .ok_or_else(|| {
                ConnectorError::new(
                    ErrorCode::IntegrationMissingParameter,
                    format!("OAuth settings for credential ID: {id} were not provided!"),
                )
            })
    }
}

fn not_provided<S>(ctx: &Context<S>) -> ConnectorError {
    ConnectorError::new(
        ErrorCode::IntegrationMissingParameter,
        format!(
            "OAuth settings were not provided for app '{}'!",
            ctx.app_id()
        ),
    )
}

/// One OAuth capability `M`, run from the module's providers.
struct OAuth<M, S> {
    routes: Routes<S>,
    capability: PhantomData<fn() -> M>,
}

impl<M, S> OAuth<M, S> {
    fn new(routes: &Routes<S>) -> Self {
        Self {
            routes: routes.clone(),
            capability: PhantomData,
        }
    }
}

impl<C: Connector> Handler<C> for OAuth<marker::GetAuthorizationUrl, C::Settings> {
    type Spec = marker::GetAuthorizationUrl;

    fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: GetAuthorizationUrl,
    ) -> impl Future<Output = Result<AuthorizationUrl, ConnectorError>> + Send + 'a {
        let url = self
            .routes
            .select(ctx, request.credential_id.as_deref())
            .and_then(|settings| {
                let authorization = settings.authorization_url.as_ref().ok_or_else(|| {
                    ConnectorError::new(
                        ErrorCode::UnsupportedOperation,
                        format!(
                            "The OAuth provider of credential ID: {} offers no \
                             authorization-code flow",
                            request.credential_id.as_deref().unwrap_or_default()
                        ),
                    )
                })?;
                flow::authorization_url(settings, authorization, ctx.settings(), &request)
            });
        std::future::ready(url)
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
        let settings = self.routes.select(ctx, request.credential_id.as_deref())?;
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
        tokens(settings, ctx, fields, &request.client_id, secret).await
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
        let settings = self.routes.select(ctx, request.credential_id.as_deref())?;
        let mut fields = vec![("grant_type", "client_credentials".to_owned())];
        let scope = flow::scope_for(settings, &request.scopes);
        if !scope.is_empty() {
            fields.push(("scope", scope));
        }
        let secret = &request.client_secret;
        tokens(settings, ctx, fields, &request.client_id, secret).await
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
        let settings = self.routes.select(ctx, request.credential_id.as_deref())?;
        let fields = vec![
            ("grant_type", "refresh_token".to_owned()),
            ("refresh_token", request.refresh_token.expose().to_owned()),
        ];
        let secret = &request.client_secret;
        tokens(settings, ctx, fields, &request.client_id, secret).await
    }
}

/// The facts `info` and `app_info` report about a provider.
fn facts<S>(settings: &OAuthSettings<S>) -> OAuthFacts {
    OAuthFacts {
        code_flow: settings.authorization_url.is_some(),
        token_url: settings.token_url.fixed().map(str::to_owned),
        authorization_url: settings
            .authorization_url
            .as_ref()
            .and_then(|url| url.fixed().map(str::to_owned)),
        pkce: settings.pkce,
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
        self = self.oauth_facts(facts(&settings));
        let mut routes: Routes<C::Settings> = self.take_oauth_module();
        routes.legacy = Some(Arc::new(settings));
        self.offer_all(routes)
    }

    /// Declares an OAuth credential with its own provider (protocol 4's multi-credential
    /// mode): the OAuth capabilities serve it when a request names it in `credential_id`, and
    /// `app_info`'s `x-oauth-settings` lists it by id. Each OAuth credential may have its own.
    ///
    /// ```
    /// # use connector_sdk::{EmptySettings, Integration, capability::Connector};
    /// use connector_sdk::Credential;
    /// use connector_sdk::oauth::OAuthSettings;
    /// use connector_sdk::wire::CapabilityName;
    /// # struct Demo;
    /// # impl Connector for Demo { type Settings = EmptySettings; }
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .credential(Credential::basic("legacy").optional())
    ///     .oauth_credential(
    ///         Credential::oauth("sso").optional(),
    ///         OAuthSettings::code_flow("https://idp.example/authorize", "https://idp.example/token"),
    ///     )
    ///     .build();
    /// assert!(integration.capabilities().contains(&CapabilityName::GetAuthorizationUrl));
    /// ```
    ///
    /// # Panics
    ///
    /// If the credential is not of an OAuth kind (`oauth`, `oauth_client_credentials`), or its
    /// id is already declared.
    #[must_use]
    pub fn oauth_credential(
        mut self,
        credential: Credential,
        settings: OAuthSettings<C::Settings>,
    ) -> Self {
        assert!(
            matches!(
                credential.kind(),
                AuthKind::OAuth | AuthKind::OAuthClientCredentials
            ),
            "the credential '{}' has OAuth settings but is of kind '{}'",
            credential.id(),
            credential.kind().field()
        );
        let id = credential.id().to_owned();
        self = self.credential(credential);
        let scopes = settings
            .scopes
            .iter()
            .map(|(capability, scope)| (capability.to_string(), scope.clone()))
            .collect();
        self = self.credential_oauth_facts(&id, facts(&settings), scopes);
        let mut routes: Routes<C::Settings> = self.take_oauth_module();
        routes.by_id.push((id, Arc::new(settings)));
        self.offer_all(routes)
    }

    /// Registers the module's handlers for every grant any provider offers.
    fn offer_all(mut self, routes: Routes<C::Settings>) -> Self {
        let code_flow = routes.all().any(|s| s.authorization_url.is_some());
        let client_credentials = routes.all().any(|s| s.client_credentials);
        if code_flow {
            self = self.offer(
                &routes,
                OAuth::<marker::GetAuthorizationUrl, _>::new(&routes),
            );
            let callback = OAuth::<marker::HandleAuthorizationCallback, _>::new(&routes);
            self = self.offer(&routes, callback);
        }
        if client_credentials {
            let grant = OAuth::<marker::HandleClientCredentialsRequest, _>::new(&routes);
            self = self.offer(&routes, grant);
        }
        let refresh = OAuth::<marker::RefreshAccessToken, _>::new(&routes);
        self = self.offer(&routes, refresh);
        self.put_oauth_module(routes);
        self
    }

    /// Registers a module handler unless the connector has its own or every provider switched
    /// it off.
    fn offer<H: Handler<C>>(self, routes: &Routes<C::Settings>, handler: H) -> Self {
        let name = <H::Spec as crate::capability::Capability>::NAME;
        let own = self.has(name) && !self.registered_by(name, MODULE);
        if own
            || routes
                .all()
                .all(|settings| settings.disabled.contains(&name))
        {
            self
        } else {
            self.register(handler, MODULE.to_owned())
        }
    }
}

/// The `raised_in` module of the OAuth module's capabilities.
const MODULE: &str = "connector_sdk.oauth";
