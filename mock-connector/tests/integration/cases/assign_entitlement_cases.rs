//! `assign_entitlement`: `PUT /api/groups/{gid}/members/{uid}` or `PUT /api/roles/{role}/members/{uid}`;
//! idempotent in the app, so granting twice is fine (and retried).

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, HttpMockBuilder, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{app_error, case, harness, throttled, throttled_once, token_auth, uid};

const SCOPE: CapabilityName = CapabilityName::AssignEntitlement;

fn request(
    entitlement_type: &str,
    resource_type: &str,
    resource: &str,
    entitlement: &str,
) -> Value {
    json!({"account_integration_specific_id": uid(2), "resource_integration_specific_id": resource,
           "resource_type": resource_type, "entitlement_type": entitlement_type,
           "entitlement_integration_specific_id": entitlement})
}

fn group() -> Value {
    request("member", "group", "g-001", "member")
}

fn admin() -> Value {
    request("role", "", "", "admin")
}

fn in_group() -> HttpMockBuilder {
    HttpMock::put("/api/groups/g-001/members/u-0000002")
}

fn changed(changed: bool) -> Value {
    json!({"group_id": "g-001", "user_id": uid(2), "member": true, "changed": changed})
}

fn done() -> Value {
    json!({"assigned": true})
}

#[rstest]
#[case::group_membership(
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(200, changed(true)))
        .expect_response(done())
)]
#[case::twice_is_fine(
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(200, changed(false)))
        .expect_response(done())
)]
#[case::admin_role(
    case(SCOPE)
        .payload(admin())
        .mock(
            HttpMock::put("/api/roles/admin/members/u-0000002").respond_json(
                200,
                json!({"role_id": "admin", "user_id": uid(2), "member": true, "changed": true}),
            ),
        )
        .expect_response(done())
)]
#[case::unknown_group_is_not_found(
    case(SCOPE)
        .payload(request("member", "group", "g-404", "member"))
        .mock(
            HttpMock::put("/api/groups/g-404/members/u-0000002")
                .respond_json(404, app_error("no group g-404")),
        )
        .expect_error(ErrorCode::NotFound)
        .status(404)
        .message("no group g-404")
)]
#[case::unknown_account_is_not_found(
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(404, app_error("no user u-0000002")))
        .expect_error(ErrorCode::NotFound)
        .message("no user u-0000002")
)]
#[case::rate_limit_is_retried(
    case(SCOPE)
        .payload(group())
        .mock(throttled_once(in_group(), 200, changed(true)))
        .expect_response(done())
)]
#[case::rate_limit_after_retries(
    case(SCOPE)
        .payload(group())
        .mock(throttled(in_group()))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
        .message("after 3 retries")
)]
#[case::server_error(
    case(SCOPE)
        .payload(group())
        .mock(in_group().respond_json(500, app_error("boom")))
        .expect_error(ErrorCode::ApiError)
        .status(500)
)]
#[case::unknown_entitlement_type(
    case(SCOPE)
        .payload(request("license", "", "", "pro"))
        .expect_error(ErrorCode::BadRequest)
        .message("unknown entitlement type `license`")
)]
#[case::group_has_only_the_member_entitlement(
    case(SCOPE)
        .payload(request("member", "group", "g-001", "owner"))
        .expect_error(ErrorCode::BadRequest)
        .message("not `owner`")
)]
#[case::role_is_on_the_app_not_a_group(
    case(SCOPE)
        .payload(request("role", "group", "g-001", "admin"))
        .expect_error(ErrorCode::BadRequest)
        .message("on the app itself")
)]
#[case::blank_account_is_a_bad_request({
    let mut payload = group();
    payload["account_integration_specific_id"] = json!("");
    case(SCOPE)
        .payload(payload)
        .expect_error(ErrorCode::BadRequest)
        .message("request.account_integration_specific_id must not be empty")
})]
#[case::missing_field_is_a_bad_request(
    case(SCOPE)
        .payload(json!({"account_integration_specific_id": uid(2)}))
        .expect_error(ErrorCode::BadRequest)
        .message("missing field")
)]
// Recorded against the mock app (`mock-connector assign_entitlement --record tests/recordings
// …`) and turned into rows by `connector record-case` (the second with `--inline`).
#[case::recorded(Case::from_recording("tests/recordings/assign_entitlement-1.json"))]
#[case::recorded_and_written_out(
    Case::new(CapabilityName::AssignEntitlement)
        // The recording keeps no credential; its routes check none.
        .auth(json!({
            "basic": {
                "username": "recorded-user",
                "password": "[REDACTED]"
            }
        }))
        .payload(json!({
            "account_integration_specific_id": "u-0000002",
            "resource_integration_specific_id": "g-003",
            "resource_type": "group",
            "entitlement_type": "member",
            "entitlement_integration_specific_id": "member"
        }))
        .settings(json!({
            "host": "{{base_url}}"
        }))
        .mock(
            HttpMock::new("PUT", "/api/groups/g-003/members/u-0000002")
                .respond_json(200, json!({
                    "group_id": "g-003",
                    "user_id": "u-0000002",
                    "member": true,
                    "changed": true
                }))
                .with_header("content-type", "application/json")
        )
        .expect_envelope(json!({
            "response": {
                "assigned": true
            },
            "raw_data": null,
            "page": null
        }))
)]
#[case::token_auth_is_refused(token_auth(SCOPE, group()))]
fn assign_entitlement(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
