//! The mock connector's settings.

use schemars::JsonSchema;
use serde::Deserialize;

/// Where the mock app lives.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct MockSettings {
    /// Host (or base URL) of the mock app.
    pub host: String,
}
