//! `update_account` (protocol 4): `PATCH /api/users/{id}` with the attributes asked for; the
//! answer names those the app changed, and none is a no-op.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::json;

use super::{app_error, app_user, case4, check4, uid, write_envelope};

const SCOPE: CapabilityName = CapabilityName::UpdateAccount;

#[rstest]
#[case::changes_what_differs({
    let payload = json!({"id": uid(1), "given_name": "Zoe", "family_name": "Lee",
                         "user_status": "SUSPENDED", "department": "Legal"});
    case4(SCOPE)
        .payload(payload.clone())
        .mock(
            HttpMock::patch("/api/users/u-0000001")
                .expect_body(json!({"first_name": "Zoe", "last_name": "Lee",
                                    "status": "suspended", "department": "Legal"}))
                .respond_json(200, json!({"user": app_user(1, "suspended"),
                                          "changed": ["first_name", "status", "department"]})),
        )
        .expect_envelope(write_envelope(
            &payload,
            json!({"id": uid(1), "given_name": "Zoe", "user_status": "SUSPENDED",
                   "department": "Legal"}),
            "updated",
            false,
        ))
})]
#[case::nothing_changed_is_a_noop({
    let payload = json!({"id": uid(1), "email": "user1@example.com"});
    case4(SCOPE)
        .payload(payload.clone())
        .mock(
            HttpMock::patch("/api/users/u-0000001")
                .expect_body(json!({"email": "user1@example.com"}))
                .respond_json(200, json!({"user": app_user(1, "active"), "changed": []})),
        )
        .expect_envelope(write_envelope(&payload, json!({"id": uid(1)}), "noop", false))
})]
#[case::unknown_account_is_not_found(
    case4(SCOPE)
        .payload(json!({"id": uid(404), "email": "x@example.com"}))
        .mock(
            HttpMock::patch("/api/users/u-0000404")
                .respond_json(404, app_error("no user u-0000404")),
        )
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::taken_email_is_refused_by_the_app(
    case4(SCOPE)
        .payload(json!({"id": uid(1), "email": "bad"}))
        .mock(
            HttpMock::patch("/api/users/u-0000001")
                .respond_json(400, app_error("email \"bad\" is not an email address")),
        )
        .expect_error(ErrorCode::BadRequest)
        .status(400)
)]
#[case::unknown_attribute_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"id": uid(1), "shoe_size": "44"}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.shoe_size: the app cannot change it")
)]
#[case::unknown_status_is_a_bad_request(
    case4(SCOPE)
        .payload(json!({"id": uid(1), "user_status": "GONE"}))
        .expect_error(ErrorCode::BadRequest)
        .message("request.user_status")
)]
fn update_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
