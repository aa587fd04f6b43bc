//! `list_credentials` (protocol 4): the app's API keys, each opening a user's account or a service account; `GET /api/credentials?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token};

type Listing = marker::ListCredentials;
const SCOPE: CapabilityName = CapabilityName::ListCredentials;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("key-sa-{n:04}"), "name": "ci key", "type": "api_key", "status": if n == 3 { "revoked" } else { "active" }, "user_id": null, "service_account_id": format!("sa-{n:04}"), "created_at": "2024-07-05T00:00:00Z", "last_used_at": "2024-12-30T00:00:00Z", "expires_at": null})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::Credential {
    wire::Credential {
        resource_id: String::new(),
        external_id: format!("key-sa-{n:04}"),
        label: "ci key".to_owned(),
        credential_type: "api_key".to_owned(),
        status: Some(if n == 3 {
            wire::CredentialStatus::Revoked
        } else {
            wire::CredentialStatus::Active
        }),
        grants_access_to_account_id: None,
        grants_access_to_non_human_account_id: Some(format!("sa-{n:04}")),
        created_at: Some("2024-07-05T00:00:00Z".to_owned()),
        updated_at: None,
        last_used_at: Some("2024-12-30T00:00:00Z".to_owned()),
        expires_at: None,
        last_rotated_at: None,
        last_activity: Some("2024-12-30T00:00:00Z".to_owned()),
        custom_attributes: None,
        extra_data: None,
    }
}

fn request() -> wire::ListCredentials {
    wire::ListCredentials::default()
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/credentials?limit=2").respond_json(
            200,
            app_page("credentials", vec![app_item(1), app_item(2)], Some("key-sa-0002")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"key-sa-0002")), Some(2))
        .mock(
            HttpMock::get("/api/credentials?limit=2&after=key-sa-0002")
                .respond_json(200, app_page("credentials", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/credentials?limit=100")
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
        .mock(HttpMock::get("/api/credentials?limit=100").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_credentials(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
