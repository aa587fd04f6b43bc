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

/// A settings field hidden from forms: `#[schemars(transform = Hidden)]` reports it as
/// `x-field_type: HIDDEN` (and, in protocol 4, `x-hidden: true`).
///
/// ```
/// use connector_sdk::settings::{Hidden, MultiLine, Semantic};
///
/// #[derive(serde::Deserialize, schemars::JsonSchema)]
/// struct Settings {
///     #[schemars(transform = Semantic::TenantId)]
///     account_id: String,
///     #[schemars(transform = Hidden)]
///     #[serde(default)]
///     internal_flag: Option<String>,
///     #[schemars(transform = MultiLine)]
///     #[serde(default)]
///     notes: Option<String>,
/// }
///
/// let schema = schemars::schema_for!(Settings).to_value();
/// assert_eq!(schema["properties"]["account_id"]["x-semantic"], "tenant-id");
/// assert_eq!(schema["properties"]["internal_flag"]["x-field_type"], "HIDDEN");
/// assert_eq!(schema["properties"]["notes"]["x-field_type"], "MULTI_LINES");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hidden;

/// A settings field rendered as a text area: `#[schemars(transform = MultiLine)]` reports it
/// as `x-field_type: MULTI_LINES` (and, in protocol 4, `x-multiline: true`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MultiLine;

impl schemars::transform::Transform for Hidden {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        schema.insert("x-field_type".into(), field_type::HIDDEN.into());
    }
}

impl schemars::transform::Transform for MultiLine {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        schema.insert("x-field_type".into(), field_type::MULTI_LINES.into());
    }
}

macro_rules! semantics {
    ($($(#[$doc:meta])* $Name:ident = $wire:literal,)+) => {
        /// What a settings or payload field means to the platform (`x-semantic`), declared with
        /// `#[schemars(transform = Semantic::TenantId)]`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum Semantic {
            $($(#[$doc])* $Name,)+
        }

        impl Semantic {
            /// The value of `x-semantic`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Self::$Name => $wire,)+
                }
            }
        }
    };
}

semantics! {
    /// An account's id.
    AccountId = "account-id",
    /// An auxiliary account's id.
    AuxiliaryAccountId = "auxiliary-account-id",
    /// A non-human account's id.
    NonHumanAccountId = "non-human-account-id",
    /// A credential's id.
    CredentialId = "credential-id",
    /// An application's id.
    ApplicationId = "application-id",
    /// An application instance's id.
    ApplicationInstanceId = "application-instance-id",
    /// An AWS external id.
    AwsExternalId = "aws-external-id",
    /// An AWS role ARN.
    AwsRoleArn = "aws-role-arn",
    /// An entitlement's id.
    EntitlementId = "entitlement-id",
    /// An entitlement type.
    EntitlementType = "entitlement-type",
    /// A resource's id.
    ResourceId = "resource-id",
    /// A resource type.
    ResourceType = "resource-type",
    /// A password.
    Password = "password",
    /// A key pair.
    KeyPair = "key-pair",
    /// Custom attributes.
    CustomAttributes = "custom-attributes",
    /// A service account's client id.
    ServiceAccountClientId = "service-account-client-id",
    /// An enum mapping.
    EnumMapping = "enum-mapping",
    /// The tenant's id.
    TenantId = "tenant-id",
}

impl schemars::transform::Transform for Semantic {
    fn transform(&mut self, schema: &mut schemars::Schema) {
        schema.insert("x-semantic".into(), self.as_str().into());
    }
}
