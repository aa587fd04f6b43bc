//! `get_tenant`, the mock connector's custom capability (protocol 4): `GET /api/me`. A custom
//! capability has no standard name for the testkit's cases, so this table runs each row itself,
//! through dispatch and through `serve`, against a wiremock app that must see exactly the
//! declared call.

use std::sync::Arc;

use connector_sdk::Protocol;
use connector_sdk::server::{HttpCall, ServeOptions, Server};
use connector_testkit::Through;
use rstest::rstest;
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BASIC, app_error};

/// What the app answers `GET /api/me`, if the row calls it.
type Answer = Option<(u16, Value)>;

async fn run(envelope: Value, answer: Answer, through: Through) -> Value {
    let app = MockServer::builder().start().await;
    if let Some((status, body)) = answer {
        Mock::given(method("GET"))
            .and(path("/api/me"))
            .and(header("authorization", BASIC))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .expect(1)
            .mount(&app)
            .await;
    }
    let mut envelope = envelope;
    envelope["settings"] = json!({"host": app.uri()});
    let integration = Arc::new(mock_connector::integration());
    let text = match through {
        Through::Dispatch => integration
            .dispatch_as(Protocol::V4, "get_tenant", &envelope.to_string())
            .await
            .to_json(),
        Through::Server => {
            let options = ServeOptions {
                protocol: Some(Protocol::V4),
                ..ServeOptions::default()
            };
            let answer = Server::new(integration, options)
                .handle(HttpCall::post("/get_tenant", envelope.to_string()))
                .await;
            assert_eq!(answer.status, 200);
            String::from_utf8(answer.body).unwrap()
        }
    };
    app.verify().await;
    serde_json::from_str(&text).unwrap()
}

fn basic() -> Value {
    json!({"basic": {"username": "foo", "password": "bar"}})
}

#[rstest]
#[case::names_the_tenant(
    json!({"auth": basic(), "request": {}}),
    Some((200, json!({"tenant_id": "acme"}))),
    json!({"response": {"tenant_id": "acme"}, "raw_data": null, "page": null,
           "rate_limit": null, "execution_summary": null}),
)]
#[case::a_refused_credential_is_unauthorized(
    json!({"auth": basic(), "request": {}}),
    Some((401, app_error("invalid credentials"))),
    json!({"error_code": "unauthorized", "status_code": 401}),
)]
#[case::an_unknown_request_field_is_refused_before_any_call(
    json!({"auth": basic(), "request": {"tenant": "other"}}),
    None,
    json!({"error_code": "bad_request"}),
)]
#[case::no_credential_is_refused_before_any_call(
    json!({"request": {}}),
    None,
    json!({"error_code": "bad_request"}),
)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn get_tenant(
    #[case] envelope: Value,
    #[case] answer: Answer,
    #[case] expected: Value,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    let actual = run(envelope, answer, through).await;
    if actual["is_error"] == true {
        for (key, value) in expected.as_object().unwrap() {
            assert_eq!(&actual["error"][key], value, "{actual}");
        }
        assert!(
            connector_testkit::protocol4::violations("ErrorResponse", &actual).is_empty(),
            "{actual}"
        );
    } else {
        assert_eq!(actual, expected);
        // 4.x writes a custom capability's envelope keys in an order of their own.
        let keys: Vec<&str> = actual
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "page",
                "raw_data",
                "execution_summary",
                "rate_limit",
                "response"
            ]
        );
    }
}
