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

/// What a write's answer says it did: each write capability's answer type knows its
/// [`Effect`] from its own fields (`created: false` is a no-op), so protocol 4's
/// `execution_summary` is filled from what the handler returned, never guessed.
pub(crate) trait WriteOutcome {
    /// Whether running the same request again changes nothing more.
    const IS_IDEMPOTENT: bool;

    /// What the write changed.
    fn effect(&self) -> Effect;
}

/// `then` when the flag is set, else a no-op because the app already matched.
fn done_or_noop(flag: bool, then: Effect) -> Effect {
    if flag {
        then
    } else {
        Effect::Noop {
            reason: NoopReason::StateAlreadyMatches,
        }
    }
}

macro_rules! outcomes {
    ($($Type:ident . $flag:ident => $effect:ident, idempotent $idempotent:literal;)+) => {
        $(
            impl WriteOutcome for super::$Type {
                const IS_IDEMPOTENT: bool = $idempotent;

                fn effect(&self) -> Effect {
                    done_or_noop(self.$flag, Effect::$effect)
                }
            }
        )+
    };
}

outcomes! {
    CreatedAccount.created => Created, idempotent true;
    DeletedAccount.deleted => Deleted, idempotent true;
    ActivatedAccount.activated => Updated, idempotent true;
    DeactivatedAccount.deactivated => Updated, idempotent true;
    AssignedEntitlement.assigned => Created, idempotent true;
    UnassignedEntitlement.unassigned => Deleted, idempotent true;
    AssignedApplication.assigned => Created, idempotent true;
    UnassignedApplication.unassigned => Deleted, idempotent true;
    AssignedApplicationEntitlement.assigned => Created, idempotent true;
    UnassignedApplicationEntitlement.unassigned => Deleted, idempotent true;
    TransferDataStatus.success => Updated, idempotent false;
    ReleaseResourcesStatus.success => Updated, idempotent true;
    DowngradedLicense.success => Updated, idempotent true;
}

impl WriteOutcome for super::UpdateableAccount {
    const IS_IDEMPOTENT: bool = false;

    fn effect(&self) -> Effect {
        done_or_noop(!self.changes.is_empty(), Effect::Updated)
    }
}

/// Protocol 4's `request_fingerprint` of a write's `request` payload: the payload without its
/// null fields (at every depth; empty lists stay), written with sorted keys, `,` and `:` and
/// non-ASCII escaped as `\uXXXX`, then the lowercase hex SHA-256 of that text.
///
/// ```
/// # use connector_sdk::wire::request_fingerprint;
/// let fingerprint = request_fingerprint(&serde_json::json!({"account_id": "u3", "note": null}));
/// assert_eq!(fingerprint, "62c20862c7cef7f90634ebe6ee73402f478ede80f2775c2784f1539bed5dff05");
/// ```
pub fn request_fingerprint(payload: &serde_json::Value) -> String {
    use sha2::Digest;
    let text = ascii_json(&without_nulls(payload));
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn without_nulls(value: &serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(&String, &Value)> =
                map.iter().filter(|(_, v)| !v.is_null()).collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), without_nulls(v)))
                    .collect(),
            )
        }
        Value::Array(items) => Value::Array(items.iter().map(without_nulls).collect()),
        other => other.clone(),
    }
}

/// Compact JSON (keys already sorted by [`without_nulls`]) with every non-ASCII character
/// escaped, UTF-16 surrogate pairs beyond the basic plane, as Python's `json.dumps` writes it.
fn ascii_json(value: &serde_json::Value) -> String {
    let compact = value.to_string();
    let mut out = String::with_capacity(compact.len());
    for c in compact.chars() {
        if c.is_ascii() {
            out.push(c);
        } else {
            let mut units = [0u16; 2];
            for unit in c.encode_utf16(&mut units) {
                out.push_str(&format!("\\u{unit:04x}"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fingerprints_as_protocol_4_computes_them() {
        assert_eq!(
            request_fingerprint(&json!({"id": "u2"})),
            "0002586206996dcb0f33c615a88c51f852e353a006c11b7b7e57678126e0abed"
        );
        assert_eq!(
            request_fingerprint(&json!({"entitlements": []})),
            "b119fcfd309aff86318858bb12202accbbfa90bbf72f3827effc3c080241352e"
        );
        assert_eq!(
            request_fingerprint(&json!({})),
            "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
        );
        assert_eq!(
            request_fingerprint(&json!({"email": "new@example.com"})),
            "787f8391b2d1d13f526c5b68cd8a1b08a1cb9e7eabe85a077b5efe9bd993abcd"
        );
    }

    #[test]
    fn escapes_like_python() {
        assert_eq!(
            ascii_json(&without_nulls(&json!({"b": "é", "a": "😀", "c": null}))),
            r#"{"a":"\ud83d\ude00","b":"\u00e9"}"#
        );
    }
}
