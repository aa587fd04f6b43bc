//! Protocol 4's `rate_limit` objects: what the platform knows of the app's limits when it asks
//! (`RateLimitRequestInfo`), and what the connector learned while it ran (`RateLimitResponseInfo`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::macros::wire_enum;

wire_enum! {
    /// How the connector's limiter treats a call (`rate_limit.caller_override_mode`).
    pub enum RateLimitMode {
        /// Pace requests to the limit and retry throttled ones.
        Enforce = "enforce",
        /// Do not pace; retry throttled requests.
        RetryOnly = "retry_only",
        /// No limiter at all.
        Bypass = "bypass",
        /// Pace requests, but never retry.
        EnforceNoRetry = "enforce_no_retry",
    }
}

wire_enum! {
    /// Where a limiter's state came from.
    pub enum RateLimitStateSource {
        /// The app's rate-limit headers.
        ApiHeaders = "api_headers",
        /// The connector's own count of its requests.
        SdkCounter = "sdk_counter",
    }
}

/// One limiter's state: what is left of the app's budget and when it resets.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RateLimitStateSnapshot {
    /// Requests left in the window.
    #[serde(default)]
    pub remaining: Option<i64>,
    /// Requests allowed per window.
    #[serde(default)]
    pub limit: Option<i64>,
    /// When the window resets, in Unix seconds.
    #[serde(default)]
    pub reset: Option<i64>,
    /// The window's length in seconds.
    #[serde(default)]
    pub window_seconds: Option<i64>,
    /// The back-off in force, in whole seconds.
    #[serde(default)]
    pub current_delay: Option<i64>,
    /// Where the numbers came from.
    #[serde(default)]
    pub source: Option<RateLimitStateSource>,
}

/// The request envelope's `rate_limit` (protocol 4): every field optional, types strict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RateLimitRequestInfo {
    /// The caller's choice of mode, over the connector's.
    #[serde(default)]
    pub caller_override_mode: Option<RateLimitMode>,
    /// The call's time budget in seconds.
    #[serde(default)]
    pub max_execution_time: Option<i64>,
    /// The state each limiter had at the end of the previous call, by limiter id.
    #[serde(default)]
    pub last_known_state: Option<BTreeMap<String, RateLimitStateSnapshot>>,
    /// How many times the caller has retried this call.
    #[serde(default)]
    pub caller_retry_attempt: Option<i64>,
}

/// The success envelope's `rate_limit` (protocol 4): each limiter's state at the end of the call.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RateLimitResponseInfo {
    /// The state of each limiter the call used, by limiter id.
    #[serde(default)]
    pub current_state: Option<BTreeMap<String, RateLimitStateSnapshot>>,
}
