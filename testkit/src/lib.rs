//! Table-driven tests for connectors: "this request, when the app answers these HTTP calls like
//! so, gives this envelope".
//!
//! A [`Case`] holds a request envelope, the HTTP calls the app must receive with their answers
//! ([`HttpMock`]), and the expected outcome: a success envelope, or an error
//! ([`Case::expect_error`], whose [`ExpectError`] alone can require a message and a status). A [`Harness`] runs it: it starts a
//! wiremock server for the case, points the connector's settings at it, dispatches the
//! capability in process, and compares the whole envelope, with a readable diff on mismatch.
//! An HTTP call nobody declared fails the case loudly with its method, path and body; a declared
//! call that was not made as often as declared fails it too.
//!
//! Nothing a case says is silently ignored: the types allow an answer's header only once there
//! is an answer, and a message or status only on an error expectation; a part of a case given
//! twice panics at the call; a fixture naming an unknown capability or error code does not load.
//! Each capability's cases are one rstest table, each case written once, inline:
//!
//! ```
//! use connector_sdk::wire::{CapabilityName, ErrorCode};
//! use connector_testkit::{Case, Harness, HttpMock};
//! # use connector_sdk::prelude::*;
//! # use connector_sdk::{AuthKind, ConnectorError, Context, Integration, Listing, http::HttpClient, wire};
//! # #[derive(serde::Deserialize, schemars::JsonSchema)]
//! # struct Settings { host: String }
//! # struct Demo;
//! # impl Connector for Demo { type Settings = Settings; }
//! # impl ListAccounts for Demo {
//! #     async fn list_accounts(&self, ctx: &Context<Settings>, _: wire::ListAccounts)
//! #         -> Result<Listing<wire::FoundAccountData>, ConnectorError> {
//! #         let client = HttpClient::for_request(ctx, ctx.settings().host.clone()).build()?;
//! #         let users: Vec<serde_json::Value> = client.get_json("/users", &[]).await?;
//! #         Ok(Listing::last(users.iter().map(|u| wire::FoundAccountData::new(u["id"].as_str().unwrap())).collect()))
//! #     }
//! # }
//! use serde_json::json;
//!
//! let harness = Harness::new(
//!     Integration::builder(Demo, "demo", "1").auth(AuthKind::Token).list_accounts().build(),
//! )
//! .base_url_setting("host");
//!
//! let found = json!([{"integration_specific_id": "u-1", "email": null, "given_name": null,
//!     "family_name": null, "username": null, "user_status": null, "extra_data": null,
//!     "custom_attributes": null, "account_type": null}]);
//!
//! harness.check_blocking(
//!     Case::new(CapabilityName::ListAccounts)
//!         .token("t0k")
//!         .mock(HttpMock::get("/users").respond_json(200, json!([{"id": "u-1"}])))
//!         .expect_items(found),
//! );
//! harness.check_blocking(
//!     Case::new(CapabilityName::ListAccounts)
//!         .token("t0k")
//!         .mock(HttpMock::get("/users").respond_json(404, json!({"message": "no such org"})))
//!         .expect_error(ErrorCode::NotFound)
//!         .status(404)
//!         .message("no such org"),
//! );
//! ```
//!
//! In a test crate, a capability's table reads:
//!
//! ```ignore
//! #[rstest]
//! #[case::first_page(
//!     Case::new(CapabilityName::ListAccounts)
//!         .token("t0k")
//!         .mock(HttpMock::get("/users").respond_json(200, json!([{"id": "u-1"}])))
//!         .expect_items(json!([account("u-1")]))
//! )]
//! #[case::not_found(
//!     Case::new(CapabilityName::ListAccounts)
//!         .token("t0k")
//!         .mock(HttpMock::get("/users").respond_json(404, json!({"message": "no such org"})))
//!         .expect_error(ErrorCode::NotFound)
//!         .status(404)
//! )]
//! fn list_accounts(#[case] case: impl Into<Case>) {
//!     harness().check_blocking(case);
//! }
//! ```

#[cfg(feature = "browser")]
pub mod browser;
#[cfg(feature = "bundle")]
mod bundle;
mod case;
pub mod child;
mod coverage;
mod diff;
mod harness;
mod mock;
pub mod protocol4;
mod snapshot;
mod typed;

#[cfg(feature = "bundle")]
pub use bundle::EmptyRoot;
pub use case::{Case, ExpectError};
#[doc(inline)]
pub use child::{
    ChildError, ChildServer, ChildServerBuilder, free_port, random_token, scratch_dir,
};
pub use coverage::assert_cases_cover;
pub use harness::{CaseRun, Harness, Through, UNEXPECTED_BODY};
pub use mock::{HttpMock, HttpMockBuilder};
pub use snapshot::redacted;
pub use typed::TypedCase;
