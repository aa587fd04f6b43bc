//! `oauth1`: RFC 5849 request signing (oauth1-request builds the signature base string and
//! the `Authorization` header; HMAC from the RustCrypto `hmac` crate).

use std::fmt::{self, Display, Write as _};

use base64::Engine;
use hmac::{Hmac, Mac};
use oauth1_request::signature_method::{HMAC_SHA1, Sign, SignatureMethod};
use sha2::Sha256;

use super::RFC3986_UNRESERVED;
use crate::wire::OAuth1Credential;

/// The signature method of OAuth 1.0a requests (RFC 5849 §3.4).
///
/// ```
/// use connector_sdk::credential::OAuth1Signature;
/// use connector_sdk::http::HttpClient;
///
/// let client = HttpClient::builder("https://api.example.com")
///     .oauth1_signature(OAuth1Signature::HmacSha256)
///     .build()
///     .unwrap();
/// # let _ = client;
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OAuth1Signature {
    /// `HMAC-SHA1` (RFC 5849 §3.4.2). The default.
    #[default]
    HmacSha1,
    /// `HMAC-SHA256` (the same construction with SHA-256).
    HmacSha256,
}

/// The `Authorization: OAuth …` value of a request: `method` to `url` (its query parameters
/// and the pairs of an `application/x-www-form-urlencoded` body are signed too), with a fresh
/// nonce and timestamp.
pub(crate) fn authorization(
    credential: &OAuth1Credential,
    signature: OAuth1Signature,
    method: &str,
    url: &url::Url,
    form: &[(String, String)],
) -> String {
    let mut base = url.clone();
    base.set_query(None);
    base.set_fragment(None);
    let mut parameters: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    parameters.extend(form.iter().cloned());
    let parameters = oauth1_request::request::ParameterList::new(parameters);
    let token = oauth1_request::Token::from_parts(
        credential.consumer_key.as_str(),
        credential.consumer_secret.expose(),
        credential.token_id.as_str(),
        credential.token_secret.expose(),
    );
    match signature {
        OAuth1Signature::HmacSha1 => oauth1_request::Builder::with_token(token, HMAC_SHA1)
            .authorize(method, base.as_str(), &parameters),
        OAuth1Signature::HmacSha256 => oauth1_request::Builder::with_token(token, HmacSha256)
            .authorize(method, base.as_str(), &parameters),
    }
}

/// `HMAC-SHA256`: oauth1-request feeds the signature base string, `hmac` signs it.
#[derive(Debug, Clone, Copy)]
struct HmacSha256;

#[derive(Debug, Clone)]
struct HmacSha256Sign(Hmac<Sha256>);

/// The signature, base64 then percent-encoded (it goes into the header as it is).
#[derive(Debug)]
struct HmacSha256Signature(String);

impl Display for HmacSha256Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl SignatureMethod for HmacSha256 {
    type Sign = HmacSha256Sign;

    fn sign_with(self, client_secret: &str, token_secret: Option<&str>) -> HmacSha256Sign {
        let mut key =
            percent_encoding::utf8_percent_encode(client_secret, RFC3986_UNRESERVED).to_string();
        key.push('&');
        if let Some(token_secret) = token_secret {
            let _ = write!(
                key,
                "{}",
                percent_encoding::utf8_percent_encode(token_secret, RFC3986_UNRESERVED)
            );
        }
        // HMAC takes keys of any length.
        let mac = Hmac::<Sha256>::new_from_slice(key.as_bytes())
            .unwrap_or_else(|_| unreachable!("HMAC accepts keys of every length"));
        HmacSha256Sign(mac)
    }
}

impl Sign for HmacSha256Sign {
    type Signature = HmacSha256Signature;

    fn get_signature_method_name(&self) -> &'static str {
        "HMAC-SHA256"
    }

    fn request_method(&mut self, method: &str) {
        self.0.update(method.as_bytes());
        self.0.update(b"&");
    }

    fn uri<T: Display>(&mut self, uri: T) {
        self.0.update(format!("{uri}&").as_bytes());
    }

    fn parameter<V: Display>(&mut self, key: &str, value: V) {
        self.0.update(key.as_bytes());
        self.0.update(b"%3D");
        self.0.update(value.to_string().as_bytes());
    }

    fn delimiter(&mut self) {
        self.0.update(b"%26");
    }

    fn end(self) -> HmacSha256Signature {
        let raw = base64::engine::general_purpose::STANDARD.encode(self.0.finalize().into_bytes());
        HmacSha256Signature(
            percent_encoding::utf8_percent_encode(&raw, RFC3986_UNRESERVED).to_string(),
        )
    }
}
