//! The OAuth flows end to end: the compiled connector against the mock app's provider.

use serde_json::{Value, json};

use crate::support::run;

fn call(capability: &str, request: &Value) -> Value {
    let doc = run(&[capability, "--json", &request.to_string()]).document();
    assert_eq!(doc.get("is_error"), None, "{capability}: {doc}");
    doc
}

fn list_accounts(host: &str, token: &str) -> Vec<Value> {
    let doc = call(
        "list_accounts",
        &json!({"auth": {"oauth": {"access_token": token}}, "request": {}, "settings": {"host": host}, "page": {"size": 5}}),
    );
    doc["response"].as_array().unwrap().clone()
}

#[test]
fn the_authorization_code_flow_end_to_end() {
    let runtime = crate::support::runtime(1);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(12)))
        .unwrap();
    let host = app.url();
    let settings = json!({"host": host});

    // 1. The URL the user's browser is sent to.
    let doc = call(
        "get_authorization_url",
        &json!({
            "request": {"client_id": "mock-client", "redirect_uri": "https://platform.example.com/oauth/cb", "state": "st-42", "scopes": []},
            "settings": settings,
        }),
    );
    let url = doc["response"]["authorization_url"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(url.starts_with(&format!("{host}/oauth/authorize?client_id=mock-client&response_type=code&scope=profile%3Aread+users%3Aread+groups%3Aread+")), "{url}");

    // 2. The browser follows it and is redirected back with a code.
    let redirect = runtime.block_on(async {
        let client = crate::support::http()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let response = client.get(&url).send().await.unwrap();
        assert_eq!(response.status(), 302);
        response.headers()["location"].to_str().unwrap().to_owned()
    });
    assert!(
        redirect.starts_with("https://platform.example.com/oauth/cb?code="),
        "{redirect}"
    );
    assert!(redirect.ends_with("&state=st-42"), "{redirect}");

    // 3. The callback: code → tokens.
    let doc = call(
        "handle_authorization_callback",
        &json!({
            "request": {"client_id": "mock-client", "client_secret": "mock-client-secret", "redirect_uri_with_code": redirect, "state": "st-42"},
            "settings": settings,
        }),
    );
    let access = doc["response"]["access_token"].as_str().unwrap().to_owned();
    let refresh = doc["response"]["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(doc["response"]["token_type"], "bearer");
    assert_eq!(doc["raw_data"], Value::Null, "raw data only when asked for");

    // 4. The token works.
    assert_eq!(list_accounts(&host, &access).len(), 5);
    let validated = call(
        "validate_credentials",
        &json!({"auth": {"oauth": {"access_token": access}}, "request": {}, "settings": settings}),
    );
    assert_eq!(validated["response"]["unique_tenant_id"], "mock-app-tenant");

    // 5. Refresh, and the new token works too.
    let doc = call(
        "refresh_access_token",
        &json!({
            "request": {"client_id": "mock-client", "client_secret": "mock-client-secret", "refresh_token": refresh},
            "settings": settings,
            "include_raw_data": true,
        }),
    );
    let renewed = doc["response"]["access_token"].as_str().unwrap().to_owned();
    assert_ne!(renewed, access);
    assert_eq!(doc["raw_data"]["expires_in"], 3600);
    assert_eq!(list_accounts(&host, &renewed).len(), 5);

    // A made-up token is refused by the app.
    let out = run(&["list_accounts", "--json", &json!({"auth": {"oauth": {"access_token": "forged"}}, "request": {}, "settings": settings}).to_string()]);
    out.expect_error("unauthorized");
}

#[test]
fn a_wrong_client_secret_is_unauthorized_and_never_echoed() {
    let runtime = crate::support::runtime(1);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(1)))
        .unwrap();
    let out = run(&["refresh_access_token", "--json", &json!({
        "request": {"client_id": "mock-client", "client_secret": "not-the-secret", "refresh_token": "rt-x"},
        "settings": {"host": app.url()},
    }).to_string()]);
    let error = out.expect_error("unauthorized");
    assert_eq!(error["status_code"], 401);
    assert!(!out.stdout.contains("not-the-secret"));
}

#[test]
fn the_client_credentials_flow_end_to_end() {
    use connector_sdk::{AuthKind, Integration};

    let runtime = crate::support::runtime(1);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(7)))
        .unwrap();
    let integration =
        Integration::builder(mock_connector::MockConnector, "mock-connector", "0.0.0")
            .auth(AuthKind::OAuthClientCredentials)
            .list_accounts()
            .oauth(mock_connector::oauth_settings())
            .build();
    let settings = json!({"host": app.url()});
    let tokens = runtime
        .block_on(integration.dispatch(
            "handle_client_credentials_request",
            &json!({"request": {"client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": []}, "settings": settings}).to_string(),
        ))
        .to_value();
    let access = tokens["response"]["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("{tokens}"))
        .to_owned();
    let accounts = runtime
        .block_on(integration.dispatch(
            "list_accounts",
            &json!({
                "auth": {"oauth_client_credentials": {"access_token": access, "client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": []}},
                "request": {}, "settings": settings
            })
            .to_string(),
        ))
        .to_value();
    assert_eq!(
        accounts["response"].as_array().map(Vec::len),
        Some(7),
        "{accounts}"
    );
}

#[test]
fn the_client_credentials_grant_of_the_oauth_module_through_the_binary() {
    let runtime = crate::support::runtime(1);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(9)))
        .unwrap();
    let host = app.url();
    let doc = call(
        "handle_client_credentials_request",
        &json!({
            "request": {"client_id": "mock-client", "client_secret": "mock-client-secret", "scopes": []},
            "settings": {"host": host},
        }),
    );
    assert_eq!(doc["response"]["token_type"], "bearer");
    assert_eq!(doc["response"]["refresh_token"], Value::Null);
    let access = doc["response"]["access_token"].as_str().unwrap().to_owned();
    assert_eq!(list_accounts(&host, &access).len(), 5);

    let out = run(&["handle_client_credentials_request", "--json", &json!({
        "request": {"client_id": "mock-client", "client_secret": "not-the-secret", "scopes": []},
        "settings": {"host": host},
    }).to_string()]);
    let error = out.expect_error("unauthorized");
    assert_eq!(
        error["raised_in"],
        "connector_sdk.oauth:handle_client_credentials_request"
    );
    assert!(!out.stdout.contains("not-the-secret"));
}
