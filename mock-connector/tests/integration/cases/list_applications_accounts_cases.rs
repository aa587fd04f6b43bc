//! `list_applications_accounts` (protocol 4): who is assigned to which application; `GET /api/app-assignments?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListApplicationsAccounts;
const SCOPE: CapabilityName = CapabilityName::ListApplicationsAccounts;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"app_id": "app-01", "user_id": uid(n), "status": if n == 3 { "suspended" } else { "active" }})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ApplicationAccount {
    wire::ApplicationAccount {
        account_id: uid(n),
        application_instance_id: "app-01".to_owned(),
        status: if n == 3 {
            wire::AccountStatus::Suspended
        } else {
            wire::AccountStatus::Active
        },
    }
}

fn request() -> wire::ListApplicationsAccounts {
    wire::ListApplicationsAccounts {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-assignments?limit=2").respond_json(
            200,
            app_page("assignments", vec![app_item(1), app_item(2)], Some("app-01:u-0000002")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"app-01:u-0000002")), Some(2))
        .mock(
            HttpMock::get("/api/app-assignments?limit=2&after=app-01:u-0000002")
                .respond_json(200, app_page("assignments", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/app-assignments?limit=100")
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
        .mock(HttpMock::get("/api/app-assignments?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_accounts(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
