//! Helpers of the tests: an app with a client that speaks JSON.

use mock_app::{Config, MockApp};
use reqwest::{Method, StatusCode};
use serde_json::Value;

/// A running app and a client.
pub(crate) struct App {
    pub(crate) app: MockApp,
    pub(crate) client: reqwest::Client,
}

impl App {
    pub(crate) async fn start(config: Config) -> Self {
        Self {
            app: MockApp::start(config).await.unwrap(),
            client: http().build().unwrap(),
        }
    }

    /// Calls the API as `foo`/`bar`; returns the status and the JSON body (`null` if none).
    pub(crate) async fn call(
        &self,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut request = self
            .client
            .request(method, format!("{}{path}", self.app.url()))
            .basic_auth("foo", Some("bar"));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        let body = if bytes.is_empty() {
            Value::Null
        } else {
            serde_json::from_slice(&bytes).unwrap_or_else(|e| {
                panic!(
                    "{path}: not JSON ({e}): {}",
                    String::from_utf8_lossy(&bytes)
                )
            })
        };
        (status, body)
    }

    pub(crate) async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.call(Method::GET, path, None).await
    }
}

/// The message of an error body.
pub(crate) fn message(body: &Value) -> &str {
    body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("not an error body: {body}"))
}

/// A reqwest client builder for the tests' own calls to test servers. The workspace's reqwest
/// has no default TLS crypto provider (the SDK installs rustls' `ring` one when it builds its
/// client), so this installs it first.
pub(crate) fn http() -> reqwest::ClientBuilder {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder()
}
