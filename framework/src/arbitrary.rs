//! `fulfill_arbitrary_endpoint` (protocol 4), run by the SDK behind an allow-list the connector
//! declares: the platform asks for one HTTP request to the app, the SDK checks it against the
//! list (method, a path pattern, the connector's own origin) before anything is sent, makes it
//! with the SDK's client (the request's credential added by the client, never by the caller),
//! and returns the app's answer verbatim, with every form of the credential scrubbed from it.
//!
//! ```
//! use connector_sdk::arbitrary::AllowList;
//! use connector_sdk::{EmptySettings, Integration, Protocol, capability::Connector};
//! use connector_sdk::wire::CapabilityName;
//!
//! struct Demo;
//! impl Connector for Demo {
//!     type Settings = EmptySettings;
//! }
//!
//! let allow = AllowList::new(|_: &EmptySettings| "https://api.example.com".to_owned())
//!     .get("/v1/users/*")
//!     .get("/v1/groups/**")
//!     .post("/v1/search");
//! let integration = Integration::builder(Demo, "demo", "1.0.0").arbitrary_endpoints(allow).build();
//! assert!(integration
//!     .capabilities_in(Protocol::V4)
//!     .contains(&CapabilityName::FulfillArbitraryEndpoint));
//! ```

use std::collections::BTreeMap;
use std::future::Future;
use std::sync::Arc;

use crate::capability::{Connector, Handler, marker};
use crate::http::{Header, Method};
use crate::wire::{ArbitraryRequestMethod, ArbitraryResponse, FulfillArbitraryEndpoint};
use crate::{ConnectorError, Context, IntegrationBuilder};

/// Headers a caller may not set: the SDK's client adds the credential, and these would carry
/// another one or send the request elsewhere.
const FORBIDDEN_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "host",
    "x-api-key",
    "x-auth-token",
    "connection",
    "transfer-encoding",
    "content-length",
];

type BaseUrl<S> = Arc<dyn Fn(&S) -> String + Send + Sync>;

/// What `fulfill_arbitrary_endpoint` may request: methods and path patterns on the connector's
/// own origin (the base URL, computed from the settings).
///
/// A pattern is an absolute path whose `*` segments match exactly one segment and whose last
/// segment may be `**` (any rest, at least one segment). Paths with `.` or `..` segments,
/// encoded slashes or dots, or backslashes never match.
pub struct AllowList<S> {
    base_url: BaseUrl<S>,
    rules: Vec<(ArbitraryRequestMethod, Vec<String>)>,
}

impl<S> std::fmt::Debug for AllowList<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let rules: Vec<String> = self
            .rules
            .iter()
            .map(|(method, pattern)| format!("{} /{}", method, pattern.join("/")))
            .collect();
        f.debug_struct("AllowList").field("rules", &rules).finish()
    }
}

impl<S> AllowList<S> {
    /// An empty list for the app at `base_url(settings)`: nothing is allowed yet.
    pub fn new(base_url: impl Fn(&S) -> String + Send + Sync + 'static) -> Self {
        Self {
            base_url: Arc::new(base_url),
            rules: Vec::new(),
        }
    }

    /// Allows `GET` on paths matching `pattern`.
    #[must_use]
    pub fn get(self, pattern: &str) -> Self {
        self.allow(ArbitraryRequestMethod::Get, pattern)
    }

    /// Allows `POST` on paths matching `pattern`.
    #[must_use]
    pub fn post(self, pattern: &str) -> Self {
        self.allow(ArbitraryRequestMethod::Post, pattern)
    }

    fn allow(mut self, method: ArbitraryRequestMethod, pattern: &str) -> Self {
        let segments = pattern
            .trim_start_matches('/')
            .split('/')
            .map(str::to_owned)
            .collect();
        self.rules.push((method, segments));
        self
    }

    /// Whether `method` on `path` (the URL's path, still percent-encoded) is allowed.
    fn allows(&self, method: ArbitraryRequestMethod, path: &str) -> bool {
        let lowered = path.to_ascii_lowercase();
        if path.contains('\\')
            || lowered.contains("%2f")
            || lowered.contains("%2e")
            || lowered.contains("%5c")
        {
            return false;
        }
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        if segments.iter().any(|s| *s == "." || *s == "..") {
            return false;
        }
        self.rules
            .iter()
            .any(|(allowed, pattern)| *allowed == method && matches(pattern, &segments))
    }
}

fn matches(pattern: &[String], segments: &[&str]) -> bool {
    match (pattern.split_first(), segments.split_first()) {
        (None, None) => true,
        (Some((last, [])), Some(_)) if last == "**" => segments.iter().all(|s| !s.is_empty()),
        (Some((head, rest)), Some((segment, more))) => {
            let fits = if head == "*" {
                !segment.is_empty()
            } else {
                head == segment
            };
            fits && matches(rest, more)
        }
        _ => false,
    }
}

/// A refusal before anything was sent.
fn refused(message: String) -> ConnectorError {
    ConnectorError::bad_request(message)
        .with_hint("fulfill_arbitrary_endpoint only requests what the connector's allow-list names")
}

/// The SDK's handler of `fulfill_arbitrary_endpoint`.
struct Fulfill<S> {
    allow: AllowList<S>,
}

impl<S> Fulfill<S> {
    async fn run(
        &self,
        ctx: &Context<S>,
        request: FulfillArbitraryEndpoint,
    ) -> Result<ArbitraryResponse, ConnectorError> {
        let method = request.method.unwrap_or(ArbitraryRequestMethod::Get);
        let base = (self.allow.base_url)(ctx.settings());
        let base_url = url::Url::parse(&base).map_err(|e| {
            ConnectorError::bad_request(format!("The connector's base URL is not a URL ({e})"))
        })?;
        let target = base_url
            .join(&request.url)
            .map_err(|e| refused(format!("request.url is not a URL or a path ({e})")))?;
        if target.origin() != base_url.origin() {
            return Err(refused(format!(
                "request.url is on {}, not the app's origin {}",
                target.origin().ascii_serialization(),
                base_url.origin().ascii_serialization()
            )));
        }
        if !target.username().is_empty() || target.password().is_some() {
            return Err(refused("request.url must not carry credentials".to_owned()));
        }
        if !self.allow.allows(method, target.path()) {
            return Err(refused(format!(
                "{method} {} is not in the connector's allow-list",
                crate::redact::url(target.path())
            )));
        }
        let headers = request.headers.unwrap_or_default();
        if let Some(name) = headers
            .keys()
            .find(|name| FORBIDDEN_HEADERS.contains(&name.to_ascii_lowercase().as_str()))
        {
            return Err(refused(format!(
                "request.headers.{name} may not be set: the SDK adds the credential itself"
            )));
        }
        let client = ctx.http(base.clone())?;
        let verb = match method {
            ArbitraryRequestMethod::Get => Method::Get,
            ArbitraryRequestMethod::Post => Method::Post,
        };
        let mut call = client.link(verb, target.as_str());
        for (name, values) in request.query.unwrap_or_default() {
            for value in values {
                call = call.query_pair(&name, &value);
            }
        }
        for (name, value) in &headers {
            let header = Header::parse(name)
                .map_err(|_| refused(format!("request.headers.{name} is not a header name")))?;
            call = call.header(&header, value);
        }
        if let Some(body) = request.body {
            let content_type = headers
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case("content-type"))
                .map_or("application/json", |(_, value)| value.as_str())
                .to_owned();
            call = call.body(body.into_bytes(), &content_type);
        }
        let answer = call.send_any_status().await?;
        let body = String::from_utf8_lossy(answer.bytes());
        let headers: BTreeMap<String, String> = answer
            .header_pairs()
            .map(|(name, value)| (name, answer.scrub(&value)))
            .collect();
        let status = answer.status();
        Ok(ArbitraryResponse {
            ok: answer.is_success(),
            status_code: Some(i64::from(status)),
            content_type: headers.get("content-type").cloned(),
            error: (!answer.is_success()).then(|| format!("The app answered HTTP {status}")),
            retry_after_seconds: headers
                .get("retry-after")
                .and_then(|value| value.trim().parse::<f64>().ok())
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0),
            body: Some(answer.scrub(&body)),
            resolved_url: answer.url(),
            headers,
        })
    }
}

impl<C: Connector> Handler<C> for Fulfill<C::Settings> {
    type Spec = marker::FulfillArbitraryEndpoint;

    fn run<'a>(
        &'a self,
        _connector: &'a C,
        ctx: &'a Context<C::Settings>,
        request: FulfillArbitraryEndpoint,
    ) -> impl Future<Output = Result<ArbitraryResponse, ConnectorError>> + Send + 'a {
        Fulfill::run(self, ctx, request)
    }
}

impl<C: Connector> IntegrationBuilder<C> {
    /// Lets protocol 4's `fulfill_arbitrary_endpoint` make requests within `allow` (see
    /// [`AllowList`]): anything outside it is refused as `bad_request` before a request is
    /// made.
    #[must_use]
    pub fn arbitrary_endpoints(self, allow: AllowList<C::Settings>) -> Self {
        self.register(Fulfill { allow }, "connector_sdk.arbitrary".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list() -> AllowList<()> {
        AllowList::new(|_: &()| "https://app.example".to_owned())
            .get("/api/users/*")
            .get("/api/groups/**")
            .post("/api/search")
    }

    #[test]
    fn patterns_match_segments() {
        let allow = list();
        assert!(allow.allows(ArbitraryRequestMethod::Get, "/api/users/u-1"));
        assert!(!allow.allows(ArbitraryRequestMethod::Get, "/api/users/u-1/keys"));
        assert!(!allow.allows(ArbitraryRequestMethod::Get, "/api/users/"));
        assert!(allow.allows(ArbitraryRequestMethod::Get, "/api/groups/g/members"));
        assert!(!allow.allows(ArbitraryRequestMethod::Get, "/api/groups"));
        assert!(allow.allows(ArbitraryRequestMethod::Post, "/api/search"));
        assert!(!allow.allows(ArbitraryRequestMethod::Post, "/api/users/u-1"));
    }

    #[test]
    fn traversal_never_matches() {
        let allow = list();
        for path in [
            "/api/users/..",
            "/api/groups/../../admin",
            "/api/users/%2e%2e",
            "/api/users/a%2Fb",
            "/api/users/a\\b",
            "/api/groups/./x",
        ] {
            assert!(!allow.allows(ArbitraryRequestMethod::Get, path), "{path}");
        }
    }
}
