//! `list_resources`: the app's groups, `GET /api/groups?limit&after`.

use connector_testkit::{Case, HttpMock};
use serde_json::{Value, json};

use super::{
    BASIC, app_error, app_group, app_page, case, gid, page_token, tampered_token, throttled,
    throttled_once,
};

fn resource(n: usize) -> Value {
    json!({"integration_specific_id": gid(n), "label": mock_app::group_name(n),
           "resource_type": "group", "extra_data": {"description": format!("Group {n}")}})
}

fn after(n: usize) -> String {
    page_token("list_resources", &[gid(n)])
}

pub(crate) fn first_page() -> Case {
    case("list_resources")
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
}

pub(crate) fn middle_page() -> Case {
    case("list_resources")
        .page(Some(&after(2)), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-002").respond_json(
                200,
                app_page("groups", vec![app_group(3), app_group(4)], Some(&gid(4))),
            ),
        )
        .expect_items_and_next_page(json!([resource(3), resource(4)]), Some(2))
}

pub(crate) fn last_page() -> Case {
    case("list_resources")
        .page(Some(&after(4)), Some(2))
        .mock(
            HttpMock::get("/api/groups?limit=2&after=g-004")
                .respond_json(200, app_page("groups", vec![app_group(5)], None)),
        )
        .expect_items(json!([resource(5)]))
}

pub(crate) fn group_without_description() -> Case {
    case("list_resources")
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(
            200,
            app_page("groups", vec![json!({"id": "g-xyz", "name": "XYZ"})], None),
        ))
        .expect_items(json!([{"integration_specific_id": "g-xyz", "label": "XYZ",
                              "resource_type": "group", "extra_data": null}]))
}

pub(crate) fn not_found() -> Case {
    case("list_resources")
        .mock(HttpMock::get("/api/groups?limit=100").respond_json(404, app_error("no such tenant")))
        .expect_error("not_found")
        .with_status(404)
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case("list_resources")
        .mock(throttled_once(
            HttpMock::get("/api/groups?limit=100"),
            200,
            app_page("groups", vec![app_group(1)], None),
        ))
        .expect_items(json!([resource(1)]))
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case("list_resources")
        .mock(throttled(HttpMock::get("/api/groups?limit=100")))
        .expect_error("rate_limit")
        .with_status(429)
}

pub(crate) fn server_error() -> Case {
    case("list_resources")
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(503, app_error("try again later"))
                .with_header("Retry-After", "0")
                .times(4),
        )
        .expect_error("api_error")
        .with_status(503)
        .with_message("try again later (after 3 retries")
}

pub(crate) fn tampered_token_is_refused() -> Case {
    case("list_resources")
        .page(Some(&tampered_token("list_resources")), None)
        .expect_error("invalid_page_token")
}

pub(crate) fn wrong_password_is_unauthorized() -> Case {
    case("list_resources")
        .mock(
            HttpMock::get("/api/groups?limit=100")
                .respond_json(401, app_error("invalid credentials")),
        )
        .expect_error("unauthorized")
        .with_message("invalid credentials")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth("list_resources", json!({}))
}
