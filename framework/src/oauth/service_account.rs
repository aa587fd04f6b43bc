//! `service_account`: the JSON key exchanged for an access token with the JWT-bearer grant
//! (RFC 7523 §2.1), through the OAuth module's token request.

use serde_json::json;

use crate::credential::{encoding_key, now, random_id};
use crate::wire::{Secret, ServiceAccountCredential};
use crate::{ConnectorError, Context};

/// The grant type of RFC 7523 §2.1.
const JWT_BEARER: &str = "urn:ietf:params:oauth:grant-type:jwt-bearer";

/// How long the assertion is valid.
const ASSERTION_LIFETIME: i64 = 300;

impl<S> Context<S> {
    /// Exchanges the request's `service_account` credential for an access token: an RS256
    /// assertion signed with the key's `private_key` (`iss` the key's `client_email`, `aud` its
    /// `token_uri`, `sub` the impersonation email when set, `scope` the credential's scopes,
    /// a fresh `iat`/`exp`/`jti`), posted to `token_uri` as the JWT-bearer grant (RFC 7523)
    /// with the key's `client_id` when it has one. The provider's errors map as the OAuth
    /// module's do (`invalid_grant` → `authentication_expired`, …).
    ///
    /// Fails with `bad_request` when the request has no service account, and `invalid_value`
    /// when its key lacks a field or holds no usable private key.
    pub async fn service_account_token(&self) -> Result<Secret, ConnectorError> {
        let account = self
            .auth()
            .and_then(|auth| auth.service_account.as_ref())
            .ok_or_else(|| {
                ConnectorError::bad_request(
                    "Wrong auth: the request has no 'service_account' credential",
                )
            })?;
        let (token_url, fields) = grant(account, now())?;
        let (credentials, _) = super::flow::post_token(self, &token_url, fields).await?;
        Ok(credentials.access_token)
    }
}

/// A token URL and the fields to post there.
type Grant = (String, Vec<(&'static str, String)>);

/// The token URL and the fields of the grant.
pub(crate) fn grant(account: &ServiceAccountCredential, now: i64) -> Result<Grant, ConnectorError> {
    let field = |name: &str| {
        account
            .key
            .field(name)
            .filter(|value| !value.trim().is_empty())
            .ok_or_else(|| {
                ConnectorError::invalid_value(format!("The service account's key has no `{name}`"))
            })
    };
    let (email, private_key, token_uri) = (
        field("client_email")?,
        field("private_key")?,
        field("token_uri")?,
    );
    let mut claims = json!({
        "iss": email,
        "aud": token_uri,
        "iat": now,
        "exp": now.saturating_add(ASSERTION_LIFETIME),
        "jti": random_id()?,
    });
    if !account.impersonation_email.trim().is_empty() {
        claims["sub"] = json!(account.impersonation_email.trim());
    }
    let scope = account.scopes.join(" ");
    if !scope.is_empty() {
        claims["scope"] = json!(scope);
    }
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256);
    header.kid = account.key.field("private_key_id").map(str::to_owned);
    let key = encoding_key(jsonwebtoken::Algorithm::RS256, private_key)?;
    let assertion = jsonwebtoken::encode(&header, &claims, &key).map_err(|e| {
        ConnectorError::invalid_value(format!("Cannot sign the service account's assertion: {e}"))
    })?;
    let mut fields = vec![
        ("grant_type", JWT_BEARER.to_owned()),
        ("assertion", assertion),
    ];
    if !scope.is_empty() {
        fields.push(("scope", scope));
    }
    if let Some(client_id) = account.key.field("client_id").filter(|id| !id.is_empty()) {
        fields.push(("client_id", client_id.to_owned()));
    }
    Ok((token_uri.to_owned(), fields))
}
