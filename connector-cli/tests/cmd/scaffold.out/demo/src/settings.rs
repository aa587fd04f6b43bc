//! The connector's settings: what it needs to know about the app besides the credential.

use schemars::JsonSchema;
use serde::Deserialize;

// PLACEHOLDER: add what the real app needs (a tenant, a region…). The doc comments are the
// descriptions `info` publishes for the platform's form. A `connector_sdk::wire::Secret` field
// is shown as a password and redacted from errors.

/// Where the app lives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct DemoConnectorSettings {
    /// Base URL of the app's API, e.g. `https://api.example.com/v1`.
    pub base_url: String,
}

impl DemoConnectorSettings {
    /// `base_url` with a scheme (`https://` when it has none) and without a trailing slash.
    pub fn base_url(&self) -> String {
        let url = self.base_url.trim().trim_end_matches('/');
        if url.contains("://") {
            url.to_owned()
        } else {
            format!("https://{url}")
        }
    }
}
