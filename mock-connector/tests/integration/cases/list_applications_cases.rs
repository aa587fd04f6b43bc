//! `list_applications` (protocol 4): the catalogue of applications; `GET /api/apps?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token};

type Listing = marker::ListApplications;
const SCOPE: CapabilityName = CapabilityName::ListApplications;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("app-{n:02}"), "name": format!("App {n}"), "description": "Signed on through the directory", "status": if n == 3 { "inactive" } else { "active" }, "sign_on": "saml", "login_url": format!("https://sso.example.com/app-{n:02}")})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::Application {
    wire::Application {
        id: format!("app-{n:02}"),
        name: format!("App {n}"),
        display_name: Some(format!("App {n}")),
        description: Some("Signed on through the directory".to_owned()),
        status: if n == 3 {
            wire::ApplicationStatus::Inactive
        } else {
            wire::ApplicationStatus::Active
        },
        logo: None,
        sign_on_mode: wire::SignOnMode::Saml,
        sso_login_url: Some(format!("https://sso.example.com/app-{n:02}")),
        assignment_modes: vec![
            wire::AssignmentMode::Account,
            wire::AssignmentMode::Entitlement,
        ],
    }
}

fn request() -> wire::ListApplications {
    wire::ListApplications {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/apps?limit=2").respond_json(
            200,
            app_page("apps", vec![app_item(1), app_item(2)], Some("app-02")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"app-02")), Some(2))
        .mock(
            HttpMock::get("/api/apps?limit=2&after=app-02")
                .respond_json(200, app_page("apps", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/apps?limit=100")
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
        .mock(HttpMock::get("/api/apps?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
