//! `list_applications_entitlement_associations` (protocol 4): who holds which entitlement inside applications; `GET /api/app-grants?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListApplicationsEntitlementAssociations;
const SCOPE: CapabilityName = CapabilityName::ListApplicationsEntitlementAssociations;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"app_id": "app-01", "user_id": uid(n), "resource_id": "ws-01", "entitlement_id": "member"})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ApplicationEntitlementAssociation {
    wire::ApplicationEntitlementAssociation {
        application_instance_id: "app-01".to_owned(),
        account_id: uid(n),
        integration_specific_entitlement_id: "member".to_owned(),
        integration_specific_resource_id: "ws-01".to_owned(),
    }
}

fn request() -> wire::ListApplicationsEntitlementAssociations {
    wire::ListApplicationsEntitlementAssociations {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-grants?limit=2").respond_json(
            200,
            app_page("grants", vec![app_item(1), app_item(2)], Some("app-01:u-0000002:member")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"app-01:u-0000002:member")), Some(2))
        .mock(
            HttpMock::get("/api/app-grants?limit=2&after=app-01:u-0000002:member")
                .respond_json(200, app_page("grants", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/app-grants?limit=100")
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
        .mock(HttpMock::get("/api/app-grants?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_entitlement_associations(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
