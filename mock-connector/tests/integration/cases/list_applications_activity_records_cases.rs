//! `list_applications_activity_records` (protocol 4): sign-ons to applications since a moment, by the actors asked for; `GET /api/app-activity?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, page_token, uid};

const SCOPE: CapabilityName = CapabilityName::ListApplicationsActivityRecords;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("app-02:{}", uid(n)), "app_id": "app-02", "type": "app_login", "user_id": uid(n), "at": format!("2024-12-0{n}T10:00:00Z")})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    json!({"application_instance_id": "app-02", "id": format!("app-02:{}", uid(n)), "activity_type": "ACCOUNT_LOGIN", "timestamp": format!("2024-12-0{n}T10:00:00Z"), "actor": {"account_id": uid(n)}, "targets": [{"account_id": uid(n), "entitlement": null}], "metadata": {"application": "app-02", "source": "app_login"}})
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE).payload(json!({"since_date": "2024-01-01T00:00:00Z", "actors": [{"account_id": uid(1)}, {"account_id": uid(2)}, {"account_id": uid(3)}]}))
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-activity?limit=2&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003").respond_json(
            200,
            app_page("records", vec![app_item(1), app_item(2)], Some("app-02:u-0000002")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["app-02:u-0000002"])), Some(2))
        .mock(
            HttpMock::get("/api/app-activity?limit=2&after=app-02:u-0000002&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003")
                .respond_json(200, app_page("records", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/app-activity?limit=100&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003")
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
        .mock(HttpMock::get("/api/app-activity?limit=100&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_activity_records(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
