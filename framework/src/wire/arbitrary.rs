//! Payloads of `fulfill_arbitrary_endpoint`: one HTTP request to the app on the platform's behalf, within the connector's allow-list (protocol 4).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::wire_enum;

/// The request of `fulfill_arbitrary_endpoint`: one HTTP request to the app, made by the SDK within the connector's allow-list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FulfillArbitraryEndpoint {
    /// Address.
    pub url: String,
    /// HTTP method.
    #[serde(default)]
    pub method: Option<ArbitraryRequestMethod>,
    /// The body, as text.
    #[serde(default)]
    pub body: Option<String>,
    /// Query parameters, each with its values.
    #[serde(default)]
    pub query: Option<BTreeMap<String, Vec<String>>>,
    /// HTTP headers.
    #[serde(default)]
    pub headers: Option<BTreeMap<String, String>>,
}

/// The answer of `fulfill_arbitrary_endpoint`: the app's answer, verbatim.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ArbitraryResponse {
    /// Whether the app answered with a success status.
    pub ok: bool,
    /// The HTTP status the app answered.
    #[serde(default)]
    pub status_code: Option<i64>,
    /// HTTP headers.
    pub headers: BTreeMap<String, String>,
    /// The body, as text.
    #[serde(default)]
    pub body: Option<String>,
    /// The content type the app answered.
    #[serde(default)]
    pub content_type: Option<String>,
    /// What went wrong, if anything did.
    #[serde(default)]
    pub error: Option<String>,
    /// How long the app asked to wait before retrying.
    #[serde(default)]
    pub retry_after_seconds: Option<f64>,
    /// The address the request went to.
    pub resolved_url: String,
}

wire_enum! {
    /// The methods `fulfill_arbitrary_endpoint` may use.
    pub enum ArbitraryRequestMethod {
        #[doc = "`GET`"]
        Get = "GET",
        #[doc = "`POST`"]
        Post = "POST",
    }
}
