//! `update_account`: the changed attributes by PATCH (or by PUT with the ETag when the server
//! has no PATCH), nothing sent when nothing differs, unknown keys refused before any request.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, Effect, ErrorCode, NoopReason};
use connector_testkit::{Case, HttpMock, TypedCase};
use rstest::rstest;
use serde_json::{Value, json};

use crate::support::{check, route, scim_error, typed, user};

fn update(changes: Value) -> (TypedCase<marker::UpdateAccount>, wire::UpdateableAccount) {
    let request = wire::UpdateableAccount {
        id: "u1".to_owned(),
        changes: changes.as_object().cloned().expect("an object"),
    };
    (typed::<marker::UpdateAccount>(request.clone()), request)
}

fn config(patch: bool) -> HttpMock {
    route("GET", "/ServiceProviderConfig").respond_json(
        200,
        json!({"patch": {"supported": patch}, "etag": {"supported": true}, "filter": {"supported": true}}),
    )
}

fn current() -> HttpMock {
    route("GET", "/Users/u1")
        .respond_json(200, user("u1", true))
        .with_header("ETag", "W/\"3\"")
}

const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

fn patched() -> Case {
    let (case, request) = update(json!({
        "email": "new@work.example",
        "given_name": "Augusta",
        "family_name": "Lovelace",
        "user_status": "SUSPENDED",
    }));
    let mut answer = request;
    // The family name is already so: not sent, not reported.
    answer.changes.remove("family_name");
    case.mock(config(true))
        .mock(current())
        .mock(
            route("PATCH", "/Users/u1")
                .expect_body(json!({"schemas": [PATCH], "Operations": [
                    {"op": "replace", "path": "emails", "value": [
                        {"value": "u1@home.example", "primary": false},
                        {"value": "new@work.example", "primary": true},
                    ]},
                    {"op": "replace", "path": "name.givenName", "value": "Augusta"},
                    {"op": "replace", "path": "active", "value": false},
                ]}))
                .respond_text(204, ""),
        )
        .expect_written(answer, Effect::Updated)
}

fn put_with_etag() -> Case {
    let (case, request) = update(json!({"username": "ada", "given_name": null}));
    let mut expected = user("u1", true);
    expected["userName"] = json!("ada");
    expected["name"] = json!({"familyName": "Lovelace"});
    case.mock(config(false))
        .mock(current())
        .mock(
            route("PUT", "/Users/u1")
                .expect_header("if-match", "W/\"3\"")
                .expect_body(expected)
                .respond_json(200, user("u1", true)),
        )
        .expect_written(request, Effect::Updated)
}

fn nothing_differs() -> Case {
    let (case, _) = update(json!({"given_name": "Ada", "active": true}));
    case.mock(config(true)).mock(current()).expect_written(
        wire::UpdateableAccount::unchanged("u1"),
        Effect::Noop {
            reason: NoopReason::StateAlreadyMatches,
        },
    )
}

#[rstest]
#[case::by_patch_only_what_differs(patched())]
#[case::by_put_with_the_etag_without_patch(put_with_etag())]
#[case::nothing_differs_is_a_noop(nothing_differs())]
#[case::an_unknown_key_is_refused_before_any_request(
    update(json!({"email": "a@b.example", "nickname": "x"})).0
        .expect_error(ErrorCode::BadRequest)
        .message("\"nickname\" is not an attribute this connector can change")
)]
#[case::a_mistyped_value_is_refused(
    update(json!({"active": "yes"})).0
        .expect_error(ErrorCode::BadRequest)
        .message("request.active must be a boolean")
)]
#[case::a_missing_user_is_not_found(
    update(json!({"given_name": "X"})).0
        .mock(config(true))
        .mock(route("GET", "/Users/u1").respond_json(404, scim_error(404, None, "User not found")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::a_refused_value_is_invalid(
    update(json!({"username": "taken"})).0
        .mock(config(true))
        .mock(current())
        .mock(route("PATCH", "/Users/u1")
            .respond_json(409, scim_error(409, Some("uniqueness"), "userName taken")))
        .expect_error(ErrorCode::InvalidValue)
        .app_error_code("uniqueness")
)]
fn update_account(#[case] case: impl Into<Case>) {
    check(case);
}
