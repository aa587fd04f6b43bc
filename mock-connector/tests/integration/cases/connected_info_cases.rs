//! `connected_info` (protocol 4): `GET /api/roles?limit=1` and `GET /api/apps?limit=1`; the
//! tenant's types replace the declared ones in 4.x's info.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_admin_role, app_error, app_page, case4, check4, harness, of4};

const SCOPE: CapabilityName = CapabilityName::ConnectedInfo;

fn roles(items: Vec<Value>) -> HttpMock {
    HttpMock::get("/api/roles?limit=1").respond_json(200, app_page("roles", items, None))
}

fn apps(items: Vec<Value>) -> HttpMock {
    HttpMock::get("/api/apps?limit=1").respond_json(200, app_page("apps", items, Some("app-01")))
}

fn slack() -> Value {
    json!({"id": "app-01", "name": "Slack", "status": "active", "sign_on": "oidc"})
}

/// The ids of a list of types.
fn ids(types: &Value) -> Vec<&str> {
    types
        .as_array()
        .unwrap_or_else(|| panic!("not a list of types: {types}"))
        .iter()
        .map(|t| t["type_id"].as_str().unwrap_or_default())
        .collect()
}

#[rstest]
#[case::groups_roles_and_workspaces(
    vec![roles(vec![app_admin_role()]), apps(vec![slack()])],
    &["group", "workspace"],
    &["member", "role", "workspace_member", "workspace_admin"],
)]
#[case::a_tenant_without_roles_or_applications(
    vec![roles(vec![]), apps(vec![])],
    &["group"],
    &["member"],
)]
fn the_tenants_types(
    #[case] mocks: Vec<HttpMock>,
    #[case] resource_types: &[&str],
    #[case] entitlement_types: &[&str],
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    let case = mocks
        .into_iter()
        .fold(case4(SCOPE), Case::mock)
        .expect_envelope(json!({"response": "{{any}}", "raw_data": null, "page": null}));
    let harness = harness().through(through);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    // The harness also checks the envelope against 4.x's `GetConnectedInfoResponse`.
    let problems = runtime.block_on(harness.problems(case.clone()));
    assert!(problems.is_empty(), "{problems:#?}");
    let envelope = runtime.block_on(harness.run(&case)).envelope;
    let info = &envelope["response"];
    assert_eq!(ids(&info["resource_types"]), resource_types, "{info:#}");
    assert_eq!(
        ids(&info["entitlement_types"]),
        entitlement_types,
        "{info:#}"
    );
    assert_eq!(info["app_id"], "mock-connector", "the rest of info stays");
}

#[rstest]
#[case::wrong_password_is_unauthorized(
    of4::<marker::ConnectedInfo>(wire::GetConnectedInfo {})
        .mock(HttpMock::get("/api/roles?limit=1").respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::server_error_on_the_applications(
    of4::<marker::ConnectedInfo>(wire::GetConnectedInfo {})
        .mock(roles(vec![app_admin_role()]))
        .mock(HttpMock::get("/api/apps?limit=1").respond_json(500, app_error("try again later")))
        .expect_error(ErrorCode::BadGateway)
        .message("try again later")
)]
fn connected_info(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
