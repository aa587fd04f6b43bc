//! The credential kinds the receiving side checks: OAuth 1.0a requests signed by the SDK's
//! HTTP client, verified by a wiremock responder with its own RFC 5849 base string and the
//! RustCrypto `hmac` crate (the SDK signs through oauth1-request); and no secret form of any
//! kind in what the SDK shows. (JWTs and the service-account exchange are verified by
//! oidc-provider, in `oidc.rs`.)

use base64::Engine;
use connector_sdk::credential::{OAuth1Signature, SecretForms};
use connector_sdk::http::{ApiPath, HttpClient};
use connector_sdk::wire::{AuthCredential, OAuth1Credential};
use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::json;
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate, matchers::any};

const UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

fn encode(text: &str) -> String {
    utf8_percent_encode(text, UNRESERVED).to_string()
}

fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The app's side of RFC 5849: answers 200 when the request's signature verifies, 401 with
/// the reason otherwise.
struct Verifier {
    consumer_secret: &'static str,
    token_secret: &'static str,
}

impl Verifier {
    fn check(&self, request: &Request) -> Result<(), String> {
        let header = request
            .headers
            .get("authorization")
            .and_then(|value| value.to_str().ok())
            .ok_or("no Authorization header")?;
        let params = header.strip_prefix("OAuth ").ok_or("not an OAuth header")?;
        let mut oauth: Vec<(String, String)> = params
            .split(',')
            .filter_map(|pair| pair.trim().split_once('='))
            .map(|(k, v)| (decode(k), decode(v.trim_matches('"'))))
            .collect();
        let at = oauth
            .iter()
            .position(|(k, _)| k == "oauth_signature")
            .ok_or("no oauth_signature")?;
        let signature = oauth.remove(at).1;
        let method = oauth
            .iter()
            .find(|(k, _)| k == "oauth_signature_method")
            .map(|(_, v)| v.clone())
            .ok_or("no oauth_signature_method")?;
        // §3.4.1.3: query, form body and protocol parameters, encoded, sorted, joined.
        let mut all: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        if request.headers.get("content-type").is_some_and(|v| {
            v.as_bytes()
                .starts_with(b"application/x-www-form-urlencoded")
        }) {
            all.extend(url::form_urlencoded::parse(&request.body).into_owned());
        }
        all.extend(oauth);
        let mut encoded: Vec<(String, String)> =
            all.iter().map(|(k, v)| (encode(k), encode(v))).collect();
        encoded.sort();
        let normalized = encoded
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&");
        // wiremock's URL names no port: the base URI is rebuilt from the Host header.
        let host = request
            .headers
            .get("host")
            .and_then(|v| v.to_str().ok())
            .ok_or("no Host header")?;
        let base_uri = url::Url::parse(&format!("http://{host}{}", request.url.path()))
            .map_err(|e| e.to_string())?;
        let base = format!(
            "{}&{}&{}",
            request.method.as_str(),
            encode(base_uri.as_str()),
            encode(&normalized)
        );
        let key = format!(
            "{}&{}",
            encode(self.consumer_secret),
            encode(self.token_secret)
        );
        let expected = match method.as_str() {
            "HMAC-SHA1" => {
                let mut mac = Hmac::<sha1::Sha1>::new_from_slice(key.as_bytes()).unwrap();
                mac.update(base.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
            "HMAC-SHA256" => {
                let mut mac = Hmac::<sha2::Sha256>::new_from_slice(key.as_bytes()).unwrap();
                mac.update(base.as_bytes());
                mac.finalize().into_bytes().to_vec()
            }
            other => return Err(format!("unknown method {other}")),
        };
        let got = base64::engine::general_purpose::STANDARD
            .decode(&signature)
            .map_err(|_| "the signature is not base64".to_owned())?;
        if got == expected {
            Ok(())
        } else {
            Err(format!("bad signature over {base}"))
        }
    }
}

impl Respond for Verifier {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        match self.check(request) {
            Ok(()) => ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
            Err(why) => ResponseTemplate::new(401).set_body_string(why),
        }
    }
}

fn oauth1(consumer_secret: &str, token_secret: &str) -> AuthCredential {
    AuthCredential {
        oauth1: Some(OAuth1Credential {
            consumer_key: "ck-1".to_owned(),
            consumer_secret: consumer_secret.into(),
            token_id: "tok-1".to_owned(),
            token_secret: token_secret.into(),
        }),
        ..AuthCredential::default()
    }
}

#[tokio::test]
async fn oauth1_requests_are_verified_by_the_app() {
    let server = MockServer::start().await;
    let verifier = Verifier {
        consumer_secret: "c0nsumer s€cret&",
        token_secret: "t0ken/secret=",
    };
    Mock::given(any())
        .respond_with(verifier)
        .mount(&server)
        .await;
    for signature in [OAuth1Signature::HmacSha1, OAuth1Signature::HmacSha256] {
        let client = HttpClient::builder(format!("{}/api", server.uri()))
            .credential(Some(&oauth1("c0nsumer s€cret&", "t0ken/secret=")))
            .oauth1_signature(signature)
            .build()
            .unwrap();
        let response = client
            .get(ApiPath::new("/users"))
            .query(&[("filter", "name eq \"Ann Lee\""), ("a", "1"), ("a", "0")])
            .send()
            .await;
        assert!(response.is_ok(), "{signature:?} GET: {:?}", response.err());
        let response = client
            .post(ApiPath::new("/users"))
            .query(&[("notify", "yes please")])
            .form(&[("name", "Zoë +1"), ("role", "a&b=c")])
            .send()
            .await;
        assert!(response.is_ok(), "{signature:?} POST: {:?}", response.err());

        // With another secret the app refuses the signature.
        let wrong = HttpClient::builder(server.uri())
            .credential(Some(&oauth1("another", "t0ken/secret=")))
            .oauth1_signature(signature)
            .build()
            .unwrap();
        let error = wrong.get(ApiPath::new("/users")).send().await.unwrap_err();
        assert_eq!(error.status_code(), Some(401), "{error}");
        assert!(
            !format!("{error} {error:?}").contains("t0ken/secret="),
            "{error}"
        );
    }
}

#[test]
fn no_secret_form_of_any_credential_kind_survives_scrubbing() {
    use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
    let pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\nBKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj\n-----END PRIVATE KEY-----\n";
    let credentials = json!([
        {"id": "b", "basic": {"username": "ann", "password": "pa55-w0rd"}},
        {"id": "t", "token": {"token": "tok-3456"}},
        {"id": "o", "oauth": {"access_token": "at-7890"}},
        {"id": "c", "oauth_client_credentials": {"access_token": "at-cc-1", "client_id": "cid",
            "client_secret": "cs-2345", "scopes": []}},
        {"id": "j", "jwt": {"headers": {"alg": "HS256", "jku": "", "jwk": "", "typ": "", "kid": "",
            "x5u": "", "x5c": "", "x5t": "", "x5t#S256": "", "cty": "", "crit": []},
            "claims": {"iss": "", "sub": "", "aud": "", "exp": 0, "nbf": 0, "iat": 0, "jti": "",
            "act": "", "scope": [], "client_id": "", "may_act": ""}, "secret": "jwt-s3cret"}},
        {"id": "k", "key_pair": {"key_identifier": "k1", "private_key": pem}},
        {"id": "s", "service_account": {"key": {"client_email": "r@x", "private_key": pem,
            "private_key_id": "pkid-123"}, "impersonation_email": "", "tenant_id": "", "scopes": []}},
        {"id": "1", "oauth1": {"consumer_key": "ck", "consumer_secret": "cons/sec",
            "token_id": "tid", "token_secret": "tok sec"}},
        {"id": "e", "empty": {}},
    ]);
    let forms = SecretForms::of_credentials(&credentials);
    let secrets = [
        "pa55-w0rd",
        "tok-3456",
        "at-7890",
        "at-cc-1",
        "cs-2345",
        "jwt-s3cret",
        pem,
        "pkid-123",
        "cons/sec",
        "tok sec",
        "cons%2Fsec&tok%20sec",
        "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC",
    ];
    for secret in secrets {
        let encoded: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
        let userinfo = format!("https://user:{}@h.example/", encode(secret));
        for form in [
            secret.to_owned(),
            encoded,
            encode(secret),
            STANDARD.encode(secret),
            URL_SAFE_NO_PAD.encode(secret),
            serde_json::to_string(secret).unwrap(),
            userinfo,
        ] {
            let text = format!("echo <{form}>");
            assert!(forms.found_in(&text), "{secret:?} as {form:?}");
            let scrubbed = forms.scrub(&text);
            assert!(
                !scrubbed.contains(&form),
                "{secret:?} as {form:?}: {scrubbed}"
            );
        }
    }
    let basic = STANDARD.encode("ann:pa55-w0rd");
    assert!(forms.found_in(&format!("Authorization: Basic {basic}")));
    // (`token_id` reads as secret by its name: kept out too, which is on the safe side.)
    assert!(
        !forms.found_in("ann ck k1 r@x cid"),
        "non-secret fields stay"
    );
}
