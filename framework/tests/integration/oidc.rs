//! The OAuth module and the credential kinds against an authorization server written by
//! someone else: oidc-provider (npm; OpenID Certified), configured by `tests/oidc/provider.js`
//! and installed by `framework/scripts/ensure-oidc-provider.sh`. Its login and consent pages
//! are driven with plain HTTP; every token, signature and assertion the SDK makes is checked
//! by the provider's own JOSE library. Without the provider these tests fail, saying how to
//! install it; they never skip.

use std::io::{BufRead as _, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

use connector_sdk::credential::sign_jwt;
use connector_sdk::oauth::{ClientAuth, Endpoint, OAuthSettings};
use connector_sdk::prelude::*;
use connector_sdk::wire::{
    AuthCredential, CapabilityName, JwtClaims, JwtCredential, JwtHeaders, Secret,
    ServiceAccountCredential,
};
use connector_sdk::{Context, Integration};
use serde_json::{Value, json};

const REDIRECT_URI: &str = "https://app.example.com/oauth/callback";
const ENSURE: &str = "framework/scripts/ensure-oidc-provider.sh";

/// A running oidc-provider; it exits when its standard input closes (with this process).
struct Provider {
    issuer: String,
    ready: Value,
    _stdin: ChildStdin,
    _child: Child,
}

impl Provider {
    fn start() -> Result<Self, String> {
        let dir = std::env::var_os("OIDC_PROVIDER_DIR")
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME").map(|home| {
                    std::path::Path::new(&home).join(".cache/connector-sdk/oidc-provider")
                })
            })
            .ok_or("neither OIDC_PROVIDER_DIR nor HOME is set")?;
        if !dir.join("node_modules/oidc-provider/package.json").exists() {
            return Err(format!(
                "oidc-provider is not installed in {}: run {ENSURE} (it needs node and npm)",
                dir.display()
            ));
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/oidc/provider.js");
        let mut child = Command::new("node")
            .arg(script)
            .arg(port.to_string())
            .arg(&dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run `node {script}` (is Node.js installed?): {e}"))?;
        let stdin = child.stdin.take().ok_or("no stdin")?;
        let stdout = child.stdout.take().ok_or("no stdout")?;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut line = String::new();
            let _ = reader.read_line(&mut line);
            let _ = sender.send(line);
            // Keep draining: a closed pipe would kill the provider at its next write.
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
        let line = receiver
            .recv_timeout(Duration::from_secs(30))
            .map_err(|_| "oidc-provider did not start within 30 s".to_owned())?;
        let ready: Value = serde_json::from_str(&line).map_err(|_| {
            format!("oidc-provider exited or printed something else than its ready line; run {ENSURE} again")
        })?;
        Ok(Self {
            issuer: ready["issuer"].as_str().unwrap_or_default().to_owned(),
            ready,
            _stdin: stdin,
            _child: child,
        })
    }

    fn secret(&self, client: &str) -> String {
        self.ready["secrets"][client].as_str().unwrap().to_owned()
    }

    fn token_url(&self) -> String {
        format!("{}/token", self.issuer)
    }
}

/// One provider for the whole test binary (started on first use).
fn provider() -> &'static Provider {
    static PROVIDER: OnceLock<Result<Provider, String>> = OnceLock::new();
    match PROVIDER.get_or_init(Provider::start) {
        Ok(provider) => provider,
        Err(why) => panic!("the OAuth interop tests need oidc-provider: {why}"),
    }
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Settings {
    /// The provider's issuer URL.
    issuer: String,
}

struct App;

impl Connector for App {
    type Settings = Settings;
}

fn integration(settings: OAuthSettings<Settings>) -> Integration<App> {
    Integration::builder(App, "oidc-app", "1.0.0")
        .oauth(settings)
        .build()
}

fn code_flow() -> OAuthSettings<Settings> {
    OAuthSettings::code_flow(
        Endpoint::from_settings(|s: &Settings| format!("{}/auth", s.issuer)),
        Endpoint::from_settings(|s: &Settings| format!("{}/token", s.issuer)),
    )
    .scope(
        CapabilityName::ListAccounts,
        "openid offline_access api:read",
    )
    .pkce(true)
}

fn client_credentials(auth: ClientAuth) -> OAuthSettings<Settings> {
    OAuthSettings::client_credentials(Endpoint::from_settings(|s: &Settings| {
        format!("{}/token", s.issuer)
    }))
    .scope(CapabilityName::ListAccounts, "api:read")
    .client_auth(auth)
}

/// Runs a capability; returns the envelope and its text.
fn dispatch(integration: &Integration<App>, capability: &str, payload: Value) -> (Value, String) {
    let request = json!({"request": payload, "settings": {"issuer": provider().issuer}});
    let envelope = crate::support::runtime(1)
        .block_on(integration.dispatch(capability, &request.to_string()))
        .to_value();
    let text = envelope.to_string();
    (envelope, text)
}

/// A user agent with a cookie jar that follows nothing by itself.
struct Browser {
    client: reqwest::Client,
    cookies: Vec<(String, String)>,
}

impl Browser {
    fn new() -> Self {
        Self {
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            cookies: Vec::new(),
        }
    }

    async fn send(&mut self, request: reqwest::RequestBuilder) -> (u16, Option<String>, String) {
        let cookie = self
            .cookies
            .iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect::<Vec<_>>()
            .join("; ");
        let response = request.header("cookie", cookie).send().await.unwrap();
        for set in response.headers().get_all("set-cookie") {
            let pair = set.to_str().unwrap().split(';').next().unwrap_or_default();
            if let Some((name, value)) = pair.split_once('=') {
                self.cookies.retain(|(known, _)| known != name);
                self.cookies
                    .push((name.trim().to_owned(), value.to_owned()));
            }
        }
        let status = response.status().as_u16();
        let location = response
            .headers()
            .get("location")
            .map(|l| l.to_str().unwrap().to_owned());
        (status, location, response.text().await.unwrap())
    }

    /// Follows the provider from the authorization URL through its login and consent pages
    /// to the redirect back to the app; returns that redirect.
    async fn consent(&mut self, issuer: &str, authorization_url: &str) -> String {
        let absolute = |location: &str| {
            if location.starts_with("http") {
                location.to_owned()
            } else {
                format!("{issuer}{location}")
            }
        };
        let mut next = authorization_url.to_owned();
        for _ in 0..12 {
            let (status, location, body) = self.send(self.client.get(&next)).await;
            if let Some(location) = location {
                if location.starts_with(REDIRECT_URI) {
                    return location;
                }
                next = absolute(&location);
                continue;
            }
            assert_eq!(status, 200, "{next}: {body}");
            let form = if body.contains(r#"name="prompt" value="login""#) {
                vec![("prompt", "login"), ("login", "ann"), ("password", "any")]
            } else if body.contains(r#"name="prompt" value="consent""#) {
                vec![("prompt", "consent")]
            } else {
                panic!("an unexpected page at {next}: {body}");
            };
            let (_, location, body) = self.send(self.client.post(&next).form(&form)).await;
            next = absolute(&location.unwrap_or_else(|| panic!("no redirect: {body}")));
        }
        panic!("the provider never redirected back to the app");
    }
}

/// The code flow through the provider's own pages: the authorization URL and code verifier
/// from `get_authorization_url`, then the redirect back to the app.
fn authorize(integration: &Integration<App>, client: &str, state: &str) -> (String, String) {
    let (envelope, _) = dispatch(
        integration,
        "get_authorization_url",
        json!({"client_id": client, "redirect_uri": REDIRECT_URI, "state": state, "scopes": []}),
    );
    let url = envelope["response"]["authorization_url"]
        .as_str()
        .unwrap_or_else(|| panic!("{envelope}"))
        .to_owned();
    let verifier = envelope["response"]["code_verifier"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.contains("code_challenge_method=S256"), "{url}");
    let redirect =
        crate::support::runtime(1).block_on(Browser::new().consent(&provider().issuer, &url));
    (redirect, verifier)
}

fn callback(client: &str, redirect: &str, verifier: Option<&str>, secret: &str) -> Value {
    json!({"client_id": client, "client_secret": secret, "redirect_uri_with_code": redirect,
           "state": "st-1", "code_verifier": verifier})
}

/// Tokens through the code flow: (envelope of the callback).
fn code_flow_tokens() -> Value {
    let integration = integration(code_flow());
    let (redirect, verifier) = authorize(&integration, "code-client", "st-1");
    let secret = provider().secret("code");
    let (envelope, text) = dispatch(
        &integration,
        "handle_authorization_callback",
        callback("code-client", &redirect, Some(&verifier), &secret),
    );
    assert!(!text.contains(&secret), "{text}");
    envelope
}

fn error_of(envelope: &Value) -> (&str, &str) {
    assert_eq!(envelope["is_error"], true, "{envelope}");
    (
        envelope["error"]["error_code"].as_str().unwrap(),
        envelope["error"]["message"].as_str().unwrap(),
    )
}

#[test]
fn code_flow_with_pkce_through_the_providers_login_and_consent() {
    let envelope = code_flow_tokens();
    let response = &envelope["response"];
    assert!(
        response["access_token"].as_str().unwrap().len() > 20,
        "{envelope}"
    );
    assert!(
        response["refresh_token"].as_str().unwrap().len() > 20,
        "{envelope}"
    );
    assert_eq!(response["token_type"], "bearer");
}

#[test]
fn a_wrong_or_missing_code_verifier_is_refused_by_the_provider() {
    let integration = integration(code_flow());
    let secret = provider().secret("code");
    for verifier in [None, Some("A".repeat(43))] {
        let (redirect, _) = authorize(&integration, "code-client", "st-1");
        let (envelope, text) = dispatch(
            &integration,
            "handle_authorization_callback",
            callback("code-client", &redirect, verifier.as_deref(), &secret),
        );
        let (code, message) = error_of(&envelope);
        assert_eq!(code, "authentication_expired", "{envelope}");
        assert!(message.contains("invalid_grant"), "{message}");
        assert!(!text.contains(&secret), "{text}");
    }
}

#[test]
fn refresh_rotates_and_the_old_refresh_token_then_fails() {
    let first = code_flow_tokens()["response"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    let integration = integration(code_flow());
    let secret = provider().secret("code");
    let refresh = |token: &str| {
        dispatch(
            &integration,
            "refresh_access_token",
            json!({"client_id": "code-client", "client_secret": secret, "refresh_token": token}),
        )
    };
    let (envelope, _) = refresh(&first);
    let second = envelope["response"]["refresh_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{envelope}"))
        .to_owned();
    assert_ne!(second, first, "the provider rotates refresh tokens");
    assert!(envelope["response"]["access_token"].is_string());

    // Reusing a rotated refresh token is a replay: the provider answers invalid_grant.
    let (envelope, text) = refresh(&first);
    let (code, message) = error_of(&envelope);
    assert_eq!(code, "authentication_expired", "{envelope}");
    assert!(
        message.contains("invalid_grant: grant request is invalid"),
        "{message}"
    );
    assert!(!text.contains(&first) && !text.contains(&secret), "{text}");
    assert_eq!(envelope["error"]["status_code"], 400);
}

#[test]
fn client_credentials_with_client_secret_basic_and_post() {
    for (auth, client, secret) in [
        (ClientAuth::Basic, "basic-client", "basic"),
        (ClientAuth::Post, "post-client", "post"),
    ] {
        let secret = provider().secret(secret);
        let (envelope, text) = dispatch(
            &integration(client_credentials(auth)),
            "handle_client_credentials_request",
            json!({"client_id": client, "client_secret": secret, "scopes": ["api:read"]}),
        );
        assert!(!text.contains(&secret), "{text}");
        let token = envelope["response"]["access_token"]
            .as_str()
            .unwrap_or_else(|| panic!("{auth:?}: {envelope}"));
        let whois = whois(token);
        assert_eq!(whois["client_id"], client, "{whois}");
        assert_eq!(whois["scope"], "api:read", "{whois}");
    }
}

/// Who the provider says an access token belongs to.
fn whois(token: &str) -> Value {
    crate::support::runtime(1).block_on(async {
        reqwest::Client::new()
            .get(format!("{}/test/whois", provider().issuer))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    })
}

#[test]
fn the_providers_error_answers_map_to_error_codes_without_secrets() {
    let wrong = "wr0ng-client-secret-value";
    let cases = [
        // (auth, client, secret, scopes, code, the provider's error and description)
        (
            ClientAuth::Basic,
            "basic-client",
            wrong.to_owned(),
            "api:read",
            "unauthorized",
            "invalid_client: client authentication failed",
        ),
        (
            ClientAuth::Post,
            "post-client",
            wrong.to_owned(),
            "api:read",
            "unauthorized",
            "invalid_client: client authentication failed",
        ),
        (
            ClientAuth::Basic,
            "basic-client",
            provider().secret("basic"),
            "api:admin",
            "bad_request",
            "invalid_scope: requested scope is not allowed",
        ),
    ];
    for (auth, client, secret, scope, code, detail) in cases {
        let (envelope, text) = dispatch(
            &integration(client_credentials(auth)),
            "handle_client_credentials_request",
            json!({"client_id": client, "client_secret": secret, "scopes": [scope]}),
        );
        let (got, message) = error_of(&envelope);
        assert_eq!(got, code, "{client} {scope}: {envelope}");
        assert!(message.contains(detail), "{message}");
        for secret in [
            wrong.to_owned(),
            provider().secret("basic"),
            provider().secret("post"),
        ] {
            assert!(!text.contains(&secret), "{text}");
        }
    }

    // An authorization code that outlived its 1 s.
    let integration = integration(code_flow());
    let (redirect, verifier) = authorize(&integration, "short-code-client", "st-1");
    std::thread::sleep(Duration::from_millis(2100));
    let secret = provider().secret("short");
    let (envelope, text) = dispatch(
        &integration,
        "handle_authorization_callback",
        callback("short-code-client", &redirect, Some(&verifier), &secret),
    );
    let (code, message) = error_of(&envelope);
    assert_eq!(code, "authentication_expired", "{envelope}");
    // oidc-provider words every invalid_grant alike (the reason is a debug-only `error_detail`);
    // the same flow without the wait succeeds in the tests above.
    assert!(
        message.contains("invalid_grant: grant request is invalid"),
        "{message}"
    );
    assert!(
        !text.contains(&secret) && !text.contains(&verifier),
        "{text}"
    );

    // A refresh token the provider never issued.
    let (envelope, _) = dispatch(
        &integration,
        "refresh_access_token",
        json!({"client_id": "code-client", "client_secret": provider().secret("code"),
               "refresh_token": "not-a-refresh-token"}),
    );
    let (code, message) = error_of(&envelope);
    assert_eq!(code, "authentication_expired", "{envelope}");
    assert!(
        message.contains("invalid_grant: grant request is invalid"),
        "{message}"
    );
}

fn jwt_credential(alg: &str, client: &str, secret: &str) -> JwtCredential {
    JwtCredential {
        headers: JwtHeaders {
            alg: alg.to_owned(),
            jku: String::new(),
            jwk: String::new(),
            typ: "JWT".to_owned(),
            // The provider derives the HMAC key from the client secret, without a key id.
            kid: if alg.starts_with("HS") {
                String::new()
            } else {
                alg.to_owned()
            },
            x5u: String::new(),
            x5c: String::new(),
            x5t: String::new(),
            x5t_s256: String::new(),
            cty: String::new(),
            crit: Vec::new(),
        },
        claims: JwtClaims {
            iss: client.to_owned(),
            sub: client.to_owned(),
            aud: provider().token_url(),
            exp: 120,
            nbf: 0,
            iat: 0,
            jti: String::new(),
            act: String::new(),
            scope: Vec::new(),
            client_id: String::new(),
            may_act: String::new(),
        },
        secret: Secret::from(secret),
    }
}

/// Authenticates `client` to the token endpoint with a JWT (RFC 7523 §2.2): the provider checks
/// its signature, issuer, audience, expiry and that its `jti` is new.
fn client_assertion(client: &str, assertion: &Secret) -> (u16, Value) {
    crate::support::runtime(1).block_on(async {
        let response = reqwest::Client::new()
            .post(provider().token_url())
            .form(&[
                ("grant_type", "client_credentials"),
                ("scope", "api:read"),
                ("client_id", client),
                (
                    "client_assertion_type",
                    "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                ),
                ("client_assertion", assertion.expose()),
            ])
            .send()
            .await
            .unwrap();
        (response.status().as_u16(), response.json().await.unwrap())
    })
}

#[test]
fn jwt_credentials_are_verified_by_the_provider_hs256_rs256_es256() {
    let cases = [
        ("HS256", "hs-client", provider().secret("hs")),
        (
            "RS256",
            "rs-client",
            provider().ready["rs256_private_key"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
        (
            "ES256",
            "es-client",
            provider().ready["es256_private_key"]
                .as_str()
                .unwrap()
                .to_owned(),
        ),
    ];
    for (alg, client, secret) in cases {
        let credential = jwt_credential(alg, client, &secret);
        let token = sign_jwt(&credential).unwrap();
        let (status, body) = client_assertion(client, &token);
        assert_eq!(status, 200, "{alg}: {body}");
        assert_eq!(
            whois(body["access_token"].as_str().unwrap())["client_id"],
            client
        );
        // The same JWT again is a replay; a fresh one (new jti, iat, exp) is accepted.
        let (status, body) = client_assertion(client, &token);
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("invalid_client")),
            "{body}"
        );
        let (status, body) = client_assertion(client, &sign_jwt(&credential).unwrap());
        assert_eq!(status, 200, "{alg} fresh: {body}");
    }
    // Signed with another key: the provider refuses it.
    let other = provider().ready["rs256_private_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let forged = sign_jwt(&jwt_credential("HS256", "hs-client", &other)).unwrap();
    let (status, body) = client_assertion("hs-client", &forged);
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("invalid_client")),
        "{body}"
    );
}

fn service_account(key: Value) -> Context<()> {
    let account: ServiceAccountCredential = serde_json::from_value(json!({
        "key": key, "impersonation_email": "ann@corp.example", "tenant_id": "corp.example",
        "scopes": ["api:read"]
    }))
    .unwrap();
    let auth = AuthCredential {
        service_account: Some(account),
        ..AuthCredential::default()
    };
    Context::new((), Some(auth))
}

#[test]
fn service_account_token_exchange_is_verified_by_the_provider() {
    let key = provider().ready["service_account"].clone();
    let token = crate::support::runtime(1)
        .block_on(service_account(key.clone()).service_account_token())
        .unwrap();
    let whois = whois(token.expose());
    assert_eq!(whois["sub"], "ann@corp.example", "{whois}");
    assert_eq!(whois["iss"], "robot@sa.example.com", "{whois}");
    assert_eq!(whois["scope"], "api:read", "{whois}");

    // A key whose private half is not the account's: the provider's JOSE check refuses it.
    let mut forged = key;
    forged["private_key"] = provider().ready["rs256_private_key"].clone();
    let error = crate::support::runtime(1)
        .block_on(service_account(forged.clone()).service_account_token())
        .unwrap_err();
    assert_eq!(error.code().as_str(), "authentication_expired", "{error}");
    assert!(
        error.message().contains("assertion rejected"),
        "{}",
        error.message()
    );
    let pem = forged["private_key"].as_str().unwrap();
    let body_line = pem.lines().nth(2).unwrap();
    assert!(!format!("{error:?} {error}").contains(body_line));
}
