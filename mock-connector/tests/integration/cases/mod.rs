//! The case tables, one module per capability (`<capability>_cases.rs`, as the scaffold lays
//! them out), and what they share: the harness, requests, app answers, expected items.
//!
//! Each module ends with its capability's rstest table: every case is written once, inline, as
//! `#[case::name(…)]`, and runs the capability in process against a wiremock app that serves exactly the
//! declared HTTP calls; an undeclared call, or a declared one not made as often as declared,
//! fails the case.

pub(crate) mod activate_account_cases;
pub(crate) mod assign_application_cases;
pub(crate) mod assign_application_entitlement_cases;
pub(crate) mod assign_entitlement_cases;
pub(crate) mod connected_info_cases;
pub(crate) mod create_account_cases;
pub(crate) mod credentials_cases;
pub(crate) mod deactivate_account_cases;
pub(crate) mod delete_account_cases;
pub(crate) mod downgrade_license_cases;
pub(crate) mod find_entitlement_assignments_cases;
pub(crate) mod find_entitlement_associations_cases;
pub(crate) mod find_entitlement_graph_cases;
pub(crate) mod find_resource_graph_cases;
pub(crate) mod fulfill_arbitrary_endpoint_cases;
pub(crate) mod get_account_cases;
pub(crate) mod get_account_entitlement_associations_cases;
pub(crate) mod get_application_account_cases;
pub(crate) mod get_application_cases;
pub(crate) mod get_authorization_url_cases;
pub(crate) mod get_credential_last_activity_cases;
pub(crate) mod get_data_recency_cases;
pub(crate) mod get_last_activity_cases;
pub(crate) mod get_non_human_account_last_activity_cases;
pub(crate) mod get_tenant_cases;
pub(crate) mod handle_authorization_callback_cases;
pub(crate) mod handle_client_credentials_request_cases;
pub(crate) mod list_accounts_cases;
pub(crate) mod list_activity_records_cases;
pub(crate) mod list_applications_accounts_cases;
pub(crate) mod list_applications_activity_records_cases;
pub(crate) mod list_applications_cases;
pub(crate) mod list_applications_entitlement_associations_cases;
pub(crate) mod list_applications_entitlements_cases;
pub(crate) mod list_applications_resources_cases;
pub(crate) mod list_credentials_cases;
pub(crate) mod list_custom_attributes_schema_cases;
pub(crate) mod list_entitlements_cases;
pub(crate) mod list_expenses_cases;
pub(crate) mod list_non_human_accounts_cases;
pub(crate) mod list_resources_cases;
pub(crate) mod list_updated_accounts_cases;
pub(crate) mod probe_integration_cases;
pub(crate) mod protocol4_cases;
pub(crate) mod refresh_access_token_cases;
pub(crate) mod release_resources_cases;
pub(crate) mod transfer_data_cases;
pub(crate) mod unassign_application_cases;
pub(crate) mod unassign_application_entitlement_cases;
pub(crate) mod unassign_entitlement_cases;
pub(crate) mod update_account_cases;
pub(crate) mod validate_credential_config_cases;
pub(crate) mod validate_credentials_cases;

use connector_sdk::Protocol;
use connector_sdk::capability::Capability;
use connector_sdk::wire::{CapabilityName, Effect, ErrorCode, NoopReason, request_fingerprint};
use connector_testkit::{
    Case, ExpectError, Harness, HttpMock, HttpMockBuilder, Through, TypedCase,
};
use mock_connector::MockConnector;
use serde::Serialize;
use serde_json::{Value, json};

/// The harness every table runs on: the mock connector, its `host` setting pointed at the
/// case's mock app. Every row runs in the connector's protocol (3.7.8, where its envelope is
/// compared whole) and again in protocol 4, where the envelope must be a valid 4.x envelope.
pub(crate) fn harness() -> Harness<MockConnector> {
    Harness::new(mock_connector::integration())
        .base_url_setting("host")
        .in_protocol_4_too()
}

/// `Authorization` for basic `foo`/`bar`.
pub(crate) const BASIC: &str = "Basic Zm9vOmJhcg==";

/// The user agent the connector sends.
pub(crate) const USER_AGENT: &str = concat!("mock-connector/", env!("CARGO_PKG_VERSION"));

/// A case of `capability` with basic `foo`/`bar`.
pub(crate) fn case(capability: CapabilityName) -> Case {
    Case::new(capability).basic("foo", "bar")
}

/// A case of `capability` with a credential the connector does not accept (a static token).
pub(crate) fn token_auth(capability: CapabilityName, payload: Value) -> ExpectError {
    Case::new(capability)
        .token("t0ken")
        .payload(payload)
        .expect_error(ErrorCode::BadRequest)
        .message("Missing auth in request: expected one of 'basic', 'oauth'")
}

/// A page token as the connector issues it for `cursor`.
pub(crate) fn page_token<T: Serialize>(scope: CapabilityName, cursor: &T) -> String {
    connector_sdk::pagination::cursor_token(scope, cursor)
}

/// A token of `scope` with one character changed: its checksum no longer matches.
pub(crate) fn tampered_token(scope: CapabilityName) -> String {
    let mut token = page_token(scope, &"u-0000001").into_bytes();
    let at = token.len() - 2;
    token[at] = if token[at] == b'A' { b'B' } else { b'A' };
    String::from_utf8(token).unwrap()
}

/// The app's error body.
pub(crate) fn app_error(message: &str) -> Value {
    json!({"error": {"message": message}})
}

/// `mock` answering 429 (`Retry-After: 0`) once, then `status` with `body`: the SDK retries.
pub(crate) fn throttled_once(mock: HttpMockBuilder, status: u16, body: Value) -> HttpMock {
    mock.respond_json(429, app_error("slow down"))
        .with_header("Retry-After", "0")
        .then_json(status, body)
}

/// `mock` answering 429 (`Retry-After: 0`) to the first call and the three retries.
pub(crate) fn throttled(mock: HttpMockBuilder) -> HttpMock {
    mock.respond_json(429, app_error("slow down"))
        .with_header("Retry-After", "0")
        .times(4)
}

/// `mock` answering 429 once, with no retry (a POST that is not idempotent).
pub(crate) fn throttled_write(mock: HttpMockBuilder) -> HttpMock {
    mock.respond_json(429, app_error("slow down"))
        .with_header("Retry-After", "0")
}

/// `user_id(n)`.
pub(crate) fn uid(n: usize) -> String {
    mock_app::user_id(n)
}

/// A user as the app returns it.
pub(crate) fn app_user(n: usize, status: &str) -> Value {
    json!({"id": uid(n), "email": format!("user{n}@example.com"), "first_name": "Ann",
           "last_name": "Lee", "username": format!("user{n}"), "status": status,
           "department": "Sales", "manager": null})
}

/// That user as a found account.
pub(crate) fn account(n: usize, status: &str) -> Value {
    json!({"integration_specific_id": uid(n), "email": format!("user{n}@example.com"),
           "given_name": "Ann", "family_name": "Lee", "username": format!("user{n}"),
           "user_status": status, "extra_data": null, "custom_attributes": null,
           "account_type": "user"})
}

/// `g-00n`.
pub(crate) fn gid(n: usize) -> String {
    mock_app::group_id(n)
}

/// A group as the app returns it.
pub(crate) fn app_group(n: usize) -> Value {
    json!({"id": gid(n), "name": mock_app::group_name(n), "description": format!("Group {n}")})
}

/// The admin role as the app returns it.
pub(crate) fn app_admin_role() -> Value {
    json!({"id": "admin", "name": "Administrator", "description": "Manages the app"})
}

/// `{"<key>": items, "next": next}`: a page of an app listing.
pub(crate) fn app_page(key: &str, items: Vec<Value>, next: Option<&str>) -> Value {
    json!({key: items, "next": next})
}

/// A case of a protocol 4 capability (unknown in 3.7.8) with basic `foo`/`bar`.
pub(crate) fn case4(capability: CapabilityName) -> Case {
    Case::new(capability)
        .protocol(Protocol::V4)
        .basic("foo", "bar")
}

/// Runs a protocol 4 case through `through` (the harness checks its envelope against the 4.x
/// schema too).
pub(crate) fn check4(case: impl Into<Case>, through: Through) {
    harness().through(through).check_blocking(case);
}

/// A typed case of capability `M` in protocol 4 with basic `foo`/`bar`.
pub(crate) fn of4<M: Capability>(request: M::Request) -> TypedCase<M> {
    Case::of::<M>(request)
        .protocol(Protocol::V4)
        .basic("foo", "bar")
}

/// A write of `M` in protocol 4 that makes the one call `mock` and answers `response`, with the
/// `execution_summary` it must carry: `effect`, whether it is idempotent, and the fingerprint of
/// the request payload.
pub(crate) fn written<M: Capability>(
    request: &M::Request,
    mock: HttpMock,
    response: &M::Response,
    effect: &Effect,
    idempotent: bool,
) -> Case {
    let payload = serde_json::to_value(request).unwrap();
    case4(M::NAME)
        .payload(payload.clone())
        .mock(mock)
        .expect_envelope(json!({
            "response": response,
            "raw_data": null,
            "page": null,
            "execution_summary": {
                "effect": effect,
                "request_fingerprint": request_fingerprint(&payload),
                "is_idempotent": idempotent,
            },
        }))
}

/// The effect of a write that found the app already as asked.
pub(crate) const NOOP: Effect = Effect::Noop {
    reason: NoopReason::StateAlreadyMatches,
};
