//! The cryptography of protocol 4's credential kinds, done by the SDK through well-kept crates.
//!
//! - `jwt`: [`sign_jwt`] signs the declared headers and claims with the credential's secret
//!   (HS256, RS256, ES256, … as the `alg` header says), with a fresh `iat`/`exp` each call; the
//!   SDK's HTTP client sends the result as a bearer token.
//! - `key_pair`: [`KeyPair`] parses an OpenSSH private key and signs with it (SSHSIG).
//! - `service_account`: [`Context::service_account_token`](crate::Context::service_account_token)
//!   exchanges the account's JSON key for an access token (the JWT-bearer grant of RFC 7523).
//! - `oauth1`: the SDK's HTTP client signs every request (RFC 5849, [`OAuth1Signature`]).
//! - `empty`: nothing to do.
//!
//! Which fields of a credential are secret is known in one place, the redaction layer:
//! [`SecretForms`] is its view for tools that scan output for leaks (`connector check`).

mod jwt;
mod key_pair;
mod oauth1;

pub use jwt::sign_jwt;
pub(crate) use jwt::{encoding_key, now, random_id};
pub use key_pair::KeyPair;
pub use oauth1::OAuth1Signature;
pub(crate) use oauth1::authorization as oauth1_authorization;

use crate::redact::Secrets;
use crate::wire::AuthCredential;

/// RFC 3986's unreserved characters stay as they are; everything else is percent-encoded (the
/// encoding of RFC 5849 §3.6).
pub(crate) const RFC3986_UNRESERVED: &percent_encoding::AsciiSet =
    &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'.')
        .remove(b'_')
        .remove(b'~');

/// Every form in which the secrets of a request's credentials could leak: raw, JSON-escaped,
/// base64 (standard and URL-safe, padded or not), percent-encoded, the `user:password` of a
/// Basic header, the body lines of a PEM key. The list of which fields are secret is the
/// redaction layer's, the same one the SDK scrubs logs, error messages and recordings with.
///
/// ```
/// use connector_sdk::credential::SecretForms;
///
/// let auth = serde_json::json!({"oauth1": {"consumer_key": "ck", "consumer_secret": "cs-42",
///     "token_id": "tid", "token_secret": "ts-42"}});
/// let forms = SecretForms::of_credentials(&auth);
/// assert!(forms.found_in("echo: cs%2D42"));
/// assert!(!forms.found_in("nothing to see"));
/// ```
#[derive(Debug, Default)]
pub struct SecretForms(Secrets);

impl SecretForms {
    /// The secrets of an `auth` object, or of a `credentials` list (`[{"id": …, <kind>: …}]`).
    /// A document that is neither contributes the values of its secret-looking keys.
    pub fn of_credentials(document: &serde_json::Value) -> Self {
        let mut secrets = Secrets::default();
        let items: Vec<&serde_json::Value> = match document {
            serde_json::Value::Array(items) => items.iter().collect(),
            other => vec![other],
        };
        for item in items {
            match serde_json::from_value::<AuthCredential>(item.clone()) {
                Ok(auth) => secrets.add_auth(&auth),
                Err(_) => secrets.add_secret_keys(item),
            }
            // Fields a future kind adds are still caught by their names.
            secrets.add_secret_keys(item);
        }
        Self(secrets)
    }

    /// Whether `text` holds any of the secrets, in any of their forms.
    pub fn found_in(&self, text: &str) -> bool {
        self.0.found_in(text)
    }

    /// `text` with every secret, in any of its forms, replaced by `[REDACTED]`.
    pub fn scrub(&self, text: &str) -> String {
        self.0.scrub(text)
    }
}

/// The key words that make a field, parameter or header name secret (`password`, `token`,
/// `private_key`, …), as the redaction layer matches them: exact names, then parts of names.
/// The developer console marks and masks fields with this list.
pub fn secret_key_words() -> (&'static [&'static str], &'static [&'static str]) {
    (crate::redact::SECRET_EXACT, crate::redact::SECRET_PARTS)
}
