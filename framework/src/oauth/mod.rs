//! The OAuth module: the OAuth capabilities, implemented from configuration.
//!
//! Declare the provider once with [`OAuthSettings`] and register it with
//! [`IntegrationBuilder::oauth`](crate::IntegrationBuilder::oauth). The grants decide which
//! capabilities appear: the authorization-code flow gives `get_authorization_url`,
//! `handle_authorization_callback` and `refresh_access_token`; client credentials give
//! `handle_client_credentials_request` and `refresh_access_token`; an integration can offer
//! both. A code flow cannot be declared without its authorization URL: the constructor takes
//! it. A capability the connector registers by hand, or switches off with
//! [`OAuthSettings::without`], is left to the connector.
//!
//! ```
//! use connector_sdk::oauth::{ClientAuth, Endpoint, OAuthSettings, TokenEncoding};
//! use connector_sdk::wire::CapabilityName;
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Settings {
//!     subdomain: String,
//! }
//!
//! let oauth = OAuthSettings::<Settings>::code_flow(
//!     "https://service.com/oauth/authorize",
//!     Endpoint::from_settings(|s: &Settings| {
//!         format!("https://{}.service.com/oauth/token", s.subdomain)
//!     }),
//! )
//! .with_client_credentials()
//! .scope(CapabilityName::ListAccounts, "users:read")
//! .client_auth(ClientAuth::Basic)
//! .encoding(TokenEncoding::Json)
//! .pkce(true);
//! # let _ = oauth;
//! ```
//!
//! The token request is built here rather than with the `oauth2` crate: 3.7.8 connectors may
//! send it as a GET, as JSON or in the query string, and providers may omit `token_type`, none
//! of which `oauth2` 5 can express.

mod flow;
mod handler;
mod service_account;

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::wire::CapabilityName;

/// A URL fixed at declaration (`"https://…"`) or computed from the request's settings
/// ([`Endpoint::from_settings`]).
pub struct Endpoint<S>(Source<S>);

enum Source<S> {
    Fixed(String),
    Computed(Arc<dyn Fn(&S) -> String + Send + Sync>),
}

impl<S> Endpoint<S> {
    /// A URL computed from the request's settings (e.g. a tenant's subdomain).
    pub fn from_settings(f: impl Fn(&S) -> String + Send + Sync + 'static) -> Self {
        Self(Source::Computed(Arc::new(f)))
    }

    /// The URL when it does not depend on the settings.
    pub(crate) fn fixed(&self) -> Option<&str> {
        match &self.0 {
            Source::Fixed(url) => Some(url),
            Source::Computed(_) => None,
        }
    }

    pub(crate) fn resolve(&self, settings: &S) -> String {
        match &self.0 {
            Source::Fixed(url) => url.clone(),
            Source::Computed(f) => f(settings),
        }
    }
}

impl<S> From<&str> for Endpoint<S> {
    fn from(url: &str) -> Self {
        Self(Source::Fixed(url.to_owned()))
    }
}

impl<S> From<String> for Endpoint<S> {
    fn from(url: String) -> Self {
        Self(Source::Fixed(url))
    }
}

impl<S> Clone for Endpoint<S> {
    fn clone(&self) -> Self {
        Self(match &self.0 {
            Source::Fixed(url) => Source::Fixed(url.clone()),
            Source::Computed(f) => Source::Computed(Arc::clone(f)),
        })
    }
}

impl<S> fmt::Debug for Endpoint<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Source::Fixed(url) => write!(f, "{:?}", crate::redact::url(url)),
            Source::Computed(_) => f.write_str("<computed from settings>"),
        }
    }
}

/// How the client authenticates to the token endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// `client_id` and `client_secret` among the request's fields (`client_secret_post`). The
    /// default.
    #[default]
    Post,
    /// `Authorization: Basic base64(client_id:client_secret)` (`client_secret_basic`).
    Basic,
}

/// How the token request's fields are sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenEncoding {
    /// `application/x-www-form-urlencoded` body. The default.
    #[default]
    Form,
    /// JSON body.
    Json,
    /// In the query string, with an empty body.
    Query,
}

/// The token request's HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TokenMethod {
    /// POST. The default.
    #[default]
    Post,
    /// GET.
    Get,
}

/// A connector's OAuth provider. A token URL is required to build one; everything else has
/// the reference's defaults (code flow, POST, form body, `client_secret_post`, no PKCE).
pub struct OAuthSettings<S> {
    /// The authorization endpoint: `Some` exactly when the code flow is offered.
    pub(crate) authorization_url: Option<Endpoint<S>>,
    pub(crate) token_url: Endpoint<S>,
    /// Whether the client-credentials grant is offered.
    pub(crate) client_credentials: bool,
    pub(crate) scopes: Vec<(CapabilityName, String)>,
    pub(crate) client_auth: ClientAuth,
    pub(crate) encoding: TokenEncoding,
    pub(crate) method: TokenMethod,
    pub(crate) disabled: BTreeSet<CapabilityName>,
    pub(crate) pkce: bool,
}

impl<S> fmt::Debug for OAuthSettings<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthSettings")
            .field("authorization_url", &self.authorization_url)
            .field("token_url", &self.token_url)
            .field("scopes", &self.scopes)
            .field("client_credentials", &self.client_credentials)
            .field("client_auth", &self.client_auth)
            .field("encoding", &self.encoding)
            .field("method", &self.method)
            .field("disabled", &self.disabled)
            .field("pkce", &self.pkce)
            .finish()
    }
}

impl<S> OAuthSettings<S> {
    fn with(authorization_url: Option<Endpoint<S>>, token_url: Endpoint<S>) -> Self {
        Self {
            client_credentials: authorization_url.is_none(),
            authorization_url,
            token_url,
            scopes: Vec::new(),
            client_auth: ClientAuth::Post,
            encoding: TokenEncoding::Form,
            method: TokenMethod::Post,
            disabled: BTreeSet::new(),
            pkce: false,
        }
    }

    /// The authorization-code flow (a user consents in a browser at `authorization`; codes
    /// and refresh tokens are exchanged at `token`). Either URL can be fixed (`"https://…"`)
    /// or computed from the settings ([`Endpoint::from_settings`]).
    pub fn code_flow(authorization: impl Into<Endpoint<S>>, token: impl Into<Endpoint<S>>) -> Self {
        Self::with(Some(authorization.into()), token.into())
    }

    /// The client-credentials grant (machine to machine) at `token`.
    pub fn client_credentials(token: impl Into<Endpoint<S>>) -> Self {
        Self::with(None, token.into())
    }

    /// Offers the client-credentials grant too, at the same token endpoint.
    #[must_use]
    pub fn with_client_credentials(mut self) -> Self {
        self.client_credentials = true;
        self
    }

    /// Offers the authorization-code flow too, with its authorization endpoint.
    #[must_use]
    pub fn with_code_flow(mut self, authorization: impl Into<Endpoint<S>>) -> Self {
        self.authorization_url = Some(authorization.into());
        self
    }

    /// The scopes a capability needs (space-delimited), reported in `info.oauth_scopes`.
    #[must_use]
    pub fn scope(mut self, capability: CapabilityName, scopes: impl Into<String>) -> Self {
        let scopes = scopes.into();
        match self.scopes.iter_mut().find(|(c, _)| *c == capability) {
            Some(entry) => entry.1 = scopes,
            None => self.scopes.push((capability, scopes)),
        }
        self
    }

    /// The client authentication (default [`ClientAuth::Post`]).
    #[must_use]
    pub fn client_auth(mut self, auth: ClientAuth) -> Self {
        self.client_auth = auth;
        self
    }

    /// The token request's encoding (default [`TokenEncoding::Form`]).
    #[must_use]
    pub fn encoding(mut self, encoding: TokenEncoding) -> Self {
        self.encoding = encoding;
        self
    }

    /// The token request's method (default [`TokenMethod::Post`]).
    #[must_use]
    pub fn method(mut self, method: TokenMethod) -> Self {
        self.method = method;
        self
    }

    /// Leaves `capability` to the connector (it registers its own implementation).
    #[must_use]
    pub fn without(mut self, capability: CapabilityName) -> Self {
        self.disabled.insert(capability);
        self
    }

    /// Adds PKCE (S256): `get_authorization_url` returns a `code_verifier`, which the callback
    /// sends to the token endpoint.
    #[must_use]
    pub fn pkce(mut self, enabled: bool) -> Self {
        self.pkce = enabled;
        self
    }

    /// Every configured scope, once each, in declaration order.
    pub(crate) fn default_scope(&self) -> String {
        let mut seen = Vec::<&str>::new();
        for scope in self.scopes.iter().flat_map(|(_, s)| s.split_whitespace()) {
            if !seen.contains(&scope) {
                seen.push(scope);
            }
        }
        seen.join(" ")
    }
}
