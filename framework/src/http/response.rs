//! [`Response`]: an app's answer, read whole, with its status, headers and body.

use http::{HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

use super::Header;
use super::error;
use super::request::Parts;
use crate::ConnectorError;

/// An app's answer. The body is already read (within the deadline and the size limit).
pub struct Response {
    status: StatusCode,
    headers: HeaderMap,
    url: url::Url,
    body: Vec<u8>,
    /// The credential forms sent with the request, scrubbed from error messages.
    secrets: Vec<String>,
    /// What the retries did, for the error message.
    note: Option<String>,
}

impl std::fmt::Debug for Response {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Response")
            .field("status", &self.status.as_u16())
            .field("url", &self.url())
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Response {
    pub(crate) fn new(parts: Parts, secrets: Vec<String>, note: Option<String>) -> Self {
        Self {
            status: parts.status,
            headers: parts.headers,
            url: parts.url,
            body: parts.body,
            secrets,
            note,
        }
    }

    /// The HTTP status.
    pub fn status(&self) -> u16 {
        self.status.as_u16()
    }

    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        self.status.is_success()
    }

    /// A header's value, when present and text.
    pub fn header(&self, name: &Header) -> Option<&str> {
        self.headers.get(&name.0).and_then(|v| v.to_str().ok())
    }

    /// Every header that is text, by lowercase name (a repeated header once, its first value).
    pub(crate) fn header_pairs(&self) -> impl Iterator<Item = (String, String)> + '_ {
        self.headers.keys().filter_map(|name| {
            let value = self.headers.get(name)?.to_str().ok()?;
            Some((name.as_str().to_owned(), value.to_owned()))
        })
    }

    /// `text` with every form of the request's credential replaced by `[REDACTED]`.
    pub(crate) fn scrub(&self, text: &str) -> String {
        let mut sorted: Vec<&String> = self.secrets.iter().collect();
        sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
        let mut text = text.to_owned();
        for secret in sorted {
            if !secret.is_empty() && text.contains(secret.as_str()) {
                text = text.replace(secret.as_str(), crate::redact::REDACTED);
            }
        }
        text
    }

    /// The URL that answered (after redirects), without secrets in it.
    pub fn url(&self) -> String {
        crate::redact::url(self.url.as_str())
    }

    /// The body.
    pub fn bytes(&self) -> &[u8] {
        &self.body
    }

    /// The body, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.body
    }

    /// The body as text; `invalid_response` if it is not UTF-8.
    pub fn text(&self) -> Result<&str, ConnectorError> {
        std::str::from_utf8(&self.body).map_err(|e| {
            ConnectorError::invalid_response(format!(
                "The app's answer from '{}' is not UTF-8 text (invalid byte at offset {})",
                error::strip_query(self.url.as_str()),
                e.valid_up_to()
            ))
        })
    }

    /// The body as JSON of type `T`; `invalid_response` (quoting the start of the body) if it
    /// is not.
    pub fn json<T: DeserializeOwned>(&self) -> Result<T, ConnectorError> {
        serde_json::from_slice(&self.body).map_err(|e| {
            error::scrubbed(
                error::invalid_json(&e, self.url.as_str(), &self.body),
                &self.secrets,
            )
        })
    }

    /// The error [`super::RequestBuilder::send`] gives for this answer: the status through the
    /// default table, with the app's own message.
    pub fn into_error(self) -> ConnectorError {
        // Every throttled answer says when to come back, when the app asked for a wait.
        let retry_after = matches!(self.status.as_u16(), 429 | 503)
            .then(|| super::retry::server_wait(&self.headers, std::time::SystemTime::now()))
            .flatten()
            .filter(|wait| !wait.is_zero())
            .map(super::limit::whole_seconds);
        let error = error::from_status(
            self.status.as_u16(),
            self.status.canonical_reason().unwrap_or(""),
            self.url.as_str(),
            &self.body[..self.body.len().min(16 * 1024)],
            self.note,
        );
        let error = match retry_after {
            Some(seconds) => error.with_retry_after_seconds(seconds),
            None => error,
        };
        error::scrubbed(error, &self.secrets)
    }
}
