//! `list_applications_activity_records` (protocol 4): sign-ons to applications since a moment, by the actors asked for; `GET /api/app-activity?limit&after`, the app's cursor in a page token.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, CapabilityName, ErrorCode};
use connector_testkit::{HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, app_page, check4, of4, page_token, uid};

type Listing = marker::ListApplicationsActivityRecords;
const SCOPE: CapabilityName = CapabilityName::ListApplicationsActivityRecords;

fn actor(n: usize) -> wire::ActivityRecordActor {
    wire::ActivityRecordActor { account_id: uid(n) }
}

/// Item `n` as the app lists it.
fn app_item(n: usize) -> Value {
    json!({"id": format!("app-02:{}", uid(n)), "app_id": "app-02", "type": "app_login", "user_id": uid(n), "at": format!("2024-12-0{n}T10:00:00Z")})
}

/// Item `n` as the connector answers it.
fn item(n: usize) -> wire::ApplicationActivityRecord {
    wire::ApplicationActivityRecord {
        application_instance_id: "app-02".to_owned(),
        id: format!("app-02:{}", uid(n)),
        activity_type: "ACCOUNT_LOGIN".to_owned(),
        timestamp: format!("2024-12-0{n}T10:00:00Z"),
        actor: actor(n),
        targets: vec![wire::ActivityRecordTarget {
            account_id: Some(uid(n)),
            entitlement: None,
        }],
        metadata: Some(
            [("application", "app-02"), ("source", "app_login")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .into(),
        ),
    }
}

fn request() -> wire::ListApplicationsActivityRecords {
    wire::ListApplicationsActivityRecords {
        since_date: "2024-01-01T00:00:00Z".to_owned(),
        actors: (1..=3).map(actor).collect(),
    }
}

#[rstest]
#[case::first_page(
    of4::<Listing>(request())
        .page(None, Some(2))
        .mock(HttpMock::get("/api/app-activity?limit=2&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003").respond_json(
            200,
            app_page("records", vec![app_item(1), app_item(2)], Some("app-02:u-0000002")),
        ))
        .expect_items_and_next_page(vec![item(1), item(2)], Some(2))
)]
#[case::next_page_continues_after_the_apps_cursor(
    of4::<Listing>(request())
        .page(Some(&page_token(SCOPE, &"app-02:u-0000002")), Some(2))
        .mock(
            HttpMock::get("/api/app-activity?limit=2&after=app-02:u-0000002&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003")
                .respond_json(200, app_page("records", vec![app_item(3)], None)),
        )
        .expect_items(vec![item(3)])
)]
#[case::wrong_password_is_unauthorized(
    of4::<Listing>(request())
        .mock(
            HttpMock::get("/api/app-activity?limit=100&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003")
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
        .mock(HttpMock::get("/api/app-activity?limit=100&since=2024-01-01T00:00:00Z&actors=u-0000001,u-0000002,u-0000003").respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::BadGateway)
        .status(500)
        .message("boom")
)]
fn list_applications_activity_records(
    #[case] case: impl Into<connector_testkit::Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
