//! Routes of the mock app: what a route must receive, then how it answers.
//!
//! [`HttpMock::get`] and its siblings start an [`HttpMockBuilder`], which holds only what the
//! route must receive; [`HttpMockBuilder::respond_json`] or [`HttpMockBuilder::respond_text`]
//! turn it into an [`HttpMock`], which alone offers what belongs to answers (`with_header`,
//! `then_json`, `times`). A route without an answer cannot be added to a case, and an answer's
//! header cannot be set before there is an answer.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// The most answers a route can have: each is mounted at its own wiremock priority (1–254).
pub(crate) const MAX_ANSWERS: usize = 254;

/// One answer of the mock app.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct MockResponse {
    /// HTTP status.
    pub(crate) status: u16,
    /// A JSON body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) json: Option<Value>,
    /// A text body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) text: Option<String>,
    /// Response headers.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) headers: Map<String, Value>,
}

impl MockResponse {
    fn json(status: u16, body: Value) -> Self {
        Self {
            status,
            json: Some(body),
            text: None,
            headers: Map::new(),
        }
    }

    fn text(status: u16, body: &str) -> Self {
        Self {
            status,
            json: None,
            text: Some(body.to_owned()),
            headers: Map::new(),
        }
    }
}

/// The fields of a form body, decoded.
fn url_form(text: &str) -> Vec<(String, String)> {
    text.split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| {
                percent_encoding::percent_decode_str(&t.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (decode(key), decode(value))
        })
        .collect()
}

/// What a route must receive: method, path and query, headers, body.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Matcher {
    /// HTTP method (`GET`, `POST`, …).
    pub(crate) method: String,
    /// Path, with the exact query string it must carry (`/users?limit=2`), if any.
    pub(crate) path: String,
    /// The JSON body it must receive.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body_json: Option<Value>,
    /// The form fields (`application/x-www-form-urlencoded` body) it must receive, in any order.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) body_form: Option<Map<String, Value>>,
    /// Headers it must receive (names in lower case).
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub(crate) headers: Map<String, Value>,
}

/// A route of the mock app that does not answer yet: say what it must receive, then how it
/// answers ([`Self::respond_json`], [`Self::respond_text`]) to get an [`HttpMock`].
#[derive(Debug, Clone, PartialEq)]
#[must_use = "a route is added to a case only once it answers: call `respond_json` or `respond_text`"]
pub struct HttpMockBuilder {
    matcher: Matcher,
}

impl HttpMockBuilder {
    /// Requires this JSON body.
    ///
    /// # Panics
    ///
    /// If the route already requires a body (JSON or form).
    pub fn expect_body(mut self, body: Value) -> Self {
        self.assert_no_body("expect_body");
        self.matcher.body_json = Some(body);
        self
    }

    /// Requires these form fields (and no others) in a form-encoded body.
    ///
    /// # Panics
    ///
    /// If the route already requires a body (JSON or form), or a field is named twice.
    pub fn expect_form(mut self, fields: &[(&str, &str)]) -> Self {
        self.assert_no_body("expect_form");
        let mut form = Map::new();
        for (name, value) in fields {
            let previous = form.insert((*name).to_owned(), Value::String((*value).to_owned()));
            assert!(
                previous.is_none(),
                "{}: expect_form names the field `{name}` twice",
                self.route()
            );
        }
        self.matcher.body_form = Some(form);
        self
    }

    /// Requires this request header (its name in any case).
    ///
    /// # Panics
    ///
    /// If the route already requires this header.
    pub fn expect_header(mut self, name: &str, value: &str) -> Self {
        let previous = self
            .matcher
            .headers
            .insert(name.to_ascii_lowercase(), Value::String(value.to_owned()));
        assert!(
            previous.is_none(),
            "{}: expect_header(\"{name}\", …) is called twice; a route requires one value per header",
            self.route()
        );
        self
    }

    /// Answers with a status and a JSON body.
    pub fn respond_json(self, status: u16, body: Value) -> HttpMock {
        HttpMock::answering(self.matcher, MockResponse::json(status, body))
    }

    /// Answers with a status and a text body.
    pub fn respond_text(self, status: u16, body: &str) -> HttpMock {
        HttpMock::answering(self.matcher, MockResponse::text(status, body))
    }

    fn route(&self) -> String {
        format!("{} {}", self.matcher.method, self.matcher.path)
    }

    fn assert_no_body(&self, call: &str) {
        assert!(
            self.matcher.body_json.is_none() && self.matcher.body_form.is_none(),
            "{}: {call} is called, but the route already requires a body",
            self.route()
        );
    }
}

/// One HTTP route of the mock app: what it must receive and how it answers.
///
/// Start one with [`HttpMock::get`] (or [`HttpMock::post`], … [`HttpMock::new`]), say what it
/// must receive, then how it answers:
///
/// ```
/// use connector_testkit::HttpMock;
/// use serde_json::json;
///
/// // Two answers in sequence: a 429, then the page.
/// let mock = HttpMock::get("/api/users?limit=2")
///     .expect_header("authorization", "Bearer t0k")
///     .respond_json(429, json!({"error": "slow down"}))
///     .with_header("Retry-After", "0")
///     .then_json(200, json!({"users": []}));
/// assert_eq!(mock.calls(), 2);
/// ```
///
/// Headers of an answer can only be set once there is an answer:
///
/// ```compile_fail
/// use connector_testkit::HttpMock;
///
/// let mock = HttpMock::get("/api/users").with_header("Retry-After", "0");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "RawHttpMock")]
pub struct HttpMock {
    #[serde(flatten)]
    pub(crate) matcher: Matcher,
    /// Its answers, in order: answer n serves call n, the last one every call after.
    pub(crate) responses: Vec<MockResponse>,
    /// How many calls it must get; by default one per answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) times: Option<u64>,
}

/// [`HttpMock`] as a fixture spells it, checked by `TryFrom`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHttpMock {
    method: String,
    path: String,
    #[serde(default)]
    body_json: Option<Value>,
    #[serde(default)]
    body_form: Option<Map<String, Value>>,
    #[serde(default)]
    headers: Map<String, Value>,
    responses: Vec<MockResponse>,
    #[serde(default)]
    times: Option<u64>,
}

impl TryFrom<RawHttpMock> for HttpMock {
    type Error = String;

    fn try_from(raw: RawHttpMock) -> Result<Self, String> {
        let route = format!("{} {}", raw.method, raw.path);
        if !raw.path.starts_with('/') {
            return Err(format!("{route}: the path must start with `/`"));
        }
        if raw.body_json.is_some() && raw.body_form.is_some() {
            return Err(format!(
                "{route}: a route requires `body_json` or `body_form`, not both"
            ));
        }
        if raw.responses.len() > MAX_ANSWERS {
            return Err(format!(
                "{route}: a route has at most {MAX_ANSWERS} answers"
            ));
        }
        if raw.responses.is_empty() {
            return Err(format!(
                "{route}: `responses` is empty; a route must answer"
            ));
        }
        for answer in &raw.responses {
            if answer.json.is_some() && answer.text.is_some() {
                return Err(format!("{route}: an answer has `json` or `text`, not both"));
            }
        }
        for (name, value) in raw.headers.iter().chain(raw.body_form.iter().flatten()) {
            if !value.is_string() {
                return Err(format!("{route}: `{name}` must be a string, not {value}"));
            }
        }
        for (name, value) in raw.responses.iter().flat_map(|r| &r.headers) {
            if !value.is_string() {
                return Err(format!(
                    "{route}: the answer header `{name}` must be a string, not {value}"
                ));
            }
        }
        if let Some(times) = raw.times
            && times < raw.responses.len() as u64
        {
            return Err(format!(
                "{route}: `times` is {times}, fewer than its {} answers",
                raw.responses.len()
            ));
        }
        Ok(Self {
            matcher: Matcher {
                method: raw.method.to_ascii_uppercase(),
                path: raw.path,
                body_json: raw.body_json,
                body_form: raw.body_form,
                headers: raw
                    .headers
                    .into_iter()
                    .map(|(k, v)| (k.to_ascii_lowercase(), v))
                    .collect(),
            },
            responses: raw.responses,
            times: raw.times,
        })
    }
}

impl HttpMock {
    /// A route for `method` and `path` (with its query, if it must have one).
    ///
    /// # Panics
    ///
    /// If `path` does not start with `/`.
    #[expect(
        clippy::new_ret_no_self,
        reason = "wiremock's shape: a route builder first, an `HttpMock` once it answers"
    )]
    pub fn new(method: &str, path: &str) -> HttpMockBuilder {
        assert!(
            path.starts_with('/'),
            "HttpMock::new({method:?}, {path:?}): the path must start with `/`"
        );
        HttpMockBuilder {
            matcher: Matcher {
                method: method.to_ascii_uppercase(),
                path: path.to_owned(),
                body_json: None,
                body_form: None,
                headers: Map::new(),
            },
        }
    }

    /// A GET route.
    pub fn get(path: &str) -> HttpMockBuilder {
        Self::new("GET", path)
    }

    /// A POST route.
    pub fn post(path: &str) -> HttpMockBuilder {
        Self::new("POST", path)
    }

    /// A PUT route.
    pub fn put(path: &str) -> HttpMockBuilder {
        Self::new("PUT", path)
    }

    /// A PATCH route.
    pub fn patch(path: &str) -> HttpMockBuilder {
        Self::new("PATCH", path)
    }

    /// A DELETE route.
    pub fn delete(path: &str) -> HttpMockBuilder {
        Self::new("DELETE", path)
    }

    /// A route that receives what the recorded exchange sent and answers what it got.
    pub(crate) fn replaying(exchange: &connector_sdk::record::Exchange) -> Self {
        let form = exchange
            .request_headers
            .get("content-type")
            .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
        let body_form = exchange.request_text.as_ref().filter(|_| form).map(|text| {
            url_form(text)
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect::<Map<String, Value>>()
        });
        let headers = exchange
            .response_headers
            .iter()
            .map(|(name, value)| (name.clone(), Value::String(value.clone())))
            .collect();
        Self {
            matcher: Matcher {
                method: exchange.method.to_ascii_uppercase(),
                path: exchange.path.clone(),
                body_json: exchange.request_json.clone(),
                body_form,
                headers: Map::new(),
            },
            responses: vec![MockResponse {
                status: exchange.status,
                json: exchange.response_json.clone(),
                text: exchange.response_text.clone(),
                headers,
            }],
            times: None,
        }
    }

    fn answering(matcher: Matcher, answer: MockResponse) -> Self {
        Self {
            matcher,
            responses: vec![answer],
            times: None,
        }
    }

    /// Then answers the next call with a status and a JSON body.
    ///
    /// # Panics
    ///
    /// If [`Self::times`] was already given and is less than the answers would be.
    #[must_use]
    pub fn then_json(self, status: u16, body: Value) -> Self {
        self.then(MockResponse::json(status, body))
    }

    /// Then answers the next call with a status and a text body.
    ///
    /// # Panics
    ///
    /// If [`Self::times`] was already given and is less than the answers would be.
    #[must_use]
    pub fn then_text(self, status: u16, body: &str) -> Self {
        self.then(MockResponse::text(status, body))
    }

    fn then(mut self, answer: MockResponse) -> Self {
        assert!(
            self.responses.len() < MAX_ANSWERS,
            "{}: a route has at most {MAX_ANSWERS} answers",
            self.route()
        );
        self.responses.push(answer);
        if let Some(times) = self.times {
            self.assert_answers_fit(times);
        }
        self
    }

    /// Adds a header to the latest answer.
    ///
    /// # Panics
    ///
    /// If the latest answer already has this header.
    #[must_use]
    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        let route = self.route();
        let answer = self
            .responses
            .last_mut()
            .expect("an HttpMock has at least one answer");
        let taken = answer
            .headers
            .keys()
            .any(|existing| existing.eq_ignore_ascii_case(name));
        assert!(
            !taken,
            "{route}: with_header(\"{name}\", …) is called twice on the same answer"
        );
        answer
            .headers
            .insert(name.to_owned(), Value::String(value.to_owned()));
        self
    }

    /// Requires exactly `n` calls (by default one per answer); the last answer serves every
    /// call after the others.
    ///
    /// # Panics
    ///
    /// If called twice, or if `n` is less than the answers declared (some would never be
    /// served).
    #[must_use]
    pub fn times(mut self, n: u64) -> Self {
        assert!(
            self.times.is_none(),
            "{}: times(…) is called twice",
            self.route()
        );
        self.assert_answers_fit(n);
        self.times = Some(n);
        self
    }

    fn assert_answers_fit(&self, times: u64) {
        assert!(
            times >= self.responses.len() as u64,
            "{}: times({times}) is less than its {} answers; the rest would never be served",
            self.route(),
            self.responses.len()
        );
    }

    /// How many calls the route must get.
    pub fn calls(&self) -> u64 {
        self.times.unwrap_or(self.responses.len() as u64)
    }

    /// The route's method and path, as reports name it: `GET /users?limit=2`.
    pub fn route(&self) -> String {
        format!("{} {}", self.matcher.method, self.matcher.path)
    }
}
