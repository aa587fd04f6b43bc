//! The testkit tested on a small connector: passing cases, and each way a case fails.

use connector_sdk::http::HttpClient;
use connector_sdk::prelude::*;
use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_sdk::{AuthKind, ConnectorError, Context, Integration, Listing, wire};
use connector_testkit::{Case, Harness, HttpMock, assert_cases_cover};
use rstest::rstest;
use serde_json::{Value, json};

mod replay;

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
            // Its one case table is list_accounts': no table for the SDK's probe.
            .without_probe()
            .build(),
    )
    .base_url_setting("host")
}

fn account(id: &str) -> Value {
    json!({"integration_specific_id": id, "email": null, "given_name": null, "family_name": null,
           "username": null, "user_status": null, "extra_data": null, "custom_attributes": null,
           "account_type": null})
}

/// The first page, without its expectation (each test adds its own).
fn first_page() -> Case {
    Case::new(CapabilityName::ListAccounts).token("t0k").mock(
        HttpMock::get("/users?limit=2")
            .expect_header("authorization", "Bearer t0k")
            .respond_json(200, json!({"users": ["u1", "u2"], "next": "u2"})),
    )
}

#[rstest]
#[case::first_page(
    first_page().expect_items_and_next_page(json!([account("u1"), account("u2")]), None)
)]
#[case::last_page(
    Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .page(Some("u2"), None)
        .mock(HttpMock::get("/users?limit=2&after=u2").respond_json(200, json!({"users": ["u3"], "next": null})))
        .expect_items(json!([account("u3")]))
)]
#[case::query_compares_decoded(
    Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .page(Some("a b/c"), None)
        .mock(HttpMock::get("/users?after=a+b%2Fc&limit=2").respond_json(200, json!({"users": [], "next": null})))
        .expect_items(json!([]))
)]
#[case::retried_429(
    Case::new(CapabilityName::ListAccounts)
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
    Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .mock(HttpMock::get("/users?limit=2").respond_json(404, json!({"message": "no such org"})))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no such org")
)]
#[case::wrong_auth(
    Case::new(CapabilityName::ListAccounts)
        .basic("u", "p")
        .expect_error(ErrorCode::BadRequest)
        .message("Missing 'token' auth")
)]
#[case::missing_settings(
    Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .settings(Value::Null)
        .expect_error(ErrorCode::BadRequest)
        .message("No settings passed on request: demo requires Settings")
)]
fn cases_pass(#[case] case: impl Into<Case>) {
    harness().check_blocking(case);
}

#[rstest]
fn fixtures_are_cases(#[files("tests/fixtures/list_accounts/*.json")] path: std::path::PathBuf) {
    harness().check_blocking(Case::from_fixture(path));
}

fn problems(case: impl Into<Case>) -> Vec<String> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(harness().problems(case))
}

/// The message of the panic `f` raises.
fn panic_message(f: impl FnOnce() + std::panic::UnwindSafe) -> String {
    let payload = std::panic::catch_unwind(f).expect_err("it panics");
    match payload.downcast::<String>() {
        Ok(message) => *message,
        Err(payload) => (*payload.downcast::<&str>().expect("a text panic")).to_owned(),
    }
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
    let undeclared = Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .expect_error(ErrorCode::ApiError);
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
    let unmet = first_page()
        .mock(HttpMock::get("/groups").respond_json(200, json!([])))
        .expect_items_and_next_page(json!([account("u1"), account("u2")]), None);
    let problems = problems(unmet);
    assert_eq!(problems, ["GET /groups: expected 1 call(s), got 0"]);
}

#[test]
fn a_route_called_fewer_times_than_declared_fails() {
    let unmet = Case::new(CapabilityName::ListAccounts)
        .token("t0k")
        .mock(
            HttpMock::get("/users?limit=2")
                .respond_json(200, json!({"users": [], "next": null}))
                .times(2),
        )
        .expect_items(json!([]));
    let problems = problems(unmet);
    assert_eq!(problems, ["GET /users?limit=2: expected 2 call(s), got 1"]);
}

#[test]
#[should_panic(expected = "case `list_accounts` failed")]
fn check_panics_on_failure() {
    harness().check_blocking(first_page().expect_error(ErrorCode::NotFound));
}

#[test]
fn an_expected_error_with_a_message_fails_clearly_on_success() {
    let problems = problems(
        first_page()
            .expect_error(ErrorCode::NotFound)
            .message("no such org")
            .status(404),
    );
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(
        problems[0].starts_with(
            "expected a `not_found` error envelope with a message containing \"no such org\" \
             with status_code 404, got a success envelope:"
        ),
        "{problems:?}"
    );
}

#[test]
fn each_part_of_an_expected_error_is_checked() {
    let problems = problems(
        Case::new(CapabilityName::ListAccounts)
            .token("t0k")
            .mock(HttpMock::get("/users?limit=2").respond_json(404, json!({"message": "gone"})))
            .expect_error(ErrorCode::Unauthorized)
            .message("no such org")
            .status(401)
            .app_error_code("E42"),
    );
    assert_eq!(problems.len(), 4, "{problems:?}");
    assert!(
        problems[0].starts_with("expected error_code `unauthorized`, got \"not_found\" (")
            && problems[0].ends_with(": gone\")"),
        "{problems:?}"
    );
    assert!(
        problems[1].starts_with("expected the message to contain \"no such org\", got "),
        "{problems:?}"
    );
    assert_eq!(problems[2], "expected status_code 401, got 404");
    assert_eq!(problems[3], "expected app_error_code \"E42\", got null");
}

#[test]
fn a_case_without_an_expectation_fails() {
    let problems = problems(first_page());
    assert_eq!(
        problems,
        [
            "the case declares no expectation: end it with expect_envelope, expect_response, \
          expect_items, expect_items_and_next_page or expect_error"
        ]
    );
}

#[test]
fn a_part_given_twice_panics_at_the_call() {
    let twice = |f: fn(Case) -> Case| {
        panic_message(move || {
            let _ = f(Case::new(CapabilityName::ListAccounts)
                .token("t0k")
                .page(None, Some(2)));
        })
    };
    assert_eq!(
        twice(|c| c.basic("u", "p")),
        "case `list_accounts`: basic sets `auth`, which the case already set"
    );
    assert_eq!(
        twice(|c| c.page(None, None)),
        "case `list_accounts`: page sets `page`, which the case already set"
    );
    assert_eq!(
        twice(|c| c.payload(json!({})).payload(json!({}))),
        "case `list_accounts`: payload sets `request`, which the case already set"
    );
    assert_eq!(
        twice(|c| c.raw_request(json!([]))),
        "case `list_accounts`: raw_request replaces the whole envelope, but the case already \
         set a part of it; give everything in the raw request"
    );
    assert_eq!(
        twice(|c| c.expect_items(json!([])).expect_items(json!([]))),
        "case `list_accounts`: the case already has an expectation; a case has exactly one"
    );
    assert_eq!(
        twice(|c| c
            .expect_items(json!([]))
            .expect_error(ErrorCode::NotFound)
            .into()),
        "case `list_accounts`: the case already has an expectation; a case has exactly one"
    );
    assert_eq!(
        twice(|c| c
            .expect_error(ErrorCode::NotFound)
            .status(1)
            .status(2)
            .into()),
        "case `list_accounts`: status(…) is called twice"
    );
    assert_eq!(
        twice(|c| c
            .expect_error(ErrorCode::NotFound)
            .message("a")
            .message("b")
            .into()),
        "case `list_accounts`: message(…) is called twice"
    );
    assert_eq!(
        panic_message(|| {
            let _ = Case::new(CapabilityName::ListAccounts)
                .raw_request(json!("not an envelope"))
                .token("t0k");
        }),
        "case `list_accounts`: token is called after raw_request, which gave the whole \
         envelope; put `auth` in it"
    );
    assert_eq!(
        panic_message(|| {
            let users =
                || HttpMock::get("/users?limit=2").expect_header("authorization", "Bearer t0k");
            let _ = Case::new(CapabilityName::ListAccounts)
                .mock(users().respond_json(429, json!({})))
                .mock(users().respond_json(200, json!({})));
        }),
        "case `list_accounts`: the route GET /users?limit=2 is declared twice; give one route \
         several answers with then_json/then_text"
    );
}

#[test]
fn a_route_set_up_wrongly_panics_at_the_call() {
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::get("/users")
                .expect_header("Accept", "a")
                .expect_header("accept", "b");
        }),
        "GET /users: expect_header(\"accept\", …) is called twice; a route requires one value per header"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::post("/users")
                .expect_body(json!({}))
                .expect_form(&[]);
        }),
        "POST /users: expect_form is called, but the route already requires a body"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::post("/token").expect_form(&[("a", "1"), ("a", "2")]);
        }),
        "POST /token: expect_form names the field `a` twice"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::get("/users")
                .respond_json(429, json!({}))
                .with_header("Retry-After", "0")
                .with_header("retry-after", "1");
        }),
        "GET /users: with_header(\"retry-after\", …) is called twice on the same answer"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::get("/users")
                .respond_json(200, json!({}))
                .times(1)
                .times(2);
        }),
        "GET /users: times(…) is called twice"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::get("/users")
                .respond_json(429, json!({}))
                .then_json(200, json!({}))
                .times(1);
        }),
        "GET /users: times(1) is less than its 2 answers; the rest would never be served"
    );
    assert_eq!(
        panic_message(|| {
            let _ = HttpMock::get("users");
        }),
        "HttpMock::new(\"GET\", \"users\"): the path must start with `/`"
    );
}

#[rstest]
#[case::unknown_capability(
    "unknown_capability.json",
    "unknown variant `list_acounts`, expected one of"
)]
#[case::unknown_error_code("unknown_error_code.json", "unknown variant `not_fund`")]
#[case::route_without_answer(
    "route_without_answer.json",
    "GET /users?limit=2: `responses` is empty; a route must answer"
)]
#[case::no_expectation("no_expectation.json", "missing field `expect`")]
#[case::unknown_field("unknown_field.json", "unknown field `expected`")]
fn a_broken_fixture_fails_clearly(#[case] file: &str, #[case] reason: &str) {
    let path = format!("tests/fixtures/broken/{file}");
    let message = panic_message(|| {
        let _ = Case::from_fixture(&path);
    });
    assert!(
        message.starts_with(&format!("the fixture {path} is not a case: "))
            && message.contains(reason),
        "{message}"
    );
}

#[test]
fn coverage_names_capabilities_without_cases() {
    assert_cases_cover(harness().integration(), "tests");
    let message = panic_message(|| assert_cases_cover(harness().integration(), "src"));
    assert!(
        message.contains("Missing case tables (`<capability>_cases.rs`) for: list_accounts"),
        "{message}"
    );
    let message = panic_message(|| assert_cases_cover(harness().integration(), "no-such-dir"));
    assert!(
        message.starts_with("cannot read the tests folder no-such-dir: "),
        "{message}"
    );
}

#[test]
fn a_case_round_trips_through_json() {
    let case: Case = first_page()
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .into();
    let text = serde_json::to_string(&case).unwrap();
    let back: Case = serde_json::from_str(&text).unwrap();
    assert_eq!(back.capability(), case.capability());
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&case).unwrap()
    );
}
