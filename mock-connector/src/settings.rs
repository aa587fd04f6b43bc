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
    /// The app's documented rate limit, RPS[/BURST] (e.g. 20/10), for apps without headers.
    #[serde(default)]
    pub rate_limit: Option<String>,
}

impl MockSettings {
    /// The declared rate limit: `RPS[/BURST]`, whole requests a second.
    pub fn declared_rate_limit(&self) -> Result<Option<(u32, Option<u32>)>, String> {
        let Some(text) = self.rate_limit.as_deref().map(str::trim) else {
            return Ok(None);
        };
        let (rate, burst) = match text.split_once('/') {
            Some((rate, burst)) => (rate, Some(burst)),
            None => (text, None),
        };
        let whole = |part: &str| part.trim().parse::<u32>().ok().filter(|n| *n > 0);
        let problem =
            || format!("settings.rate_limit: `{text}` is not RPS[/BURST] in whole requests");
        let rate = whole(rate).ok_or_else(problem)?;
        let burst = match burst {
            Some(burst) => Some(whole(burst).ok_or_else(problem)?),
            None => None,
        };
        Ok(Some((rate, burst)))
    }

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
