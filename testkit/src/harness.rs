//! Running cases: a wiremock app per case, in-process dispatch, whole-envelope comparison.

use std::fmt::Write as _;

use connector_sdk::capability::Connector;
use connector_sdk::server::{HttpCall, ServeOptions, Server};
use connector_sdk::wire::ErrorCode;
use connector_sdk::{Integration, Protocol};
use serde_json::{Map, Value};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::case::{Case, Expect};
use crate::diff;
use crate::mock::HttpMock;

/// The body the catch-all route answers an undeclared call with.
pub const UNEXPECTED_BODY: &str = "connector-testkit: this request was not declared by the case";

/// Runs cases against one integration.
#[derive(Debug)]
pub struct Harness<C: Connector> {
    integration: std::sync::Arc<Integration<C>>,
    base_url_setting: Option<String>,
    through: Through,
    also_protocol_4: bool,
}

/// How a case reaches the connector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Through {
    /// In process, through [`Integration::dispatch`] (what the command line runs).
    #[default]
    Dispatch,
    /// Through the hosted mode's HTTP routes (`<exe> serve`), in process: the answer must be
    /// HTTP 200 with one compact JSON envelope.
    Server,
}

/// What running a case produced.
#[derive(Debug, Clone, PartialEq)]
pub struct CaseRun {
    /// The envelope the connector printed.
    pub envelope: Value,
    /// Calls that matched no declared route: `METHOD path?query body`.
    pub unexpected_calls: Vec<String>,
    /// Routes called another number of times than declared.
    pub unmet_routes: Vec<String>,
    /// The mock app's URL.
    pub base_url: String,
}

/// Matches requests to a declared route: method, path, exact query, headers, JSON body.
#[derive(Debug, Clone)]
struct Route(HttpMock);

fn query_pairs(query: &str) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect();
    pairs.sort();
    pairs
}

/// A query or form component decoded: `+` is a space, then `%XX` escapes.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

impl wiremock::Match for Route {
    fn matches(&self, request: &Request) -> bool {
        let mock = &self.0.matcher;
        let (path, query) = mock.path.split_once('?').unwrap_or((&mock.path, ""));
        request.method.as_str() == mock.method
            && request.url.path() == path
            && query_pairs(request.url.query().unwrap_or("")) == query_pairs(query)
            && mock.headers.iter().all(|(name, value)| {
                request
                    .headers
                    .get(name.as_str())
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| Some(v) == value.as_str())
            })
            && mock.body_json.as_ref().is_none_or(|expected| {
                serde_json::from_slice::<Value>(&request.body).is_ok_and(|body| &body == expected)
            })
            && mock.body_form.as_ref().is_none_or(|expected| {
                let mut wanted: Vec<(String, String)> = expected
                    .iter()
                    .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
                    .collect();
                wanted.sort();
                query_pairs(&String::from_utf8_lossy(&request.body)) == wanted
            })
    }
}

fn describe(request: &Request) -> String {
    let mut text = format!("{} {}", request.method, request.url.path());
    if let Some(query) = request.url.query() {
        let _ = write!(text, "?{query}");
    }
    if !request.body.is_empty() {
        let _ = write!(text, " body: {}", String::from_utf8_lossy(&request.body));
    }
    text
}

/// Replaces `{{base_url}}` in every string of `value`.
fn substitute(value: &mut Value, base_url: &str) {
    match value {
        Value::String(text) if text.contains("{{base_url}}") => {
            *text = text.replace("{{base_url}}", base_url);
        }
        Value::Array(items) => items.iter_mut().for_each(|v| substitute(v, base_url)),
        Value::Object(map) => map.values_mut().for_each(|v| substitute(v, base_url)),
        _ => {}
    }
}

impl<C: Connector> Harness<C> {
    /// A harness for `integration`.
    pub fn new(integration: Integration<C>) -> Self {
        Self {
            integration: std::sync::Arc::new(integration),
            base_url_setting: None,
            through: Through::Dispatch,
            also_protocol_4: false,
        }
    }

    /// Also runs every case in protocol 4 (on a fresh mock app) and requires the envelope to
    /// be a valid 4.x envelope: the capability's response model, or an error with one of 4.x's
    /// 22 codes and its `error_metadata`, keys in 4.x's order (see [`crate::protocol4`]). A
    /// case that succeeds in one protocol must succeed in the other.
    #[must_use]
    pub fn in_protocol_4_too(mut self) -> Self {
        self.also_protocol_4 = true;
        self
    }

    /// Runs every case through `through` (default [`Through::Dispatch`]). Case tables usually
    /// run both: `#[values(Through::Dispatch, Through::Server)] through: Through`.
    #[must_use]
    pub fn through(mut self, through: Through) -> Self {
        self.through = through;
        self
    }

    /// The settings key that holds the app's base URL; each case gets the mock app's URL there
    /// (unless the case gives that key itself, or settings that are not an object).
    ///
    /// # Panics
    ///
    /// If called twice.
    #[must_use]
    #[track_caller]
    pub fn base_url_setting(mut self, key: &str) -> Self {
        assert!(
            self.base_url_setting.is_none(),
            "Harness::base_url_setting is called twice (`{}`, then `{key}`)",
            self.base_url_setting.as_deref().unwrap_or_default()
        );
        self.base_url_setting = Some(key.to_owned());
        self
    }

    /// The integration under test.
    pub fn integration(&self) -> &Integration<C> {
        &self.integration
    }

    /// The envelope `serve` answers: HTTP 200, one compact JSON document, byte for byte what
    /// the command line prints for the same request (without its line break).
    async fn through_server(&self, case: &Case, request: &Value, protocol: Protocol) -> Value {
        let server = Server::new(
            std::sync::Arc::clone(&self.integration),
            ServeOptions {
                protocol: Some(protocol),
                ..ServeOptions::default()
            },
        );
        let path = format!("/{}", case.capability().as_str());
        let answer = server
            .handle(HttpCall::post(&path, request.to_string()))
            .await;
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        assert_eq!(
            answer.status, 200,
            "POST {path} answered {}: {text}",
            answer.status
        );
        let envelope: Value = serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("POST {path} did not answer JSON ({e}): {text}"));
        assert_eq!(
            envelope.to_string(),
            text,
            "POST {path} must answer one compact JSON envelope, as the command line prints it"
        );
        envelope
    }

    /// Runs a case and reports what happened, without judging it.
    pub async fn run(&self, case: &Case) -> CaseRun {
        self.run_in(case, case.chosen_protocol()).await
    }

    /// Runs a case in `protocol` (the case's or the integration's when `None`).
    async fn run_in(&self, case: &Case, protocol: Option<Protocol>) -> CaseRun {
        // A server of its own, not one of wiremock's pooled servers: the SDK keeps connections
        // to an app's origin alive across calls, and a pooled server reset between cases on
        // the same port would meet the previous case's idle connection.
        let server = MockServer::builder()
            .listener(fresh_origin_listener())
            .start()
            .await;
        let base_url = server.uri();
        for mock in case.mocks() {
            let last = mock.responses.len().saturating_sub(1);
            for (i, answer) in mock.responses.iter().enumerate() {
                let mut template = ResponseTemplate::new(answer.status);
                // Answers may name the mock app (a recorded `next` link, a `Location`).
                template = match (&answer.json, &answer.text) {
                    (Some(json), _) => {
                        let mut json = json.clone();
                        substitute(&mut json, &base_url);
                        template.set_body_json(json)
                    }
                    (None, Some(text)) => {
                        template.set_body_string(text.replace("{{base_url}}", &base_url))
                    }
                    (None, None) => template,
                };
                for (name, value) in &answer.headers {
                    let value = value
                        .as_str()
                        .unwrap_or_default()
                        .replace("{{base_url}}", &base_url);
                    template = template.insert_header(name.as_str(), value.as_str());
                }
                let route = Mock::given(Route(mock.clone()))
                    .respond_with(template)
                    .with_priority(u8::try_from(i + 1).expect("at most MAX_ANSWERS answers"));
                let route = if i < last {
                    route.up_to_n_times(1)
                } else {
                    route
                };
                route.mount(&server).await;
            }
        }
        Mock::given(wiremock::matchers::any())
            .respond_with(ResponseTemplate::new(500).set_body_string(UNEXPECTED_BODY))
            .with_priority(u8::MAX)
            .mount(&server)
            .await;

        let mut request = case.request().clone();
        substitute(&mut request, &base_url);
        if let (Some(key), Value::Object(envelope)) = (&self.base_url_setting, &mut request) {
            let settings = envelope
                .entry("settings")
                .or_insert_with(|| Value::Object(Map::new()));
            if let Value::Object(settings) = settings {
                settings
                    .entry(key.clone())
                    .or_insert_with(|| Value::String(base_url.clone()));
            }
        }
        let protocol = protocol.unwrap_or_else(|| self.integration.protocol());
        let envelope = match self.through {
            Through::Dispatch => self
                .integration
                .dispatch_as(protocol, case.capability().as_str(), &request.to_string())
                .await
                .to_value(),
            Through::Server => self.through_server(case, &request, protocol).await,
        };

        let received = server.received_requests().await.unwrap_or_default();
        let routes: Vec<Route> = case.mocks().iter().cloned().map(Route).collect();
        let unexpected_calls = received
            .iter()
            .filter(|r| {
                !routes
                    .iter()
                    .any(|route| wiremock::Match::matches(route, r))
            })
            .map(describe)
            .collect();
        let unmet_routes = routes
            .iter()
            .filter_map(|route| {
                let calls = received
                    .iter()
                    .filter(|r| wiremock::Match::matches(route, r))
                    .count() as u64;
                let expected = route.0.calls();
                (calls != expected).then(|| {
                    format!(
                        "{}: expected {expected} call(s), got {calls}",
                        route.0.route()
                    )
                })
            })
            .collect();
        CaseRun {
            envelope,
            unexpected_calls,
            unmet_routes,
            base_url,
        }
    }

    /// Runs a case and returns every way it failed (empty when it passed).
    pub async fn problems(&self, case: impl Into<Case>) -> Vec<String> {
        let case = case.into();
        let outcome = self.run(&case).await;
        let mut problems = Vec::new();
        let actual = &outcome.envelope;
        match case.expectation() {
            None => problems.push(
                "the case declares no expectation: end it with expect_envelope, \
                 expect_response, expect_items, expect_items_and_next_page or expect_error"
                    .to_owned(),
            ),
            Some(Expect::Envelope(expected)) => {
                let mut expected = expected.clone();
                substitute(&mut expected, &outcome.base_url);
                let speaks = case
                    .chosen_protocol()
                    .unwrap_or_else(|| self.integration.protocol());
                if speaks == Protocol::V4 {
                    added_in_4(&mut expected, actual);
                }
                if !diff::matches(&expected, actual) {
                    problems.push(format!(
                        "the envelope differs:\n{}",
                        diff::diff(&expected, &diff::mask(&expected, actual))
                    ));
                }
            }
            Some(Expect::Error {
                code,
                message_contains,
                status_code,
                app_error_code,
                metadata,
            }) => {
                if let Some(metadata) = metadata
                    && actual["error"]["error_metadata"] != *metadata
                {
                    problems.push(format!(
                        "expected error_metadata {metadata}, got {}",
                        actual["error"]["error_metadata"]
                    ));
                }
                let mut fragment = message_contains.clone().map(Value::String);
                if let Some(fragment) = &mut fragment {
                    substitute(fragment, &outcome.base_url);
                }
                let fragment = fragment.as_ref().and_then(Value::as_str);
                error_problems(
                    &mut problems,
                    actual,
                    *code,
                    fragment,
                    *status_code,
                    app_error_code.as_deref(),
                );
            }
        }
        for call in outcome.unexpected_calls {
            problems.push(format!(
                "unexpected HTTP call (declare it in the case): {call}"
            ));
        }
        problems.extend(outcome.unmet_routes);
        let primary = case
            .chosen_protocol()
            .unwrap_or_else(|| self.integration.protocol());
        if primary == Protocol::V4 {
            problems.extend(crate::protocol4::problems(case.capability(), actual));
        } else if self.also_protocol_4 {
            let again = self.run_in(&case, Some(Protocol::V4)).await;
            let capability = case.capability();
            problems.extend(
                crate::protocol4::problems(capability, &again.envelope)
                    .into_iter()
                    .map(|problem| format!("in protocol 4: {problem}")),
            );
            if again.envelope["is_error"] != actual["is_error"] {
                problems.push(format!(
                    "in protocol 4 the case {} where it {} in {primary}:\n{:#}",
                    if again.envelope["is_error"] == true {
                        "fails"
                    } else {
                        "succeeds"
                    },
                    if actual["is_error"] == true {
                        "fails"
                    } else {
                        "succeeds"
                    },
                    again.envelope
                ));
            }
        }
        problems
    }

    /// Runs a case and panics with a readable report if it fails.
    ///
    /// # Panics
    ///
    /// When the case fails: that is the test failing.
    pub async fn check(&self, case: impl Into<Case>) {
        let case = case.into();
        let capability = case.capability();
        let problems = self.problems(case).await;
        assert!(
            problems.is_empty(),
            "case `{capability}` failed:\n- {}",
            problems.join("\n- ")
        );
    }

    /// [`Self::check`] on a runtime of its own, for plain `#[test]`s.
    ///
    /// # Panics
    ///
    /// When the case fails, or no runtime can be started.
    pub fn check_blocking(&self, case: impl Into<Case>) {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("a tokio runtime")
            .block_on(self.check(case));
    }
}

/// An expectation written as 3.7.8 writes envelopes, read for protocol 4: the keys 4.x added
/// (`rate_limit` and `execution_summary` on the envelope, `resource_id` on an account, …) are
/// expected where the actual document has them as `null` and the expectation does not name
/// them. A key the expectation names is compared as written.
fn added_in_4(expected: &mut Value, actual: &Value) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in actual {
                match expected.get_mut(key) {
                    Some(inner) => added_in_4(inner, value),
                    None if value.is_null() => {
                        expected.insert(key.clone(), Value::Null);
                    }
                    None => {}
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) => {
            for (inner, value) in expected.iter_mut().zip(actual) {
                added_in_4(inner, value);
            }
        }
        _ => {}
    }
}

/// How an envelope falls short of an expected error.
fn error_problems(
    problems: &mut Vec<String>,
    actual: &Value,
    code: ErrorCode,
    fragment: Option<&str>,
    status_code: Option<u16>,
    app_error_code: Option<&str>,
) {
    if actual["is_error"] != Value::Bool(true) {
        let mut wanted = format!("a `{code}` error envelope");
        if let Some(fragment) = fragment {
            let _ = write!(wanted, " with a message containing {fragment:?}");
        }
        if let Some(status) = status_code {
            let _ = write!(wanted, " with status_code {status}");
        }
        if let Some(app_code) = app_error_code {
            let _ = write!(wanted, " with app_error_code {app_code:?}");
        }
        problems.push(format!(
            "expected {wanted}, got a success envelope:\n{actual:#}"
        ));
        return;
    }
    let error = &actual["error"];
    if error["error_code"] != code.as_str() {
        problems.push(format!(
            "expected error_code `{code}`, got {} ({})",
            error["error_code"], error["message"]
        ));
    }
    if let Some(fragment) = fragment
        && !error["message"]
            .as_str()
            .unwrap_or_default()
            .contains(fragment)
    {
        problems.push(format!(
            "expected the message to contain {fragment:?}, got {}",
            error["message"]
        ));
    }
    if let Some(status) = status_code
        && error["status_code"] != status
    {
        problems.push(format!(
            "expected status_code {status}, got {}",
            error["status_code"]
        ));
    }
    if let Some(app_code) = app_error_code
        && error["app_error_code"] != app_code
    {
        problems.push(format!(
            "expected app_error_code {app_code:?}, got {}",
            error["app_error_code"]
        ));
    }
}

/// A listener on an origin no other case of this process has used: a loopback address of its
/// own (127.1.0.1, 127.1.0.2, …). The SDK keeps what it learns about an origin for the
/// process (connections, rate-limit state); an ephemeral port the system hands out again
/// would give a later case an earlier case's origin, and with it that case's rate limits.
fn fresh_origin_listener() -> std::net::TcpListener {
    use std::net::{Ipv4Addr, TcpListener};
    use std::sync::atomic::{AtomicU32, Ordering};
    static NEXT: AtomicU32 = AtomicU32::new(0);
    loop {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        // 127.1.0.0 – 127.254.255.255, skipping .0 and .255 last octets.
        let host = 0x7F01_0000u32.wrapping_add(n % 0x00FE_0000);
        if matches!(host & 0xFF, 0 | 0xFF) {
            continue;
        }
        match TcpListener::bind((Ipv4Addr::from(host), 0)) {
            Ok(listener) => return listener,
            // A system that only answers on 127.0.0.1: a fresh port there.
            Err(_) => {
                return TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                    .expect("the mock app could not bind a loopback port");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_bodies_match_as_field_sets() {
        let route = Route(
            HttpMock::post("/token")
                .expect_form(&[("grant_type", "x y"), ("a", "1")])
                .respond_text(200, ""),
        );
        let request = |body: &[u8]| Request {
            url: "http://h/token".parse().unwrap(),
            method: wiremock::http::Method::POST,
            headers: wiremock::http::HeaderMap::new(),
            body: body.to_vec(),
        };
        assert!(wiremock::Match::matches(
            &route,
            &request(b"a=1&grant_type=x+y")
        ));
        assert!(!wiremock::Match::matches(
            &route,
            &request(b"a=1&grant_type=x+y&b=2")
        ));
        assert!(!wiremock::Match::matches(
            &route,
            &request(b"a=2&grant_type=x+y")
        ));
    }

    #[test]
    fn queries_compare_as_decoded_sets() {
        assert_eq!(query_pairs("b=2&a=x%20y"), query_pairs("a=x+y&b=2"));
        assert_ne!(query_pairs("a=1"), query_pairs("a=1&b=2"));
    }
}
