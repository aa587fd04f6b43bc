//! The OAuth module against wiremock: every token request variant byte for byte, the error
//! mapping, dynamic token URLs, and `info`.

use connector_sdk::oauth::{ClientAuth, Endpoint, OAuthSettings, TokenEncoding, TokenMethod};
use connector_sdk::prelude::*;
use connector_sdk::wire::{self, CapabilityName};
use connector_sdk::{ConnectorError, Context, Integration};
use serde_json::{Value, json};
use wiremock::{Mock, MockServer, ResponseTemplate, matchers::any};

#[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
struct Settings {
    /// Where the provider is.
    base: String,
}

struct App;

impl Connector for App {
    type Settings = Settings;
}

fn integration(settings: OAuthSettings<Settings>) -> Integration<App> {
    Integration::builder(App, "oauth-app", "1.0.0")
        .oauth(settings)
        .build()
}

fn token_url() -> Endpoint<Settings> {
    Endpoint::from_settings(|s: &Settings| format!("{}/oauth/token", s.base))
}

/// Both grants, the code flow at a fixed authorization URL and a token URL from the settings.
fn dynamic() -> OAuthSettings<Settings> {
    OAuthSettings::code_flow(
        "https://provider.example.com/authorize?prompt=consent",
        token_url(),
    )
    .with_client_credentials()
    .scope(CapabilityName::ListAccounts, "users:read groups:read")
    .scope(CapabilityName::AssignEntitlement, "groups:write users:read")
}

/// The client-credentials grant only.
fn machine_to_machine() -> OAuthSettings<Settings> {
    OAuthSettings::client_credentials(token_url())
        .scope(CapabilityName::ListAccounts, "users:read groups:read")
        .scope(CapabilityName::AssignEntitlement, "groups:write users:read")
}

fn dispatch(integration: &Integration<App>, capability: &str, request: Value) -> Value {
    crate::support::runtime(1)
        .block_on(integration.dispatch(capability, &request.to_string()))
        .to_value()
}

/// Runs one token capability against a fresh provider; returns the envelope and the request
/// the provider received.
fn exchange(
    settings: OAuthSettings<Settings>,
    capability: &str,
    payload: Value,
    answer: ResponseTemplate,
) -> (Value, wiremock::Request) {
    let runtime = crate::support::runtime(1);
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(any())
            .respond_with(answer)
            .expect(1)
            .mount(&server)
            .await;
        server
    });
    let integration = integration(settings);
    let request =
        json!({"request": payload, "settings": {"base": server.uri()}, "include_raw_data": true});
    let envelope = runtime
        .block_on(integration.dispatch(capability, &request.to_string()))
        .to_value();
    let received = runtime
        .block_on(server.received_requests())
        .unwrap()
        .remove(0);
    (envelope, received)
}

fn ok_token() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": "AT-1", "refresh_token": "RT-1", "token_type": "Bearer", "expires_in": 3600
    }))
}

/// A grant: the capability, its payload, and the fields it must send.
type Grant = (&'static str, Value, Vec<(&'static str, &'static str)>);

fn grants() -> Vec<Grant> {
    vec![
        (
            "handle_authorization_callback",
            json!({"client_id": "cid", "client_secret": "sec-RET", "redirect_uri_with_code": "https://app/cb/path?code=C0DE&state=st", "state": "st"}),
            vec![
                ("grant_type", "authorization_code"),
                ("code", "C0DE"),
                ("redirect_uri", "https://app/cb/path"),
            ],
        ),
        (
            "refresh_access_token",
            json!({"client_id": "cid", "client_secret": "sec-RET", "refresh_token": "RT0"}),
            vec![("grant_type", "refresh_token"), ("refresh_token", "RT0")],
        ),
        (
            "handle_client_credentials_request",
            json!({"client_id": "cid", "client_secret": "sec-RET", "scopes": ["a", "b"]}),
            vec![("grant_type", "client_credentials"), ("scope", "a b")],
        ),
    ]
}

fn form_pairs(text: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(text.as_bytes())
        .into_owned()
        .collect()
}

#[test]
fn every_method_encoding_client_auth_and_grant_sends_the_exact_request() {
    let basic = format!("Basic {}", base64_encode("cid:sec-RET"));
    for method in [TokenMethod::Post, TokenMethod::Get] {
        for encoding in [
            TokenEncoding::Form,
            TokenEncoding::Json,
            TokenEncoding::Query,
        ] {
            for client_auth in [ClientAuth::Post, ClientAuth::Basic] {
                for (capability, payload, grant) in grants() {
                    let settings = dynamic()
                        .method(method)
                        .encoding(encoding)
                        .client_auth(client_auth);
                    let (envelope, received) = exchange(settings, capability, payload, ok_token());
                    let case = format!("{method:?} {encoding:?} {client_auth:?} {capability}");
                    assert_eq!(
                        envelope["response"]["access_token"], "AT-1",
                        "{case}: {envelope}"
                    );

                    let mut expected: Vec<(String, String)> = grant
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect();
                    if client_auth == ClientAuth::Post {
                        expected.push(("client_id".into(), "cid".into()));
                        expected.push(("client_secret".into(), "sec-RET".into()));
                    }
                    assert_eq!(
                        received.method.as_str(),
                        if method == TokenMethod::Post {
                            "POST"
                        } else {
                            "GET"
                        },
                        "{case}"
                    );
                    assert_eq!(received.url.path(), "/oauth/token", "{case}");
                    let content_type = received
                        .headers
                        .get("content-type")
                        .map(|v| v.to_str().unwrap().to_owned());
                    let body = String::from_utf8(received.body.clone()).unwrap();
                    let sent: Vec<(String, String)> = match encoding {
                        TokenEncoding::Form => {
                            assert_eq!(
                                content_type.as_deref(),
                                Some("application/x-www-form-urlencoded"),
                                "{case}"
                            );
                            assert_eq!(received.url.query(), None, "{case}");
                            form_pairs(&body)
                        }
                        TokenEncoding::Json => {
                            assert_eq!(content_type.as_deref(), Some("application/json"), "{case}");
                            let object: serde_json::Map<String, Value> =
                                serde_json::from_str(&body).unwrap();
                            object
                                .into_iter()
                                .map(|(k, v)| (k, v.as_str().unwrap().to_owned()))
                                .collect()
                        }
                        TokenEncoding::Query => {
                            assert!(body.is_empty(), "{case}: body {body}");
                            form_pairs(received.url.query().unwrap_or(""))
                        }
                    };
                    assert_eq!(sent, expected, "{case}");
                    let authorization = received
                        .headers
                        .get("authorization")
                        .map(|v| v.to_str().unwrap().to_owned());
                    match client_auth {
                        ClientAuth::Basic => {
                            assert_eq!(authorization.as_deref(), Some(basic.as_str()), "{case}")
                        }
                        ClientAuth::Post => assert_eq!(authorization, None, "{case}"),
                    }
                }
            }
        }
    }
}

fn base64_encode(text: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(text)
}

#[test]
fn the_form_body_matches_the_reference_byte_for_byte() {
    let (_, received) = exchange(
        dynamic(),
        "handle_authorization_callback",
        grants()[0].1.clone(),
        ok_token(),
    );
    assert_eq!(
        String::from_utf8(received.body).unwrap(),
        "grant_type=authorization_code&code=C0DE&redirect_uri=https%3A%2F%2Fapp%2Fcb%2Fpath&client_id=cid&client_secret=sec-RET"
    );
}

#[test]
fn token_responses_become_credentials_and_raw_data() {
    let answer =
        ResponseTemplate::new(200).set_body_json(json!({"access_token": "AT-2", "expires_in": 60}));
    let (envelope, _) = exchange(
        dynamic(),
        "refresh_access_token",
        grants()[1].1.clone(),
        answer,
    );
    assert_eq!(
        envelope["response"],
        json!({"access_token": "AT-2", "refresh_token": null, "token_type": "bearer", "state": null})
    );
    assert_eq!(
        envelope["raw_data"],
        json!({"access_token": "AT-2", "expires_in": 60, "token_type": "bearer"})
    );
}

#[test]
fn token_endpoint_errors_map_to_codes_without_the_client_secret() {
    let cases = [
        (
            400,
            json!({"error": "invalid_grant", "error_description": "refresh token expired"}),
            "authentication_expired",
        ),
        (
            401,
            json!({"error": "invalid_client", "error_description": "bad secret sec-RET"}),
            "unauthorized",
        ),
        (400, json!({"error": "unauthorized_client"}), "unauthorized"),
        (403, json!({"error": "access_denied"}), "permission_denied"),
        (429, json!({}), "rate_limit"),
        (500, json!({"error": "server_error"}), "api_error"),
        (502, json!({}), "api_error"),
    ];
    for (status, body, code) in cases {
        let answer = ResponseTemplate::new(status).set_body_json(body.clone());
        let settings = dynamic();
        let runtime = crate::support::runtime(1);
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(any()).respond_with(answer).mount(&server).await;
            server
        });
        let request = json!({"request": grants()[1].1, "settings": {"base": server.uri()}});
        let envelope = runtime
            .block_on(
                integration(settings.method(TokenMethod::Post))
                    .dispatch("refresh_access_token", &request.to_string()),
            )
            .to_value();
        let error = &envelope["error"];
        assert_eq!(error["error_code"], code, "{status} {body}: {envelope}");
        assert_eq!(error["status_code"], status);
        let text = envelope.to_string();
        assert!(!text.contains("sec-RET"), "client secret leaked: {text}");
        if let Some(description) = body.get("error_description").and_then(Value::as_str)
            && !description.contains("sec-RET")
        {
            assert!(text.contains(description), "{text}");
        }
    }
}

#[test]
fn the_authorization_url_is_encoded_with_deterministic_scopes() {
    let integration = integration(dynamic());
    let request = json!({
        "request": {"client_id": "c i+d", "redirect_uri": "https://app/cb?x=1&y=2", "state": "s t", "scopes": []},
        "settings": {"base": "https://unused"}
    });
    let envelope = dispatch(&integration, "get_authorization_url", request);
    assert_eq!(
        envelope["response"],
        json!({"authorization_url": "https://provider.example.com/authorize?prompt=consent&client_id=c+i%2Bd&response_type=code&scope=users%3Aread+groups%3Aread+groups%3Awrite&redirect_uri=https%3A%2F%2Fapp%2Fcb%3Fx%3D1%26y%3D2&state=s+t"})
    );
    let request = json!({
        "request": {"client_id": "c", "redirect_uri": "https://app/cb", "state": "s", "scopes": ["only:this"]},
        "settings": {"base": "https://unused"}
    });
    let url =
        dispatch(&integration, "get_authorization_url", request)["response"]["authorization_url"]
            .clone();
    assert!(
        url.as_str().unwrap().contains("scope=only%3Athis&"),
        "{url}"
    );
}

#[test]
fn pkce_returns_a_verifier_and_sends_it_back() {
    let integration = integration(dynamic().pkce(true));
    let request = json!({
        "request": {"client_id": "c", "redirect_uri": "https://app/cb", "state": "s", "scopes": []},
        "settings": {"base": "https://unused"}
    });
    let envelope = dispatch(&integration, "get_authorization_url", request);
    let verifier = envelope["response"]["code_verifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let url = envelope["response"]["authorization_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.contains("&code_challenge_method=S256"), "{url}");
    let mut payload = grants()[0].1.clone();
    payload["code_verifier"] = json!(verifier);
    let (_, received) = exchange(
        dynamic().pkce(true),
        "handle_authorization_callback",
        payload,
        ok_token(),
    );
    let sent = form_pairs(&String::from_utf8(received.body).unwrap());
    assert!(
        sent.contains(&("code_verifier".to_owned(), verifier)),
        "{sent:?}"
    );
}

#[test]
fn a_state_mismatch_is_a_bad_request() {
    let mut payload = grants()[0].1.clone();
    payload["state"] = json!("other");
    let envelope = dispatch(
        &integration(dynamic()),
        "handle_authorization_callback",
        json!({"request": payload, "settings": {"base": "http://127.0.0.1:9"}}),
    );
    assert_eq!(envelope["error"]["error_code"], "bad_request");
    assert!(
        envelope["error"]["message"]
            .as_str()
            .unwrap()
            .contains("state")
    );
}

#[test]
fn oauth_capabilities_still_need_settings() {
    let envelope = dispatch(
        &integration(dynamic()),
        "refresh_access_token",
        json!({"request": grants()[1].1}),
    );
    assert_eq!(
        envelope["error"]["message"],
        "No settings passed on request: oauth-app requires Settings"
    );
}

struct HandWritten;

impl Connector for HandWritten {
    type Settings = Settings;
}

impl RefreshAccessToken for HandWritten {
    async fn refresh_access_token(
        &self,
        _ctx: &Context<Settings>,
        _request: wire::RefreshAccessToken,
    ) -> Result<wire::OauthCredentials, ConnectorError> {
        Ok(wire::OauthCredentials {
            access_token: "hand-written".into(),
            refresh_token: None,
            token_type: wire::TokenType::Bearer,
            state: None,
        })
    }
}

#[test]
fn hand_written_and_switched_off_capabilities_are_left_to_the_connector() {
    let integration = Integration::builder(HandWritten, "hw", "1")
        .oauth(dynamic().without(CapabilityName::GetAuthorizationUrl))
        .refresh_access_token()
        .build();
    assert_eq!(
        integration.capabilities(),
        vec![
            CapabilityName::HandleAuthorizationCallback,
            CapabilityName::HandleClientCredentialsRequest,
            CapabilityName::RefreshAccessToken
        ]
    );
    let envelope = crate::support::runtime(1)
        .block_on(integration.dispatch(
            "refresh_access_token",
            &json!({"request": grants()[1].1, "settings": {"base": "x"}}).to_string(),
        ))
        .to_value();
    assert_eq!(envelope["response"]["access_token"], "hand-written");
}

#[test]
fn info_reports_scopes_and_the_oauth_schemas() {
    let code_flow = integration(dynamic()).info();
    assert_eq!(
        code_flow.oauth_scopes,
        Some(
            [
                (
                    "assign_entitlement".to_owned(),
                    "groups:write users:read".to_owned()
                ),
                (
                    "list_accounts".to_owned(),
                    "users:read groups:read".to_owned()
                )
            ]
            .into()
        )
    );
    // Both grants side by side.
    for name in [
        "get_authorization_url",
        "handle_authorization_callback",
        "handle_client_credentials_request",
        "refresh_access_token",
    ] {
        assert!(code_flow.capability_schema.contains_key(name), "{name}");
    }
    assert_eq!(
        code_flow.capability_schema["get_authorization_url"].output["title"],
        "AuthorizationUrl"
    );
    let client_credentials = integration(machine_to_machine()).info();
    assert_eq!(
        client_credentials.capabilities,
        vec![
            CapabilityName::HandleClientCredentialsRequest,
            CapabilityName::RefreshAccessToken
        ]
    );
}
