//! The HTTP client for connector authors, and the only way a connector reaches its app.
//!
//! An [`HttpClient`] is bound to the app's base URL and the request's credential. Routes are
//! [`ApiPath`]s, so an id from the request stays in its path segment; requests are our own
//! [`RequestBuilder`], whose endings ([`RequestBuilder::send`], [`RequestBuilder::json`]) apply
//! the retry policy, the call's deadline, the redirect rules and the error mapping, and return
//! [`ConnectorError`](crate::ConnectorError)s with the right wire code. No transport type is reachable, so none of
//! that can be skipped.
//!
//! What the client guarantees against a hostile app:
//! - credentials (the `Authorization` header, the configured token header and every header
//!   marked secret) are sent only to the base URL's origin: a redirect to another scheme, host
//!   or port is refused, or, with [`HttpClientBuilder::follow_cross_origin_redirects`],
//!   followed without them;
//! - every call ends by its deadline ([`HttpClientBuilder::deadline`]; per capability call it
//!   comes from the integration, see [`DEADLINE_ENV`]), retries and
//!   server-requested waits included; absurd `Retry-After` values fail fast instead of waiting;
//! - answers are read up to a size limit ([`HttpClientBuilder::max_body_bytes`]);
//! - error messages quote the app's own error message, without the credential in any form the
//!   client sent it;
//! - no certificate store is read unless a request goes to an `https://` URL.
//!
//! ```no_run
//! use connector_sdk::http::{ApiPath, HttpClient};
//! use connector_sdk::{ConnectorError, Context};
//!
//! #[derive(serde::Deserialize)]
//! struct User {
//!     id: String,
//! }
//!
//! async fn fetch(ctx: &Context<()>, user_id: &str) -> Result<User, ConnectorError> {
//!     // The request's credential, the integration's retry policy and deadline,
//!     // `User-Agent: <app_id>/<version>`.
//!     let client = HttpClient::for_request(ctx, "https://api.example.com/v1").build()?;
//!     client
//!         .get(ApiPath::new("/users").id("request.account_id", user_id))
//!         .query_pair("expand", "groups")
//!         .json()
//!         .await
//! }
//! ```

mod client;
#[cfg(target_feature = "crt-static")]
mod dns;
mod error;
mod header;
mod limit;
mod path;
mod request;
mod response;
mod retry;

pub use client::{DEADLINE_ENV, DEFAULT_DEADLINE, HttpClient, HttpClientBuilder};
pub(crate) use client::{Deadline, call_budget};
pub(crate) use error::{default_error_handler, strip_query};
pub use header::{Header, Method};
pub use limit::{AppHeaders, RateLimit, RateLimitHeaders};
pub(crate) use limit::{CallLimits, call_received, execution_budget, received_at};
pub use path::{ApiPath, MAX_SEGMENT_BYTES};
pub use request::RequestBuilder;
pub use response::Response;
pub use retry::RetryPolicy;

/// The environment variable naming a PEM bundle of extra root certificates (for on-prem TLS
/// inspection), used when the builder is not given one.
pub const CA_BUNDLE_ENV: &str = "CONNECTOR_CA_BUNDLE";
