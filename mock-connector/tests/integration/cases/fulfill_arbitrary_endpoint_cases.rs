//! `fulfill_arbitrary_endpoint` (protocol 4), run by the SDK within the mock connector's
//! allow-list (reads of users and groups on the mock app's own origin): anything else is
//! refused before a request is made; the app's answer comes back verbatim, without the
//! credential in any form.

use connector_sdk::capability::marker;
use connector_sdk::wire::{self, ArbitraryRequestMethod, ErrorCode};
use connector_testkit::{Case, HttpMock, Through, TypedCase};
use rstest::rstest;
use serde_json::json;

use super::{BASIC, app_user, harness, uid};

fn fetch(url: &str) -> TypedCase<marker::FulfillArbitraryEndpoint> {
    request(url, None, None)
}

fn request(
    url: &str,
    method: Option<ArbitraryRequestMethod>,
    headers: Option<Vec<(&str, &str)>>,
) -> TypedCase<marker::FulfillArbitraryEndpoint> {
    Case::of::<marker::FulfillArbitraryEndpoint>(wire::FulfillArbitraryEndpoint {
        url: url.to_owned(),
        method,
        headers: headers.map(|pairs| {
            pairs
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
                .collect()
        }),
        query: None,
        body: None,
    })
    .basic("foo", "bar")
}

#[rstest]
#[case::an_allowed_read_comes_back_verbatim(
    fetch(&format!("/api/users/{}", uid(1)))
        .mock(
            HttpMock::get(&format!("/api/users/{}", uid(1)))
                .expect_header("authorization", BASIC)
                .respond_json(200, app_user(1, "active")),
        )
        .expect_response_like(json!({
            "ok": true, "status_code": 200, "headers": "{{any}}",
            "body": app_user(1, "active").to_string(), "content_type": "application/json",
            "error": null, "retry_after_seconds": null,
            "resolved_url": format!("{{{{base_url}}}}/api/users/{}", uid(1)),
        }))
)]
#[case::an_app_error_is_an_answer_not_a_failure(
    fetch("/api/groups/g-404/members")
        .mock(HttpMock::get("/api/groups/g-404/members").respond_json(404, json!({"error": "no group"})))
        .expect_response_like(json!({
            "ok": false, "status_code": 404, "headers": "{{any}}",
            "body": json!({"error": "no group"}).to_string(), "content_type": "application/json",
            "error": "The app answered HTTP 404", "retry_after_seconds": null,
            "resolved_url": "{{base_url}}/api/groups/g-404/members",
        }))
)]
#[case::a_credential_the_app_echoes_is_scrubbed(
    fetch("/api/users")
        .mock(
            HttpMock::get("/api/users")
                .respond_json(200, json!({"echo": BASIC, "password": "bar"}))
                .with_header("x-echo", BASIC),
        )
        .expect_response_like(json!({
            "ok": true, "status_code": 200, "headers": "{{any}}",
            "body": json!({"echo": "[REDACTED]", "password": "[REDACTED]"}).to_string(),
            "content_type": "application/json", "error": null, "retry_after_seconds": null,
            "resolved_url": "{{base_url}}/api/users",
        }))
)]
#[case::a_path_outside_the_list_is_refused_before_a_request(
    fetch("/api/roles")
        .expect_error(ErrorCode::BadRequest)
        .message("GET /api/roles is not in the connector's allow-list")
)]
#[case::a_write_is_refused_before_a_request(
    request("/api/users", Some(ArbitraryRequestMethod::Post), None)
        .expect_error(ErrorCode::BadRequest)
        .message("allow-list")
)]
#[case::traversal_out_of_the_list_is_refused(
    fetch("/api/users/../roles/admin/members")
        .expect_error(ErrorCode::BadRequest)
        .message("allow-list")
)]
#[case::another_origin_is_refused(
    fetch("https://evil.example/api/users")
        .expect_error(ErrorCode::BadRequest)
        .message("not the app's origin")
)]
#[case::a_caller_credential_header_is_refused(
    request("/api/users", None, Some(vec![("Authorization", "Bearer stolen")]))
        .expect_error(ErrorCode::BadRequest)
        .message("request.headers.Authorization may not be set")
)]
fn fulfill_arbitrary_endpoint(
    #[case] case: impl Into<Case>,
    #[values(Through::Dispatch, Through::Server)] through: Through,
) {
    harness().through(through).check_blocking(case);
}
