//! Record and replay: what one capability call said to the app and heard back, scrubbed of
//! credentials and personal data, as a fixture a test can replay.
//!
//! With `--record DIR` on any capability (or the environment variable [`RECORD_ENV`]), the
//! command line runs the call as usual and, once it is over, writes `DIR/<capability>-<n>.json`:
//! a [`Recording`] of every HTTP exchange the SDK's client made (method, path and query, the
//! request's headers and body, status, the response headers that matter, response body), the
//! request (without `auth`) and the envelope printed. The call's output and exit code do not
//! change; a recording that cannot be written is a warning on stderr.
//!
//! Before anything is written:
//! - every credential of the request is removed, in every form the redaction layer knows (raw,
//!   base64, Basic `user:pass`, percent- and form-encoded, JSON-escaped, URL userinfo), and
//!   credential headers are replaced by `[REDACTED]`;
//! - personal data is replaced by consistent fakes (`user-0001@example.com`, `Person 0001`,
//!   `user0001`, …), found by field name (`email`, `given_name`, `username`, `phone`, …, and
//!   the fields of [`RecordOptions::personal_fields`]) and by shape (emails, `+` phone
//!   numbers); a value found once is replaced wherever it appears: in ids, paths, queries,
//!   headers, bodies and the envelope. `DIR/personal-data-map.json` keeps the mapping for
//!   every call recorded into `DIR` — by salted SHA-256 of the real value, never the value;
//! - the app's origin becomes `{{base_url}}`, which the testkit replaces by its mock app.
//!
//! Each recording carries a report of what was scrubbed, by field; the command line prints a
//! summary on stderr. `connector_testkit::Case::from_recording` replays a recording.

mod file;
mod personal;
mod scrub;
mod session;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::wire::CapabilityName;

pub(crate) use file::{Call, write};
pub(crate) use session::{RawExchange, Session};

/// The environment variable that records every capability call into a directory, like
/// `--record DIR`.
pub const RECORD_ENV: &str = "CONNECTOR_RECORD";

/// The `format` of the recordings this SDK writes.
pub const FORMAT: &str = "connector-sdk/recording/1";

/// One recorded capability call: the request, every HTTP exchange, the envelope.
///
/// ```
/// use connector_sdk::record::Recording;
///
/// let recording: Recording = serde_json::from_value(serde_json::json!({
///     "format": "connector-sdk/recording/1",
///     "capability": "validate_credentials",
///     "auth_kind": "basic",
///     "request": {"request": {}, "settings": {"host": "{{base_url}}"}},
///     "exchanges": [{"method": "GET", "path": "/api/me", "status": 200,
///                    "response_json": {"tenant_id": "t-1"}}],
///     "envelope": {"response": {"valid": true, "unique_tenant_id": "t-1"},
///                  "raw_data": null, "page": null},
/// }))
/// .unwrap();
/// assert_eq!(recording.exchanges[0].path, "/api/me");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recording {
    /// [`FORMAT`].
    pub format: String,
    /// The capability called.
    pub capability: CapabilityName,
    /// The kind of credential the call had (`basic`, `token`, `oauth`,
    /// `oauth_client_credentials`), without its values.
    #[serde(default)]
    pub auth_kind: Option<String>,
    /// The request document without `auth`, scrubbed; the app's origin is `{{base_url}}`.
    pub request: Value,
    /// The HTTP exchanges, in the order they happened (retries included).
    #[serde(default)]
    pub exchanges: Vec<Exchange>,
    /// The envelope the connector printed, scrubbed.
    pub envelope: Value,
    /// What was scrubbed.
    #[serde(default)]
    pub scrubbed: ScrubReport,
}

impl Recording {
    /// Reads a recording from a file.
    ///
    /// # Errors
    ///
    /// When the file cannot be read or is not a recording of a known capability.
    pub fn load(path: impl AsRef<std::path::Path>) -> std::io::Result<Self> {
        let text = std::fs::read_to_string(path)?;
        serde_json::from_str(&text)
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))
    }
}

/// One HTTP exchange: what the connector sent, what the app answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Exchange {
    /// `GET`, `POST`, …
    pub method: String,
    /// The path below the app's origin, with the query string as sent.
    pub path: String,
    /// The headers the connector set (names in lower case; credentials as `[REDACTED]`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub request_headers: BTreeMap<String, String>,
    /// The request body, when it was JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_json: Option<Value>,
    /// The request body, when it was something else (a form, text).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_text: Option<String>,
    /// The answer's status.
    pub status: u16,
    /// The answer's headers that matter to a connector: content type, links, paging and
    /// rate-limit headers, location, etag, retry-after.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub response_headers: BTreeMap<String, String>,
    /// The answer's body, when it was JSON.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_json: Option<Value>,
    /// The answer's body, when it was something else (and not empty).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub response_text: Option<String>,
}

/// What was scrubbed from a recording.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScrubReport {
    /// How many credential values (or credential headers) were replaced by `[REDACTED]`.
    pub credentials: u64,
    /// Personal data, by the field (or shape: `email (shape)`) it was found by.
    pub personal: BTreeMap<String, FieldReport>,
}

/// Personal data found by one field.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct FieldReport {
    /// What the fakes look like: `email`, `name`, `username`, `phone`, `personal`, `id`.
    pub kind: String,
    /// How many distinct real values it held.
    pub values: u64,
}

/// How a connector's calls are recorded: which fields besides the usual ones hold personal
/// data, and whether ids are replaced too.
///
/// ```
/// use connector_sdk::record::RecordOptions;
///
/// let options = RecordOptions::default().personal_fields(&["manager_note"]).map_ids(true);
/// assert_eq!(options.extra_personal_fields(), ["manager_note"]);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordOptions {
    personal_fields: Vec<String>,
    map_ids: bool,
}

impl RecordOptions {
    /// Also treats these JSON fields (any depth, any of `snake_case`, `camelCase`, `kebab-case`)
    /// as personal data.
    #[must_use]
    pub fn personal_fields(mut self, fields: &[&str]) -> Self {
        self.personal_fields
            .extend(fields.iter().map(|f| (*f).to_owned()));
        self
    }

    /// Replaces the ids of people by consistent fakes `id-0001` too, wherever they appear
    /// (default: ids are kept, so a recording still reads like the app). A person's id is the
    /// `id` (or `integration_specific_id`) of an object with a personal field, or a field
    /// named for people: `user_id`, `accountId`, `member_ids`, `account_integration_specific_id`.
    /// Ids of groups, roles and entitlements are kept.
    #[must_use]
    pub fn map_ids(mut self, map: bool) -> Self {
        self.map_ids = map;
        self
    }

    /// The fields given to [`Self::personal_fields`].
    pub fn extra_personal_fields(&self) -> &[String] {
        &self.personal_fields
    }

    /// Whether ids are replaced.
    pub fn maps_ids(&self) -> bool {
        self.map_ids
    }
}
