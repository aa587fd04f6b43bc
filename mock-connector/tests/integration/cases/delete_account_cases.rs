//! `delete_account`: `DELETE /api/users/{id}` (retried: deleting is idempotent).

use connector_testkit::{Case, HttpMock};
use serde_json::json;

use super::{app_error, case, throttled, uid};

const SCOPE: &str = "delete_account";

fn delete(n: usize) -> HttpMock {
    HttpMock::delete(&format!("/api/users/{}", uid(n)))
}

fn deleted() -> serde_json::Value {
    json!({"status": "DELETED", "deleted": true})
}

pub(crate) fn deletes() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(delete(5).respond_text(204, ""))
        .expect_response(deleted())
}

pub(crate) fn unknown_account_is_not_found() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(404)}))
        .mock(delete(404).respond_json(404, app_error("no user u-0000404")))
        .expect_error("not_found")
        .with_status(404)
        .with_message("no user u-0000404")
}

pub(crate) fn id_is_one_path_segment() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": "../groups/g-001"}))
        .mock(
            HttpMock::delete("/api/users/..%2Fgroups%2Fg-001")
                .respond_json(404, app_error("no user")),
        )
        .expect_error("not_found")
}

pub(crate) fn rate_limit_is_retried() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(
            delete(5)
                .respond_json(429, app_error("slow down"))
                .with_header("Retry-After", "0")
                .then_json(204, json!(null)),
        )
        .expect_response(deleted())
}

pub(crate) fn rate_limit_after_retries() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(throttled(delete(5)))
        .expect_error("rate_limit")
        .with_message("after 3 retries")
}

pub(crate) fn server_error() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": uid(5)}))
        .mock(delete(5).respond_json(500, app_error("boom")))
        .expect_error("api_error")
        .with_status(500)
}

pub(crate) fn blank_id_is_a_bad_request() -> Case {
    case(SCOPE)
        .payload(json!({"account_id": ""}))
        .expect_error("bad_request")
        .with_message("request.account_id must not be empty")
}

pub(crate) fn missing_id_is_a_bad_request() -> Case {
    case(SCOPE)
        .payload(json!({}))
        .expect_error("bad_request")
        .with_message("missing field `account_id`")
}

pub(crate) fn token_auth_is_refused() -> Case {
    super::token_auth(SCOPE, json!({"account_id": uid(5)}))
}
