//! `list_non_human_accounts` (protocol 4): the app's service accounts, each owned by a user; `GET /api/service-accounts?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, page_token, uid};

const SCOPE: CapabilityName = CapabilityName::ListNonHumanAccounts;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("sa-{n:04}"), "name": format!("svc-ci-{n}"), "owner_id": uid(n + 6), "status": if n == 3 { "disabled" } else { "active" }, "created_at": "2024-07-05T00:00:00Z", "updated_at": "2024-07-06T00:00:00Z", "last_activity": "2024-12-31T23:00:00Z"})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    json!({"resource_id": "", "id": format!("sa-{n:04}"), "label": format!("svc-ci-{n}"), "workload_name": format!("svc-ci-{n}"), "workload_id": format!("sa-{n:04}"), "type": "service_account", "status": if n == 3 { "INACTIVE" } else { "ACTIVE" }, "created_at": "2024-07-05T00:00:00Z", "updated_at": "2024-07-06T00:00:00Z", "last_login": null, "last_activity": "2024-12-31T23:00:00Z", "custom_attributes": null, "extra_data": {"owner_id": uid(n + 6)}})
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE)
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/service-accounts?limit=2").respond_json(
            200,
            app_page("service_accounts", vec![app_item(1), app_item(2)], Some("sa-0002")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["sa-0002"])), Some(2))
        .mock(
            HttpMock::get("/api/service-accounts?limit=2&after=sa-0002")
                .respond_json(200, app_page("service_accounts", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/service-accounts?limit=100")
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
        .mock(HttpMock::get("/api/service-accounts?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_non_human_accounts(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
