//! The protocol as an OpenAPI 3.0 document, generated from the wire types.
//!
//! Every capability is one `POST /{capability}` operation: its request body is the capability's
//! request envelope, its answer (HTTP 200, as the reference's HTTP server answers) is the
//! success envelope or the error envelope. The schemas come from the [`crate::wire`] types
//! through schemars' OpenAPI 3.0 settings, under the names of the protocol's own definitions
//! (`ListAccountsRequest`, `ListAccountsResponse`, `ErrorResponse`, …), so the document cannot
//! drift from the code that reads and writes the envelopes.
//!
//! - [`protocol`]: the whole protocol, every capability (what `connector spec` prints);
//! - [`connector`]: one connector's registered capabilities, with its settings type in the
//!   request envelopes (what `<connector> spec` prints).
//!
//! ```
//! let doc = connector_sdk::spec::protocol();
//! assert_eq!(doc["openapi"], "3.0.3");
//! assert_eq!(
//!     doc["paths"]["/list_accounts"]["post"]["requestBody"]["content"]["application/json"]["schema"]["$ref"],
//!     "#/components/schemas/ListAccountsRequest"
//! );
//! ```

use serde_json::Value;

use crate::Integration;
use crate::capability::Connector;
use crate::integration::openapi;

/// The OpenAPI version of the documents.
pub const OPENAPI_VERSION: &str = openapi::OPENAPI_VERSION;

/// The version of the connector protocol the wire types implement.
pub const PROTOCOL_VERSION: &str = openapi::PROTOCOL_VERSION;

/// The OpenAPI 3.0 document of the whole protocol: one `POST /{capability}` operation per
/// capability, every wire type as a component.
pub fn protocol() -> Value {
    openapi::protocol()
}

/// The OpenAPI 3.0 document of one connector: its registered capabilities, with its settings
/// type in every request envelope, and its metadata under `info` (`x-app-id`,
/// `x-capabilities`, `x-auth-kinds`, `x-oauth-scopes`, …); the capabilities are those of the
/// connector's protocol ([`Integration::protocol`]).
pub fn connector<C: Connector>(integration: &Integration<C>) -> Value {
    openapi::connector(integration, integration.protocol())
}
