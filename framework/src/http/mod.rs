//! An HTTP client for connector authors: base URL, credential, timeouts, extra CAs, proxies,
//! retries that honour the server, and failures mapped to wire error codes.
//!
//! ```no_run
//! use connector_sdk::http::HttpClient;
//! use connector_sdk::{ConnectorError, Context};
//!
//! #[derive(serde::Deserialize)]
//! struct Users {
//!     users: Vec<serde_json::Value>,
//! }
//!
//! async fn fetch(ctx: &Context<()>) -> Result<Users, ConnectorError> {
//!     // The request's credential, the integration's retry policy, `<app_id>/<version>`.
//!     let client = HttpClient::for_request(ctx, "https://api.example.com/v1").build()?;
//!     client.get_json("/users", &[("limit", "100")]).await
//! }
//! ```

mod error;
mod retry;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use base64::Engine;
use http::{HeaderName, HeaderValue};
use reqwest_middleware::{ClientBuilder, ClientWithMiddleware};
use serde::de::DeserializeOwned;

use crate::ConnectorError;
use crate::wire::{AuthCredential, Secret};

pub(crate) use error::{describe, from_transport, strip_query};
/// The request builder [`HttpClient`]'s methods return (`query`, `json`, `form`, `header`, …).
pub use reqwest_middleware::RequestBuilder;
pub use retry::RetryPolicy;

/// The environment variable naming a PEM bundle of extra root certificates (for on-prem TLS
/// inspection), used when the builder is not given one.
pub const CA_BUNDLE_ENV: &str = "CONNECTOR_CA_BUNDLE";

/// How requests authenticate.
#[derive(Debug, Clone)]
enum AuthHeader {
    None,
    Basic {
        username: String,
        password: Secret,
    },
    Token {
        header: HeaderName,
        prefix: String,
        token: Secret,
    },
}

/// Builds an [`HttpClient`].
#[derive(Debug)]
pub struct HttpClientBuilder {
    base_url: String,
    auth: AuthHeader,
    token_header: HeaderName,
    token_prefix: String,
    user_agent: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    ca_bundle: Option<PathBuf>,
    retry: RetryPolicy,
    follow_redirects: bool,
}

impl HttpClientBuilder {
    /// Does not follow redirects (for token endpoints, against SSRF).
    #[must_use]
    pub fn no_redirects(mut self) -> Self {
        self.follow_redirects = false;
        self
    }

    /// Authenticates with the request's credential: basic → `Authorization: Basic`, a token or
    /// an OAuth access token → `Authorization: Bearer` (see [`Self::token_header`]).
    #[must_use]
    pub fn credential(mut self, auth: Option<&AuthCredential>) -> Self {
        self.auth = match auth {
            Some(AuthCredential {
                basic: Some(basic), ..
            }) => AuthHeader::Basic {
                username: basic.username.clone(),
                password: basic.password.clone(),
            },
            Some(AuthCredential {
                token: Some(token), ..
            }) => self.token(token.token.clone()),
            Some(AuthCredential {
                oauth: Some(oauth), ..
            }) => self.token(oauth.access_token.clone()),
            Some(AuthCredential {
                oauth_client_credentials: Some(cc),
                ..
            }) => self.token(cc.access_token.clone()),
            _ => AuthHeader::None,
        };
        self
    }

    fn token(&self, token: Secret) -> AuthHeader {
        AuthHeader::Token {
            header: self.token_header.clone(),
            prefix: self.token_prefix.clone(),
            token,
        }
    }

    /// Sends tokens in `header` as `"<prefix> <token>"` (or the bare token when `prefix` is
    /// empty) instead of `Authorization: Bearer <token>`. Call it before [`Self::credential`]
    /// or [`Self::bearer`].
    ///
    /// # Panics
    ///
    /// If `header` is not a valid header name (a programming error).
    #[must_use]
    pub fn token_header(mut self, header: &str, prefix: &str) -> Self {
        self.token_header = HeaderName::from_bytes(header.as_bytes())
            .unwrap_or_else(|_| panic!("`{header}` is not a valid header name"));
        self.token_prefix = prefix.to_owned();
        self
    }

    /// Authenticates with a token.
    #[must_use]
    pub fn bearer(mut self, token: Secret) -> Self {
        self.auth = self.token(token);
        self
    }

    /// Authenticates with a username and password.
    #[must_use]
    pub fn basic(mut self, username: impl Into<String>, password: Secret) -> Self {
        self.auth = AuthHeader::Basic {
            username: username.into(),
            password,
        };
        self
    }

    /// Sends `User-Agent: <app_id>/<version>`.
    #[must_use]
    pub fn user_agent(mut self, app_id: &str, version: &str) -> Self {
        self.user_agent = Some(format!("{app_id}/{version}"));
        self
    }

    /// The connect timeout (default 10 s).
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The timeout of a whole request, body included (default 60 s).
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// A PEM bundle of extra root certificates. Without it, the file named by
    /// [`CA_BUNDLE_ENV`] is used when that variable is set.
    #[must_use]
    pub fn ca_bundle(mut self, path: impl Into<PathBuf>) -> Self {
        self.ca_bundle = Some(path.into());
        self
    }

    /// The retry policy (default: [`RetryPolicy::default`]).
    #[must_use]
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Builds the client. Fails with `invalid_value` for a bad base URL or CA bundle.
    pub fn build(self) -> Result<HttpClient, ConnectorError> {
        let base_url = normalize_base(&self.base_url)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout);
        if !self.follow_redirects {
            builder = builder.redirect(reqwest::redirect::Policy::none());
        }
        if let Some(agent) = &self.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        let bundle = self
            .ca_bundle
            .or_else(|| std::env::var_os(CA_BUNDLE_ENV).map(PathBuf::from));
        if let Some(path) = bundle {
            let pem = std::fs::read(&path).map_err(|e| {
                ConnectorError::invalid_value(format!(
                    "Cannot read the CA bundle {}: {e}",
                    path.display()
                ))
            })?;
            let certificates = reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                ConnectorError::invalid_value(format!(
                    "The CA bundle {} is not a PEM bundle: {e}",
                    path.display()
                ))
            })?;
            for certificate in certificates {
                builder = builder.add_root_certificate(certificate);
            }
        }
        let client = builder.build().map_err(|e| {
            ConnectorError::internal_error(format!("Cannot build the HTTP client: {e}"))
        })?;
        let client = ClientBuilder::new(client)
            .with(retry::Retry::new(self.retry))
            .build();
        Ok(HttpClient {
            inner: client,
            base_url: Arc::from(base_url),
            auth: self.auth,
        })
    }
}

fn normalize_base(base: &str) -> Result<String, ConnectorError> {
    let base = base.trim();
    let with_scheme = if base.contains("://") {
        base.to_owned()
    } else {
        format!("https://{base}")
    };
    url::Url::parse(&with_scheme).map_err(|e| {
        ConnectorError::invalid_value(format!("`{base}` is not a valid base URL: {e}"))
    })?;
    Ok(with_scheme.trim_end_matches('/').to_owned())
}

/// An HTTP client bound to an app's base URL and a credential.
///
/// Requests get the credential, the user agent and the retry policy. `send`/`get_json` turn
/// every failure into a [`ConnectorError`] with the right wire code: HTTP statuses through the
/// default table (with the API's own error message when the body has one), transport failures
/// as `connection_timeout`, `request_timeout`, `connection_rejected` or `connection_closed`,
/// and a body that is not the expected JSON as `invalid_response`.
#[derive(Clone)]
pub struct HttpClient {
    inner: ClientWithMiddleware,
    base_url: Arc<str>,
    auth: AuthHeader,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Starts a client for the app at `base_url` (`https://` is assumed without a scheme).
    pub fn builder(base_url: impl Into<String>) -> HttpClientBuilder {
        HttpClientBuilder {
            base_url: base_url.into(),
            auth: AuthHeader::None,
            token_header: http::header::AUTHORIZATION,
            token_prefix: "Bearer".to_owned(),
            user_agent: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            ca_bundle: None,
            retry: RetryPolicy::default(),
            follow_redirects: true,
        }
    }

    /// A client for the request in `ctx`: its credential, the integration's retry policy and
    /// user agent `<app_id>/<version>`.
    pub fn for_request<S>(
        ctx: &crate::Context<S>,
        base_url: impl Into<String>,
    ) -> HttpClientBuilder {
        Self::builder(base_url)
            .user_agent(ctx.app_id(), ctx.version())
            .retry(ctx.retry_policy().clone())
            .credential(ctx.auth())
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The absolute URL of `path` (an absolute URL is kept as it is).
    pub fn url(&self, path: &str) -> String {
        if path.starts_with("http://") || path.starts_with("https://") {
            path.to_owned()
        } else {
            format!("{}/{}", self.base_url, path.trim_start_matches('/'))
        }
    }

    /// A request to `path`, with the credential applied.
    pub fn request(&self, method: http::Method, path: &str) -> RequestBuilder {
        let builder = self.inner.request(method, self.url(path));
        match &self.auth {
            AuthHeader::None => builder,
            AuthHeader::Basic { username, password } => {
                let raw = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                builder.header(
                    http::header::AUTHORIZATION,
                    sensitive(&format!("Basic {encoded}")),
                )
            }
            AuthHeader::Token {
                header,
                prefix,
                token,
            } => {
                let value = if prefix.is_empty() {
                    token.expose().to_owned()
                } else {
                    format!("{prefix} {}", token.expose())
                };
                builder.header(header.clone(), sensitive(&value))
            }
        }
    }

    /// A GET request to `path`.
    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(http::Method::GET, path)
    }

    /// A POST request to `path`.
    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(http::Method::POST, path)
    }

    /// A PUT request to `path`.
    pub fn put(&self, path: &str) -> RequestBuilder {
        self.request(http::Method::PUT, path)
    }

    /// A PATCH request to `path`.
    pub fn patch(&self, path: &str) -> RequestBuilder {
        self.request(http::Method::PATCH, path)
    }

    /// A DELETE request to `path`.
    pub fn delete(&self, path: &str) -> RequestBuilder {
        self.request(http::Method::DELETE, path)
    }

    /// Sends a request; a non-success status or a transport failure is an error.
    pub async fn send(&self, request: RequestBuilder) -> Result<reqwest::Response, ConnectorError> {
        let response = request.send().await.map_err(|error| match error {
            reqwest_middleware::Error::Reqwest(error) => from_transport(error),
            reqwest_middleware::Error::Middleware(error) => {
                ConnectorError::unexpected(format!("The HTTP middleware failed: {error:#}"))
            }
        })?;
        let status = response.status();
        if status.is_success() {
            return Ok(response);
        }
        let outcome = response
            .extensions()
            .get::<retry::RetryOutcome>()
            .copied()
            .unwrap_or_default();
        let url = response.url().to_string();
        let body = response.bytes().await.unwrap_or_default();
        Err(error::from_status(
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            &url,
            &body[..body.len().min(16 * 1024)],
            outcome.note(),
        ))
    }

    /// Sends a request and reads its JSON body as `T`.
    pub async fn send_json<T: DeserializeOwned>(
        &self,
        request: RequestBuilder,
    ) -> Result<T, ConnectorError> {
        let response = self.send(request).await?;
        let url = response.url().to_string();
        let body = response.bytes().await.map_err(from_transport)?;
        serde_json::from_slice(&body).map_err(|error| error::invalid_json(&error, &url, &body))
    }

    /// GETs `path` with a query and reads its JSON body as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path: &str,
        query: &[(&str, &str)],
    ) -> Result<T, ConnectorError> {
        self.send_json(self.get(path).query(query)).await
    }
}

fn sensitive(value: &str) -> HeaderValue {
    let mut value = HeaderValue::from_str(value).unwrap_or_else(|_| HeaderValue::from_static(""));
    value.set_sensitive(true);
    value
}
