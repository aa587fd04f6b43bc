//! `update_account` (protocol 4): `PATCH /api/users/{id}` with the attributes asked for; the
//! answer names those the app changed, and none is a no-op.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Map, Value, json};

use super::{NOOP, app_error, app_user, check4, of4, uid, written};

type Write = marker::UpdateAccount;

/// `id` with these attributes, in the protocol's names.
fn account(id: &str, changes: Value) -> wire::UpdateableAccount {
    let changes: Map<String, Value> = serde_json::from_value(changes).unwrap();
    wire::UpdateableAccount {
        id: id.to_owned(),
        changes,
    }
}

fn patch(n: usize) -> HttpMockBuilder {
    HttpMock::patch(&format!("/api/users/{}", uid(n)))
}

#[rstest]
#[case::changes_what_differs(written::<Write>(
    &account(&uid(1), json!({"given_name": "Zoe", "family_name": "Lee",
                             "user_status": "SUSPENDED", "department": "Legal"})),
    patch(1)
        .expect_body(json!({"first_name": "Zoe", "last_name": "Lee", "status": "suspended",
                            "department": "Legal"}))
        .respond_json(200, json!({"user": app_user(1, "suspended"),
                                  "changed": ["first_name", "status", "department"]})),
    &account(&uid(1), json!({"given_name": "Zoe", "user_status": "SUSPENDED",
                             "department": "Legal"})),
    &Effect::Updated,
    false,
))]
#[case::nothing_changed_is_a_noop(written::<Write>(
    &account(&uid(1), json!({"email": "user1@example.com"})),
    patch(1)
        .expect_body(json!({"email": "user1@example.com"}))
        .respond_json(200, json!({"user": app_user(1, "active"), "changed": []})),
    &wire::UpdateableAccount::unchanged(uid(1)),
    &NOOP,
    false,
))]
#[case::unknown_account_is_not_found(
    of4::<Write>(account(&uid(404), json!({"email": "x@example.com"})))
        .mock(patch(404).respond_json(404, app_error("no user u-0000404")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no user u-0000404")
)]
#[case::a_bad_email_is_refused_by_the_app(
    of4::<Write>(account(&uid(1), json!({"email": "bad"})))
        .mock(patch(1).respond_json(400, app_error("email \"bad\" is not an email address")))
        .expect_error(ErrorCode::BadRequest)
        .status(400)
)]
#[case::unknown_attribute_is_a_bad_request(
    of4::<Write>(account(&uid(1), json!({"shoe_size": "44"})))
        .expect_error(ErrorCode::BadRequest)
        .message("request.shoe_size: the app cannot change it")
)]
#[case::unknown_status_is_a_bad_request(
    of4::<Write>(account(&uid(1), json!({"user_status": "GONE"})))
        .expect_error(ErrorCode::BadRequest)
        .message("request.user_status")
)]
fn update_account(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    check4(case, through);
}
