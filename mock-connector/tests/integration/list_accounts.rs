//! `list_accounts` through the compiled binary against a wiremock app, and log secrecy.

use serde_json::{Value, json};
use wiremock::matchers::{basic_auth, method, path, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::support::{connector, run};

const PASSWORD: &str = "pa55-SECRET-word";
const API_KEY: &str = "key-SECRET-api";

fn request(host: &str, page: Value) -> String {
    json!({
        "auth": {"basic": {"username": "foo", "password": PASSWORD}},
        "request": {},
        "settings": {"host": host, "api_key": API_KEY},
        "page": page,
    })
    .to_string()
}

fn user(id: &str) -> Value {
    json!({"id": id, "email": format!("{id}@example.com"), "first_name": "Ann",
           "last_name": "Lee", "username": id, "status": "active"})
}

async fn mount_pages(server: &MockServer) {
    let pages = [
        (None, vec!["u-1", "u-2"], Some("u-2")),
        (Some("u-2"), vec!["u-3", "u-4"], Some("u-4")),
        (Some("u-4"), vec!["u-5"], None),
    ];
    for (after, ids, next) in pages {
        let mock = Mock::given(method("GET"))
            .and(path("/api/users"))
            .and(query_param("limit", "2"))
            .and(basic_auth("foo", PASSWORD));
        let mock = match after {
            Some(after) => mock.and(query_param("after", after)),
            None => mock.and(query_param_is_missing("after")),
        };
        mock.respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "users": ids.iter().map(|id| user(id)).collect::<Vec<_>>(),
            "next": next,
        })))
        .expect(1)
        .mount(server)
        .await;
    }
}

#[test]
fn pages_first_middle_last() {
    let runtime = crate::support::runtime(1);
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        mount_pages(&server).await;
        server
    });
    let mut page = json!({"size": 2});
    let mut ids = Vec::new();
    for expected_more in [true, true, false] {
        let doc = run(&[
            "list_accounts",
            "--json",
            &request(&server.uri(), page.clone()),
        ])
        .document();
        assert_eq!(doc.get("is_error"), None, "{doc}");
        for account in doc["response"].as_array().unwrap() {
            ids.push(
                account["integration_specific_id"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
            );
            assert_eq!(account["user_status"], "ACTIVE");
            assert_eq!(account["account_type"], "user");
        }
        assert_eq!(doc["page"].is_object(), expected_more, "{doc}");
        page = doc["page"].clone();
    }
    assert_eq!(ids, ["u-1", "u-2", "u-3", "u-4", "u-5"]);
    drop(runtime); // verifies every page was fetched exactly once
}

#[test]
fn a_tampered_token_is_an_invalid_page_token() {
    let out = run(&[
        "list_accounts",
        "--json",
        &request("http://127.0.0.1:9", json!({"token": "bm90LWEtdG9rZW4"})),
    ]);
    out.expect_error("invalid_page_token");
}

#[test]
fn app_errors_become_envelopes() {
    let runtime = crate::support::runtime(1);
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .respond_with(
                ResponseTemplate::new(404)
                    .set_body_json(json!({"error": {"message": "no such tenant"}})),
            )
            .mount(&server)
            .await;
        server
    });
    let error = run(&[
        "list_accounts",
        "--json",
        &request(&server.uri(), json!(null)),
    ])
    .expect_error("not_found");
    assert_eq!(error["status_code"], 404);
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("no such tenant"),
        "{error}"
    );
}

#[test]
fn no_secret_reaches_stdout_stderr_or_the_log_file_at_trace_level() {
    let runtime = crate::support::runtime(1);
    let server = runtime.block_on(async {
        let server = MockServer::start().await;
        // The failing call: the app echoes the credential back in its error.
        Mock::given(method("GET"))
            .and(query_param("limit", "3"))
            .respond_with(ResponseTemplate::new(401).set_body_json(json!({
                "error": {"message": format!("bad password {PASSWORD} / key {API_KEY}")},
                "password": PASSWORD,
            })))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(query_param("limit", "2"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({
                "users": [user("u-1"), user("u-2")], "next": "u-2"
            })))
            .mount(&server)
            .await;
        server
    });
    let logs = tempfile::tempdir().unwrap();
    let mut everything = String::new();
    for page in [json!({"size": 2}), json!({"size": 3})] {
        let output = connector()
            .env("LUMOS_LOG_LEVEL", "TRACE")
            .env("LUMOS_LOG_DIRECTORY", logs.path())
            .args(["list_accounts", "--json", &request(&server.uri(), page)])
            .output()
            .unwrap();
        everything.push_str(&String::from_utf8_lossy(&output.stdout));
        everything.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    let mut files = 0;
    for entry in std::fs::read_dir(logs.path()).unwrap() {
        everything.push_str(&std::fs::read_to_string(entry.unwrap().path()).unwrap());
        files += 1;
    }
    assert_eq!(files, 1, "one log file per app and day");
    assert!(
        everything.contains("http exchange"),
        "HTTP exchanges are logged: {everything}"
    );
    assert!(
        everything.contains("\"error_code\":\"unauthorized\""),
        "{everything}"
    );
    for secret in [PASSWORD, API_KEY] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}

#[test]
fn drains_a_real_mock_app() {
    let runtime = crate::support::runtime(1);
    let app = runtime
        .block_on(mock_app::MockApp::start(mock_app::Config::with_users(
            1_234,
        )))
        .unwrap();
    let integration = mock_connector::integration();
    let request = json!({
        "auth": {"basic": {"username": "foo", "password": "bar"}},
        "request": {},
        "settings": {"host": app.url()},
        "page": {"size": 500},
    });
    let pages: Vec<_> = runtime.block_on(futures::StreamExt::collect(
        integration.pages(connector_sdk::wire::CapabilityName::ListAccounts, request),
    ));
    assert_eq!(pages.len(), 3);
    let ids: Vec<String> = pages
        .into_iter()
        .flat_map(|page| page.unwrap())
        .map(|account| {
            account["integration_specific_id"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let expected: Vec<String> = (1..=1_234).map(mock_app::user_id).collect();
    assert_eq!(ids, expected);
}
