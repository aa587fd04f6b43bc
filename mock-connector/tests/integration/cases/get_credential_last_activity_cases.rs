//! `get_credential_last_activity` (protocol 4): when each API key was last used (those never used are left out); `GET /api/credentials?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::GetCredentialLastActivity;
const SCOPE: CapabilityName = CapabilityName::GetCredentialLastActivity;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("key-u-{:07}", n * 5), "name": "personal key", "type": "api_key", "status": "active", "user_id": uid(n * 5), "service_account_id": null, "created_at": null, "last_used_at": (n != 2).then(|| format!("2024-11-0{n}T00:00:00Z")), "expires_at": null})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::CredentialLastActivity {
    wire::CredentialLastActivity {
        credential_id: format!("key-u-{:07}", n * 5),
        event_type: wire::ActivityEventType::LastActivity,
        happened_at: format!("2024-11-0{n}T00:00:00Z"),
    }
}

fn request() -> wire::GetCredentialLastActivity {
    wire::GetCredentialLastActivity {}
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/credentials?limit=2").respond_json(
            200,
            app_page("credentials", vec![app_item(1), app_item(2)], Some("key-u-0000010")),
        ))
        .expect_items_and_next_page(vec![item(1)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"key-u-0000010")), Some(2))
        .mock(
            HttpMock::get("/api/credentials?limit=2&after=key-u-0000010")
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
fn get_credential_last_activity(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
