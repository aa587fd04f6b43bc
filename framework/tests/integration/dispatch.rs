//! Dispatch in process: handler outcomes, error mapping, pagination, raw data, secrets.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{dispatch, integration, integration_with, request};

fn error_of(envelope: &Value) -> &Value {
    assert_eq!(envelope["is_error"], true, "{envelope}");
    &envelope["error"]
}

#[test]
fn a_panicking_handler_yields_unexpected_error() {
    let out = dispatch(
        &integration(false),
        "delete_account",
        &request("http://x", json!({"account_id": "panic"})),
    );
    let error = error_of(&out);
    assert_eq!(error["error_code"], "unexpected_error");
    assert_eq!(
        error["message"],
        "The capability panicked: boom in the handler"
    );
    assert_eq!(error["raised_in"], "integration.support:delete_account");
}

#[test]
fn foreign_errors_are_unexpected_with_their_type_name() {
    let out = dispatch(
        &integration(false),
        "delete_account",
        &request("http://x", json!({"account_id": "io"})),
    );
    let error = error_of(&out);
    assert_eq!(error["error_code"], "unexpected_error");
    assert_eq!(error["message"], "disk on fire");
    assert_eq!(error["raised_by"], "io::Error");
}

#[test]
fn integration_error_handlers_map_by_type() {
    let request = request("http://x", json!({"account_id": "app"}));
    let unmapped = dispatch(&integration(false), "delete_account", &request);
    assert_eq!(error_of(&unmapped)["error_code"], "unexpected_error");
    let mapped = dispatch(&integration(true), "delete_account", &request);
    let error = error_of(&mapped);
    assert_eq!(error["error_code"], "permission_denied");
    assert_eq!(error["app_error_code"], "NO");
    assert_eq!(error["message"], "the app refused");
    assert_eq!(error["raised_by"], "AppSaidNo");
}

#[test]
fn connector_errors_keep_their_code() {
    let out = dispatch(
        &integration(true),
        "delete_account",
        &request("http://x", json!({"account_id": "coded"})),
    );
    let error = error_of(&out);
    assert_eq!(error["error_code"], "not_found");
    assert_eq!(error["app_error_code"], "E-404");
    assert_eq!(error["raised_by"], "ConnectorError");
    assert_eq!(error["status_code"], Value::Null);
}

#[test]
fn http_status_errors_go_through_the_default_handler() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (status, code) in [
        (400, "bad_request"),
        (401, "unauthorized"),
        (403, "permission_denied"),
        (404, "not_found"),
        (429, "rate_limit"),
        (500, "api_error"),
        (409, "api_error"),
    ] {
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .and(path("/users/1"))
                .respond_with(ResponseTemplate::new(status))
                .mount(&server)
                .await;
            server
        });
        let out = dispatch(
            &integration(false),
            "delete_account",
            &request(&server.uri(), json!({"account_id": "http"})),
        );
        let error = error_of(&out);
        assert_eq!(error["error_code"], code, "{status}");
        assert_eq!(error["status_code"], status, "{status}");
        assert_eq!(error["raised_by"], "reqwest::Error");
        let message = error["message"].as_str().unwrap();
        assert!(
            message.contains(&format!("{}/users/1", server.uri())),
            "{message}"
        );
        assert!(
            !message.contains("api_key"),
            "the query string is left out: {message}"
        );
    }
}

#[test]
fn secrets_never_appear_in_error_envelopes() {
    let integration = integration(false);
    let secrets = ["pa55word-SECRET", "key-SECRET-123"];
    let mut envelopes = vec![dispatch(
        &integration,
        "delete_account",
        &request("http://x", json!({"account_id": "leak"})),
    )];
    // A secret in a wrongly-typed field, and a malformed credential.
    envelopes.push(dispatch(
        &integration,
        "delete_account",
        &json!({
            "auth": {"basic": {"username": "alice", "password": "pa55word-SECRET"}},
            "settings": {"base_url": "key-SECRET-123", "api_key": 5},
            "request": {"account_id": "x"}
        }),
    ));
    envelopes.push(dispatch(
        &integration,
        "delete_account",
        &json!({
            "auth": {"basic": {"username": "alice", "password": ["pa55word-SECRET"]}},
            "request": {"account_id": "x"}
        }),
    ));
    envelopes.push(dispatch(
        &integration,
        "delete_account",
        &json!({
            "auth": {"token": {"token": "pa55word-SECRET"}},
            "settings": {"base_url": 7, "api_key": "key-SECRET-123"},
            "request": {"account_id": "x"}
        }),
    ));
    for envelope in &envelopes {
        let text = envelope.to_string();
        assert_eq!(envelope["is_error"], true, "{text}");
        for secret in secrets {
            assert!(!text.contains(secret), "secret leaked: {text}");
        }
    }
    assert!(envelopes[0].to_string().contains("[REDACTED]"));
}

#[test]
fn listings_page_and_carry_raw_data_only_when_asked() {
    let integration = integration(false);
    let mut req = request("http://x", json!({}));
    req["page"] = json!({"size": 2});
    let first = dispatch(&integration, "list_accounts", &req);
    assert_eq!(first["response"].as_array().unwrap().len(), 2);
    assert_eq!(first["page"], json!({"token": "2", "size": 2}));
    assert_eq!(first["raw_data"], Value::Null);

    req["page"] = json!({"token": "4", "size": 2});
    req["include_raw_data"] = json!(true);
    let last = dispatch(&integration, "list_accounts", &req);
    assert_eq!(
        last["response"],
        json!([{
            "integration_specific_id": "u4", "email": null, "given_name": null, "family_name": null,
            "username": null, "user_status": null, "extra_data": null, "custom_attributes": null,
            "account_type": null
        }])
    );
    assert_eq!(last["page"], Value::Null);
    assert_eq!(last["raw_data"], json!({"source": "test"}));
}

#[test]
fn a_bad_page_token_from_a_handler_is_reported_not_panicked() {
    let mut req = request("http://x", json!({}));
    req["page"] = json!({"token": "not-a-number"});
    let out = dispatch(&integration(false), "list_accounts", &req);
    assert_eq!(error_of(&out)["error_code"], "unexpected_error");
}

#[test]
fn any_accepted_kind_passes_and_others_are_named() {
    let integration = integration(false);
    let token =
        json!({"auth": {"token": {"token": "t"}}, "settings": {"base_url": "u"}, "request": {}});
    assert!(dispatch(&integration, "list_accounts", &token)["response"].is_array());
    let oauth = json!({"auth": {"oauth": {"access_token": "t"}}, "settings": {"base_url": "u"}, "request": {"account_id": "ok"}});
    let out = dispatch(&integration, "delete_account", &oauth);
    assert_eq!(
        error_of(&out)["message"],
        "Missing auth in request: expected one of 'basic', 'token'"
    );
}

#[test]
fn an_unregistered_capability_is_not_implemented_in_process() {
    let out = dispatch(&integration(false), "create_account", &json!({}));
    let error = error_of(&out);
    assert_eq!(error["error_code"], "not_implemented");
    assert_eq!(
        error["message"],
        "Capability 'create_account' is not implemented."
    );
}

#[test]
fn info_marks_secret_settings_and_lists_capabilities() {
    let info = integration(false).info();
    assert_eq!(info.capabilities.len(), 2);
    let settings = serde_json::to_value(&info.request_settings_schema).unwrap();
    assert_eq!(settings["properties"]["api_key"]["x-field_type"], "SECRET");
    assert_eq!(settings["properties"]["api_key"]["title"], "Api Key");
    assert_eq!(settings["required"], json!(["base_url"]));
    let auth = serde_json::to_value(&info.authentication_schema).unwrap();
    assert!(auth["properties"]["basic"].is_object() && auth["properties"]["token"].is_object());
    let list = serde_json::to_value(&info.capability_schema["list_accounts"]).unwrap();
    assert_eq!(
        list["output"],
        json!({"properties": {}, "title": "Empty", "type": "object"})
    );
}

#[test]
fn the_integration_retry_policy_and_user_agent_reach_the_request_client() {
    use connector_sdk::http::RetryPolicy;
    use std::time::Duration;
    use wiremock::matchers::header;
    let runtime = tokio::runtime::Runtime::new().unwrap();
    for (retries, expected) in [(0, "api_error"), (2, "ok")] {
        let server = runtime.block_on(async {
            let server = MockServer::start().await;
            Mock::given(method("GET"))
                .and(header("user-agent", "test-app/9.9.9"))
                .respond_with(ResponseTemplate::new(503))
                .up_to_n_times(1)
                .mount(&server)
                .await;
            Mock::given(method("GET"))
                .and(header("user-agent", "test-app/9.9.9"))
                .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
                .mount(&server)
                .await;
            server
        });
        let policy = RetryPolicy::default()
            .max_retries(retries)
            .backoff(Duration::from_millis(5), Duration::from_millis(10));
        let out = dispatch(
            &integration_with(false, policy),
            "delete_account",
            &request(&server.uri(), json!({"account_id": "client"})),
        );
        let outcome = out["error"]["error_code"].as_str().unwrap_or("ok");
        assert_eq!(outcome, expected, "{out}");
    }
}

#[test]
fn arrays_in_place_of_objects_are_bad_requests_not_positional_fields() {
    let mut req = request("http://x", json!(["ok"]));
    let out = dispatch(&integration(false), "delete_account", &req);
    let error = error_of(&out);
    assert_eq!(error["error_code"], "bad_request");
    assert_eq!(
        error["message"],
        "Invalid request - request: invalid type: sequence, expected struct DeleteAccount"
    );
    req["request"] = json!({"account_id": "ok"});
    req["auth"] = json!({"basic": ["alice", "pa55word-SECRET"]});
    let out = dispatch(&integration(false), "delete_account", &req);
    assert_eq!(
        error_of(&out)["message"],
        "Malformed auth in request - auth.basic: invalid type: sequence, expected struct BasicCredential"
    );
}
