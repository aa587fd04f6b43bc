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
