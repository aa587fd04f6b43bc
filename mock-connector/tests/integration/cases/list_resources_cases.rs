//! `list_resources`: the app's groups, `GET /api/groups?limit&after`.

use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, HttpMock, Through};
use rstest::rstest;
use serde_json::{Value, json};

use super::{
    BASIC, app_error, app_group, app_page, case, gid, harness, page_token, tampered_token,
    throttled, throttled_once, token_auth,
};

fn resource(n: usize) -> Value {
    json!({"integration_specific_id": gid(n), "label": mock_app::group_name(n),
           "resource_type": "group", "extra_data": {"description": format!("Group {n}")}})
}

fn after(n: usize) -> String {
    page_token(CapabilityName::ListResources, &gid(n))
}

#[rstest]
#[case::first_page(
    case(CapabilityName::ListResources)
        .page(None, Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2")
                .expect_header("authorization", BASIC)
                .respond_json(
                    200,
                    app_page("groups", vec![app_group(1), app_group(2)], Some(&gid(2))),
                ),
        )
        .expect_items_and_next_page(json!([resource(1), resource(2)]), Some(2))
)]
#[case::middle_page(
    case(CapabilityName::ListResources)
        .page(Some(&after(2)), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-002").respond_json(
                200,
                app_page("groups", vec![app_group(3), app_group(4)], Some(&gid(4))),
            ),
        )
        .expect_items_and_next_page(json!([resource(3), resource(4)]), Some(2))
)]
#[case::last_page(
    case(CapabilityName::ListResources)
        .page(Some(&after(4)), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-004")
                .respond_json(200, app_page("groups", vec![app_group(5)], None)),
        )
        .expect_items(json!([resource(5)]))
)]
#[case::group_without_description(
    case(CapabilityName::ListResources)
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(
            200,
            app_page("groups", vec![json!({"id": "g-xyz", "name": "XYZ"})], None),
        ))
        .expect_items(json!([{"integration_specific_id": "g-xyz", "label": "XYZ",
                              "resource_type": "group", "extra_data": null}]))
)]
#[case::not_found(
    case(CapabilityName::ListResources)
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error(ErrorCode::NotFound)
        .status(404)
)]
#[case::rate_limit_is_retried(
    case(CapabilityName::ListResources)
        .mock(throttled_once(
            HttpMock::get("/api/groups?limit=100"),
            200,
            app_page("groups", vec![app_group(1)], None),
        ))
        .expect_items(json!([resource(1)]))
)]
#[case::rate_limit_after_retries(
    case(CapabilityName::ListResources)
        .mock(throttled(HttpMock::get("/api/groups?limit=100")))
        .expect_error(ErrorCode::RateLimit)
        .status(429)
)]
#[case::server_error(
    case(CapabilityName::ListResources)
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(503, app_error("try again later"))
                .with_header("Retry-After", "0")
                .times(4),
        )
        .expect_error(ErrorCode::ApiError)
        .status(503)
        .message("try again later (after 3 retries")
)]
#[case::tampered_token_is_refused(
    case(CapabilityName::ListResources)
        .page(Some(&tampered_token(CapabilityName::ListResources)), None)
        .expect_error(ErrorCode::InvalidPageToken)
)]
#[case::wrong_password_is_unauthorized(
    case(CapabilityName::ListResources)
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error(ErrorCode::Unauthorized)
        .message("invalid credentials")
)]
#[case::token_auth_is_refused(
    token_auth(CapabilityName::ListResources, json!({}))
)]
fn list_resources(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
