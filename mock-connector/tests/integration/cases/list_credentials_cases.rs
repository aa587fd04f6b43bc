//! `list_credentials` (protocol 4): the app's API keys, each opening a user's account or a service account; `GET /api/credentials?limit&after`, the app's cursor in a page token.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, case4, check4, page_token};

const SCOPE: CapabilityName = CapabilityName::ListCredentials;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("key-sa-{n:04}"), "name": "ci key", "type": "api_key", "status": if n == 3 { "revoked" } else { "active" }, "user_id": null, "service_account_id": format!("sa-{n:04}"), "created_at": "2024-07-05T00:00:00Z", "last_used_at": "2024-12-30T00:00:00Z", "expires_at": null})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> Value {
    json!({"resource_id": "", "external_id": format!("key-sa-{n:04}"), "label": "ci key", "credential_type": "api_key", "status": if n == 3 { "revoked" } else { "active" }, "grants_access_to_account_id": null, "grants_access_to_non_human_account_id": format!("sa-{n:04}"), "created_at": "2024-07-05T00:00:00Z", "updated_at": null, "last_used_at": "2024-12-30T00:00:00Z", "expires_at": null, "last_rotated_at": null, "last_activity": "2024-12-30T00:00:00Z", "custom_attributes": null, "extra_data": null})
}

/// The case with its payload.
fn base() -> Case {
    case4(SCOPE)
}

#[rstest]
#[case::first_page(
    base()
        .page(None, Some(2))
        .mock(HttpMock::get("/api/credentials?limit=2").respond_json(
            200,
            app_page("credentials", vec![app_item(1), app_item(2)], Some("key-sa-0002")),
        ))
        .expect_items_and_next_page(json!(vec![item(1), item(2)]), Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    base()
        .page(Some(&page_token(SCOPE, &["key-sa-0002"])), Some(2))
        .mock(
            HttpMock::get("/api/credentials?limit=2&after=key-sa-0002")
                .respond_json(200, app_page("credentials", vec![app_item(3)], None)),
        )
        .expect_items(json!([item(3)]))
)]
#[case::wrong_password_is_unauthorized(
    base()
        .mock(
            HttpMock::get("/api/credentials?limit=100")
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
        .mock(HttpMock::get("/api/credentials?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_credentials(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
