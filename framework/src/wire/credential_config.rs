//! Payloads of `validate_credential_config`: one credential of a multi-credential connection, checked on its own (protocol 4).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::AuthCredential;

/// The request of `validate_credential_config`: one credential to check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidateCredentialConfig {
    /// The credential.
    pub credential: AuthCredential,
}

/// The answer of `validate_credential_config`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ValidatedCredentialConfig {
    /// Whether it is valid.
    pub valid: bool,
    /// What is wrong with the credential, when it is not valid.
    #[serde(default)]
    pub validation_errors: Option<Vec<String>>,
}
