//! `list_applications_resources` (protocol 4): each application's workspace; `GET /api/app-resources?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token};

type Listing = marker::ListApplicationsResources;
const SCOPE: CapabilityName = CapabilityName::ListApplicationsResources;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"app_id": format!("app-{n:02}"), "id": format!("ws-{n:02}"), "name": format!("App {n} workspace"), "type": "workspace"})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ApplicationResourceData {
    wire::ApplicationResourceData {
        application_instance_id: format!("app-{n:02}"),
        integration_specific_id: format!("ws-{n:02}"),
        label: format!("App {n} workspace"),
        description: None,
        resource_type: "workspace".to_owned(),
        extra_data: None,
    }
}

fn request() -> wire::ListApplicationsResources {
    wire::ListApplicationsResources {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-resources?limit=2").respond_json(
            200,
            app_page("resources", vec![app_item(1), app_item(2)], Some("ws-02")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"ws-02")), Some(2))
        .mock(
            HttpMock::get("/api/app-resources?limit=2&after=ws-02")
                .respond_json(200, app_page("resources", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/app-resources?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::token_of_another_listing_is_refused(
    of4::<Listing>(request())
        .page(Some(&page_token(CapabilityName::ListAccounts, &"u-0000001")), Some(2))
        .expect_error(ErrorCode::InvalidPageToken)
        .message("belongs to another listing")
)]
#[case::server_error(
    of4::<Listing>(request())
        .mock(HttpMock::get("/api/app-resources?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_resources(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
