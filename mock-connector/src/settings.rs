//! The mock connector's settings.

use connector_sdk::wire::Secret;
use schemars::JsonSchema;
use serde::Deserialize;

/// Where the mock app lives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct MockSettings {
    /// Host (or base URL) of the mock app.
    pub host: String,
    /// An API key the app may ask for, sent as `X-Api-Key`.
    #[serde(default)]
    pub api_key: Option<Secret>,
}

impl MockSettings {
    /// `host` as a base URL: `https://` is assumed without a scheme, no trailing slash.
    pub fn base_url(&self) -> String {
        let host = self.host.trim().trim_end_matches('/');
        if host.contains("://") {
            host.to_owned()
        } else {
            format!("https://{host}")
        }
    }
}
