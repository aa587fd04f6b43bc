//! The error envelope and the 24 error codes of the protocol.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Page;
use super::macros::wire_enum;

wire_enum! {
    /// Why a capability failed: the 24 codes of protocol 3.7.8.
    pub enum ErrorCode {
        /// The object asked for does not exist in the app.
        NotFound = "not_found",
        /// A bug in the connector.
        InternalError = "internal_error",
        /// The app answered with an error the connector does not classify.
        ApiError = "api_error",
        /// The credential was rejected.
        Unauthorized = "unauthorized",
        /// The request is malformed.
        BadRequest = "bad_request",
        /// The credential lacks a permission.
        PermissionDenied = "permission_denied",
        /// The capability is not implemented.
        NotImplemented = "not_implemented",
        /// Something failed that nobody expected (a panic, an unmapped error).
        UnexpectedError = "unexpected_error",
        /// The app does not support the operation.
        UnsupportedOperation = "unsupported_operation",
        /// A value in the request is unknown to the app.
        UnknownValue = "unknown_value",
        /// A value in the request or settings is invalid.
        InvalidValue = "invalid_value",
        /// No credential was accepted.
        Unauthenticated = "unauthenticated",
        /// The app did not answer in time.
        RequestTimeout = "request_timeout",
        /// The connection to the app could not be opened in time.
        ConnectionTimeout = "connection_timeout",
        /// The app refused the connection.
        ConnectionRejected = "connection_rejected",
        /// The app throttled the connector.
        RateLimit = "rate_limit",
        /// The credential has expired.
        AuthenticationExpired = "authentication_expired",
        /// The app is unavailable.
        ServiceError = "service_error",
        /// The app answered with something the connector cannot read.
        InvalidResponse = "invalid_response",
        /// A call to a client library failed.
        ClientCallError = "client_call_error",
        /// The app closed the connection mid-response.
        ConnectionClosed = "connection_closed",
        /// The credential was revoked.
        CredsRevoked = "creds_revoked",
        /// The page token is malformed or belongs to another listing.
        InvalidPageToken = "invalid_page_token",
        /// A setting the connector needs is missing.
        IntegrationMissingParameter = "integration_missing_parameter",
    }
}

impl ErrorCode {
    /// The code of an app's HTTP error status, as the protocol's default HTTP handler maps it:
    /// 400 `bad_request`, 401 `unauthorized`, 403 `permission_denied`, 404 `not_found`, 429
    /// `rate_limit`, anything else `api_error`.
    ///
    /// ```
    /// use connector_sdk::wire::ErrorCode;
    ///
    /// assert_eq!(ErrorCode::for_http_status(404), ErrorCode::NotFound);
    /// assert_eq!(ErrorCode::for_http_status(503), ErrorCode::ApiError);
    /// ```
    pub const fn for_http_status(status: u16) -> Self {
        match status {
            400 => Self::BadRequest,
            401 => Self::Unauthorized,
            403 => Self::PermissionDenied,
            404 => Self::NotFound,
            429 => Self::RateLimit,
            _ => Self::ApiError,
        }
    }
}

/// What went wrong, inside an [`ErrorResponse`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Error {
    /// A human-readable explanation.
    pub message: String,
    /// The HTTP status the app answered with, when the error came from an HTTP call.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// The app's own error code, when the connector knows it.
    #[serde(default)]
    pub app_error_code: Option<String>,
    /// The protocol's classification of the error.
    pub error_code: ErrorCode,
    /// The connector's app id.
    pub app_id: String,
    /// The type name of the error that was raised.
    #[serde(default)]
    pub raised_by: Option<String>,
    /// Where it was raised: `<connector module>:<capability>`.
    #[serde(default)]
    pub raised_in: Option<String>,
}

/// The envelope of a failed call: `{"is_error":true,"error":{…},"raw_data":null,"page":null}`.
///
/// ```
/// use connector_sdk::wire::{Error, ErrorCode, ErrorResponse};
///
/// let envelope = ErrorResponse::new(Error {
///     message: "Missing auth in request".into(),
///     status_code: None,
///     app_error_code: None,
///     error_code: ErrorCode::BadRequest,
///     app_id: "mock-connector".into(),
///     raised_by: None,
///     raised_in: None,
/// });
/// let json = serde_json::to_string(&envelope).unwrap();
/// assert!(json.starts_with(r#"{"is_error":true,"error":{"message":"Missing auth in request""#));
/// assert!(json.ends_with(r#""raw_data":null,"page":null}"#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorResponse {
    /// Always `true`: how a reader tells an error envelope from a success.
    pub is_error: bool,
    /// The error.
    pub error: Error,
    /// Raw data the connector attached, if any.
    #[serde(default)]
    pub raw_data: Option<Map<String, Value>>,
    /// Always `null` in practice.
    #[serde(default)]
    pub page: Option<Page>,
}

impl ErrorResponse {
    /// The envelope of `error`, with `raw_data` and `page` null.
    pub fn new(error: Error) -> Self {
        Self {
            is_error: true,
            error,
            raw_data: None,
            page: None,
        }
    }
}
