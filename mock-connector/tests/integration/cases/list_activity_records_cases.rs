//! `list_activity_records` (protocol 4): logins since a moment, by the actors asked for (everyone when none is named); `GET /api/activity?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListActivityRecords;
const SCOPE: CapabilityName = CapabilityName::ListActivityRecords;

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("{}:0", uid(n)), "type": "login", "user_id": uid(n), "at": format!("2024-12-0{n}T08:30:00Z")})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ActivityRecord {
    wire::ActivityRecord {
        id: format!("{}:0", uid(n)),
        activity_type: "ACCOUNT_LOGIN".to_owned(),
        timestamp: format!("2024-12-0{n}T08:30:00Z"),
        actor: wire::ActivityRecordActor { account_id: uid(n) },
        targets: vec![wire::ActivityRecordTarget {
            account_id: Some(uid(n)),
            entitlement: None,
        }],
        metadata: Some([("source".to_owned(), "login".to_owned())].into()),
    }
}

fn request() -> wire::ListActivityRecords {
    wire::ListActivityRecords {
        since_date: "2024-06-01T00:00:00Z".to_owned(),
        actors: Vec::new(),
    }
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/activity?limit=2&since=2024-06-01T00:00:00Z&actors=").respond_json(
            200,
            app_page("records", vec![app_item(1), app_item(2)], Some("u-0000002:0")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"u-0000002:0")), Some(2))
        .mock(
            HttpMock::get("/api/activity?limit=2&after=u-0000002:0&since=2024-06-01T00:00:00Z&actors=")
                .respond_json(200, app_page("records", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/activity?limit=100&since=2024-06-01T00:00:00Z&actors=")
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
        .mock(HttpMock::get("/api/activity?limit=100&since=2024-06-01T00:00:00Z&actors=").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_activity_records(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
