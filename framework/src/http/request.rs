//! [`RequestBuilder`]: one request, and the only road to the app (redirects, retries,
//! deadline, size limit, error mapping).

use std::time::{Duration, Instant, SystemTime};

use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::client::Redirects;
use super::error::{self, Failure};
use super::retry::{retryable_status, server_wait};
use super::{ApiPath, Header, HttpClient, Method, Response};
use crate::ConnectorError;
use crate::redact;
use crate::wire::Secret;

/// Redirects followed at most for one request.
const MAX_REDIRECTS: u32 = 10;

/// A request being built. Setters record their first problem (an invalid header value, a body
/// that does not serialize, a refused path segment) and the endings return it, so a chain
/// never panics.
#[derive(Debug)]
#[must_use = "a request does nothing until it is sent"]
pub struct RequestBuilder {
    client: HttpClient,
    method: Method,
    url: Result<url::Url, ConnectorError>,
    headers: HeaderMap,
    /// Header names that carry credentials set on this request.
    secret_names: Vec<HeaderName>,
    secrets: Vec<String>,
    body: Option<Vec<u8>>,
    error: Option<ConnectorError>,
}

impl RequestBuilder {
    pub(crate) fn to_path(client: HttpClient, method: Method, path: ApiPath) -> Self {
        let url = path.check().map(|()| {
            let mut url = client.shared.base.clone();
            let joined = format!("{}{}", url.path().trim_end_matches('/'), path.as_str());
            url.set_path(&joined);
            url
        });
        Self::new(client, method, url)
    }

    pub(crate) fn to_link(client: HttpClient, method: Method, link: &str) -> Self {
        let url = match client.shared.base.join(link) {
            Ok(url) if client.shared.same_origin(&url) => Ok(url),
            Ok(url) => Err(ConnectorError::invalid_response(format!(
                "The app handed out a link to {}, another origin than {}; only links to the \
                 app's own origin are followed",
                url.origin().ascii_serialization(),
                client.shared.base.origin().ascii_serialization()
            ))),
            Err(e) => Err(ConnectorError::invalid_response(format!(
                "The app handed out a link that is not a URL ({e}): {}",
                error::excerpt(&redact::url(link), 200)
            ))),
        };
        Self::new(client, method, url)
    }

    fn new(client: HttpClient, method: Method, url: Result<url::Url, ConnectorError>) -> Self {
        Self {
            client,
            method,
            url,
            headers: HeaderMap::new(),
            secret_names: Vec::new(),
            secrets: Vec::new(),
            body: None,
            error: None,
        }
    }

    fn fail(&mut self, error: ConnectorError) {
        if self.error.is_none() {
            self.error = Some(error);
        }
    }

    /// Appends one query parameter (percent-encoded).
    pub fn query_pair(mut self, key: &str, value: &str) -> Self {
        if let Ok(url) = self.url.as_mut() {
            url.query_pairs_mut().append_pair(key, value);
        }
        self
    }

    /// Appends query parameters (percent-encoded).
    pub fn query<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        if let Ok(url) = self.url.as_mut()
            && !pairs.is_empty()
        {
            let mut query = url.query_pairs_mut();
            for (key, value) in pairs {
                query.append_pair(key.as_ref(), value.as_ref());
            }
        }
        self
    }

    /// Sets a header. A value an HTTP header cannot carry (a line break, …) makes the request
    /// fail with `bad_request` when sent.
    pub fn header(mut self, name: &Header, value: &str) -> Self {
        match HeaderValue::from_str(value) {
            Ok(value) => {
                self.headers.insert(name.0.clone(), value);
            }
            Err(_) => self.fail(ConnectorError::bad_request(format!(
                "Invalid request - the value for the `{}` header holds characters an HTTP \
                 header cannot carry",
                name.as_str()
            ))),
        }
        self
    }

    /// Sets a header that carries a credential: never logged, never sent to another origin,
    /// scrubbed from error messages.
    pub fn header_secret(mut self, name: &Header, value: &Secret) -> Self {
        match HeaderValue::from_str(value.expose()) {
            Ok(mut header) => {
                header.set_sensitive(true);
                self.headers.insert(name.0.clone(), header);
                self.secret_names.push(name.0.clone());
                if value.expose().len() >= 3 {
                    self.secrets.push(value.expose().to_owned());
                }
            }
            Err(_) => self.fail(ConnectorError::bad_request(format!(
                "Invalid request - the secret for the `{}` header holds characters an HTTP \
                 header cannot carry",
                name.as_str()
            ))),
        }
        self
    }

    /// Sends `body` as JSON.
    pub fn json_body<T: Serialize + ?Sized>(mut self, body: &T) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.body = Some(bytes);
                self.headers.insert(
                    http::header::CONTENT_TYPE,
                    HeaderValue::from_static("application/json"),
                );
            }
            Err(e) => self.fail(ConnectorError::internal_error(format!(
                "The request body does not serialize as JSON: {e}"
            ))),
        }
        self
    }

    /// Sends `pairs` as an `application/x-www-form-urlencoded` body.
    pub fn form<K: AsRef<str>, V: AsRef<str>>(mut self, pairs: &[(K, V)]) -> Self {
        let mut form = url::form_urlencoded::Serializer::new(String::new());
        for (key, value) in pairs {
            form.append_pair(key.as_ref(), value.as_ref());
        }
        self.body = Some(form.finish().into_bytes());
        self.headers.insert(
            http::header::CONTENT_TYPE,
            HeaderValue::from_static("application/x-www-form-urlencoded"),
        );
        self
    }

    /// Sends raw bytes with a content type.
    pub fn body(mut self, bytes: impl Into<Vec<u8>>, content_type: &str) -> Self {
        self.body = Some(bytes.into());
        self.header(&Header::CONTENT_TYPE, content_type)
    }

    /// Sends the request; a non-success status (after retries and redirects) is an error.
    pub async fn send(self) -> Result<Response, ConnectorError> {
        let response = self.send_any_status().await?;
        if response.is_success() {
            Ok(response)
        } else {
            Err(response.into_error())
        }
    }

    /// Sends the request and reads its JSON body as `T`.
    pub async fn json<T: DeserializeOwned>(self) -> Result<T, ConnectorError> {
        self.send().await?.json()
    }

    /// Sends the request and returns the answer whatever its status (after retries and
    /// redirects); only transport failures, the deadline and refused redirects are errors.
    pub async fn send_any_status(self) -> Result<Response, ConnectorError> {
        let Self {
            client,
            mut method,
            url,
            mut headers,
            mut secret_names,
            mut secrets,
            mut body,
            error,
        } = self;
        if let Some(error) = error {
            return Err(error);
        }
        let mut url = url?;
        let shared = &client.shared;
        for (name, value) in &shared.credentials {
            headers.insert(name.clone(), value.clone());
            secret_names.push(name.clone());
        }
        secrets.extend(shared.secrets.iter().cloned());
        let mut redirects = 0u32;
        loop {
            if let Some((credential, signature)) = &shared.oauth1 {
                // Signed for each URL it goes to: a redirect changes what is signed.
                let form = form_pairs(&headers, body.as_deref());
                let value = crate::credential::oauth1_authorization(
                    credential,
                    *signature,
                    method.as_str(),
                    &url,
                    &form,
                );
                let value = HeaderValue::from_str(&value).map_err(|_| {
                    ConnectorError::bad_request("The OAuth 1.0a header is not a valid header value")
                })?;
                headers.insert(http::header::AUTHORIZATION, value);
                if !secret_names.contains(&http::header::AUTHORIZATION) {
                    secret_names.push(http::header::AUTHORIZATION);
                }
            }
            let sent = Sent {
                headers: &headers,
                secret_names: &secret_names,
                body: body.as_deref(),
                secrets: &secrets,
            };
            let response = exchange(&client, method, &url, &sent).await?;
            let status = response.status();
            if shared.redirects == Redirects::None || !(300..400).contains(&status) {
                return Ok(response);
            }
            let Some(location) = response.header(&Header::LOCATION) else {
                return Ok(response);
            };
            let next = url.join(location).map_err(|e| {
                ConnectorError::invalid_response(format!(
                    "The app redirected to something that is not a URL ({e})"
                ))
                .with_status_code(status)
            })?;
            if !matches!(next.scheme(), "http" | "https") {
                return Err(ConnectorError::invalid_response(format!(
                    "The app redirected to a `{}:` URL; only http and https are followed",
                    next.scheme()
                ))
                .with_status_code(status));
            }
            redirects += 1;
            if redirects > MAX_REDIRECTS {
                return Err(ConnectorError::invalid_response(format!(
                    "The app redirected more than {MAX_REDIRECTS} times (last to {})",
                    error::strip_query(next.as_str())
                ))
                .with_status_code(status));
            }
            if next.origin() != url.origin() {
                if shared.redirects == Redirects::SameOrigin {
                    return Err(error::cross_origin(&url, &next, status));
                }
                for name in secret_names.drain(..) {
                    headers.remove(&name);
                }
                headers.remove(http::header::COOKIE);
                tracing::debug!(
                    from = %url.origin().ascii_serialization(),
                    to = %next.origin().ascii_serialization(),
                    "following a redirect to another origin without credentials"
                );
            }
            if status == 303 || (matches!(status, 301 | 302) && method == Method::Post) {
                method = Method::Get;
                body = None;
                headers.remove(http::header::CONTENT_TYPE);
            }
            url = next;
        }
    }
}

/// The pairs of an `application/x-www-form-urlencoded` body (signed by OAuth 1.0a).
fn form_pairs(headers: &HeaderMap, body: Option<&[u8]>) -> Vec<(String, String)> {
    let is_form = headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("application/x-www-form-urlencoded"));
    match body {
        Some(body) if is_form => url::form_urlencoded::parse(body).into_owned().collect(),
        _ => Vec::new(),
    }
}

/// What goes out with every attempt of a request.
struct Sent<'a> {
    headers: &'a HeaderMap,
    /// Headers that carry credentials.
    secret_names: &'a [HeaderName],
    body: Option<&'a [u8]>,
    /// Every form of a credential the request carries.
    secrets: &'a [String],
}

/// Hands an answered attempt to the call's recording, if it is recorded.
fn record(client: &HttpClient, method: Method, url: &url::Url, sent: &Sent<'_>, parts: &Parts) {
    let Some(recorder) = &client.shared.recorder else {
        return;
    };
    let text = |value: &HeaderValue| String::from_utf8_lossy(value.as_bytes()).into_owned();
    let exchange = crate::record::RawExchange {
        method: method.to_string(),
        url: url.clone(),
        request_headers: sent
            .headers
            .iter()
            .map(|(name, value)| {
                let secret = value.is_sensitive() || sent.secret_names.contains(name);
                (name.as_str().to_owned(), text(value), secret)
            })
            .collect(),
        request_body: sent.body.map(<[u8]>::to_vec),
        status: parts.status.as_u16(),
        response_headers: parts
            .headers
            .iter()
            .map(|(name, value)| (name.as_str().to_owned(), text(value)))
            .collect(),
        response_body: parts.body.clone(),
    };
    recorder.add(exchange, sent.secrets);
}

/// One request with its retries, within the deadline and the rate limiter's pace.
async fn exchange(
    client: &HttpClient,
    method: Method,
    url: &url::Url,
    sent: &Sent<'_>,
) -> Result<Response, ConnectorError> {
    let (headers, body, secrets) = (sent.headers, sent.body, sent.secrets);
    let shared = &client.shared;
    let gate = shared.gate.as_ref();
    let logged_url = redact::url(url.as_str());
    let started = SystemTime::now();
    let retries_allowed = shared.retry.retries_method(method);
    let max_retries = match gate {
        Some(gate) if !gate.retries() => 0,
        _ => shared.retry.max_retries_value(),
    };
    let mut retries = 0u32;
    // Inside `serve`: the request's trace context and the server's metrics.
    let scope = crate::trace::current();
    loop {
        let ticket = match gate {
            Some(gate) => Some(gate.admit(shared.deadline.left()).await?),
            None => None,
        };
        let attempt_started = Instant::now();
        let traced = scope
            .as_deref()
            .map(|scope| scope.attempt(method.as_str(), url));
        let outcome = attempt(client, method, url, headers, body, traced.as_ref()).await;
        if let (Some(gate), Some(ticket), Ok(parts)) = (gate, ticket, outcome.as_ref()) {
            gate.answered(ticket, &parts.headers);
        }
        let status = outcome.as_ref().ok().map(|parts| parts.status.as_u16());
        if let Some(traced) = traced {
            traced.end(status);
        }
        if let Some(metrics) = scope.as_ref().and_then(|scope| scope.metrics.as_ref()) {
            metrics.upstream(url, status);
        }
        let elapsed_ms = u64::try_from(attempt_started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let (wait, from_server) = match &outcome {
            Ok(parts) => {
                record(client, method, url, sent, parts);
                tracing::debug!(
                    %method, url = %logged_url, status = parts.status.as_u16(),
                    duration_ms = elapsed_ms, retries, "http exchange"
                );
                if !retryable_status(parts.status) {
                    return finish(outcome, url, secrets, retry_note(retries, None, None));
                }
                match server_wait(&parts.headers, SystemTime::now()) {
                    Some(wait) => (Some(wait), true),
                    None => (shared.retry.backoff_wait(retries, started), false),
                }
            }
            Err(failure) => {
                tracing::debug!(
                    %method, url = %logged_url, error = %failure.describe(),
                    duration_ms = elapsed_ms, retries, "http exchange failed"
                );
                if !failure.is_transient() {
                    return finish(outcome, url, secrets, None);
                }
                (shared.retry.backoff_wait(retries, started), false)
            }
        };
        let throttled = outcome
            .as_ref()
            .is_ok_and(|parts| matches!(parts.status.as_u16(), 429 | 503));
        let left = shared.deadline.left();
        let fits = wait.is_some_and(|wait| wait < left);
        // A wait the call honours holds every request of the limiter back with it; one it
        // does not (beyond the deadline, no retries left) fails this call only.
        if let (Some(gate), true, Some(wait)) = (gate, throttled, wait)
            && retries_allowed
            && retries < max_retries
            && fits
        {
            gate.throttled(wait);
        }
        if !retries_allowed || retries >= max_retries || !fits {
            if let (Some(gate), Some(wait)) = (gate, wait)
                && retries_allowed
                && retries < max_retries
                && gate.budget_given()
                && wait < super::limit::MAX_RESET
            {
                // The caller's budget cannot hold the wait the app asked for.
                return Err(super::limit::exhausted(
                    format!(
                        "Rate limit sleep of {} would exceed caller deadline",
                        error::seconds_text(wait)
                    ),
                    wait,
                ));
            }
            let asked = if from_server { wait } else { None };
            let note = retry_note(retries, asked, Some(left));
            return finish(outcome, url, secrets, note);
        }
        let wait = wait.unwrap_or_default();
        tracing::debug!(
            %method, url = %logged_url,
            wait_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "retrying"
        );
        if let Some(metrics) = scope.as_ref().and_then(|scope| scope.metrics.as_ref()) {
            metrics.retry(url);
        }
        // With a limiter, the wait is the limiter's: the next `admit` holds back until the
        // app's `not before`.
        if gate.is_none() || !throttled {
            tokio::time::sleep(wait).await;
        }
        retries += 1;
    }
}

/// What the retries did, for error messages.
fn retry_note(retries: u32, asked: Option<Duration>, left: Option<Duration>) -> Option<String> {
    let asked = asked.filter(|wait| !wait.is_zero());
    match (retries, asked) {
        (0, None) => None,
        (n, None) => Some(format!("after {n} retries")),
        (n, Some(wait)) => {
            let left = left.map_or_else(String::new, |left| {
                format!(
                    "; {} of the call's deadline were left",
                    error::seconds_text(left)
                )
            });
            Some(format!(
                "after {n} retries; the app asked to wait {}{left}",
                error::seconds_text(wait)
            ))
        }
    }
}

/// The last attempt as the caller sees it.
fn finish(
    outcome: Result<Parts, Failure>,
    url: &url::Url,
    secrets: &[String],
    note: Option<String>,
) -> Result<Response, ConnectorError> {
    match outcome {
        Ok(parts) => Ok(Response::new(parts, secrets.to_vec(), note)),
        Err(failure) => Err(failure.into_error(url, note)),
    }
}

/// An answer as read off the wire.
pub(crate) struct Parts {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) url: url::Url,
    pub(crate) body: Vec<u8>,
}

/// One exchange: connect, send, read the whole body, within the request timeout and what is
/// left of the deadline.
async fn attempt(
    client: &HttpClient,
    method: Method,
    url: &url::Url,
    headers: &HeaderMap,
    body: Option<&[u8]>,
    traced: Option<&crate::trace::Attempt<'_>>,
) -> Result<Parts, Failure> {
    let shared = &client.shared;
    let left = shared.deadline.left();
    if left.is_zero() {
        return Err(Failure::Deadline(shared.deadline));
    }
    let transport = shared.transport(url).map_err(Failure::Other)?;
    let mut request = transport
        .request(method.to_http(), url.clone())
        .headers(headers.clone());
    if let Some(traced) = traced
        && let Some(traceparent) = &traced.traceparent
    {
        // W3C trace context: the caller's trace, a new span for this attempt.
        request = request.header("traceparent", traceparent.as_str());
        if let Some(state) = traced.tracestate {
            request = request.header("tracestate", state);
        }
    }
    if let Some(body) = body {
        request = request.body(body.to_vec());
    }
    let max_body = shared.max_body;
    let exchange = async move {
        let mut response = request.send().await.map_err(Failure::Transport)?;
        if response
            .content_length()
            .is_some_and(|length| length > max_body as u64)
        {
            return Err(Failure::TooLarge(max_body));
        }
        let status = response.status();
        let headers = response.headers().clone();
        let url = response.url().clone();
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(Failure::Transport)? {
            if body.len().saturating_add(chunk.len()) > max_body {
                return Err(Failure::TooLarge(max_body));
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Parts {
            status,
            headers,
            url,
            body,
        })
    };
    let limit = shared.timeout.min(left);
    match tokio::time::timeout(limit, exchange).await {
        Ok(outcome) => outcome,
        Err(_) if limit < shared.timeout => Err(Failure::Deadline(shared.deadline)),
        Err(_) => Err(Failure::Timeout(limit)),
    }
}
