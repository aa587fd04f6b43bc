//! Cases: a request, the HTTP exchanges it causes, and the expected envelope.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// One answer of the mock app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MockResponse {
    /// HTTP status.
    pub status: u16,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub json: Option<Value>,
    /// A text body (used when `json` is absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
}

/// One HTTP route of the mock app: what it must receive and how it answers.
///
/// ```
/// use connector_testkit::HttpMock;
/// use serde_json::json;
///
/// // Two answers in sequence: a 429, then the page.
/// let mock = HttpMock::get("/api/users?limit=2")
///     .respond_json(429, json!({"error": "slow down"}))
///     .with_header("Retry-After", "0")
///     .then_json(200, json!({"users": []}));
/// assert_eq!(mock.calls(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HttpMock {
    /// HTTP method (`GET`, `POST`, …).
    pub method: String,
    /// Path, with the exact query string it must carry (`/users?limit=2`), if any.
    pub path: String,
    /// The JSON body it must receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_json: Option<Value>,
    /// The form fields (`application/x-www-form-urlencoded` body) it must receive, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_form: Option<Map<String, Value>>,
    /// Headers it must receive.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub headers: Map<String, Value>,
    /// Its answers, in order: answer n serves call n, the last one every call after.
    pub responses: Vec<MockResponse>,
    /// How many calls it must get; by default one per answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub times: Option<u64>,
}

impl HttpMock {
    /// A route for `method` and `path` (with its query, if it must have one).
    pub fn new(method: &str, path: &str) -> Self {
        Self {
            method: method.to_ascii_uppercase(),
            path: path.to_owned(),
            body_json: None,
            body_form: None,
            headers: Map::new(),
            responses: Vec::new(),
            times: None,
        }
    }

    /// A GET route.
    pub fn get(path: &str) -> Self {
        Self::new("GET", path)
    }

    /// A POST route.
    pub fn post(path: &str) -> Self {
        Self::new("POST", path)
    }

    /// A PUT route.
    pub fn put(path: &str) -> Self {
        Self::new("PUT", path)
    }

    /// A PATCH route.
    pub fn patch(path: &str) -> Self {
        Self::new("PATCH", path)
    }

    /// A DELETE route.
    pub fn delete(path: &str) -> Self {
        Self::new("DELETE", path)
    }

    /// Requires this JSON body.
    #[must_use]
    pub fn expect_body(mut self, body: Value) -> Self {
        self.body_json = Some(body);
        self
    }

    /// Requires these form fields (and no others) in a form-encoded body.
    #[must_use]
    pub fn expect_form(mut self, fields: &[(&str, &str)]) -> Self {
        self.body_form = Some(
            fields
                .iter()
                .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
                .collect(),
        );
        self
    }

    /// Requires this request header.
    #[must_use]
    pub fn expect_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .insert(name.to_ascii_lowercase(), Value::String(value.to_owned()));
        self
    }

    /// Answers with a status and a JSON body.
    #[must_use]
    pub fn respond_json(mut self, status: u16, body: Value) -> Self {
        self.responses = vec![MockResponse {
            status,
            json: Some(body),
            text: None,
            headers: Map::new(),
        }];
        self
    }

    /// Answers with a status and a text body.
    #[must_use]
    pub fn respond_text(mut self, status: u16, body: &str) -> Self {
        self.responses = vec![MockResponse {
            status,
            json: None,
            text: Some(body.to_owned()),
            headers: Map::new(),
        }];
        self
    }

    /// Then answers the next call with a status and a JSON body.
    #[must_use]
    pub fn then_json(mut self, status: u16, body: Value) -> Self {
        self.responses.push(MockResponse {
            status,
            json: Some(body),
            text: None,
            headers: Map::new(),
        });
        self
    }

    /// Adds a header to the latest answer.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        if let Some(last) = self.responses.last_mut() {
            last.headers
                .insert(name.to_owned(), Value::String(value.to_owned()));
        }
        self
    }

    /// Requires exactly `n` calls (by default one per answer).
    #[must_use]
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// How many calls the route must get.
    pub fn calls(&self) -> u64 {
        self.times.unwrap_or(self.responses.len().max(1) as u64)
    }
}

/// What a case must produce.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expect {
    /// This whole success envelope (`{"response":…,"raw_data":…,"page":…}`). `"{{any}}"`
    /// anywhere matches any value (an opaque page token, say).
    Envelope(Value),
    /// An error envelope with this code, and optionally a message fragment and HTTP status.
    Error {
        /// The wire error code.
        code: String,
        /// A fragment the message must contain.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        message_contains: Option<String>,
        /// The `status_code` it must carry.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        status_code: Option<u16>,
    },
}

/// One test case of a capability. Build it fluently or read it from a JSON fixture (the same
/// shape, serialized).
///
/// `"{{base_url}}"` anywhere in the request or the expectation is replaced by the mock app's URL.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Case {
    /// The capability, e.g. `list_accounts`.
    pub capability: String,
    /// The request envelope.
    #[serde(default = "empty_request")]
    pub request: Value,
    /// The HTTP calls the app must receive.
    #[serde(default)]
    pub mocks: Vec<HttpMock>,
    /// The expected outcome.
    pub expect: Expect,
}

fn empty_request() -> Value {
    json!({"request": {}})
}

impl Case {
    /// A case of `capability` with an empty payload, expecting `{"response": null}` until told
    /// otherwise.
    pub fn new(capability: &str) -> Self {
        Self {
            capability: capability.to_owned(),
            request: empty_request(),
            mocks: Vec::new(),
            expect: Expect::Envelope(json!({"response": null, "raw_data": null, "page": null})),
        }
    }

    /// Reads a case from a JSON fixture file (e.g. `tests/fixtures/list_accounts/first.json`).
    ///
    /// # Panics
    ///
    /// If the file cannot be read or is not a case: a broken fixture is a broken test.
    pub fn from_fixture(path: impl AsRef<std::path::Path>) -> Self {
        let path = path.as_ref();
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("cannot read the fixture {}: {e}", path.display()));
        serde_json::from_str(&text)
            .unwrap_or_else(|e| panic!("the fixture {} is not a case: {e}", path.display()))
    }

    fn set(mut self, key: &str, value: Value) -> Self {
        if let Value::Object(map) = &mut self.request {
            map.insert(key.to_owned(), value);
        }
        self
    }

    /// Sets the request payload.
    #[must_use]
    pub fn payload(self, payload: Value) -> Self {
        self.set("request", payload)
    }

    /// Sets `auth` as given.
    #[must_use]
    pub fn auth(self, auth: Value) -> Self {
        self.set("auth", auth)
    }

    /// Authenticates with a username and password.
    #[must_use]
    pub fn basic(self, username: &str, password: &str) -> Self {
        self.auth(json!({"basic": {"username": username, "password": password}}))
    }

    /// Authenticates with a static token.
    #[must_use]
    pub fn token(self, token: &str) -> Self {
        self.auth(json!({"token": {"token": token}}))
    }

    /// Authenticates with an OAuth access token.
    #[must_use]
    pub fn oauth(self, access_token: &str) -> Self {
        self.auth(json!({"oauth": {"access_token": access_token}}))
    }

    /// Sets the settings (the harness adds the mock app's URL under its base-URL key to an
    /// object, and leaves `null` or any other value alone: `.settings(Value::Null)` makes a
    /// "settings missing" case).
    #[must_use]
    pub fn settings(self, settings: Value) -> Self {
        self.set("settings", settings)
    }

    /// Asks for a page.
    #[must_use]
    pub fn page(self, token: Option<&str>, size: Option<u32>) -> Self {
        self.set("page", json!({"token": token, "size": size}))
    }

    /// Asks for `raw_data`.
    #[must_use]
    pub fn include_raw_data(self) -> Self {
        self.set("include_raw_data", Value::Bool(true))
    }

    /// Replaces the whole request envelope (for malformed-request cases).
    #[must_use]
    pub fn raw_request(mut self, request: Value) -> Self {
        self.request = request;
        self
    }

    /// Adds an HTTP route the app must serve.
    #[must_use]
    pub fn mock(mut self, mock: HttpMock) -> Self {
        self.mocks.push(mock);
        self
    }

    /// Expects this whole success envelope.
    #[must_use]
    pub fn expect_envelope(mut self, envelope: Value) -> Self {
        self.expect = Expect::Envelope(envelope);
        self
    }

    /// Expects this `response`, with `raw_data` and `page` null.
    #[must_use]
    pub fn expect_response(self, response: Value) -> Self {
        self.expect_envelope(json!({"response": response, "raw_data": null, "page": null}))
    }

    /// Expects these listing items and no next page.
    #[must_use]
    pub fn expect_items(self, items: Value) -> Self {
        self.expect_response(items)
    }

    /// Expects these listing items and a next page (any token, this size).
    #[must_use]
    pub fn expect_items_and_next_page(self, items: Value, size: Option<u32>) -> Self {
        self.expect_envelope(json!({"response": items, "raw_data": null, "page": {"token": "{{any}}", "size": size}}))
    }

    /// Expects an error envelope with this code.
    #[must_use]
    pub fn expect_error(mut self, code: &str) -> Self {
        self.expect = Expect::Error {
            code: code.to_owned(),
            message_contains: None,
            status_code: None,
        };
        self
    }

    /// Also requires the error message to contain `fragment`.
    #[must_use]
    pub fn with_message(mut self, fragment: &str) -> Self {
        if let Expect::Error {
            message_contains, ..
        } = &mut self.expect
        {
            *message_contains = Some(fragment.to_owned());
        }
        self
    }

    /// Also requires the error's `status_code`.
    #[must_use]
    pub fn with_status(mut self, status: u16) -> Self {
        if let Expect::Error { status_code, .. } = &mut self.expect {
            *status_code = Some(status);
        }
        self
    }
}
