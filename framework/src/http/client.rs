//! [`HttpClient`] and its builder: base URL, credential, timeouts, deadline, TLS roots.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use base64::Engine;
use http::{HeaderName, HeaderValue};
use serde::de::DeserializeOwned;

use super::limit::{self, CallLimits, Gate, RateLimit};
use super::{ApiPath, CA_BUNDLE_ENV, Header, Method, RequestBuilder, RetryPolicy};
use crate::ConnectorError;
use crate::wire::{AuthCredential, Secret};

/// The default time budget of one capability call, and of a client made outside one.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(300);

/// The environment variable that sets the time budget of every capability call, in seconds
/// (`30`, `2.5`), over the integration's own
/// [`IntegrationBuilder::deadline`](crate::IntegrationBuilder::deadline).
pub const DEADLINE_ENV: &str = "CONNECTOR_DEADLINE_SECS";

/// The call budget: the environment's, else the integration's.
pub(crate) fn call_budget(declared: Duration) -> Duration {
    std::env::var(DEADLINE_ENV)
        .ok()
        .and_then(|text| text.trim().parse::<f64>().ok())
        .filter(|seconds| seconds.is_finite() && *seconds > 0.0)
        .map_or(declared, |seconds| {
            Duration::try_from_secs_f64(seconds).unwrap_or(Duration::MAX)
        })
}
/// The default limit on an answer's body.
const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// When a call must end, and how to say so.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Deadline {
    pub(crate) at: Instant,
    pub(crate) budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now (saturating far in the future).
    pub(crate) fn after(budget: Duration) -> Self {
        let now = Instant::now();
        let at = now
            .checked_add(budget)
            .unwrap_or_else(|| now + Duration::from_secs(100 * 365 * 24 * 3600));
        Self { at, budget }
    }

    /// What is left of it.
    pub(crate) fn left(&self) -> Duration {
        self.at.saturating_duration_since(Instant::now())
    }

    /// `the call's deadline of 30 s`, for messages.
    pub(crate) fn describe(&self) -> String {
        format!(
            "the call's deadline of {} (set per integration, or by {})",
            crate::http::error::seconds_text(self.budget),
            DEADLINE_ENV
        )
    }
}

/// The credential before it becomes headers: kept apart from the token header's name, so the
/// setters can come in any order.
#[derive(Debug, Clone)]
enum Credential {
    None,
    Basic {
        username: String,
        password: Secret,
    },
    Token(Secret),
    /// Signed per request (RFC 5849).
    OAuth1(crate::wire::OAuth1Credential),
    /// A credential that could not be turned into a header (a JWT that does not sign).
    Invalid(String),
}

/// Where redirects may lead.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Redirects {
    /// Redirects are answers like any other (a 3xx is an error from `send`).
    None,
    /// Followed within the base URL's origin; a redirect elsewhere is an error.
    SameOrigin,
    /// Followed anywhere, without credentials once the origin changes.
    AnyOrigin,
}

/// Builds an [`HttpClient`]. Setters can be called in any order.
#[derive(Debug)]
pub struct HttpClientBuilder {
    base_url: String,
    credential: Credential,
    token_header: Header,
    oauth1_signature: crate::credential::OAuth1Signature,
    token_prefix: String,
    secret_headers: Vec<(Header, Secret)>,
    user_agent: Option<String>,
    connect_timeout: Duration,
    timeout: Duration,
    deadline: Option<Deadline>,
    ca_bundle: Option<PathBuf>,
    retry: RetryPolicy,
    redirects: Redirects,
    max_body: usize,
    recorder: Option<Arc<crate::record::Session>>,
    rate_limit: RateLimit,
    call: Option<Arc<CallLimits>>,
}

impl HttpClientBuilder {
    /// Does not follow redirects (for token endpoints, against SSRF): a 3xx answer is returned
    /// as it is, and is an error from [`RequestBuilder::send`].
    #[must_use]
    pub fn no_redirects(mut self) -> Self {
        self.redirects = Redirects::None;
        self
    }

    /// Follows redirects to other origins too, but without any credential: the
    /// `Authorization` header, the token header and every secret header are dropped as soon as
    /// a redirect leaves the base URL's origin. By default such a redirect is an error.
    #[must_use]
    pub fn follow_cross_origin_redirects(mut self) -> Self {
        self.redirects = Redirects::AnyOrigin;
        self
    }

    /// Authenticates with the request's credential: basic → `Authorization: Basic`, a token or
    /// an OAuth access token → `Authorization: Bearer` (or the header set with
    /// [`Self::token_header`]).
    #[must_use]
    pub fn credential(mut self, auth: Option<&AuthCredential>) -> Self {
        self.credential = match auth {
            Some(AuthCredential {
                basic: Some(basic), ..
            }) => Credential::Basic {
                username: basic.username.clone(),
                password: basic.password.clone(),
            },
            Some(AuthCredential {
                token: Some(token), ..
            }) => Credential::Token(token.token.clone()),
            Some(AuthCredential {
                oauth: Some(oauth), ..
            }) => Credential::Token(oauth.access_token.clone()),
            Some(AuthCredential {
                oauth_client_credentials: Some(cc),
                ..
            }) => Credential::Token(cc.access_token.clone()),
            Some(AuthCredential { jwt: Some(jwt), .. }) => {
                // Signed afresh for every client, so every call has a fresh `iat`/`exp`.
                match crate::credential::sign_jwt(jwt) {
                    Ok(token) => Credential::Token(token),
                    Err(error) => Credential::Invalid(error.message().to_owned()),
                }
            }
            Some(AuthCredential {
                oauth1: Some(oauth1),
                ..
            }) => Credential::OAuth1(oauth1.clone()),
            _ => Credential::None,
        };
        self
    }

    /// The signature method of an `oauth1` credential (default
    /// [`OAuth1Signature::HmacSha1`](crate::credential::OAuth1Signature::HmacSha1)).
    #[must_use]
    pub fn oauth1_signature(mut self, signature: crate::credential::OAuth1Signature) -> Self {
        self.oauth1_signature = signature;
        self
    }

    /// Sends tokens in `header` as `"<prefix> <token>"` (or the bare token when `prefix` is
    /// empty) instead of `Authorization: Bearer <token>`.
    ///
    /// ```
    /// use connector_sdk::http::{Header, HttpClient};
    ///
    /// const API_KEY: Header = Header::from_static("x-api-key");
    /// let client = HttpClient::builder("https://api.example.com")
    ///     .bearer("k3y".into())
    ///     .token_header(API_KEY, "")
    ///     .build()
    ///     .unwrap();
    /// # let _ = client;
    /// ```
    #[must_use]
    pub fn token_header(mut self, header: Header, prefix: &str) -> Self {
        self.token_header = header;
        self.token_prefix = prefix.to_owned();
        self
    }

    /// Authenticates with a token.
    #[must_use]
    pub fn bearer(mut self, token: Secret) -> Self {
        self.credential = Credential::Token(token);
        self
    }

    /// Authenticates with a username and password.
    #[must_use]
    pub fn basic(mut self, username: impl Into<String>, password: Secret) -> Self {
        self.credential = Credential::Basic {
            username: username.into(),
            password,
        };
        self
    }

    /// Sends `header: value` with every request, as a credential: never logged, never sent to
    /// another origin, scrubbed from error messages.
    #[must_use]
    pub fn secret_header(mut self, header: Header, value: Secret) -> Self {
        self.secret_headers.push((header, value));
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

    /// The timeout of one exchange, body included (default 60 s). A timed-out idempotent
    /// request is retried while the deadline allows.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The budget of everything this client does from now on: connects, reads, retries and
    /// the waits between them (default: the capability call's deadline with
    /// [`HttpClient::for_request`], else 300 s). Reaching it is a `request_timeout` error that
    /// says so.
    #[must_use]
    pub fn deadline(mut self, budget: Duration) -> Self {
        self.deadline = Some(Deadline::after(budget));
        self
    }

    pub(crate) fn deadline_of(mut self, deadline: Deadline) -> Self {
        self.deadline = Some(deadline);
        self
    }

    /// How the client paces itself against the app's rate limit (default:
    /// [`RateLimit::adaptive`], by the app's headers). See [`RateLimit`].
    #[must_use]
    pub fn rate_limit(mut self, rate_limit: RateLimit) -> Self {
        self.rate_limit = rate_limit;
        self
    }

    /// The capability call's rate-limit state: the caller's mode and seeds, the limiters used.
    pub(crate) fn call_limits(mut self, call: Arc<CallLimits>) -> Self {
        self.call = Some(call);
        self
    }

    /// Records every exchange into the call's recording (`--record`).
    pub(crate) fn recorder(mut self, recorder: Option<Arc<crate::record::Session>>) -> Self {
        self.recorder = recorder;
        self
    }

    /// The largest answer body read, in bytes (default 64 MiB); a larger one is an
    /// `invalid_response` error.
    #[must_use]
    pub fn max_body_bytes(mut self, limit: usize) -> Self {
        self.max_body = limit;
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

    /// Builds the client. Fails with `invalid_value` for a bad base URL or CA bundle, and with
    /// `bad_request` for a credential that cannot be sent in a header.
    pub fn build(self) -> Result<HttpClient, ConnectorError> {
        let base = normalize_base(&self.base_url)?;
        let mut credentials = Vec::new();
        let mut secrets = Vec::new();
        let mut oauth1 = None;
        match &self.credential {
            Credential::None => {}
            Credential::Invalid(message) => {
                return Err(ConnectorError::invalid_value(message.clone()));
            }
            Credential::OAuth1(credential) => {
                secrets.extend([
                    credential.consumer_secret.expose().to_owned(),
                    credential.token_secret.expose().to_owned(),
                ]);
                oauth1 = Some((credential.clone(), self.oauth1_signature));
            }
            Credential::Basic { username, password } => {
                let raw = format!("{username}:{}", password.expose());
                let encoded = base64::engine::general_purpose::STANDARD.encode(raw);
                let value = format!("Basic {encoded}");
                credentials.push((http::header::AUTHORIZATION, header_value(&value, "auth")?));
                secrets.extend([value, encoded, password.expose().to_owned()]);
            }
            Credential::Token(token) => {
                let value = if self.token_prefix.is_empty() {
                    token.expose().to_owned()
                } else {
                    format!("{} {}", self.token_prefix, token.expose())
                };
                credentials.push((self.token_header.0.clone(), header_value(&value, "auth")?));
                secrets.extend([value, token.expose().to_owned()]);
            }
        }
        for (header, value) in &self.secret_headers {
            credentials.push((
                header.0.clone(),
                header_value(value.expose(), header.as_str())?,
            ));
            secrets.push(value.expose().to_owned());
        }
        secrets.retain(|s| s.len() >= 3);
        let bundle = self
            .ca_bundle
            .or_else(|| std::env::var_os(CA_BUNDLE_ENV).map(PathBuf::from));
        let roots_from = bundle.clone();
        let roots = match bundle {
            None => Vec::new(),
            Some(path) => {
                let pem = std::fs::read(&path).map_err(|e| {
                    ConnectorError::invalid_value(format!(
                        "Cannot read the CA bundle {}: {e}",
                        path.display()
                    ))
                })?;
                reqwest::Certificate::from_pem_bundle(&pem).map_err(|e| {
                    ConnectorError::invalid_value(format!(
                        "The CA bundle {} is not a PEM bundle: {e}",
                        path.display()
                    ))
                })?
            }
        };
        let gate = limit::gate(&self.rate_limit, self.call.as_ref(), &base, &credentials);
        Ok(HttpClient {
            shared: Arc::new(Shared {
                gate,
                base,
                credentials,
                secrets,
                oauth1,
                user_agent: self.user_agent,
                connect_timeout: self.connect_timeout,
                timeout: self.timeout,
                deadline: self
                    .deadline
                    .unwrap_or_else(|| Deadline::after(DEFAULT_DEADLINE)),
                roots,
                roots_from,
                retry: self.retry,
                redirects: self.redirects,
                max_body: self.max_body,
                recorder: self.recorder,
                plain: OnceLock::new(),
                tls: OnceLock::new(),
            }),
        })
    }
}

fn header_value(value: &str, what: &str) -> Result<HeaderValue, ConnectorError> {
    let mut value = HeaderValue::from_str(value).map_err(|_| {
        ConnectorError::bad_request(format!(
            "Invalid request - the {what} value holds characters an HTTP header cannot carry"
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}

/// Parses the base URL (`https://` is assumed without a scheme), refusing what would leak or
/// misroute: userinfo, fragments, schemes other than http(s).
fn normalize_base(base: &str) -> Result<url::Url, ConnectorError> {
    let base = base.trim();
    let with_scheme = if base.contains("://") {
        base.to_owned()
    } else {
        format!("https://{base}")
    };
    let shown = || {
        if base.contains('@') {
            "The base URL".to_owned()
        } else {
            format!("`{}`", super::error::excerpt(base, 200))
        }
    };
    let mut url = url::Url::parse(&with_scheme).map_err(|e| {
        ConnectorError::invalid_value(format!("{} is not a valid base URL: {e}", shown()))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ConnectorError::invalid_value(format!(
            "{} is not an http:// or https:// URL",
            shown()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(ConnectorError::invalid_value(
            "The base URL carries a username or password; credentials belong in `auth`, \
             never in a URL",
        ));
    }
    url.set_fragment(None);
    let trimmed = url.path().trim_end_matches('/').to_owned();
    url.set_path(&trimmed);
    Ok(url)
}

/// What makes two transports interchangeable.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct TransportKey {
    /// The runtime that drives the pool's connections: a connection is a task of the runtime
    /// that opened it, so a request another runtime sent on it would fail the moment the
    /// first runtime ends (tests, and hosts that run several runtimes, do that).
    runtime: Option<tokio::runtime::Id>,
    tls: bool,
    connect_timeout: Duration,
    user_agent: Option<String>,
    roots_from: Option<PathBuf>,
}

/// How many transports the process keeps before it forgets those of other runtimes (a
/// runtime that has ended leaves its transport behind; only a cache is lost).
const MAX_TRANSPORTS: usize = 64;

/// The process's transports (connection pools), by runtime and configuration.
static TRANSPORTS: OnceLock<Mutex<HashMap<TransportKey, reqwest::Client>>> = OnceLock::new();

/// What every clone of a client shares.
pub(crate) struct Shared {
    pub(crate) base: url::Url,
    /// The rate limiter of the base URL's origin and this credential (`None`: bypass).
    pub(crate) gate: Option<Gate>,
    /// Headers that carry credentials: sent to the base URL's origin only.
    pub(crate) credentials: Vec<(HeaderName, HeaderValue)>,
    /// Every form in which a credential was put in a header, for scrubbing messages.
    pub(crate) secrets: Vec<String>,
    /// An OAuth 1.0a credential: every request is signed with it.
    pub(crate) oauth1: Option<(
        crate::wire::OAuth1Credential,
        crate::credential::OAuth1Signature,
    )>,
    user_agent: Option<String>,
    connect_timeout: Duration,
    pub(crate) timeout: Duration,
    pub(crate) deadline: Deadline,
    roots: Vec<reqwest::Certificate>,
    /// Where `roots` came from (part of the shared transport's key).
    roots_from: Option<PathBuf>,
    pub(crate) retry: RetryPolicy,
    pub(crate) redirects: Redirects,
    pub(crate) max_body: usize,
    /// Where the exchanges of a recorded call go.
    pub(crate) recorder: Option<Arc<crate::record::Session>>,
    /// The client for `http://` URLs: no certificate store is ever loaded for it.
    plain: OnceLock<Result<reqwest::Client, String>>,
    /// The client for `https://` URLs, built on first use.
    tls: OnceLock<Result<reqwest::Client, String>>,
}

impl Shared {
    /// The transport for `url`: one per runtime and configuration, so a server's requests
    /// share connection pools per app origin. A transport holds no credential and no
    /// cookie (every credential is a header of its own request), so sharing it shares nothing
    /// of one request with another.
    pub(crate) fn transport(&self, url: &url::Url) -> Result<reqwest::Client, ConnectorError> {
        let tls = url.scheme() == "https";
        let cell = if tls { &self.tls } else { &self.plain };
        cell.get_or_init(|| {
            let runtime = tokio::runtime::Handle::try_current()
                .ok()
                .map(|handle| handle.id());
            let key = TransportKey {
                runtime,
                tls,
                connect_timeout: self.connect_timeout,
                user_agent: self.user_agent.clone(),
                roots_from: self.roots_from.clone(),
            };
            let pool = TRANSPORTS.get_or_init(|| Mutex::new(HashMap::new()));
            let mut pool = pool.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(client) = pool.get(&key) {
                return Ok(client.clone());
            }
            let client = self.build_transport(tls)?;
            if pool.len() >= MAX_TRANSPORTS {
                pool.retain(|other, _| other.runtime == runtime);
            }
            pool.insert(key, client.clone());
            Ok(client)
        })
        .clone()
        .map_err(|e| ConnectorError::internal_error(format!("Cannot build the HTTP client: {e}")))
    }

    fn build_transport(&self, tls: bool) -> Result<reqwest::Client, String> {
        // TLS uses rustls' `ring` provider; a provider the connector installed first is kept.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let mut builder = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(agent) = &self.user_agent {
            builder = builder.user_agent(agent.clone());
        }
        #[cfg(target_feature = "crt-static")]
        {
            builder = builder.dns_resolver(super::dns::HostsAndResolvConf::default());
        }
        builder = if tls {
            builder.tls_certs_merge(self.roots.iter().cloned())
        } else {
            // No roots are needed for plain HTTP, and loading the system's costs ~150 file
            // opens per process.
            builder.tls_certs_only(Vec::new())
        };
        builder.build().map_err(|e| e.to_string())
    }

    /// Whether `url` is on the base URL's origin (scheme, host, port).
    pub(crate) fn same_origin(&self, url: &url::Url) -> bool {
        url.origin() == self.base.origin()
    }
}

/// An HTTP client bound to an app's base URL and a credential.
///
/// Requests get the credential, the user agent, the retry policy and the deadline. Their
/// endings turn every failure into a [`ConnectorError`] with the right wire code: HTTP statuses
/// through the default table (with the API's own error message when the body has one),
/// transport failures as `connection_timeout`, `request_timeout`, `connection_rejected` or
/// `connection_closed`, and a body that is not the expected JSON as `invalid_response`.
///
/// Cloning is cheap; clones share connections.
#[derive(Clone)]
pub struct HttpClient {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpClient")
            .field("base_url", &self.base_url())
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// Starts a client for the app at `base_url` (`https://` is assumed without a scheme).
    pub fn builder(base_url: impl Into<String>) -> HttpClientBuilder {
        HttpClientBuilder {
            base_url: base_url.into(),
            credential: Credential::None,
            token_header: Header::AUTHORIZATION,
            oauth1_signature: crate::credential::OAuth1Signature::default(),
            token_prefix: "Bearer".to_owned(),
            secret_headers: Vec::new(),
            user_agent: None,
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(60),
            deadline: None,
            ca_bundle: None,
            retry: RetryPolicy::default(),
            redirects: Redirects::SameOrigin,
            max_body: DEFAULT_MAX_BODY,
            recorder: None,
            rate_limit: RateLimit::default(),
            call: None,
        }
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.shared.base.as_str().trim_end_matches('/')
    }

    /// A request to `path` below the base URL, with the credential applied.
    pub fn request(&self, method: Method, path: impl Into<ApiPath>) -> RequestBuilder {
        RequestBuilder::to_path(self.clone(), method, path.into())
    }

    /// A request to an absolute URL the app handed out (a `next` link, a `Location`). Only
    /// links on the base URL's origin are followed: any other is an `invalid_response` error
    /// when the request is sent.
    pub fn link(&self, method: Method, url: &str) -> RequestBuilder {
        RequestBuilder::to_link(self.clone(), method, url)
    }

    /// A GET request to `path`.
    pub fn get(&self, path: impl Into<ApiPath>) -> RequestBuilder {
        self.request(Method::Get, path)
    }

    /// A POST request to `path`.
    pub fn post(&self, path: impl Into<ApiPath>) -> RequestBuilder {
        self.request(Method::Post, path)
    }

    /// A PUT request to `path`.
    pub fn put(&self, path: impl Into<ApiPath>) -> RequestBuilder {
        self.request(Method::Put, path)
    }

    /// A PATCH request to `path`.
    pub fn patch(&self, path: impl Into<ApiPath>) -> RequestBuilder {
        self.request(Method::Patch, path)
    }

    /// A DELETE request to `path`.
    pub fn delete(&self, path: impl Into<ApiPath>) -> RequestBuilder {
        self.request(Method::Delete, path)
    }

    /// GETs `path` with a query and reads its JSON body as `T`.
    pub async fn get_json<T: DeserializeOwned>(
        &self,
        path: impl Into<ApiPath>,
        query: &[(&str, &str)],
    ) -> Result<T, ConnectorError> {
        self.get(path).query(query).json().await
    }
}
