//! Cases: a request, the HTTP exchanges it causes, and the expected envelope.

use connector_sdk::Protocol;
use connector_sdk::record::Recording;
use connector_sdk::wire::{CapabilityName, ErrorCode};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::mock::HttpMock;

/// What a case must produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub(crate) enum Expect {
    /// This whole success envelope (`{"response":…,"raw_data":…,"page":…}`). `"{{any}}"`
    /// anywhere matches any value (an opaque page token, say).
    Envelope(Value),
    /// An error envelope with this code, and optionally a message fragment, HTTP status and
    /// app error code.
    Error {
        /// The wire error code.
        code: ErrorCode,
        /// A fragment the message must contain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_contains: Option<String>,
        /// The `status_code` it must carry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_code: Option<u16>,
        /// The `app_error_code` it must carry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        app_error_code: Option<String>,
        /// The whole `error_metadata` it must carry (protocol 4).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metadata: Option<Value>,
    },
}

/// One test case of a capability: the request, the HTTP calls the app must receive with their
/// answers, and the envelope it must produce. Build it fluently or read it from a JSON fixture
/// (the same shape, serialized).
///
/// `"{{base_url}}"` anywhere in the request or the expectation is replaced by the mock app's URL.
///
/// Every part is set once: a setter called a second time (two payloads, two expectations, a
/// [`Self::raw_request`] after a payload) panics at the call, naming the capability and the
/// setter, instead of silently replacing what the case said before. A case without an
/// expectation fails when it runs.
///
/// ```
/// use connector_sdk::wire::{CapabilityName, ErrorCode};
/// use connector_testkit::{Case, HttpMock};
/// use serde_json::json;
///
/// let case: Case = Case::new(CapabilityName::ListAccounts)
///     .token("t0k")
///     .mock(HttpMock::get("/users").respond_json(404, json!({"message": "no such org"})))
///     .expect_error(ErrorCode::NotFound)
///     .status(404)
///     .message("no such org")
///     .into();
/// assert_eq!(case.capability(), CapabilityName::ListAccounts);
/// ```
///
/// Only an error expectation has a message or a status:
///
/// ```compile_fail
/// use connector_sdk::wire::CapabilityName;
/// use connector_testkit::Case;
///
/// let case = Case::new(CapabilityName::ListAccounts).expect_items(serde_json::json!([])).status(404);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(from = "RawCase")]
pub struct Case {
    capability: CapabilityName,
    request: Value,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    mocks: Vec<HttpMock>,
    #[serde(skip_serializing_if = "Option::is_none")]
    expect: Option<Expect>,
    /// Whether the payload (`request.request`) was given.
    #[serde(skip)]
    payload_set: bool,
    /// Whether [`Case::raw_request`] replaced the whole envelope.
    #[serde(skip)]
    raw: bool,
    /// The protocol version the case speaks (the integration's when unset).
    #[serde(skip)]
    protocol: Option<Protocol>,
}

/// [`Case`] as a fixture spells it: the expectation is required.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    capability: CapabilityName,
    #[serde(default)]
    request: Option<Value>,
    #[serde(default)]
    mocks: Vec<HttpMock>,
    expect: Expect,
}

impl From<RawCase> for Case {
    fn from(raw: RawCase) -> Self {
        let request = raw.request.unwrap_or_else(empty_request);
        Self {
            capability: raw.capability,
            payload_set: request.get("request").is_some(),
            raw: !request.is_object(),
            request,
            mocks: raw.mocks,
            expect: Some(raw.expect),
            protocol: None,
        }
    }
}

/// A credential of the recorded kind; the recording kept none, and its routes do not check one.
fn placeholder_auth(kind: &str) -> Value {
    const PLACEHOLDER: &str = "[REDACTED]";
    match kind {
        "basic" => json!({"basic": {"username": "recorded-user", "password": PLACEHOLDER}}),
        "token" => json!({"token": {"token": PLACEHOLDER}}),
        "oauth" => json!({"oauth": {"access_token": PLACEHOLDER}}),
        other => json!({other: {"access_token": PLACEHOLDER, "client_id": "recorded-client",
                                "client_secret": PLACEHOLDER}}),
    }
}

fn empty_request() -> Value {
    json!({"request": {}})
}

impl Case {
    /// A case of `capability` with an empty payload and no expectation yet.
    pub fn new(capability: CapabilityName) -> Self {
        Self {
            capability,
            request: empty_request(),
            mocks: Vec::new(),
            expect: None,
            payload_set: false,
            raw: false,
            protocol: None,
        }
    }

    /// Reads a case from a JSON fixture file (e.g. `tests/fixtures/list_accounts/first.json`).
    ///
    /// # Panics
    ///
    /// If the file cannot be read or is not a case (an unknown capability or error code, an
    /// unknown field, a route without an answer, no `expect`): a broken fixture is a broken
    /// test.
    pub fn from_fixture(path: impl AsRef<std::path::Path>) -> Self {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the fixture {}: {e}", path.display()));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the fixture {} is not a case: {e}", path.display()))
    }

    /// Replays a recording (`<connector> <capability> --record DIR …`, see
    /// [`connector_sdk::record`]): the recorded request (with a placeholder credential of the
    /// recorded kind), every recorded exchange as a route of the mock app (method, path and
    /// query, JSON or form body; a route called several times answers in the recorded order),
    /// and the recorded envelope as the expectation. A relative path is read from the current
    /// directory, which is the package's root under `cargo test`.
    ///
    /// ```ignore
    /// #[case::recorded_first_page(Case::from_recording("tests/recordings/list_accounts-1.json"))]
    /// ```
    ///
    /// # Panics
    ///
    /// If the file cannot be read or is not a recording: a broken fixture is a broken test.
    pub fn from_recording(path: impl AsRef<std::path::Path>) -> Self {
        let path = path.as_ref();
        let recording = Recording::load(path)
            .unwrap_or_else(|e| panic!("the recording {} cannot be read: {e}", path.display()));
        Self::replay(&recording)
    }

    /// [`Self::from_recording`] on a recording already read (to change it first, say).
    ///
    /// ```
    /// use connector_sdk::record::Recording;
    /// use connector_testkit::Case;
    ///
    /// let recording: Recording = serde_json::from_value(serde_json::json!({
    ///     "format": "connector-sdk/recording/1",
    ///     "capability": "validate_credentials",
    ///     "auth_kind": "basic",
    ///     "request": {"request": {}, "settings": {"host": "{{base_url}}"}},
    ///     "exchanges": [{"method": "GET", "path": "/api/me", "status": 200,
    ///                    "response_json": {"tenant_id": "t-1"}}],
    ///     "envelope": {"response": {"valid": true, "unique_tenant_id": "t-1"},
    ///                  "raw_data": null, "page": null},
    /// })).unwrap();
    /// let case = Case::replay(&recording);
    /// assert_eq!(case.capability().as_str(), "validate_credentials");
    /// ```
    ///
    /// # Panics
    ///
    /// If one route was called more often than a route can answer
    /// (`MAX_ANSWERS`, 254 times).
    pub fn replay(recording: &Recording) -> Self {
        let mut request = recording.request.clone();
        if let (Value::Object(map), Some(kind)) = (&mut request, recording.auth_kind.as_deref()) {
            map.insert("auth".to_owned(), placeholder_auth(kind));
        }
        let mut mocks: Vec<HttpMock> = Vec::new();
        for exchange in &recording.exchanges {
            let mock = HttpMock::replaying(exchange);
            match mocks.iter_mut().find(|m| m.matcher == mock.matcher) {
                Some(route) => route.responses.extend(mock.responses),
                None => mocks.push(mock),
            }
        }
        for mock in &mocks {
            assert!(
                mock.responses.len() <= crate::mock::MAX_ANSWERS,
                "the recording calls {} {} times; a route answers at most {} times",
                mock.route(),
                mock.responses.len(),
                crate::mock::MAX_ANSWERS
            );
        }
        Self {
            capability: recording.capability,
            payload_set: request.get("request").is_some(),
            raw: !request.is_object(),
            request,
            mocks,
            expect: Some(Expect::Envelope(recording.envelope.clone())),
            protocol: None,
        }
    }

    /// The capability the case runs.
    pub fn capability(&self) -> CapabilityName {
        self.capability
    }

    /// Speaks `protocol` (the integration's own by default): the case's request is answered,
    /// and its expectation read, in that version.
    ///
    /// ```
    /// use connector_sdk::Protocol;
    /// use connector_sdk::wire::{CapabilityName, ErrorCode};
    /// use connector_testkit::Case;
    ///
    /// let case = Case::new(CapabilityName::ListAccounts)
    ///     .protocol(Protocol::V4)
    ///     .expect_error(ErrorCode::BadRequest)
    ///     .message("Missing auth/credentials in request")
    ///     .metadata(serde_json::json!({"fault": "caller", "category": "client", "hint": null,
    ///         "retryable": false, "throttled": false, "refreshable": false,
    ///         "retry_after_seconds": null}));
    /// # let _ = connector_testkit::Case::from(case);
    /// ```
    #[must_use]
    pub fn protocol(mut self, protocol: Protocol) -> Self {
        self.protocol = Some(protocol);
        self
    }

    /// The protocol the case speaks, when it chose one; a capability protocol 4 added speaks 4
    /// unless told otherwise.
    pub fn chosen_protocol(&self) -> Option<Protocol> {
        self.protocol
            .or_else(|| (self.capability.since() == Protocol::V4).then_some(Protocol::V4))
    }

    pub(crate) fn request(&self) -> &Value {
        &self.request
    }

    pub(crate) fn mocks(&self) -> &[HttpMock] {
        &self.mocks
    }

    pub(crate) fn expectation(&self) -> Option<&Expect> {
        self.expect.as_ref()
    }

    #[track_caller]
    fn set(mut self, key: &str, setter: &str, value: Value) -> Self {
        let capability = self.capability;
        assert!(
            !self.raw,
            "case `{capability}`: {setter} is called after raw_request, which gave the whole \
             envelope; put `{key}` in it"
        );
        let already = if key == "request" {
            std::mem::replace(&mut self.payload_set, true)
        } else {
            self.request.get(key).is_some()
        };
        assert!(
            !already,
            "case `{capability}`: {setter} sets `{key}`, which the case already set"
        );
        if let Value::Object(map) = &mut self.request {
            map.insert(key.to_owned(), value);
        }
        self
    }

    /// Sets the request payload.
    ///
    /// # Panics
    ///
    /// If the payload is already set.
    #[must_use]
    #[track_caller]
    pub fn payload(self, payload: Value) -> Self {
        self.set("request", "payload", payload)
    }

    /// Sets `auth` as given.
    ///
    /// # Panics
    ///
    /// If `auth` is already set (by this or [`Self::basic`], [`Self::token`], [`Self::oauth`]).
    #[must_use]
    #[track_caller]
    pub fn auth(self, auth: Value) -> Self {
        self.set("auth", "auth", auth)
    }

    /// Authenticates with a username and password.
    ///
    /// # Panics
    ///
    /// If `auth` is already set.
    #[must_use]
    #[track_caller]
    pub fn basic(self, username: &str, password: &str) -> Self {
        self.set(
            "auth",
            "basic",
            json!({"basic": {"username": username, "password": password}}),
        )
    }

    /// Authenticates with a static token.
    ///
    /// # Panics
    ///
    /// If `auth` is already set.
    #[must_use]
    #[track_caller]
    pub fn token(self, token: &str) -> Self {
        self.set("auth", "token", json!({"token": {"token": token}}))
    }

    /// Authenticates with an OAuth access token.
    ///
    /// # Panics
    ///
    /// If `auth` is already set.
    #[must_use]
    #[track_caller]
    pub fn oauth(self, access_token: &str) -> Self {
        self.set(
            "auth",
            "oauth",
            json!({"oauth": {"access_token": access_token}}),
        )
    }

    /// Sets the settings (the harness adds the mock app's URL under its base-URL key to an
    /// object, and leaves `null` or any other value alone: `.settings(Value::Null)` makes a
    /// "settings missing" case).
    ///
    /// # Panics
    ///
    /// If the settings are already set.
    #[must_use]
    #[track_caller]
    pub fn settings(self, settings: Value) -> Self {
        self.set("settings", "settings", settings)
    }

    /// Asks for a page.
    ///
    /// # Panics
    ///
    /// If the page is already set.
    #[must_use]
    #[track_caller]
    pub fn page(self, token: Option<&str>, size: Option<u32>) -> Self {
        self.set("page", "page", json!({"token": token, "size": size}))
    }

    /// Asks for `raw_data`.
    ///
    /// # Panics
    ///
    /// If already asked.
    #[must_use]
    #[track_caller]
    pub fn include_raw_data(self) -> Self {
        self.set("include_raw_data", "include_raw_data", Value::Bool(true))
    }

    /// Replaces the whole request envelope (for malformed-request cases), which may be any
    /// JSON value.
    ///
    /// # Panics
    ///
    /// If any part of the request is already set, or it was already replaced: the envelope
    /// given here is all the connector receives.
    #[must_use]
    #[track_caller]
    pub fn raw_request(mut self, request: Value) -> Self {
        assert!(
            !self.raw && !self.payload_set && self.request == empty_request(),
            "case `{}`: raw_request replaces the whole envelope, but the case already set a \
             part of it; give everything in the raw request",
            self.capability
        );
        self.request = request;
        self.raw = true;
        self
    }

    /// Adds an HTTP route the app must serve (one that answers: see [`HttpMock`]).
    ///
    /// # Panics
    ///
    /// If the case already has a route that matches the same calls: give a route several
    /// answers with [`HttpMock::then_json`] instead.
    #[must_use]
    #[track_caller]
    pub fn mock(mut self, mock: HttpMock) -> Self {
        assert!(
            !self.mocks.iter().any(|m| m.matcher == mock.matcher),
            "case `{}`: the route {} is declared twice; give one route several answers with \
             then_json/then_text",
            self.capability,
            mock.route()
        );
        self.mocks.push(mock);
        self
    }

    #[track_caller]
    fn expect(mut self, expect: Expect) -> Self {
        assert!(
            self.expect.is_none(),
            "case `{}`: the case already has an expectation; a case has exactly one",
            self.capability
        );
        self.expect = Some(expect);
        self
    }

    /// Expects this whole success envelope.
    ///
    /// # Panics
    ///
    /// If the case already has an expectation.
    #[must_use]
    #[track_caller]
    pub fn expect_envelope(self, envelope: Value) -> Self {
        self.expect(Expect::Envelope(envelope))
    }

    /// Expects this `response`, with `raw_data` and `page` null.
    ///
    /// # Panics
    ///
    /// If the case already has an expectation.
    #[must_use]
    #[track_caller]
    pub fn expect_response(self, response: Value) -> Self {
        self.expect_envelope(json!({"response": response, "raw_data": null, "page": null}))
    }

    /// Expects these listing items and no next page.
    ///
    /// # Panics
    ///
    /// If the case already has an expectation.
    #[must_use]
    #[track_caller]
    pub fn expect_items(self, items: Value) -> Self {
        self.expect_response(items)
    }

    /// Expects these listing items and a next page (any token, this size).
    ///
    /// # Panics
    ///
    /// If the case already has an expectation.
    #[must_use]
    #[track_caller]
    pub fn expect_items_and_next_page(self, items: Value, size: Option<u32>) -> Self {
        self.expect_envelope(json!({"response": items, "raw_data": null, "page": {"token": "{{any}}", "size": size}}))
    }

    /// Expects an error envelope with this code; the [`ExpectError`] it returns can also
    /// require a message fragment, a status and an app error code.
    ///
    /// # Panics
    ///
    /// If the case already has an expectation.
    #[track_caller]
    pub fn expect_error(self, code: ErrorCode) -> ExpectError {
        assert!(
            self.expect.is_none(),
            "case `{}`: the case already has an expectation; a case has exactly one",
            self.capability
        );
        ExpectError {
            case: self,
            code,
            message_contains: None,
            status_code: None,
            app_error_code: None,
            metadata: None,
        }
    }
}

/// A case that expects an error envelope: [`Case::expect_error`]. Require more of the error
/// here, then hand it to the harness (it is `Into<Case>`).
#[derive(Debug, Clone, PartialEq)]
#[must_use = "an expectation does nothing until the harness checks it"]
pub struct ExpectError {
    case: Case,
    code: ErrorCode,
    message_contains: Option<String>,
    status_code: Option<u16>,
    app_error_code: Option<String>,
    metadata: Option<Value>,
}

impl ExpectError {
    /// Also requires the error's whole `error_metadata` (protocol 4): fault, category, hint,
    /// retryable, throttled, refreshable, retry_after_seconds.
    ///
    /// # Panics
    ///
    /// If metadata is already required.
    #[track_caller]
    pub fn metadata(mut self, metadata: Value) -> Self {
        assert!(
            self.metadata.is_none(),
            "case `{}`: metadata(…) is called twice",
            self.case.capability
        );
        self.metadata = Some(metadata);
        self
    }

    /// Also requires the error message to contain `fragment` (`{{base_url}}` is replaced by
    /// the mock app's URL).
    ///
    /// # Panics
    ///
    /// If a message fragment is already required.
    #[track_caller]
    pub fn message(mut self, fragment: &str) -> Self {
        assert!(
            self.message_contains.is_none(),
            "case `{}`: message(…) is called twice",
            self.case.capability
        );
        self.message_contains = Some(fragment.to_owned());
        self
    }

    /// Also requires the error's `status_code`.
    ///
    /// # Panics
    ///
    /// If a status is already required.
    #[track_caller]
    pub fn status(mut self, status: u16) -> Self {
        assert!(
            self.status_code.is_none(),
            "case `{}`: status(…) is called twice",
            self.case.capability
        );
        self.status_code = Some(status);
        self
    }

    /// Also requires the error's `app_error_code`.
    ///
    /// # Panics
    ///
    /// If an app error code is already required.
    #[track_caller]
    pub fn app_error_code(mut self, code: &str) -> Self {
        assert!(
            self.app_error_code.is_none(),
            "case `{}`: app_error_code(…) is called twice",
            self.case.capability
        );
        self.app_error_code = Some(code.to_owned());
        self
    }
}

impl From<ExpectError> for Case {
    fn from(error: ExpectError) -> Self {
        let mut case = error.case;
        case.expect = Some(Expect::Error {
            code: error.code,
            message_contains: error.message_contains,
            status_code: error.status_code,
            app_error_code: error.app_error_code,
            metadata: error.metadata,
        });
        case
    }
}
