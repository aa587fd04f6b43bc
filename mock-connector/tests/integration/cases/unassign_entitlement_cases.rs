//! `unassign_entitlement`: `DELETE /api/groups/{gid}/members/{uid}` or
//! `DELETE /api/roles/{role}/members/{uid}`; idempotent in the app, so revoking twice is fine.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

use super::{app_error, case, throttled, throttled_once, uid};

const SCOPE: &str = "unassign_entitlement";

fn request(
    entitlement_type: &str,
    resource_type: &str,
    resource: &str,
    entitlement: &str,
) -> Value {
    json!({"account_integration_specific_id": uid(2), "resource_type": resource_type,
           "resource_integration_specific_id": resource, "entitlement_type": entitlement_type,
           "entitlement_integration_specific_id": entitlement})
}

fn group() -> Value {
    request("member", "group", "g-001", "member")
}

fn admin() -> Value {
    request("role", "", "", "admin")
}

fn in_group() -> HttpMock {
    HttpMock::delete("/api/groups/g-001/members/u-0000002")
}

fn changed(changed: bool) -> Value {
    json!({"group_id": "g-001", "user_id": uid(2), "member": false, "changed": changed})
}

fn done() -> Value {
    json!({"unassigned": true})
}

pub(crate) fn group_membership() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(200, changed(true)))
        .expect_response(done())
}

pub(crate) fn twice_is_fine() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(200, changed(false)))
        .expect_response(done())
}

pub(crate) fn admin_role() -> Case {
    case(SCOPE)
        .payload(admin())
        .mock(
            HttpMock::delete("/api/roles/admin/members/u-0000002").respond_json(
                200,
                json!({"role_id": "admin", "user_id": uid(2), "member": false, "changed": true}),
            ),
        )
        .expect_response(done())
}

pub(crate) fn unknown_group_is_not_found() -> Case {
    case(SCOPE)
        .payload(request("member", "group", "g-404", "member"))
        .mock(
            HttpMock::delete("/api/groups/g-404/members/u-0000002")
                .respond_json(404, app_error("no group g-404")),
        )
        .expect_error("not_found")
        .with_status(404)
        .with_message("no group g-404")
}

pub(crate) fn unknown_account_is_not_found() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(404, app_error("no user u-0000002")))
        .expect_error("not_found")
        .with_message("no user u-0000002")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(throttled_once(in_group(), 200, changed(true)))
        .expect_response(done())
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(throttled(in_group()))
        .expect_error("rate_limit")
        .with_status(429)
        .with_message("after 3 retries")
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn unknown_entitlement_type() -> Case {
    case(SCOPE)
        .payload(request("license", "", "", "pro"))
        .expect_error("bad_request")
        .with_message("unknown entitlement type `license`")
}

pub(crate) fn group_has_only_the_member_entitlement() -> Case {
    case(SCOPE)
        .payload(request("member", "group", "g-001", "owner"))
        .expect_error("bad_request")
        .with_message("not `owner`")
}

pub(crate) fn role_is_on_the_app_not_a_group() -> Case {
    case(SCOPE)
        .payload(request("role", "group", "g-001", "admin"))
        .expect_error("bad_request")
        .with_message("on the app itself")
}

pub(crate) fn blank_account_is_a_bad_request() -> Case {
    let mut payload = group();
    payload["account_integration_specific_id"] = json!("");
    case(SCOPE)
        .payload(payload)
        .expect_error("bad_request")
        .with_message("request.account_integration_specific_id must not be empty")
}

pub(crate) fn missing_field_is_a_bad_request() -> Case {
    case(SCOPE)
        .payload(json!({"account_integration_specific_id": uid(2)}))
        .expect_error("bad_request")
        .with_message("missing field")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(SCOPE, group())
}
