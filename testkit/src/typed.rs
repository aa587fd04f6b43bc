//! Typed cases: the request payload and the expected answer as the capability's wire types, so
//! a misspelled field or a wrong type is a compile error instead of a failing case.
//!
//! ```
//! use connector_sdk::capability::marker;
//! use connector_sdk::wire;
//! use connector_testkit::{Case, HttpMock};
//! use serde_json::json;
//!
//! let case: Case = Case::of::<marker::ListAccounts>(wire::ListAccounts::default())
//!     .basic("foo", "bar")
//!     .mock(HttpMock::get("/users").respond_json(200, json!({"users": [{"id": "u-1"}]})))
//!     .expect_items(vec![wire::FoundAccountData::new("u-1")]);
//! assert_eq!(case.capability(), wire::CapabilityName::ListAccounts);
//! ```
//!
//! The payload must be the capability's own request type:
//!
//! ```compile_fail
//! use connector_sdk::capability::marker;
//! use connector_sdk::wire;
//! use connector_testkit::Case;
//!
//! let case = Case::of::<marker::ListAccounts>(wire::GetAccount {
//!     account_id: "u-1".into(),
//!     custom_attributes: None,
//! });
//! ```

use std::marker::PhantomData;

use connector_sdk::Protocol;
use connector_sdk::capability::Capability;
use connector_sdk::wire::{Effect, ErrorCode};
use serde::Serialize;
use serde_json::{Value, json};

use crate::{Case, ExpectError, HttpMock};

/// A [`Case`] of capability `M` under construction, typed by `M`'s request and response
/// ([`Case::of`]). Expecting an answer finishes it into a [`Case`].
#[derive(Debug, Clone)]
pub struct TypedCase<M> {
    case: Case,
    request: Value,
    capability: PhantomData<fn() -> M>,
}

impl Case {
    /// A case of capability `M` with this request payload (see [`TypedCase`]).
    #[track_caller]
    pub fn of<M: Capability>(request: M::Request) -> TypedCase<M> {
        let request = to_json(&request);
        TypedCase {
            case: Case::new(M::NAME).payload(request.clone()),
            request,
            capability: PhantomData,
        }
    }
}

#[track_caller]
fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).unwrap_or_else(|e| panic!("a wire value must serialize: {e}"))
}

impl<M: Capability> TypedCase<M> {
    fn map(self, f: impl FnOnce(Case) -> Case) -> Self {
        Self {
            case: f(self.case),
            ..self
        }
    }

    /// Basic credentials ([`Case::basic`]).
    #[must_use]
    pub fn basic(self, username: &str, password: &str) -> Self {
        self.map(|case| case.basic(username, password))
    }

    /// A static token ([`Case::token`]).
    #[must_use]
    pub fn token(self, token: &str) -> Self {
        self.map(|case| case.token(token))
    }

    /// An OAuth access token ([`Case::oauth`]).
    #[must_use]
    pub fn oauth(self, access_token: &str) -> Self {
        self.map(|case| case.oauth(access_token))
    }

    /// The connector's settings ([`Case::settings`]).
    #[must_use]
    pub fn settings(self, settings: Value) -> Self {
        self.map(|case| case.settings(settings))
    }

    /// The envelope's page ([`Case::page`]).
    #[must_use]
    pub fn page(self, token: Option<&str>, size: Option<u32>) -> Self {
        self.map(|case| case.page(token, size))
    }

    /// The protocol the case speaks ([`Case::protocol`]).
    #[must_use]
    pub fn protocol(self, protocol: Protocol) -> Self {
        self.map(|case| case.protocol(protocol))
    }

    /// An HTTP call the app must receive ([`Case::mock`]).
    #[must_use]
    pub fn mock(self, mock: HttpMock) -> Self {
        self.map(|case| case.mock(mock))
    }

    /// Expects this `response` (for a listing: these items and no next page).
    #[track_caller]
    pub fn expect_response(self, response: M::Response) -> Case {
        self.case.expect_response(to_json(&response))
    }

    /// Expects a `response` that varies between runs (durations, times) as a JSON pattern in
    /// which `"{{any}}"` matches any value; everything else must be equal.
    #[track_caller]
    pub fn expect_response_like(self, pattern: Value) -> Case {
        self.case.expect_response(pattern)
    }

    /// Expects these listing items and no next page.
    #[track_caller]
    pub fn expect_items(self, items: M::Response) -> Case {
        self.case.expect_items(to_json(&items))
    }

    /// Expects these listing items and a next page of this size.
    #[track_caller]
    pub fn expect_items_and_next_page(self, items: M::Response, size: Option<u32>) -> Case {
        self.case.expect_items_and_next_page(to_json(&items), size)
    }

    /// Expects a write's `response` and, in protocol 4, its `execution_summary`: this effect,
    /// the fingerprint of the case's own request payload.
    #[track_caller]
    pub fn expect_written(self, response: M::Response, effect: Effect) -> Case {
        let summary = json!({
            "effect": to_json(&effect),
            "request_fingerprint": connector_sdk::wire::request_fingerprint(&self.request),
            "is_idempotent": "{{any}}",
            "description": null,
            "caught_errors": null,
        });
        self.case.expect_envelope(json!({
            "response": to_json(&response),
            "raw_data": null,
            "page": null,
            "rate_limit": null,
            "execution_summary": summary,
        }))
    }

    /// Expects an error envelope with this code ([`Case::expect_error`]).
    #[track_caller]
    pub fn expect_error(self, code: ErrorCode) -> ExpectError {
        self.case.expect_error(code)
    }
}
