//! `jwt`: the declared headers and claims, signed per call (jsonwebtoken).

use std::str::FromStr;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Map, Value};

use crate::ConnectorError;
use crate::wire::{JwtCredential, Secret};

/// How long a token lives when the claims declare no `exp` after `iat`.
const DEFAULT_LIFETIME: i64 = 300;

/// Signs the credential's headers and claims with its secret, by the algorithm its `alg`
/// header names: `HS256`/`HS384`/`HS512` with the secret as the HMAC key, `RS*`/`PS*` with a
/// PEM RSA private key, `ES256`/`ES384` with a PEM EC private key (PKCS#8), `EdDSA` with a PEM
/// Ed25519 key.
///
/// Each call signs afresh: `iat` is now, `exp` and `nbf` keep their declared distance to the
/// declared `iat` (`exp` is five minutes after `iat` when the claims declare none), and an
/// empty `jti` becomes a random one. Empty strings and lists are left out; `scope` is sent
/// space-separated; `act` and `may_act` holding a JSON object are sent as that object.
///
/// Fails with `invalid_value` for an unknown algorithm or a key that does not fit it; the
/// message never shows the key.
///
/// ```
/// use connector_sdk::credential::sign_jwt;
/// use connector_sdk::wire::JwtCredential;
///
/// let credential: JwtCredential = serde_json::from_value(serde_json::json!({
///     "headers": {"alg": "HS256", "jku": "", "jwk": "", "typ": "JWT", "kid": "k1", "x5u": "",
///                 "x5c": "", "x5t": "", "x5t#S256": "", "cty": "", "crit": []},
///     "claims": {"iss": "me", "sub": "me", "aud": "https://api.example.com", "exp": 600,
///                "nbf": 0, "iat": 0, "jti": "", "act": "", "scope": ["read"],
///                "client_id": "", "may_act": ""},
///     "secret": "a-long-shared-secret-of-32-bytes!"
/// })).unwrap();
/// let token = sign_jwt(&credential).unwrap();
/// assert_eq!(token.expose().split('.').count(), 3);
/// ```
pub fn sign_jwt(credential: &JwtCredential) -> Result<Secret, ConnectorError> {
    sign_at(credential, now())
}

pub(crate) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) fn sign_at(credential: &JwtCredential, now: i64) -> Result<Secret, ConnectorError> {
    let declared = &credential.headers;
    let alg = Algorithm::from_str(declared.alg.trim()).map_err(|_| {
        ConnectorError::invalid_value(format!(
            "The JWT credential's `alg` header `{}` is not a supported algorithm (HS256, \
             RS256, ES256, …)",
            declared.alg.chars().take(16).collect::<String>()
        ))
    })?;
    let mut header = Header::new(alg);
    let text = |value: &str| (!value.trim().is_empty()).then(|| value.trim().to_owned());
    header.typ = text(&declared.typ).or_else(|| Some("JWT".to_owned()));
    header.kid = text(&declared.kid);
    header.cty = text(&declared.cty);
    header.jku = text(&declared.jku);
    header.x5u = text(&declared.x5u);
    header.x5t = text(&declared.x5t);
    header.x5t_s256 = text(&declared.x5t_s256);
    header.x5c = text(&declared.x5c).map(|chain| {
        chain
            .split(',')
            .map(|cert| cert.trim().to_owned())
            .collect()
    });
    if !declared.crit.is_empty() {
        header.crit = Some(declared.crit.clone());
    }
    if let Some(jwk) = text(&declared.jwk) {
        header.jwk = Some(serde_json::from_str(&jwk).map_err(|_| {
            ConnectorError::invalid_value("The JWT credential's `jwk` header is not a JWK")
        })?);
    }
    let key = encoding_key(alg, credential.secret.expose())?;
    let claims = claims_at(credential, now)?;
    jsonwebtoken::encode(&header, &claims, &key)
        .map(Secret::from)
        .map_err(|e| ConnectorError::invalid_value(format!("Cannot sign the JWT: {e}")))
}

/// The key for `alg`, from the credential's secret.
pub(crate) fn encoding_key(alg: Algorithm, secret: &str) -> Result<EncodingKey, ConnectorError> {
    let pem = secret.as_bytes();
    let key = match alg {
        Algorithm::HS256 | Algorithm::HS384 | Algorithm::HS512 => {
            if secret.is_empty() {
                return Err(ConnectorError::invalid_value(
                    "The JWT credential's secret is empty",
                ));
            }
            EncodingKey::from_secret(pem)
        }
        Algorithm::RS256
        | Algorithm::RS384
        | Algorithm::RS512
        | Algorithm::PS256
        | Algorithm::PS384
        | Algorithm::PS512 => EncodingKey::from_rsa_pem(pem),
        Algorithm::ES256 | Algorithm::ES384 => EncodingKey::from_ec_pem(pem),
        Algorithm::EdDSA => EncodingKey::from_ed_pem(pem),
        other => {
            return Err(ConnectorError::invalid_value(format!(
                "The JWT algorithm {other:?} is not supported"
            )));
        }
    };
    key.map_err(|e| {
        ConnectorError::invalid_value(format!(
            "The JWT credential's secret is not a PEM private key for {alg:?}: {e}"
        ))
    })
}

fn claims_at(credential: &JwtCredential, now: i64) -> Result<Map<String, Value>, ConnectorError> {
    let declared = &credential.claims;
    let mut claims = Map::new();
    let put = |claims: &mut Map<String, Value>, name: &str, value: &str| {
        let value = value.trim();
        if !value.is_empty() {
            claims.insert(name.to_owned(), Value::String(value.to_owned()));
        }
    };
    put(&mut claims, "iss", &declared.iss);
    put(&mut claims, "sub", &declared.sub);
    put(&mut claims, "aud", &declared.aud);
    put(&mut claims, "client_id", &declared.client_id);
    let jti = if declared.jti.trim().is_empty() {
        random_id()?
    } else {
        declared.jti.clone()
    };
    put(&mut claims, "jti", &jti);
    let scope = declared.scope.join(" ");
    put(&mut claims, "scope", &scope);
    for (name, value) in [("act", &declared.act), ("may_act", &declared.may_act)] {
        match serde_json::from_str::<Value>(value) {
            Ok(object @ Value::Object(_)) => {
                claims.insert(name.to_owned(), object);
            }
            _ => put(&mut claims, name, value),
        }
    }
    let lifetime = declared
        .exp
        .checked_sub(declared.iat)
        .filter(|&d| d > 0)
        .unwrap_or(DEFAULT_LIFETIME);
    claims.insert("iat".to_owned(), now.into());
    claims.insert("exp".to_owned(), now.saturating_add(lifetime).into());
    if declared.nbf != 0 {
        let offset = declared
            .nbf
            .saturating_sub(declared.iat)
            .clamp(-lifetime, lifetime);
        claims.insert("nbf".to_owned(), now.saturating_add(offset).into());
    }
    Ok(claims)
}

/// A random token id.
pub(crate) fn random_id() -> Result<String, ConnectorError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)
        .map_err(|e| ConnectorError::internal_error(format!("No randomness for a JWT id: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::{JwtClaims, JwtHeaders};

    pub(crate) fn credential(alg: &str, secret: &str) -> JwtCredential {
        JwtCredential {
            headers: JwtHeaders {
                alg: alg.to_owned(),
                jku: String::new(),
                jwk: String::new(),
                typ: String::new(),
                kid: "k1".to_owned(),
                x5u: String::new(),
                x5c: String::new(),
                x5t: String::new(),
                x5t_s256: String::new(),
                cty: String::new(),
                crit: Vec::new(),
            },
            claims: JwtClaims {
                iss: "iss".to_owned(),
                sub: "sub".to_owned(),
                aud: "aud".to_owned(),
                exp: 1_000_600,
                nbf: 999_990,
                iat: 1_000_000,
                jti: String::new(),
                act: r#"{"sub":"admin"}"#.to_owned(),
                scope: vec!["a".to_owned(), "b".to_owned()],
                client_id: String::new(),
                may_act: String::new(),
            },
            secret: Secret::from(secret),
        }
    }

    fn payload(token: &Secret) -> Value {
        let part = token.expose().split('.').nth(1).unwrap();
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
    }

    #[test]
    fn time_claims_move_to_the_time_of_signing() {
        let token = sign_at(
            &credential("HS256", "0123456789abcdef0123456789abcdef"),
            5_000,
        )
        .unwrap();
        let claims = payload(&token);
        assert_eq!(claims["iat"], 5_000);
        assert_eq!(claims["exp"], 5_600);
        assert_eq!(claims["nbf"], 4_990);
        assert_eq!(claims["scope"], "a b");
        assert_eq!(claims["act"]["sub"], "admin");
        assert!(claims.get("client_id").is_none());
        assert_eq!(claims["jti"].as_str().unwrap().len(), 22);
        let again = sign_at(
            &credential("HS256", "0123456789abcdef0123456789abcdef"),
            5_000,
        )
        .unwrap();
        assert_ne!(payload(&again)["jti"], claims["jti"]);
    }

    #[test]
    fn bad_algorithms_and_keys_are_invalid_values_without_the_key() {
        let error = sign_jwt(&credential("none", "s3cret-key")).unwrap_err();
        assert_eq!(error.code(), crate::wire::ErrorCode::InvalidValue);
        let error = sign_jwt(&credential("RS256", "not-a-pem-s3cret")).unwrap_err();
        assert_eq!(error.code(), crate::wire::ErrorCode::InvalidValue);
        assert!(!error.message().contains("s3cret"), "{}", error.message());
        assert!(sign_jwt(&credential("HS256", "")).is_err());
    }
}
