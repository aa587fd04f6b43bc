//! The OAuth module: the four OAuth capabilities, implemented from configuration.
//!
//! Declare the provider once with [`OAuthSettings`] and register it with
//! [`IntegrationBuilder::oauth`](crate::IntegrationBuilder::oauth); the flow type decides which
//! capabilities appear (authorization code: `get_authorization_url`,
//! `handle_authorization_callback`, `refresh_access_token`; client credentials:
//! `handle_client_credentials_request`, `refresh_access_token`). A capability the connector
//! registers by hand, or switches off with [`OAuthSettings::without`], is left to the connector.
//!
//! ```
//! use connector_sdk::oauth::{ClientAuth, OAuthSettings, TokenEncoding};
//! use connector_sdk::wire::CapabilityName;
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Settings {
//!     subdomain: String,
//! }
//!
//! let oauth = OAuthSettings::<Settings>::token_url_from(|s| {
//!     format!("https://{}.service.com/oauth/token", s.subdomain)
//! })
//! .authorization_url("https://service.com/oauth/authorize")
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

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use crate::wire::CapabilityName;

pub(crate) use handler::register;

/// A URL fixed at declaration or computed from the request's settings.
pub(crate) enum UrlSource<S> {
    Fixed(String),
    Computed(Arc<dyn Fn(&S) -> String + Send + Sync>),
}

impl<S> Clone for UrlSource<S> {
    fn clone(&self) -> Self {
        match self {
            Self::Fixed(url) => Self::Fixed(url.clone()),
            Self::Computed(f) => Self::Computed(Arc::clone(f)),
        }
    }
}

impl<S> UrlSource<S> {
    pub(crate) fn resolve(&self, settings: &S) -> String {
        match self {
            Self::Fixed(url) => url.clone(),
            Self::Computed(f) => f(settings),
        }
    }
}

impl<S> fmt::Debug for UrlSource<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Fixed(url) => write!(f, "{:?}", crate::redact::url(url)),
            Self::Computed(_) => f.write_str("<computed from settings>"),
        }
    }
}

/// Which grant the connector's OAuth flow uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FlowType {
    /// Authorization code (a user consents in a browser). The default.
    #[default]
    CodeFlow,
    /// Client credentials (machine to machine).
    ClientCredentials,
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
    pub(crate) authorization_url: Option<UrlSource<S>>,
    pub(crate) token_url: UrlSource<S>,
    pub(crate) scopes: Vec<(CapabilityName, String)>,
    pub(crate) flow: FlowType,
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
            .field("flow", &self.flow)
            .field("client_auth", &self.client_auth)
            .field("encoding", &self.encoding)
            .field("method", &self.method)
            .field("disabled", &self.disabled)
            .field("pkce", &self.pkce)
            .finish()
    }
}

impl<S> OAuthSettings<S> {
    fn with_token_url(token_url: UrlSource<S>) -> Self {
        Self {
            authorization_url: None,
            token_url,
            scopes: Vec::new(),
            flow: FlowType::CodeFlow,
            client_auth: ClientAuth::Post,
            encoding: TokenEncoding::Form,
            method: TokenMethod::Post,
            disabled: BTreeSet::new(),
            pkce: false,
        }
    }

    /// A provider whose token endpoint is `url`.
    pub fn token_url(url: impl Into<String>) -> Self {
        Self::with_token_url(UrlSource::Fixed(url.into()))
    }

    /// A provider whose token endpoint is computed from the request's settings
    /// (e.g. `https://{subdomain}.service.com/oauth/token`).
    pub fn token_url_from(f: impl Fn(&S) -> String + Send + Sync + 'static) -> Self {
        Self::with_token_url(UrlSource::Computed(Arc::new(f)))
    }

    /// The authorization endpoint (required by `get_authorization_url`).
    #[must_use]
    pub fn authorization_url(mut self, url: impl Into<String>) -> Self {
        self.authorization_url = Some(UrlSource::Fixed(url.into()));
        self
    }

    /// The authorization endpoint, computed from the request's settings.
    #[must_use]
    pub fn authorization_url_from(
        mut self,
        f: impl Fn(&S) -> String + Send + Sync + 'static,
    ) -> Self {
        self.authorization_url = Some(UrlSource::Computed(Arc::new(f)));
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

    /// The flow type (default [`FlowType::CodeFlow`]).
    #[must_use]
    pub fn flow(mut self, flow: FlowType) -> Self {
        self.flow = flow;
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

    /// The capabilities the module provides, per flow type and toggles.
    pub(crate) fn capabilities(&self) -> Vec<CapabilityName> {
        let all: &[CapabilityName] = match self.flow {
            FlowType::CodeFlow => &[
                CapabilityName::GetAuthorizationUrl,
                CapabilityName::HandleAuthorizationCallback,
                CapabilityName::RefreshAccessToken,
            ],
            FlowType::ClientCredentials => &[
                CapabilityName::HandleClientCredentialsRequest,
                CapabilityName::RefreshAccessToken,
            ],
        };
        all.iter()
            .copied()
            .filter(|c| !self.disabled.contains(c))
            .collect()
    }

    /// The scope string when the request gives none: every configured scope, in declaration
    /// order, each once.
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
