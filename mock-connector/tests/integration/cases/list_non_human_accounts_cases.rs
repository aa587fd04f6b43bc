//! `list_non_human_accounts` (protocol 4): the app's service accounts, each owned by a user; `GET /api/service-accounts?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Map, Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListNonHumanAccounts;
const SCOPE: CapabilityName = CapabilityName::ListNonHumanAccounts;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("sa-{n:04}"), "name": format!("svc-ci-{n}"), "owner_id": uid(n + 6), "status": if n == 3 { "disabled" } else { "active" }, "created_at": "2024-07-05T00:00:00Z", "updated_at": "2024-07-06T00:00:00Z", "last_activity": "2024-12-31T23:00:00Z"})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::NonHumanAccount {
    wire::NonHumanAccount {
        resource_id: String::new(),
        id: format!("sa-{n:04}"),
        label: format!("svc-ci-{n}"),
        workload_name: format!("svc-ci-{n}"),
        workload_id: format!("sa-{n:04}"),
        r#type: "service_account".to_owned(),
        status: if n == 3 {
            wire::AccountStatus::Inactive
        } else {
            wire::AccountStatus::Active
        },
        created_at: Some("2024-07-05T00:00:00Z".to_owned()),
        updated_at: Some("2024-07-06T00:00:00Z".to_owned()),
        last_login: None,
        last_activity: Some("2024-12-31T23:00:00Z".to_owned()),
        custom_attributes: None,
        extra_data: Some(Map::from_iter([("owner_id".to_owned(), json!(uid(n + 6)))])),
    }
}

fn request() -> wire::ListNonHumanAccounts {
    wire::ListNonHumanAccounts::default()
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/service-accounts?limit=2").respond_json(
            200,
            app_page("service_accounts", vec![app_item(1), app_item(2)], Some("sa-0002")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"sa-0002")), Some(2))
        .mock(
            HttpMock::get("/api/service-accounts?limit=2&after=sa-0002")
                .respond_json(200, app_page("service_accounts", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/service-accounts?limit=100")
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
        .mock(HttpMock::get("/api/service-accounts?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_non_human_accounts(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
