//! `key_pair`: a private key, parsed (OpenSSH keys with ssh-key, PEM keys with jsonwebtoken),
//! and signing with it.

use std::fmt;

use jsonwebtoken::{Algorithm, EncodingKey, Header};

use crate::ConnectorError;
use crate::wire::{KeyPairCredential, Secret};

/// A parsed private key: an OpenSSH key (`-----BEGIN OPENSSH PRIVATE KEY-----`: Ed25519,
/// ECDSA P-256 or RSA) signs SSHSIG signatures; a PEM key (PKCS#8, PKCS#1 RSA, or EC) signs
/// JWTs. Its `Debug` shows the kind and the identifier, never the key.
///
/// ```
/// use connector_sdk::credential::KeyPair;
/// use connector_sdk::wire::KeyPairCredential;
///
/// let credential: KeyPairCredential = serde_json::from_value(serde_json::json!(
///     {"key_identifier": "k1", "private_key": "not a key"})).unwrap();
/// let error = KeyPair::parse(&credential).unwrap_err();
/// assert!(!error.message().contains("not a key"));
/// ```
pub struct KeyPair {
    identifier: String,
    key: Key,
}

enum Key {
    Ssh(Box<ssh_key::PrivateKey>),
    Pem(Algorithm, EncodingKey),
}

impl fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match &self.key {
            Key::Ssh(key) => key.algorithm().to_string(),
            Key::Pem(alg, _) => format!("PEM {alg:?}"),
        };
        f.debug_struct("KeyPair")
            .field("identifier", &self.identifier)
            .field("kind", &kind)
            .finish_non_exhaustive()
    }
}

impl KeyPair {
    /// Parses the credential's private key. Fails with `invalid_value` (naming the kind of
    /// problem, never the key) for anything else, and for an encrypted OpenSSH key.
    pub fn parse(credential: &KeyPairCredential) -> Result<Self, ConnectorError> {
        let text = credential.private_key.expose().trim();
        let identifier = credential.key_identifier.clone();
        if text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----") {
            let key = ssh_key::PrivateKey::from_openssh(text).map_err(|e| {
                ConnectorError::invalid_value(format!(
                    "The key pair's private key is not a usable OpenSSH key: {e}"
                ))
            })?;
            if key.is_encrypted() {
                return Err(ConnectorError::invalid_value(
                    "The key pair's private key is encrypted; provide it without a passphrase",
                ));
            }
            return Ok(Self {
                identifier,
                key: Key::Ssh(Box::new(key)),
            });
        }
        let pem = text.as_bytes();
        let parsed = EncodingKey::from_rsa_pem(pem)
            .map(|key| (Algorithm::RS256, key))
            .or_else(|_| EncodingKey::from_ec_pem(pem).map(|key| (Algorithm::ES256, key)))
            .or_else(|_| EncodingKey::from_ed_pem(pem).map(|key| (Algorithm::EdDSA, key)));
        match parsed {
            Ok((alg, key)) if text.starts_with("-----BEGIN") => Ok(Self {
                identifier,
                key: Key::Pem(alg, key),
            }),
            _ => Err(ConnectorError::invalid_value(
                "The key pair's private key is neither an OpenSSH private key nor a PEM \
                 private key (PKCS#8, PKCS#1 RSA, SEC1 EC)",
            )),
        }
    }

    /// The credential's `key_identifier`.
    pub fn identifier(&self) -> &str {
        &self.identifier
    }

    /// The public key in OpenSSH's `authorized_keys` form (`ssh-ed25519 AAAA… <identifier>`),
    /// for OpenSSH keys.
    pub fn public_key_openssh(&self) -> Option<String> {
        match &self.key {
            Key::Ssh(key) => {
                let mut public = key.public_key().clone();
                public.set_comment(self.identifier.as_str());
                public.to_openssh().ok()
            }
            Key::Pem(..) => None,
        }
    }

    /// An SSHSIG signature of `message` in `namespace` (PEM-armoured, as `ssh-keygen -Y sign`
    /// writes it), with an OpenSSH key. Fails with `invalid_value` for a PEM key.
    pub fn sign_sshsig(&self, namespace: &str, message: &[u8]) -> Result<String, ConnectorError> {
        let Key::Ssh(key) = &self.key else {
            return Err(ConnectorError::invalid_value(
                "SSH signatures need an OpenSSH private key; this key pair holds a PEM key",
            ));
        };
        key.sign(namespace, ssh_key::HashAlg::Sha512, message)
            .and_then(|signature| signature.to_pem(ssh_key::LineEnding::LF))
            .map_err(|e| {
                ConnectorError::invalid_value(format!("Cannot sign with the key pair: {e}"))
            })
    }

    /// A JWT of `claims` signed with a PEM key (RS256, ES256 or EdDSA by the key's type),
    /// `kid` set to the identifier. Fails with `invalid_value` for an OpenSSH key.
    pub fn sign_jwt(&self, claims: &serde_json::Value) -> Result<Secret, ConnectorError> {
        let Key::Pem(alg, key) = &self.key else {
            return Err(ConnectorError::invalid_value(
                "JWTs need a PEM private key; this key pair holds an OpenSSH key",
            ));
        };
        let mut header = Header::new(*alg);
        if !self.identifier.is_empty() {
            header.kid = Some(self.identifier.clone());
        }
        jsonwebtoken::encode(&header, claims, key)
            .map(Secret::from)
            .map_err(|e| ConnectorError::invalid_value(format!("Cannot sign the JWT: {e}")))
    }
}
