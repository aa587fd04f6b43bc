//! What every case table shares: the harness, the test credential, the app's routes.

use connector_sdk::wire::CapabilityName;
use connector_testkit::{Case, Harness, HttpMock, HttpMockBuilder};
use serde_json::{Value, json};

/// The credential every case sends: `auth.token`.
pub(crate) fn credential() -> Value {
    json!({"token": {"token": "t0k3n"}})
}

/// The `Authorization` header the app receives for [`credential`].
pub(crate) const AUTHORIZATION: &str = "Bearer t0k3n";

/// Success expectations in the connector's protocol, 4 (`.protocol(Protocol::V4)` in
/// `src/lib.rs`): beside `response`, `raw_data` and `page`, its envelopes carry `rate_limit`
/// and `execution_summary`.
pub(crate) trait ExpectSuccess {
    /// Expects this `response`, with every other field null.
    fn expect_success(self, response: Value) -> Case;
    /// Expects these listing items and a next page (any token, this size).
    fn expect_success_and_next_page(self, items: Value, size: Option<u32>) -> Case;
    /// Expects this `response` of a write capability, whose `execution_summary` names its
    /// effect (`created`, `updated`, `deleted`); the request's fingerprint may be anything.
    fn expect_written(self, response: Value, effect: &str) -> Case;
}

impl ExpectSuccess for Case {
    fn expect_success(self, response: Value) -> Case {
        self.expect_envelope(json!({
            "response": response,
            "raw_data": null,
            "page": null,
            "rate_limit": null,
            "execution_summary": null,
        }))
    }

    fn expect_written(self, response: Value, effect: &str) -> Case {
        self.expect_envelope(json!({
            "response": response,
            "raw_data": null,
            "page": null,
            "rate_limit": null,
            "execution_summary": {
                "effect": {"kind": effect},
                "request_fingerprint": "{{any}}",
                "is_idempotent": true,
                "description": null,
                "caught_errors": null,
            },
        }))
    }

    fn expect_success_and_next_page(self, items: Value, size: Option<u32>) -> Case {
        self.expect_envelope(json!({
            "response": items,
            "raw_data": null,
            "page": {"token": "{{any}}", "size": size},
            "rate_limit": null,
            "execution_summary": null,
        }))
    }
}

/// A case of `capability` carrying the test credential.
pub(crate) fn authed(capability: CapabilityName) -> Case {
    Case::new(capability).auth(credential())
}

/// A route of the app that must receive the test credential; say how it answers with
/// `respond_json` or `respond_text`.
pub(crate) fn route(method: &str, path: &str) -> HttpMockBuilder {
    HttpMock::new(method, path).expect_header("authorization", AUTHORIZATION)
}

/// Runs a case against the integration, with the mock app's URL as `settings.base_url`.
pub(crate) fn check(case: impl Into<Case>) {
    Harness::new(demo_connector::integration())
        .base_url_setting("base_url")
        .check_blocking(case);
}

/// The page token the connector hands out for the app's `cursor` in `listing`.
pub(crate) fn page_token(listing: CapabilityName, cursor: &str) -> String {
    connector_sdk::pagination::cursor_token(listing, &cursor)
}

/// A user as the app returns it.
pub(crate) fn user(id: &str) -> Value {
    json!({
        "id": id,
        "email": format!("{id}@example.com"),
        "first_name": "Ada",
        "last_name": "Lovelace",
        "username": id,
        "status": "active",
    })
}

/// The account the connector reports for [`user`].
pub(crate) fn account(id: &str) -> Value {
    json!({
        "integration_specific_id": id,
        "resource_id": null,
        "email": format!("{id}@example.com"),
        "given_name": "Ada",
        "family_name": "Lovelace",
        "username": id,
        "user_status": "ACTIVE",
        "extra_data": null,
        "custom_attributes": null,
        "account_type": "user",
    })
}
