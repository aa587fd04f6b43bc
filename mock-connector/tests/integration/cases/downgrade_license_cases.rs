//! `downgrade_license` (protocol 4): `POST /api/users/{id}/downgrade`: one license tier down; on the cheapest tier a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, app_user, check4, of4, uid, written};

type Write = marker::DowngradeLicense;

fn request() -> wire::DowngradeLicense {
    wire::DowngradeLicense { account_id: uid(2) }
}

fn call() -> HttpMockBuilder {
    HttpMock::post("/api/users/u-0000002/downgrade")
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"user": app_user(2, "active"), "changed": true})),
    &wire::DowngradedLicense { success: true, reason: None },
    &Effect::Updated,
    true,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"user": app_user(2, "active"), "changed": false})),
    &wire::DowngradedLicense { success: false, reason: Some("u-0000002 has the cheapest license already".to_owned()) },
    &NOOP,
    true,
))]
#[case::unknown_is_not_found(
    of4::<Write>(request())
        .mock(call().respond_json(404, app_error("no user u-0000002")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000002")
)]
#[case::wrong_password_is_unauthorized(
    of4::<Write>(request())
        .mock(call().respond_json(401, app_error("invalid credentials")))
        .expect_error(ErrorCode::Unauthorized)
        .status(401)
)]
#[case::bad_request_reaches_no_app(
    of4::<Write>(wire::DowngradeLicense { account_id: String::new() })
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_id must not be empty")
)]
fn downgrade_license(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
