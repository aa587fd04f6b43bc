//! The testkit tested on a small connector: passing cases, and each way a case fails.

use connector_sdk::http::HttpClient;
use connector_sdk::prelude::*;
use connector_sdk::{AuthKind, ConnectorError, Context, Integration, Listing, wire};
use connector_testkit::{Case, Harness, HttpMock, assert_cases_cover};
use rstest::rstest;
use serde_json::{Value, json};

#[derive(serde::Deserialize, schemars::JsonSchema)]
struct Settings {
    host: String,
}

struct Demo;

impl Connector for Demo {
    type Settings = Settings;
}

impl ListAccounts for Demo {
    async fn list_accounts(
        &self,
        ctx: &Context<Settings>,
        _request: wire::ListAccounts,
    ) -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
        let client = HttpClient::for_request(ctx, ctx.settings().host.clone()).build()?;
        let mut query = vec![("limit", "2")];
        if let Some(token) = ctx.page_token() {
            query.push(("after", token));
        }
        let page: Value = client.get_json("/users", &query).await?;
        let items = page["users"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|u| wire::FoundAccountData::new(u.as_str().unwrap_or_default()))
            .collect();
        Ok(Listing::new(
            items,
            page["next"].as_str().map(str::to_owned),
        ))
    }
}

fn harness() -> Harness<Demo> {
    Harness::new(
        Integration::builder(Demo, "demo", "1")
            .auth(AuthKind::Token)
            .list_accounts()
            .build(),
    )
    .base_url_setting("host")
}

fn account(id: &str) -> Value {
    json!({"integration_specific_id": id, "email": null, "given_name": null, "family_name": null,
           "username": null, "user_status": null, "extra_data": null, "custom_attributes": null,
           "account_type": null})
}

fn first_page() -> Case {
    Case::new("list_accounts")
        .token("t0k")
        .mock(
            HttpMock::get("/users?limit=2")
                .expect_header("authorization", "Bearer t0k")
                .respond_json(200, json!({"users": ["u1", "u2"], "next": "u2"})),
        )
        .expect_items_and_next_page(json!([account("u1"), account("u2")]), None)
}

#[rstest]
#[case::first_page(first_page())]
#[case::last_page(
    Case::new("list_accounts")
        .token("t0k")
        .page(Some("u2"), None)
        .mock(HttpMock::get("/users?limit=2&after=u2").respond_json(200, json!({"users": ["u3"], "next": null})))
        .expect_items(json!([account("u3")]))
)]
#[case::retried_429(
    Case::new("list_accounts")
        .token("t0k")
        .mock(
            HttpMock::get("/users?limit=2")
                .respond_json(429, json!({}))
                .with_header("Retry-After", "0")
                .then_json(200, json!({"users": [], "next": null}))
        )
        .expect_items(json!([]))
)]
#[case::app_error(
    Case::new("list_accounts")
        .token("t0k")
        .mock(HttpMock::get("/users?limit=2").respond_json(404, json!({"message": "no such org"})))
        .expect_error("not_found")
        .with_status(404)
        .with_message("no such org")
)]
#[case::wrong_auth(Case::new("list_accounts").basic("u", "p").expect_error("bad_request").with_message("Missing 'token' auth"))]
fn cases_pass(#[case] case: Case) {
    harness().check_blocking(case);
}

#[rstest]
fn fixtures_are_cases(#[files("tests/fixtures/list_accounts/*.json")] path: std::path::PathBuf) {
    harness().check_blocking(Case::from_fixture(path));
}

fn problems(case: Case) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(harness().problems(&case))
}

#[test]
fn a_broken_expectation_gives_a_readable_diff() {
    let broken =
        first_page().expect_items_and_next_page(json!([account("u1"), account("u9")]), None);
    let problems = problems(broken);
    assert_eq!(problems.len(), 1, "{problems:?}");
    let report = &problems[0];
    assert!(
        report.contains("-      \"integration_specific_id\": \"u9\""),
        "{report}"
    );
    assert!(
        report.contains("+      \"integration_specific_id\": \"u2\""),
        "{report}"
    );
    assert!(
        !report.contains("{{any}}\"\n+"),
        "the opaque token is not a difference: {report}"
    );
}

#[test]
fn the_catch_all_reports_an_undeclared_call() {
    let undeclared = Case::new("list_accounts")
        .token("t0k")
        .expect_error("api_error");
    let problems = problems(undeclared);
    assert!(
        problems
            .iter()
            .any(|p| p == "unexpected HTTP call (declare it in the case): GET /users?limit=2"),
        "{problems:?}"
    );
}

#[test]
fn an_unmet_expectation_fails() {
    let unmet = first_page().mock(HttpMock::get("/groups").respond_json(200, json!([])));
    let problems = problems(unmet);
    assert_eq!(problems, ["GET /groups: expected 1 call(s), got 0"]);
}

#[test]
#[should_panic(expected = "case `list_accounts` failed")]
fn check_panics_on_failure() {
    harness().check_blocking(first_page().expect_error("not_found"));
}

#[test]
fn coverage_names_capabilities_without_cases() {
    assert_cases_cover(harness().integration(), "tests");
    let result = std::panic::catch_unwind(|| assert_cases_cover(harness().integration(), "src"));
    let message = result.unwrap_err().downcast::<String>().unwrap();
    assert!(
        message.contains("Missing case tables (`<capability>_cases.rs`) for: list_accounts"),
        "{message}"
    );
}

#[test]
fn missing_settings_can_be_expected() {
    let missing = Case::new("list_accounts")
        .token("t0k")
        .settings(Value::Null)
        .expect_error("bad_request")
        .with_message("No settings passed on request: demo requires Settings");
    harness().check_blocking(missing);
}
