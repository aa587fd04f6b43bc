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
    let mut token = connector_sdk::pagination::PageToken::new(listing.as_str());
    token.push(&cursor).expect("a cursor fits in a page token");
    token.encode()
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
