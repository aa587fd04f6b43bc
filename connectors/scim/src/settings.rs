//! The connector's settings: where the SCIM server is and what to read from it.

use schemars::JsonSchema;
use serde::Deserialize;

/// Where the SCIM server lives, and which extra attributes to read.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct ScimConnectorSettings {
    /// The SCIM root, e.g. `https://app.example.com/scim/v2` (without `/Users`).
    pub base_url: String,
    /// The largest page asked of the server (default 500; servers may cap it lower).
    #[serde(default)]
    pub max_page_size: Option<u32>,
    /// User attributes to report as custom attributes, by their SCIM path, e.g.
    /// `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department` or `title`.
    #[serde(default)]
    pub custom_attributes: Vec<String>,
}

impl ScimConnectorSettings {
    /// `base_url` with a scheme (`https://` when it has none) and without a trailing slash.
    pub fn base_url(&self) -> String {
        let url = self.base_url.trim().trim_end_matches('/');
        if url.contains("://") {
            url.to_owned()
        } else {
            format!("https://{url}")
        }
    }

    /// The largest page to ask for.
    pub fn max_page_size(&self) -> u32 {
        self.max_page_size.unwrap_or(500).clamp(1, 1000)
    }
}
