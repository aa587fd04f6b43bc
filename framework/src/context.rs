//! [`Context`]: what a capability handler knows about the request besides its payload.

use std::sync::Mutex;

use serde_json::Value;

use crate::ConnectorError;
use crate::http::{Deadline, HttpClientBuilder, RetryPolicy};
use crate::wire::{AuthCredential, BasicCredential, Secret};

/// The request as a handler sees it: typed settings, the credential, the page asked for,
/// whether raw data is wanted. The handler can attach `raw_data` to its answer.
///
/// `S` is the connector's settings type; it is already validated when the handler runs.
///
/// ```
/// use connector_sdk::Context;
/// use connector_sdk::wire::{AuthCredential, TokenCredential};
///
/// let auth = AuthCredential {
///     token: Some(TokenCredential { token: "t0k".into() }),
///     ..Default::default()
/// };
/// let ctx = Context::new((), Some(auth));
/// assert_eq!(ctx.token().unwrap().expose(), "t0k");
/// assert!(ctx.basic().is_err()); // wrong kind of credential
/// ```
#[derive(Debug)]
pub struct Context<S> {
    settings: S,
    auth: Option<AuthCredential>,
    /// The request's `credentials` list (protocol 4), when it sent one.
    credentials: Option<Vec<AuthCredential>>,
    page_token: Option<String>,
    capability: Option<crate::wire::CapabilityName>,
    page_size: Option<u32>,
    include_raw_data: bool,
    raw_data: Mutex<Option<Value>>,
    app_id: String,
    version: String,
    retry: RetryPolicy,
    deadline: Deadline,
    recorder: Option<std::sync::Arc<crate::record::Session>>,
    protocol: crate::wire::Protocol,
    rate_limit: Option<crate::wire::RateLimitRequestInfo>,
    limits: std::sync::Arc<crate::http::CallLimits>,
    /// When the call arrived (anything the request says is at least this old).
    received: std::time::Instant,
}

impl<S> Context<S> {
    /// A context with settings and a credential, no page, no raw data wanted.
    pub fn new(settings: S, auth: Option<AuthCredential>) -> Self {
        Self {
            settings,
            auth,
            credentials: None,
            page_token: None,
            capability: None,
            page_size: None,
            include_raw_data: false,
            raw_data: Mutex::new(None),
            app_id: String::new(),
            version: String::new(),
            retry: RetryPolicy::default(),
            deadline: Deadline::after(crate::http::DEFAULT_DEADLINE),
            recorder: None,
            protocol: crate::wire::Protocol::default(),
            rate_limit: None,
            limits: std::sync::Arc::default(),
            received: crate::http::call_received(),
        }
    }

    /// Sets the request's `credentials` list (protocol 4; dispatch does this once it is
    /// accepted).
    #[must_use]
    pub fn with_credentials(mut self, credentials: Option<Vec<AuthCredential>>) -> Self {
        self.credentials = credentials;
        self
    }

    /// The request's `credentials` list (protocol 4), as accepted: one entry per id.
    pub fn credentials(&self) -> Option<&[AuthCredential]> {
        self.credentials.as_deref()
    }

    /// The credential the request's `credentials` list names `id`, of kind `T`, as 4.x's
    /// `get_credential` reads it:
    ///
    /// - a request without a `credentials` list (one `auth`) → `invalid_value`
    ///   `Credential '<id>' not provided in credentials.`;
    /// - a list without `id` → `integration_missing_parameter`, same message;
    /// - an entry of another kind → `invalid_value`
    ///   `Credential '<id>' found but is not of type <Type>.`
    ///
    /// ```
    /// use connector_sdk::{Context, wire};
    /// use connector_sdk::wire::{AuthCredential, BasicCredential, ErrorCode, TokenCredential};
    ///
    /// let legacy = AuthCredential {
    ///     id: Some("legacy".into()),
    ///     basic: Some(BasicCredential { username: "u".into(), password: "p".into() }),
    ///     ..Default::default()
    /// };
    /// let ctx = Context::new((), None).with_credentials(Some(vec![legacy]));
    /// assert_eq!(ctx.credential::<BasicCredential>("legacy").unwrap().username, "u");
    /// let wrong = ctx.credential::<TokenCredential>("legacy").unwrap_err();
    /// assert_eq!(wrong.message(), "Credential 'legacy' found but is not of type TokenCredential.");
    /// let absent = ctx.credential::<BasicCredential>("sso").unwrap_err();
    /// assert_eq!(absent.code(), ErrorCode::IntegrationMissingParameter);
    /// ```
    pub fn credential<T: crate::wire::CredentialKind>(
        &self,
        id: &str,
    ) -> Result<&T, ConnectorError> {
        let not_provided = |code| {
            ConnectorError::new(
                code,
                format!("Credential '{id}' not provided in credentials."),
            )
            .with_hint("Review the integration settings and correct the indicated field.")
            .with_raised_by("InvalidConfigurationError".to_owned())
        };
        let Some(list) = self.credentials.as_deref().filter(|list| !list.is_empty()) else {
            return Err(not_provided(crate::wire::ErrorCode::InvalidValue));
        };
        let Some(entry) = list.iter().find(|entry| entry.id.as_deref() == Some(id)) else {
            return Err(not_provided(
                crate::wire::ErrorCode::IntegrationMissingParameter,
            ));
        };
        T::of(entry).ok_or_else(|| {
            ConnectorError::new(
                crate::wire::ErrorCode::InvalidValue,
                format!(
                    "Credential '{id}' found but is not of type {}.",
                    T::TYPE_NAME
                ),
            )
            .with_hint("Review the integration settings and correct the indicated field.")
            .with_raised_by("InvalidConfigurationError".to_owned())
        })
    }

    /// Sets what the request's `rate_limit` said (protocol 4; dispatch does this).
    #[must_use]
    pub(crate) fn with_rate_limit(
        mut self,
        rate_limit: Option<crate::wire::RateLimitRequestInfo>,
    ) -> Self {
        // `max_execution_time` bounds the call as connector-py 4.x counts it (the value
        // minus 10 s), within the SDK's own deadline.
        if let Some(seconds) = rate_limit.as_ref().and_then(|r| r.max_execution_time) {
            let budget = crate::http::execution_budget(seconds);
            if budget < self.deadline.left() {
                self.deadline = Deadline::after(budget);
            }
        }
        self.limits = std::sync::Arc::new(crate::http::CallLimits::new(
            self.capability,
            rate_limit.as_ref(),
            self.received,
        ));
        self.rate_limit = rate_limit;
        self
    }

    /// The call's `rate_limit.current_state`: every limiter its clients used that knows
    /// anything (protocol 4's success envelope).
    pub(crate) fn rate_limit_state(&self) -> Option<crate::wire::RateLimitResponseInfo> {
        self.limits.response_info()
    }

    /// The request's `rate_limit` (protocol 4): the caller's mode, time budget and the
    /// limiters' last known state.
    pub fn rate_limit(&self) -> Option<&crate::wire::RateLimitRequestInfo> {
        self.rate_limit.as_ref()
    }

    /// Sets the protocol version the call is answered in (dispatch does this).
    #[must_use]
    pub(crate) fn with_protocol(mut self, protocol: crate::wire::Protocol) -> Self {
        self.protocol = protocol;
        self
    }

    /// The protocol version the call is answered in.
    pub fn protocol(&self) -> crate::wire::Protocol {
        self.protocol
    }

    /// Records the call's HTTP exchanges into `session` (`--record`).
    #[must_use]
    pub(crate) fn with_recorder(
        mut self,
        session: Option<std::sync::Arc<crate::record::Session>>,
    ) -> Self {
        self.recorder = session;
        self
    }

    /// Sets the connector's identity and HTTP retry policy (dispatch does this from the
    /// integration declaration).
    #[must_use]
    pub(crate) fn with_integration(
        mut self,
        app_id: &str,
        version: &str,
        retry: RetryPolicy,
    ) -> Self {
        self.app_id = app_id.to_owned();
        self.version = version.to_owned();
        self.retry = retry;
        self
    }

    /// Sets the call's time budget, counted from now.
    #[must_use]
    pub(crate) fn with_deadline(mut self, budget: std::time::Duration) -> Self {
        self.deadline = Deadline::after(budget);
        self
    }

    /// The call's recording, when it is recorded (`--record`).
    pub(crate) fn recorder_session(&self) -> Option<std::sync::Arc<crate::record::Session>> {
        self.recorder.clone()
    }

    /// When the call must be over: every [`crate::http::HttpClient::for_request`] client stops
    /// there, and dispatch ends the call with `request_timeout` if the handler is still running.
    pub fn deadline(&self) -> std::time::Instant {
        self.deadline.at
    }

    /// What is left of the call's time budget.
    pub fn time_left(&self) -> std::time::Duration {
        self.deadline.left()
    }

    /// The call's whole time budget.
    pub(crate) fn deadline_budget(&self) -> std::time::Duration {
        self.deadline.budget
    }

    pub(crate) fn deadline_state(&self) -> Deadline {
        self.deadline
    }

    /// The connector's app id.
    pub fn app_id(&self) -> &str {
        &self.app_id
    }

    /// The connector's version.
    pub fn version(&self) -> &str {
        &self.version
    }

    /// The integration's HTTP retry policy.
    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// Sets the page asked for.
    #[must_use]
    pub(crate) fn with_page(mut self, token: Option<String>, size: Option<u32>) -> Self {
        self.page_token = token;
        self.page_size = size;
        self
    }

    /// Sets whether the caller wants `raw_data`.
    #[must_use]
    pub(crate) fn with_include_raw_data(mut self, include: bool) -> Self {
        self.include_raw_data = include;
        self
    }

    /// The connector's settings, validated.
    pub fn settings(&self) -> &S {
        &self.settings
    }

    /// The request's credential (`None` for the OAuth capabilities).
    pub fn auth(&self) -> Option<&AuthCredential> {
        self.auth.as_ref()
    }

    /// The basic credential, or a `bad_request` error if the request has another kind.
    pub fn basic(&self) -> Result<&BasicCredential, ConnectorError> {
        self.auth
            .as_ref()
            .and_then(|a| a.basic.as_ref())
            .ok_or_else(|| wrong_auth("basic"))
    }

    /// The static token, or a `bad_request` error if the request has another kind.
    pub fn token(&self) -> Result<&Secret, ConnectorError> {
        self.auth
            .as_ref()
            .and_then(|a| a.token.as_ref())
            .map(|t| &t.token)
            .ok_or_else(|| wrong_auth("token"))
    }

    /// The OAuth access token (from `oauth`, else from `oauth_client_credentials`), or a
    /// `bad_request` error if the request has neither.
    pub fn oauth_access_token(&self) -> Result<&Secret, ConnectorError> {
        let auth = self.auth.as_ref();
        auth.and_then(|a| a.oauth.as_ref().map(|o| &o.access_token))
            .or_else(|| {
                auth.and_then(|a| a.oauth_client_credentials.as_ref())
                    .map(|o| &o.access_token)
            })
            .ok_or_else(|| wrong_auth("oauth"))
    }

    /// The capability being run (dispatch sets it; typed cursors are bound to it).
    #[must_use]
    pub(crate) fn with_capability(
        mut self,
        capability: Option<crate::wire::CapabilityName>,
    ) -> Self {
        self.capability = capability;
        self.limits = std::sync::Arc::new(crate::http::CallLimits::new(
            capability,
            self.rate_limit.as_ref(),
            self.received,
        ));
        self
    }

    /// The cursor the previous page handed out with
    /// [`Listing::with_cursor`](crate::Listing::with_cursor): `None` on the first page, an
    /// `invalid_page_token` error for a token of another listing, a tampered one, or one
    /// holding a cursor of another shape.
    ///
    /// ```
    /// use connector_sdk::Context;
    ///
    /// let ctx = Context::new((), None);
    /// assert_eq!(ctx.cursor::<String>().unwrap(), None);
    /// ```
    pub fn cursor<T: serde::de::DeserializeOwned>(&self) -> Result<Option<T>, ConnectorError> {
        self.payload_cursor(self.page_token())
    }

    /// A cursor that travels in the request's payload instead of the envelope's page
    /// (`list_updated_accounts`' `cursor`), read back: the same checks as [`Self::cursor`].
    /// [`Self::cursor_text`] makes the text to hand out.
    ///
    /// ```
    /// use connector_sdk::Context;
    ///
    /// let ctx = Context::new((), None);
    /// let text = ctx.cursor_text(&("u-9", 2)).unwrap();
    /// assert_eq!(ctx.payload_cursor::<(String, u32)>(Some(&text)).unwrap(), Some(("u-9".into(), 2)));
    /// assert!(ctx.payload_cursor::<(String, u32)>(Some("u-9")).is_err()); // not one it made
    /// assert_eq!(ctx.payload_cursor::<String>(None).unwrap(), None);
    /// ```
    pub fn payload_cursor<T: serde::de::DeserializeOwned>(
        &self,
        text: Option<&str>,
    ) -> Result<Option<T>, ConnectorError> {
        let listing = self.listing();
        let Some(mut token) = crate::pagination::PageToken::decode(listing, text)? else {
            return Ok(None);
        };
        match token.depth() {
            1 => {}
            0 => {
                return Err(ConnectorError::invalid_page_token(format!(
                    "The page token of {listing} holds no cursor: it is truncated"
                )));
            }
            n => {
                return Err(ConnectorError::invalid_page_token(format!(
                    "The page token of {listing} holds {n} cursors, not one"
                )));
            }
        }
        token.pop()
    }

    /// The text of a cursor to hand out in an answer's payload (see [`Self::payload_cursor`]):
    /// opaque, checksummed and bound to this capability.
    pub fn cursor_text<T: serde::Serialize>(&self, cursor: &T) -> Result<String, ConnectorError> {
        let mut token = crate::pagination::PageToken::new(self.listing());
        token.push(cursor)?;
        Ok(token.encode())
    }

    fn listing(&self) -> &'static str {
        self.capability.map_or("listing", |c| c.as_str())
    }

    /// The page token the caller sent back, if this is not the first page.
    pub fn page_token(&self) -> Option<&str> {
        self.page_token.as_deref()
    }

    /// The page size the caller asked for.
    pub fn page_size(&self) -> Option<u32> {
        self.page_size
    }

    /// Whether the caller wants `raw_data`.
    pub fn include_raw_data(&self) -> bool {
        self.include_raw_data
    }

    /// Attaches the app's raw answer to the response. Kept only when the caller asked for raw
    /// data, so handlers can call it unconditionally.
    pub fn set_raw_data(&self, value: Value) {
        if self.include_raw_data {
            *self.raw_data.lock().unwrap_or_else(|p| p.into_inner()) = Some(value);
        }
    }

    /// Takes the raw data a handler attached.
    pub(crate) fn take_raw_data(&self) -> Option<Value> {
        self.raw_data
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
    }
}

fn wrong_auth(kind: &str) -> ConnectorError {
    ConnectorError::bad_request(format!(
        "Wrong auth: the request has no '{kind}' credential"
    ))
}

impl<S> Context<S> {
    /// A client of the app at `base_url` for this request: its credential, the integration's
    /// retry policy, the call's deadline (see [`HttpClient::for_request`](crate::http::HttpClient::for_request)
    /// to configure more before building).
    pub fn http(
        &self,
        base_url: impl Into<String>,
    ) -> Result<crate::http::HttpClient, ConnectorError> {
        crate::http::HttpClient::for_request(self, base_url).build()
    }
}

impl crate::http::HttpClient {
    /// A client for the request in `ctx`: its credential, the integration's retry policy,
    /// the call's deadline and user agent `<app_id>/<version>`.
    pub fn for_request<S>(ctx: &Context<S>, base_url: impl Into<String>) -> HttpClientBuilder {
        Self::builder(base_url)
            .user_agent(ctx.app_id(), ctx.version())
            .retry(ctx.retry_policy().clone())
            .deadline_of(ctx.deadline)
            .credential(ctx.auth())
            .recorder(ctx.recorder.clone())
            .call_limits(std::sync::Arc::clone(&ctx.limits))
    }
}
