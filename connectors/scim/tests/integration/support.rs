//! What every case table shares: the harness, the test credential, SCIM users and groups.

use connector_sdk::capability::Capability;
use connector_sdk::wire::CapabilityName;
use connector_testkit::{Case, Harness, HttpMock, HttpMockBuilder, TypedCase};
use serde_json::{Value, json};

/// The credential every case sends: `auth.token`.
pub(crate) fn credential() -> Value {
    json!({"token": {"token": "t0k3n"}})
}

/// The `Authorization` header the server receives for [`credential`].
pub(crate) const AUTHORIZATION: &str = "Bearer t0k3n";

/// The enterprise extension's URN.
pub(crate) const ENTERPRISE: &str = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/// A case of `capability` carrying the test credential.
pub(crate) fn authed(capability: CapabilityName) -> Case {
    Case::new(capability).auth(credential())
}

/// A typed case of capability `M` (see `Case::of`) carrying the test credential.
pub(crate) fn typed<M: Capability>(request: M::Request) -> TypedCase<M> {
    Case::of::<M>(request).token("t0k3n")
}

/// A route of the server that must receive the test credential.
pub(crate) fn route(method: &str, path: &str) -> HttpMockBuilder {
    HttpMock::new(method, path).expect_header("authorization", AUTHORIZATION)
}

/// Runs a case against the integration, with the mock server's URL as `settings.base_url`.
pub(crate) fn check(case: impl Into<Case>) {
    Harness::new(scim_connector::integration())
        .base_url_setting("base_url")
        .check_blocking(case);
}

/// A SCIM error body (RFC 7644 §3.12).
pub(crate) fn scim_error(status: u16, scim_type: Option<&str>, detail: &str) -> Value {
    let mut body = json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
        "status": status.to_string(),
        "detail": detail,
    });
    if let Some(scim_type) = scim_type {
        body["scimType"] = json!(scim_type);
    }
    body
}

/// A SCIM user as the server returns it.
pub(crate) fn user(id: &str, active: bool) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "id": id,
        "userName": format!("{id}-login"),
        "name": {"givenName": "Ada", "familyName": "Lovelace"},
        "emails": [
            {"value": format!("{id}@home.example"), "primary": false},
            {"value": format!("{id}@work.example"), "primary": true},
        ],
        "active": active,
        ENTERPRISE: {"department": "R&D"},
    })
}

/// The account the connector reports for [`user`] (`custom_attributes` as asked).
pub(crate) fn account(id: &str, active: bool, custom: Value) -> Value {
    json!({
        "integration_specific_id": id,
        "email": format!("{id}@work.example"),
        "given_name": "Ada",
        "family_name": "Lovelace",
        "username": format!("{id}-login"),
        "user_status": if active { "ACTIVE" } else { "SUSPENDED" },
        "extra_data": null,
        "custom_attributes": custom,
        "account_type": "user",
    })
}

/// A `ListResponse`.
pub(crate) fn list(total: u64, start: u64, resources: Vec<Value>) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
        "totalResults": total,
        "startIndex": start,
        "itemsPerPage": resources.len(),
        "Resources": resources,
    })
}
