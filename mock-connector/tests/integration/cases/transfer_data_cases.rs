//! `transfer_data` (protocol 4): `POST /api/users/{id}/transfer`: the target becomes the owner of the source's data; already so is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::json;

use super::{NOOP, app_error, app_user, check4, of4, uid, written};

type Write = marker::TransferData;

fn request() -> wire::TransferData {
    wire::TransferData {
        source_account_id: uid(2),
        target_account_id: uid(1),
    }
}

fn call() -> HttpMockBuilder {
    HttpMock::post("/api/users/u-0000002/transfer").expect_body(json!({"to": uid(1)}))
}

#[rstest]
#[case::changes_the_app(written::<Write>(
    &request(),
    call().respond_json(200, json!({"user": app_user(2, "active"), "changed": true})),
    &wire::TransferDataStatus { success: true, reason: None },
    &Effect::Updated,
    false,
))]
#[case::nothing_to_change_is_a_noop(written::<Write>(
    &request(),
    call().respond_json(200, json!({"user": app_user(2, "active"), "changed": false})),
    &wire::TransferDataStatus { success: false, reason: Some("the data of u-0000002 already belongs to u-0000001".to_owned()) },
    &NOOP,
    false,
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
    of4::<Write>(wire::TransferData { target_account_id: " ".to_owned(), ..request() })
        .expect_error(ErrorCode::BadRequest)
        .message("request.target_account_id must not be empty")
)]
fn transfer_data(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
