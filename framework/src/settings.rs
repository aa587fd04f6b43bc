//! Connector settings: the typed configuration every request carries.
//!
//! A settings type is any `Deserialize + JsonSchema` struct. Fields can carry form hints that
//! `info` reports as `x-field_type`, so a platform renders them as password inputs, hidden
//! inputs or text areas:
//!
//! - a [`Secret`](crate::wire::Secret) field is reported as `SECRET` automatically, and its
//!   value is redacted from every error message;
//! - `#[schemars(extend("x-field_type" = "HIDDEN"))]` marks a field hidden;
//! - `#[schemars(extend("x-field_type" = "MULTI_LINES"))]` marks a field multi-line.
//!
//! ```
//! use connector_sdk::wire::Secret;
//!
//! #[derive(serde::Deserialize, schemars::JsonSchema)]
//! struct Settings {
//!     /// Base URL of the app's API.
//!     host: String,
//!     /// A key the app issued.
//!     api_key: Secret,
//!     /// PEM bundle of extra CAs.
//!     #[schemars(extend("x-field_type" = "MULTI_LINES"))]
//!     #[serde(default)]
//!     ca_bundle: Option<String>,
//! }
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// The settings of a connector that needs none: `{}`.
///
/// ```
/// use connector_sdk::EmptySettings;
///
/// let s: EmptySettings = serde_json::from_str(r#"{"anything":1}"#).unwrap();
/// assert_eq!(s, EmptySettings {});
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EmptySettings {}

/// The `x-field_type` values a settings field can carry.
pub mod field_type {
    /// A secret: rendered as a password input, redacted from messages.
    pub const SECRET: &str = "SECRET";
    /// Not shown in forms.
    pub const HIDDEN: &str = "HIDDEN";
    /// Rendered as a text area.
    pub const MULTI_LINES: &str = "MULTI_LINES";
}
