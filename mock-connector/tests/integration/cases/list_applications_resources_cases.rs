//! `list_applications_resources` (protocol 4): each application's workspace; `GET /api/app-resources?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, page_token};

const SCOPE: CapabilityName = CapabilityName::ListApplicationsResources;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"app_id": format!("app-{n:02}"), "id": format!("ws-{n:02}"), "name": format!("App {n} workspace"), "type": "workspace"})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    json!({"application_instance_id": format!("app-{n:02}"), "integration_specific_id": format!("ws-{n:02}"), "label": format!("App {n} workspace"), "description": null, "resource_type": "workspace", "extra_data": null})
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE)
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-resources?limit=2").respond_json(
            200,
            app_page("resources", vec![app_item(1), app_item(2)], Some("ws-02")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["ws-02"])), Some(2))
        .mock(
            HttpMock::get("/api/app-resources?limit=2&after=ws-02")
                .respond_json(200, app_page("resources", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/app-resources?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    base()
        .page(Some(&page_token(CapabilityName::ListAccounts, &["u-0000001"])), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    base()
        .mock(HttpMock::get("/api/app-resources?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_resources(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
