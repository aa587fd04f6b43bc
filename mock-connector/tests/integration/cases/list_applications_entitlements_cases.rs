//! `list_applications_entitlements` (protocol 4): the entitlements of each application's workspace; `GET /api/app-entitlements?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token};

type Listing = marker::ListApplicationsEntitlements;
const SCOPE: CapabilityName = CapabilityName::ListApplicationsEntitlements;

/// The entitlements of a workspace, in the order the app lists them.
const ENTITLEMENTS: [&str; 3] = ["admin", "member", "owner"];

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"app_id": "app-01", "resource_id": "ws-01", "id": ENTITLEMENTS[n - 1], "name": format!("{} of Slack workspace", ENTITLEMENTS[n - 1])})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ApplicationEntitlementData {
    wire::ApplicationEntitlementData {
        application_instance_id: "app-01".to_owned(),
        entitlement_type: format!("workspace_{}", ENTITLEMENTS[n - 1]),
        extra_data: None,
        integration_specific_id: ENTITLEMENTS[n - 1].to_owned(),
        integration_specific_resource_id: "ws-01".to_owned(),
        is_assignable: Some(true),
        label: format!("{} of Slack workspace", ENTITLEMENTS[n - 1]),
        description: None,
        custom_attributes: None,
    }
}

fn request() -> wire::ListApplicationsEntitlements {
    wire::ListApplicationsEntitlements::default()
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-entitlements?limit=2").respond_json(
            200,
            app_page("entitlements", vec![app_item(1), app_item(2)], Some("ws-01:member")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"ws-01:member")), Some(2))
        .mock(
            HttpMock::get("/api/app-entitlements?limit=2&after=ws-01:member")
                .respond_json(200, app_page("entitlements", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/app-entitlements?limit=100")
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
        .mock(HttpMock::get("/api/app-entitlements?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_entitlements(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
