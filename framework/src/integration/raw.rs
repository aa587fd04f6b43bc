//! Requests that arrive as bytes (a command-line argument, a file): bad bytes are bad requests.

use super::Integration;
use super::dispatch::Envelope;
use crate::capability::Connector;
use crate::wire::{CapabilityName, ErrorCode, ErrorResponse, Protocol};

impl<C: Connector> Integration<C> {
    /// [`Integration::dispatch`] on a request given as bytes: bytes that are not UTF-8 are a
    /// `bad_request` envelope that names the offset of the first bad byte, like any other
    /// malformed JSON.
    ///
    /// ```
    /// use connector_sdk::prelude::*;
    /// use connector_sdk::{AuthKind, ConnectorError, Context, EmptySettings, Integration, wire};
    ///
    /// struct Demo;
    /// impl Connector for Demo {
    ///     type Settings = EmptySettings;
    /// }
    /// impl ValidateCredentials for Demo {
    ///     async fn validate_credentials(
    ///         &self,
    ///         _ctx: &Context<EmptySettings>,
    ///         _request: wire::ValidateCredentials,
    ///     ) -> Result<wire::ValidatedCredentials, ConnectorError> {
    ///         Ok(wire::ValidatedCredentials { valid: true, unique_tenant_id: "t".into() })
    ///     }
    /// }
    ///
    /// let integration = Integration::builder(Demo, "demo", "1.0.0")
    ///     .auth(AuthKind::Token)
    ///     .validate_credentials()
    ///     .build();
    /// let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
    /// let request = b"{\"request\": \"\xff\"}";
    /// let envelope = runtime.block_on(integration.dispatch_bytes("validate_credentials", request));
    /// assert_eq!(envelope.error_code(), Some(wire::ErrorCode::BadRequest));
    /// assert!(envelope.to_json().contains("not valid JSON: invalid UTF-8 at byte 13"));
    /// ```
    pub async fn dispatch_bytes(&self, capability: &str, request: &[u8]) -> Envelope {
        self.dispatch_bytes_as(self.protocol(), capability, request)
            .await
    }

    /// [`Integration::dispatch_bytes`] in the given protocol version.
    pub async fn dispatch_bytes_as(
        &self,
        protocol: Protocol,
        capability: &str,
        request: &[u8],
    ) -> Envelope {
        match std::str::from_utf8(request) {
            Ok(text) => self.dispatch_as(protocol, capability, text).await,
            Err(error)
                if self.implements(protocol, capability)
                    || (protocol == Protocol::V4 && capability == super::dispatch::APP_INFO) =>
            {
                Envelope::Error(ErrorResponse::new(self.request_error(
                    protocol,
                    ErrorCode::BadRequest,
                    format!(
                        "Invalid request - the request is not valid JSON: invalid UTF-8 at byte {}",
                        error.valid_up_to()
                    ),
                )))
            }
            // Same order as `dispatch`: an unknown capability first.
            Err(_) => self.dispatch_as(protocol, capability, "").await,
        }
    }

    fn implements(&self, protocol: Protocol, capability: &str) -> bool {
        capability
            .parse::<CapabilityName>()
            .is_ok_and(|name| self.is_registered_in(name, protocol))
            || (protocol == Protocol::V4 && self.custom.contains_key(capability))
    }
}
