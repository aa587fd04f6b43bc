//! Protocol 4's `execution_summary`: what a write did, told by the connector.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Error;

/// What a write changed in the app.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Effect {
    /// Something was created.
    Created,
    /// Something was changed.
    Updated,
    /// Something was deleted.
    Deleted,
    /// Nothing changed.
    Noop {
        /// Why: `state_already_matches`.
        reason: NoopReason,
    },
}

/// Why a write changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoopReason {
    /// The app was already in the asked-for state.
    StateAlreadyMatches,
}

/// The success envelope's `execution_summary` (protocol 4): filled by connector code only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ExecutionSummary {
    /// What the call changed.
    pub effect: Effect,
    /// The SHA-256 of the request payload that identifies this write.
    pub request_fingerprint: String,
    /// Whether running it again changes nothing more.
    pub is_idempotent: bool,
    /// What happened, for a person.
    #[serde(default)]
    pub description: Option<String>,
    /// Errors the call met and recovered from.
    #[serde(default)]
    pub caught_errors: Option<Vec<Error>>,
}
