//! `validate_credential_config` (protocol 4), run by the SDK for a connector that accepts
//! several credentials: one credential, checked on its own against what the connector
//! declares, as 4.x checks it. A refusal of the credential's identity (no id, an unknown id, a
//! payload of another kind) is an error envelope; a credential of the right kind whose fields
//! are wrong is `valid: false` with the reasons.

use std::future::Future;

use serde_json::Value;

use super::{AuthKind, IntegrationBuilder};
use crate::capability::{Connector, Handler, marker};
use crate::wire::{ErrorCode, ValidateCredentialConfig, ValidatedCredentialConfig};
use crate::{ConnectorError, Context};

/// The SDK's handler: the declared credentials, by id.
pub(super) struct CheckCredential {
    pub(super) declared: Vec<(String, AuthKind)>,
}

/// Every string of a credential payload with its key, depth first.
fn strings<'v>(value: &'v Value, key: &'v str, out: &mut Vec<(&'v str, &'v str)>) {
    match value {
        Value::String(text) => out.push((key, text)),
        Value::Object(map) => map.iter().for_each(|(k, v)| strings(v, k, out)),
        Value::Array(items) => items.iter().for_each(|v| strings(v, key, out)),
        _ => {}
    }
}

impl CheckCredential {
    fn check(
        &self,
        request: ValidateCredentialConfig,
    ) -> Result<ValidatedCredentialConfig, ConnectorError> {
        let credential = serde_json::to_value(&request.credential).map_err(|e| {
            ConnectorError::internal_error(format!("The credential does not serialize: {e}"))
        })?;
        let Some(id) = request.credential.id.as_deref() else {
            return Err(ConnectorError::new(
                ErrorCode::IntegrationMissingParameter,
                "Received credential without an ID",
            ));
        };
        let Some((_, kind)) = self.declared.iter().find(|(declared, _)| declared == id) else {
            return Err(ConnectorError::new(
                ErrorCode::InvalidValue,
                format!("Missing credential configuration for ID {id}"),
            ));
        };
        if *kind == AuthKind::Empty {
            // Nothing to fill in, so nothing to check.
            return Ok(ValidatedCredentialConfig {
                valid: true,
                validation_errors: Some(Vec::new()),
            });
        }
        let payload = match credential.get(kind.field()) {
            Some(payload @ Value::Object(_)) => payload,
            _ => {
                return Err(ConnectorError::new(
                    ErrorCode::InvalidValue,
                    "Invalid or malformed credential received",
                ));
            }
        };
        let mut fields = Vec::new();
        strings(payload, "", &mut fields);
        let mut errors = Vec::new();
        if fields.iter().all(|(_, text)| text.is_empty()) {
            errors.push("Credential is missing required fields".to_owned());
        } else if fields.iter().any(|(_, text)| text.is_empty()) {
            errors.push(
                "A required field is empty, please provide a value before submitting again"
                    .to_owned(),
            );
        }
        if fields
            .iter()
            .filter(|(key, _)| !key.contains("private_key"))
            .any(|(_, text)| text.trim() != *text)
        {
            errors.push(
                "Credential has extra whitespace, please remove it before submitting it again"
                    .to_owned(),
            );
        }
        Ok(ValidatedCredentialConfig {
            valid: errors.is_empty(),
            validation_errors: Some(errors),
        })
    }
}

impl<C: Connector> Handler<C> for CheckCredential {
    type Spec = marker::ValidateCredentialConfig;

    fn run<'a>(
        &'a self,
        _connector: &'a C,
        _ctx: &'a Context<C::Settings>,
        request: ValidateCredentialConfig,
    ) -> impl Future<Output = Result<ValidatedCredentialConfig, ConnectorError>> + Send + 'a {
        std::future::ready(self.check(request))
    }
}

impl<C: Connector> IntegrationBuilder<C> {
    /// Registers the SDK's `validate_credential_config` when the connector is multi-credential
    /// and has none of its own (4.x registers it in multi-credential mode).
    pub(super) fn with_credential_check(self) -> Self {
        if !self.integration.is_multi_credential()
            || self.has(crate::wire::CapabilityName::ValidateCredentialConfig)
        {
            return self;
        }
        let declared = self
            .integration
            .declared_credentials()
            .into_iter()
            .map(|declared| (declared.id, declared.kind))
            .collect();
        self.register(
            CheckCredential { declared },
            "connector.oai.modules.credentials_module".to_owned(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{AuthCredential, BasicCredential};

    fn check(credential: AuthCredential) -> Result<ValidatedCredentialConfig, ConnectorError> {
        CheckCredential {
            declared: vec![
                ("basic".to_owned(), AuthKind::Basic),
                ("oauth".to_owned(), AuthKind::OAuth),
            ],
        }
        .check(ValidateCredentialConfig { credential })
    }

    fn basic(id: Option<&str>, username: &str, password: &str) -> AuthCredential {
        AuthCredential {
            id: id.map(str::to_owned),
            basic: Some(BasicCredential {
                username: username.to_owned(),
                password: password.into(),
            }),
            ..Default::default()
        }
    }

    #[test]
    fn identity_problems_are_errors() {
        let no_id = check(basic(None, "u", "p")).unwrap_err();
        assert_eq!(no_id.code(), ErrorCode::IntegrationMissingParameter);
        let unknown = check(basic(Some("zzz"), "u", "p")).unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "Missing credential configuration for ID zzz"
        );
        let wrong_kind = check(basic(Some("oauth"), "u", "p")).unwrap_err();
        assert_eq!(wrong_kind.code(), ErrorCode::InvalidValue);
    }

    #[test]
    fn field_problems_are_reasons() {
        let ok = check(basic(Some("basic"), "u", "p")).unwrap();
        assert!(ok.valid);
        let blank = check(basic(Some("basic"), "u", "")).unwrap();
        assert!(!blank.valid);
        assert_eq!(
            blank.validation_errors.unwrap(),
            ["A required field is empty, please provide a value before submitting again"]
        );
        let spaced = check(basic(Some("basic"), " u", "p")).unwrap();
        assert_eq!(
            spaced.validation_errors.unwrap(),
            ["Credential has extra whitespace, please remove it before submitting it again"]
        );
        let empty = check(basic(Some("basic"), "", "")).unwrap();
        assert_eq!(
            empty.validation_errors.unwrap(),
            ["Credential is missing required fields"]
        );
    }
}
