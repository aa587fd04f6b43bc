//! Protocol 4's rows of the reference's error table that apply to a Rust connector: the
//! validation order and its messages, the credentials rules, the upstream status table, the
//! transport failures; each with its code and its `error_metadata` exactly as 4.x writes them.
//! (Malformed JSON, a non-object document and an unregistered capability do not reach a case's
//! JSON envelope; `protocol4_raw` below runs them through dispatch.)

use connector_sdk::Protocol;
use connector_sdk::wire::{CapabilityName, ErrorCode};
use connector_testkit::{Case, Harness, HttpMock};
use mock_connector::MockConnector;
use rstest::rstest;
use serde_json::{Value, json};

use super::{BASIC, app_error, app_page, app_user, harness};

/// `error_metadata` with no hint and no retry delay.
fn meta(fault: &str, category: &str, retryable: bool, throttled: bool, refreshable: bool) -> Value {
    json!({"fault": fault, "category": category, "hint": null, "retryable": retryable,
           "throttled": throttled, "refreshable": refreshable, "retry_after_seconds": null})
}

/// The caller's fault: `bad_request`, `not_found`, `conflict`, ….
fn caller() -> Value {
    meta("caller", "client", false, false, false)
}

fn basic() -> Value {
    json!({"basic": {"username": "foo", "password": "bar"}})
}

/// A list_accounts case in protocol 4 with the envelope `envelope` (settings get the app's URL).
fn v4(envelope: Value) -> Case {
    Case::new(CapabilityName::ListAccounts)
        .protocol(Protocol::V4)
        .raw_request(envelope)
}

/// A list_accounts case in protocol 4 whose app answers `status` with a JSON error body.
fn upstream(status: u16, calls: u64) -> Case {
    let mock = HttpMock::get("/api/users?limit=100")
        .expect_header("authorization", BASIC)
        .respond_json(status, app_error("boom"))
        .with_header("Retry-After", "0")
        .times(calls);
    v4(json!({"auth": basic(), "request": {}})).mock(mock)
}

/// The first page of one user, as protocol 4 writes the item.
fn one_user() -> (HttpMock, Value) {
    let mock = HttpMock::get("/api/users?limit=100")
        .expect_header("authorization", BASIC)
        .respond_json(200, app_page("users", vec![app_user(1, "active")], None));
    let mut item = super::account(1, "ACTIVE");
    item["resource_id"] = Value::Null;
    (mock, json!([item]))
}

/// A harness without the base-URL setting, for rows about the settings themselves.
fn bare() -> Harness<MockConnector> {
    Harness::new(mock_connector::integration())
}

#[rstest]
#[case::missing_request(
    v4(json!({"auth": basic()}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - request: missing field `request`")
        .metadata(caller())
)]
#[case::envelope_errors_are_named_together(
    v4(json!({"auth": basic(), "request": {"custom_attributes": "department"},
              "page": {"size": "5"}, "include_raw_data": "true"}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - request.custom_attributes: ")
        .metadata(caller())
)]
#[case::strict_page_size(
    v4(json!({"auth": basic(), "request": {}, "page": {"size": "5"}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - page.size: ")
        .metadata(caller())
)]
#[case::strict_include_raw_data(
    v4(json!({"auth": basic(), "request": {}, "include_raw_data": "true"}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - include_raw_data: ")
        .metadata(caller())
)]
#[case::unknown_rate_limit_mode(
    v4(json!({"auth": basic(), "request": {}, "rate_limit": {"caller_override_mode": "fast"}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - rate_limit.caller_override_mode: ")
        .metadata(caller())
)]
#[case::strict_rate_limit_scalars(
    v4(json!({"auth": basic(), "request": {}, "rate_limit": {"max_execution_time": "30"}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - rate_limit.max_execution_time: ")
        .metadata(caller())
)]
#[case::malformed_credential_shape(
    v4(json!({"credentials": [{"id": "legacy", "basic": {"username": "foo"}}], "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - credentials[0].basic: missing field `password`")
        .metadata(caller())
)]
#[case::settings_not_an_object(
    v4(json!({"auth": basic(), "request": {}, "settings": "host"}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - settings: expected an object, not a string")
        .metadata(caller())
)]
#[case::the_envelope_is_checked_before_the_credential(
    v4(json!({"request": {"custom_attributes": 5}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Invalid request - request.custom_attributes")
        .metadata(caller())
)]
#[case::no_auth_or_credentials(
    v4(json!({"request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing auth/credentials in request")
        .metadata(caller())
)]
#[case::auth_and_credentials(
    v4(json!({"auth": basic(), "credentials": [{"id": "legacy", "basic": basic()["basic"]}],
              "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Cannot pass credentials and auth in the same request, if you've meant to make this connector multi-auth compatible, please remove the auth field.")
        .metadata(caller())
)]
#[case::empty_credentials(
    v4(json!({"credentials": [], "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing credentials in request")
        .metadata(caller())
)]
#[case::unknown_credential_id(
    v4(json!({"credentials": [{"id": "nope", "basic": basic()["basic"]}], "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Credential with id 'nope' not expected")
        .metadata(caller())
)]
#[case::credential_without_id(
    v4(json!({"credentials": [{"id": "legacy", "basic": basic()["basic"]}, {"basic": basic()["basic"]}],
              "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing ID in credential at index 1")
        .metadata(caller())
)]
#[case::credential_of_the_wrong_kind(
    v4(json!({"credentials": [{"id": "legacy", "oauth": {"access_token": "t"}}], "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing 'basic' credential in request")
        .metadata(caller())
)]
#[case::auth_of_a_kind_not_accepted(
    v4(json!({"auth": {"token": {"token": "t0ken"}}, "request": {}}))
        .expect_error(ErrorCode::BadRequest)
        .message("Missing auth in request: expected one of 'basic', 'oauth'")
        .metadata(caller())
)]
#[case::settings_null(
    v4(json!({"auth": basic(), "request": {}, "settings": null}))
        .expect_error(ErrorCode::BadRequest)
        .message("No settings passed on request: mock-connector requires MockSettings")
        .metadata(caller())
)]
#[case::credential_is_checked_before_settings(
    v4(json!({"credentials": [{"id": "nope"}], "request": {}, "settings": null}))
        .expect_error(ErrorCode::BadRequest)
        .message("Credential with id 'nope' not expected")
        .metadata(caller())
)]
#[case::upstream_400(upstream(400, 1).expect_error(ErrorCode::BadRequest).status(400)
    .message("[400][{{base_url}}/api/users] {'error': {'message': 'boom'}}").metadata(caller()))]
#[case::upstream_401(upstream(401, 1).expect_error(ErrorCode::Unauthorized).status(401)
    .message("[401][{{base_url}}/api/users] ")
    .metadata(meta("upstream", "authentication", false, false, true)))]
#[case::upstream_403(upstream(403, 1).expect_error(ErrorCode::PermissionDenied).status(403)
    .metadata(meta("upstream", "authorization", false, false, false)))]
#[case::upstream_404(upstream(404, 1).expect_error(ErrorCode::NotFound).status(404)
    .metadata(caller()))]
#[case::upstream_405(upstream(405, 1).expect_error(ErrorCode::UnsupportedOperation).status(405)
    .metadata(meta("connector", "internal", false, false, false)))]
#[case::upstream_408(upstream(408, 4).expect_error(ErrorCode::RequestTimeout).status(408)
    .metadata(meta("upstream", "transient", true, false, false)))]
#[case::upstream_409(upstream(409, 1).expect_error(ErrorCode::Conflict).status(409)
    .message("[409][{{base_url}}/api/users] {'error': {'message': 'boom'}}").metadata(caller()))]
#[case::upstream_413(upstream(413, 1).expect_error(ErrorCode::BadRequest).status(413)
    .metadata(caller()))]
#[case::upstream_415(upstream(415, 1).expect_error(ErrorCode::BadRequest).status(415)
    .metadata(caller()))]
#[case::upstream_418(upstream(418, 1).expect_error(ErrorCode::InvalidResponse).status(418)
    .metadata(meta("connector", "internal", false, false, false)))]
#[case::upstream_422(upstream(422, 1).expect_error(ErrorCode::BadRequest).status(422)
    .metadata(caller()))]
#[case::upstream_429(upstream(429, 4).expect_error(ErrorCode::RateLimit).status(429)
    .metadata(meta("upstream", "transient", true, true, false)))]
#[case::upstream_500(upstream(500, 1).expect_error(ErrorCode::BadGateway).status(500)
    .message("[500][{{base_url}}/api/users] ")
    .metadata(meta("upstream", "transient", true, false, false)))]
#[case::upstream_501(upstream(501, 1).expect_error(ErrorCode::UnsupportedOperation).status(501)
    .metadata(meta("connector", "internal", false, false, false)))]
#[case::upstream_502(upstream(502, 4).expect_error(ErrorCode::BadGateway).status(502)
    .metadata(meta("upstream", "transient", true, false, false)))]
#[case::upstream_503(upstream(503, 4).expect_error(ErrorCode::ServiceError).status(503)
    .metadata(meta("upstream", "transient", true, false, false)))]
#[case::upstream_504(upstream(504, 4).expect_error(ErrorCode::BadGateway).status(504)
    .metadata(meta("upstream", "transient", true, false, false)))]
#[case::unreadable_answer(
    v4(json!({"auth": basic(), "request": {}}))
        .mock(HttpMock::get("/api/users?limit=100").respond_text(200, "<html>maintenance</html>"))
        .expect_error(ErrorCode::InvalidResponse)
        .message("Failed to parse JSON response: ")
        .metadata(meta("connector", "internal", false, false, false))
)]
#[case::tampered_page_token(
    v4(json!({"auth": basic(), "request": {}, "page": {"token": "not-a-token", "size": 2}}))
        .expect_error(ErrorCode::InvalidPageToken)
        .metadata(caller())
)]
fn protocol4_errors(#[case] case: impl Into<Case>) {
    harness().check_blocking(case);
}

#[rstest]
#[case::a_one_entry_credentials_list(
    v4(json!({"credentials": [{"id": "legacy", "basic": basic()["basic"]}], "request": {}}))
)]
#[case::a_complete_entry_beside_an_incomplete_one(
    v4(json!({"credentials": [{"id": "legacy"}, {"id": "legacy", "basic": basic()["basic"]}],
              "request": {}}))
)]
#[case::auth_null_beside_credentials(
    v4(json!({"auth": null, "credentials": [{"id": "legacy", "basic": basic()["basic"]}],
              "request": {}}))
)]
#[case::plain_auth(v4(json!({"auth": basic(), "request": {}})))]
fn protocol4_credentials(#[case] case: Case) {
    let (mock, items) = one_user();
    harness().check_blocking(case.mock(mock).expect_envelope(json!({
        "response": items, "raw_data": null, "page": null,
        "rate_limit": null, "execution_summary": null,
    })));
}

#[rstest]
#[case::settings_missing_a_required_field(
    json!({}), "Invalid settings passed on request. Missing required settings: Host"
)]
#[case::settings_ill_typed(
    json!({"host": 5}), "Invalid settings passed on request. settings.host: "
)]
fn protocol4_settings(#[case] settings: Value, #[case] message: &str) {
    bare().check_blocking(
        v4(json!({"auth": basic(), "request": {}, "settings": settings}))
            .expect_error(ErrorCode::BadRequest)
            .message(message)
            .metadata(caller()),
    );
}

#[test]
fn protocol4_connection_refused() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = closed.local_addr().expect("its address").port();
    drop(closed);
    bare().check_blocking(
        v4(json!({"auth": basic(), "request": {},
                  "settings": {"host": format!("http://127.0.0.1:{port}")}}))
            .expect_error(ErrorCode::ConnectionTimeout)
            .message("Failed to connect to the API. Please verify the URL or try at a later time due to a potential temporary network issue.")
            .metadata(meta("infrastructure", "transient", true, false, false)),
    );
}
