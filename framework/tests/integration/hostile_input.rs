//! Hostile apps and hostile input (issue 11, items 6 and 7): no form of a secret reaches an
//! envelope or a log line, messages are bounded, and bad bytes are bad requests.

use std::ffi::OsString;
use std::io;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use connector_sdk::oauth::{Endpoint, OAuthSettings};
use connector_sdk::prelude::*;
use connector_sdk::wire::{self, Secret};
use connector_sdk::{AuthKind, ConnectorError, Context, Integration};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

const USER: &str = "alice";
/// A password whose encodings all differ from it: a space, a `/`, a `+`, a `%`, non-ASCII.
const PASSWORD: &str = "pa55 w0rd/Sécret+%";
const API_KEY: &str = "key/SECRET 123";
const URL_PASSWORD: &str = "url-PASS-word";

/// Every form of `secret` that an app, a library or a log may produce.
fn forms(secret: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(secret.as_bytes()).collect();
    let every: String = secret.bytes().map(|b| format!("%{b:02X}")).collect();
    let mut forms = vec![
        secret.to_owned(),
        form.clone(),
        lower_hex(&form),
        form.replace('+', "%20"),
        every.clone(),
        lower_hex(&every),
    ];
    for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
        forms.push(engine.encode(secret));
    }
    forms
}

/// The forms of the password and the API key, and of the `user:password` of a Basic header.
fn secret_forms() -> Vec<String> {
    let mut all = forms(PASSWORD);
    all.extend(forms(API_KEY));
    for engine in [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD] {
        all.push(engine.encode(format!("{USER}:{PASSWORD}")));
    }
    all
}

/// `%XX` escapes in lower case, the rest untouched.
fn lower_hex(text: &str) -> String {
    let mut out = String::new();
    let mut hex_left = 0;
    for c in text.chars() {
        if hex_left > 0 {
            out.push(c.to_ascii_lowercase());
            hex_left -= 1;
        } else {
            hex_left = if c == '%' { 2 } else { 0 };
            out.push(c);
        }
    }
    out
}

fn assert_no_secret(text: &str, secrets: &[String]) {
    for secret in secrets {
        assert!(!text.contains(secret.as_str()), "`{secret}` leaked: {text}");
    }
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Settings {
    /// Base URL of the app.
    base_url: String,
    /// A secret setting.
    #[serde(default)]
    api_key: Option<Secret>,
}

/// Echoes what it is given into its errors, as careless apps and connectors do.
struct Echo;

impl Connector for Echo {
    type Settings = Settings;
}

impl DeleteAccount for Echo {
    async fn delete_account(
        &self,
        ctx: &Context<Settings>,
        request: wire::DeleteAccount,
    ) -> Result<wire::DeletedAccount, ConnectorError> {
        let id = request.account_id;
        match id.as_str() {
            "call-the-app" => {
                let client = connector_sdk::http::HttpClient::for_request(
                    ctx,
                    ctx.settings().base_url.clone(),
                )
                .build()?;
                let _: Value = client.get_json("/users/1", &[]).await?;
                Err(ConnectorError::internal_error("the app should have failed"))
            }
            "echo-encodings" => {
                let mut forms = secret_forms();
                forms.push(format!("Authorization: Basic {}", forms[forms.len() - 4]));
                Err(
                    ConnectorError::api_error(format!("echo: {}", forms.join(" | ")))
                        .with_app_error_code(format!("E {}", forms.join(","))),
                )
            }
            "echo-settings" => Err(ConnectorError::invalid_value(format!(
                "`{}` is not a valid base URL (key {})",
                ctx.settings().base_url,
                ctx.settings()
                    .api_key
                    .as_ref()
                    .map_or("", |key| key.expose()),
            ))),
            _ => Err(ConnectorError::not_found(format!("No account {id}"))),
        }
    }
}

fn echo() -> Integration<Echo> {
    Integration::builder(Echo, "echo-app", "1.0.0")
        .auth(AuthKind::Basic)
        .delete_account()
        .build()
}

fn request(base_url: &str, account_id: &str) -> String {
    json!({
        "auth": {"basic": {"username": USER, "password": PASSWORD}},
        "settings": {"base_url": base_url, "api_key": API_KEY},
        "request": {"account_id": account_id},
    })
    .to_string()
}

/// Collects what `tracing` writes while a test runs.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Captured {
    type Writer = Self;

    fn make_writer(&'a self) -> Self::Writer {
        self.clone()
    }
}

/// Runs `f` with every event of every level written to a buffer; returns the buffer too.
fn traced<T>(f: impl FnOnce() -> T) -> (T, String) {
    let captured = Captured::default();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(captured.clone())
        .finish();
    let out = tracing::subscriber::with_default(subscriber, f);
    let logs = String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned();
    (out, logs)
}

fn error_of(envelope: &Value) -> &Value {
    assert_eq!(envelope["is_error"], true, "{envelope}");
    &envelope["error"]
}

#[test]
fn an_app_echoing_the_authorization_header_leaks_no_form_of_the_password() {
    let runtime = crate::support::current_thread_runtime();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(|request: &wiremock::Request| {
                let header = request
                    .headers
                    .get("authorization")
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or("none")
                    .to_owned();
                ResponseTemplate::new(400).set_body_string(format!(
                    "bad request; you sent Authorization: {header} to {}",
                    request.url
                ))
            })
            .mount(&server)
            .await;
        server
    });
    let ((envelope, logs), sent) = {
        let (envelope, logs) = traced(|| {
            runtime
                .block_on(
                    echo().dispatch("delete_account", &request(&server.uri(), "call-the-app")),
                )
                .to_value()
        });
        let sent = runtime.block_on(server.received_requests()).unwrap();
        ((envelope, logs), sent)
    };
    // The app did get the credential, and did echo it.
    let basic = STANDARD.encode(format!("{USER}:{PASSWORD}"));
    assert_eq!(sent[0].headers["authorization"], format!("Basic {basic}"));
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "bad_request", "{envelope}");
    let message = error["message"].as_str().unwrap();
    assert!(message.contains("Authorization: [REDACTED]"), "{message}");
    assert_no_secret(&envelope.to_string(), &secret_forms());
    assert_no_secret(&logs, &secret_forms());
}

#[test]
fn a_handler_quoting_every_encoding_of_the_secrets_leaks_none() {
    let envelope = crate::support::current_thread_runtime()
        .block_on(echo().dispatch("delete_account", &request("http://app", "echo-encodings")))
        .to_value();
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "api_error", "{envelope}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("echo: [REDACTED] | [REDACTED] |"),
        "{envelope}"
    );
    assert_no_secret(&envelope.to_string(), &secret_forms());
}

#[test]
fn userinfo_in_a_settings_url_reaches_no_envelope_and_no_trace_log() {
    let base_url = format!("http://{USER}:{URL_PASSWORD}@127.0.0.1:1/api");
    let url_forms = {
        let mut forms = forms(URL_PASSWORD);
        forms.push(STANDARD.encode(format!("{USER}:{URL_PASSWORD}")));
        forms.push(format!("{USER}:"));
        forms.push(format!("{USER}@"));
        forms
    };
    for id in ["echo-settings", "call-the-app"] {
        let (envelope, logs) = traced(|| {
            crate::support::current_thread_runtime()
                .block_on(echo().dispatch("delete_account", &request(&base_url, id)))
                .to_value()
        });
        let error = error_of(&envelope);
        if id == "echo-settings" {
            assert_eq!(error["error_code"], "invalid_value", "{envelope}");
            assert_eq!(
                error["message"],
                "`http://[REDACTED]@127.0.0.1:1/api` is not a valid base URL (key [REDACTED])"
            );
        } else {
            // The SDK's client refuses a base URL with userinfo: credentials go in `auth`.
            assert_eq!(error["error_code"], "invalid_value", "{envelope}");
            let message = error["message"].as_str().unwrap();
            assert!(message.contains("username or password"), "{message}");
        }
        assert!(logs.contains("DEBUG"), "the request is logged: {logs}");
        for text in [envelope.to_string(), logs] {
            assert_no_secret(&text, &url_forms);
            assert_no_secret(&text, &secret_forms());
        }
    }
}

#[test]
fn a_20_mb_id_gives_a_1_kib_message_and_bounded_logs() {
    let id = "x".repeat(20 << 20);
    let (envelope, logs) = traced(|| {
        crate::support::current_thread_runtime()
            .block_on(echo().dispatch("delete_account", &request("http://app", &id)))
            .to_value()
    });
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "not_found");
    let message = error["message"].as_str().unwrap();
    let total = "No account ".len() + id.len();
    let marker = format!("… [truncated, {total} bytes in all]");
    assert!(message.ends_with(&marker), "{}", &message[..100]);
    assert_eq!(message.len(), 1024 + marker.len());
    assert!(logs.len() < 16 * 1024, "{} bytes of logs", logs.len());

    // A message built before any handler runs is bounded the same way.
    let name = "n".repeat(20 << 20);
    let envelope = crate::support::current_thread_runtime()
        .block_on(echo().dispatch(&name, "{}"))
        .to_value();
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "not_implemented");
    let message = error["message"].as_str().unwrap();
    assert!(message.len() <= 1024 + 64, "{} bytes", message.len());
    assert!(message.ends_with(" bytes in all]"), "{}", &message[..100]);
}

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct ProviderSettings {
    /// Where the provider is.
    base: String,
}

struct OAuthApp;

impl Connector for OAuthApp {
    type Settings = ProviderSettings;
}

fn oauth_app() -> Integration<OAuthApp> {
    let settings = OAuthSettings::code_flow(
        Endpoint::from_settings(|s: &ProviderSettings| format!("{}/authorize", s.base)),
        Endpoint::from_settings(|s: &ProviderSettings| format!("{}/oauth/token", s.base)),
    );
    Integration::builder(OAuthApp, "oauth-app", "1.0.0")
        .oauth(settings)
        .build()
}

#[test]
fn the_oauth_code_is_never_logged_nor_echoed() {
    const CODE: &str = "AUTH-C0DE-4242";
    let runtime = crate::support::current_thread_runtime();
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(|request: &wiremock::Request| {
                let body = String::from_utf8_lossy(&request.body).into_owned();
                ResponseTemplate::new(400).set_body_json(json!({
                    "error": "invalid_grant",
                    "error_description": format!("bad grant in {body}")
                }))
            })
            .mount(&server)
            .await;
        server
    });
    // (Userinfo in the provider URL is refused by the client: see the settings-URL test.)
    let base = server.uri();
    let request = json!({
        "request": {
            "client_id": "cid",
            "client_secret": "client-SECRET-9",
            "redirect_uri_with_code": format!("https://app.example/cb?code={CODE}&state=st"),
            "state": "st"
        },
        "settings": {"base": base}
    });
    let (envelope, logs) = traced(|| {
        runtime
            .block_on(oauth_app().dispatch("handle_authorization_callback", &request.to_string()))
            .to_value()
    });
    let sent = runtime.block_on(server.received_requests()).unwrap();
    assert!(
        String::from_utf8_lossy(&sent[0].body).contains(CODE),
        "the provider got the code"
    );
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "authentication_expired", "{envelope}");
    assert!(logs.contains("redirect_uri_with_code"), "{logs}");
    let mut secrets = forms(CODE);
    secrets.extend(forms("client-SECRET-9"));
    secrets.extend(forms(URL_PASSWORD));
    secrets.push(format!("{USER}@"));
    for text in [envelope.to_string(), logs] {
        assert_no_secret(&text, &secrets);
    }
}

#[test]
fn get_authorization_url_never_carries_userinfo() {
    let request = |base: &str| {
        json!({
            "request": {"client_id": "cid", "redirect_uri": "https://app/cb", "state": "s", "scopes": []},
            "settings": {"base": base}
        })
        .to_string()
    };
    let integration = oauth_app();
    let base = format!("https://{USER}:{URL_PASSWORD}@provider.example");
    let (envelope, logs) = traced(|| {
        crate::support::current_thread_runtime()
            .block_on(integration.dispatch("get_authorization_url", &request(&base)))
            .to_value()
    });
    let url = envelope["response"]["authorization_url"].as_str().unwrap();
    assert!(
        url.starts_with("https://provider.example/authorize?client_id=cid&"),
        "{url}"
    );
    let mut secrets = forms(URL_PASSWORD);
    secrets.push(format!("{USER}@"));
    secrets.push(format!("{USER}:"));
    assert_no_secret(&envelope.to_string(), &secrets);
    assert_no_secret(&logs, &secrets);

    // An authorization URL that does not parse is named without its userinfo.
    let base = format!("https://{USER}:{URL_PASSWORD}@provider example");
    let envelope = crate::support::current_thread_runtime()
        .block_on(integration.dispatch("get_authorization_url", &request(&base)))
        .to_value();
    let error = error_of(&envelope);
    assert_eq!(error["error_code"], "invalid_value", "{envelope}");
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .starts_with("The authorization URL `https://[REDACTED]@provider example/authorize`"),
        "{envelope}"
    );
    assert_no_secret(&envelope.to_string(), &secrets);
}

/// What `execute` printed: its exit code and the one document.
fn run_cli(args: Vec<OsString>) -> (u8, Value) {
    let outcome = crate::support::current_thread_runtime()
        .block_on(connector_sdk::cli::execute(&echo(), args));
    let document = serde_json::from_str(outcome.stdout.trim_end())
        .unwrap_or_else(|e| panic!("{e}: {outcome:?}"));
    (outcome.exit_code, document)
}

fn assert_bad_utf8(exit_code: u8, envelope: &Value, offset: usize) {
    assert_eq!(exit_code, 0, "{envelope}");
    let error = error_of(envelope);
    assert_eq!(error["error_code"], "bad_request", "{envelope}");
    assert_eq!(
        error["message"],
        format!("Invalid request - the request is not valid JSON: invalid UTF-8 at byte {offset}")
    );
}

#[test]
fn invalid_utf8_in_a_json_file_is_a_bad_request() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("request.json");
    std::fs::write(&path, b"{\"request\": {\"account_id\": \"\xc3\x28\"}}").unwrap();
    let (code, envelope) = run_cli(vec![
        "echo".into(),
        "delete_account".into(),
        "--json-file".into(),
        path.into_os_string(),
    ]);
    assert_bad_utf8(code, &envelope, 28);
}

#[cfg(unix)]
#[test]
fn invalid_utf8_in_json_is_a_bad_request() {
    use std::os::unix::ffi::OsStringExt;
    let json = OsString::from_vec(b"{\"request\": \"\xff\"}".to_vec());
    let (code, envelope) = run_cli(vec![
        "echo".into(),
        "delete_account".into(),
        "--json".into(),
        json,
    ]);
    assert_bad_utf8(code, &envelope, 13);
}
