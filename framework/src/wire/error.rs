//! The error envelope, the error codes of both protocol versions (the 24 of 3.7.8 and the 22
//! of 4.x), and 4.x's error metadata.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::Page;
use super::Protocol;
use super::macros::wire_enum;

wire_enum! {
    /// Why a capability failed: the 24 codes of protocol 3.7.8 and the three protocol 4 added
    /// (`conflict`, `bad_gateway`, `budget_exhausted`).
    ///
    /// A code is written as the protocol of the envelope has it ([`ErrorCode::in_protocol`]):
    /// protocol 4 rewrites the five legacy codes (`api_error`, `client_call_error`,
    /// `not_implemented`, `unexpected_error`, `unauthenticated`), and 3.7.8 writes the three new
    /// ones as the legacy code that meant the same.
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
        /// The request conflicts with the app's state (HTTP 409). Protocol 4; `api_error` in
        /// 3.7.8.
        Conflict = "conflict",
        /// The app failed on its side (HTTP 500, 502, 504). Protocol 4; `api_error` in 3.7.8.
        BadGateway = "bad_gateway",
        /// The call's time budget ran out before a rate-limit wait could end. Protocol 4;
        /// `rate_limit` in 3.7.8.
        BudgetExhausted = "budget_exhausted",
    }
}

wire_enum! {
    /// Whose fault an error is (protocol 4's `error_metadata.fault`).
    pub enum ErrorFault {
        /// The request was wrong.
        Caller = "caller",
        /// The connector failed.
        Connector = "connector",
        /// The app failed or refused.
        Upstream = "upstream",
        /// The network between them failed.
        Infrastructure = "infrastructure",
        /// Nobody knows.
        Unknown = "unknown",
    }
}

wire_enum! {
    /// What kind of failure an error is (protocol 4's `error_metadata.category`).
    pub enum ErrorCategory {
        /// The credential was not accepted.
        Authentication = "authentication",
        /// The credential lacks a permission.
        Authorization = "authorization",
        /// It may work if tried again.
        Transient = "transient",
        /// The request is wrong.
        Client = "client",
        /// The connector is wrong.
        Internal = "internal",
    }
}

/// What a caller may do about an error: protocol 4's `error_metadata`, on every error.
///
/// ```
/// use connector_sdk::wire::{ErrorCategory, ErrorCode, ErrorFault, ErrorMetadata};
///
/// let metadata = ErrorMetadata::of(ErrorCode::RateLimit);
/// assert_eq!((metadata.fault, metadata.category), (ErrorFault::Upstream, ErrorCategory::Transient));
/// assert!(metadata.retryable && metadata.throttled && !metadata.refreshable);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ErrorMetadata {
    /// Whose fault it is.
    pub fault: ErrorFault,
    /// What kind of failure it is.
    pub category: ErrorCategory,
    /// What to do about it, for a person.
    #[serde(default)]
    pub hint: Option<String>,
    /// Whether the same request may succeed later.
    pub retryable: bool,
    /// Whether the app throttled the connector.
    pub throttled: bool,
    /// Whether refreshing the credential may help.
    pub refreshable: bool,
    /// How long to wait before trying again, when known.
    #[serde(default)]
    pub retry_after_seconds: Option<u64>,
}

impl ErrorMetadata {
    /// The metadata protocol 4 gives a code by default (the code as protocol 4 writes it: a
    /// legacy code is first rewritten), with no hint and no retry delay.
    pub const fn of(code: ErrorCode) -> Self {
        use ErrorCategory as Cat;
        use ErrorCode as C;
        use ErrorFault as F;
        let (fault, category, retryable, throttled, refreshable) = match code
            .in_protocol(Protocol::V4)
        {
            C::BadRequest
            | C::InvalidValue
            | C::UnknownValue
            | C::NotFound
            | C::InvalidPageToken
            | C::IntegrationMissingParameter
            | C::Conflict => (F::Caller, Cat::Client, false, false, false),
            C::Unauthorized | C::AuthenticationExpired | C::CredsRevoked => {
                (F::Upstream, Cat::Authentication, false, false, true)
            }
            C::PermissionDenied => (F::Upstream, Cat::Authorization, false, false, false),
            C::RateLimit | C::BudgetExhausted => (F::Upstream, Cat::Transient, true, true, false),
            C::RequestTimeout | C::BadGateway | C::ServiceError => {
                (F::Upstream, Cat::Transient, true, false, false)
            }
            C::ConnectionTimeout | C::ConnectionRejected | C::ConnectionClosed => {
                (F::Infrastructure, Cat::Transient, true, false, false)
            }
            C::InternalError => (F::Connector, Cat::Internal, true, false, false),
            // unsupported_operation, invalid_response (the legacy codes are rewritten above)
            _ => (F::Connector, Cat::Internal, false, false, false),
        };
        Self {
            fault,
            category,
            hint: None,
            retryable,
            throttled,
            refreshable,
            retry_after_seconds: None,
        }
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

    /// The code of an app's HTTP error status in `protocol`: 3.7.8's table
    /// ([`ErrorCode::for_http_status`]), or 4.x's — 400, 413, 415, 422 `bad_request`; 401
    /// `unauthorized`; 403 `permission_denied`; 404 `not_found`; 405, 406, 501
    /// `unsupported_operation`; 408 `request_timeout`; 409 `conflict`; 429 `rate_limit`; 500,
    /// 502, 504 `bad_gateway`; 503 `service_error`; anything else `invalid_response`.
    ///
    /// ```
    /// use connector_sdk::{Protocol, wire::ErrorCode};
    ///
    /// assert_eq!(ErrorCode::for_http_status_in(Protocol::V4, 409), ErrorCode::Conflict);
    /// assert_eq!(ErrorCode::for_http_status_in(Protocol::V3_7_8, 409), ErrorCode::ApiError);
    /// ```
    pub const fn for_http_status_in(protocol: Protocol, status: u16) -> Self {
        match protocol {
            Protocol::V3_7_8 => Self::for_http_status(status),
            Protocol::V4 => match status {
                400 | 413 | 415 | 422 => Self::BadRequest,
                401 => Self::Unauthorized,
                403 => Self::PermissionDenied,
                404 => Self::NotFound,
                405 | 406 | 501 => Self::UnsupportedOperation,
                408 => Self::RequestTimeout,
                409 => Self::Conflict,
                429 => Self::RateLimit,
                500 | 502 | 504 => Self::BadGateway,
                503 => Self::ServiceError,
                _ => Self::InvalidResponse,
            },
        }
    }

    /// The code as `protocol` writes it: 4.x rewrites `api_error` and `client_call_error` to
    /// `invalid_response`, `not_implemented` to `unsupported_operation`, `unexpected_error` to
    /// `internal_error` and `unauthenticated` to `unauthorized`; 3.7.8 writes `conflict` and
    /// `bad_gateway` as `api_error` and `budget_exhausted` as `rate_limit`.
    ///
    /// ```
    /// use connector_sdk::{Protocol, wire::ErrorCode};
    ///
    /// assert_eq!(ErrorCode::ApiError.in_protocol(Protocol::V4), ErrorCode::InvalidResponse);
    /// assert_eq!(ErrorCode::Conflict.in_protocol(Protocol::V3_7_8), ErrorCode::ApiError);
    /// assert_eq!(ErrorCode::NotFound.in_protocol(Protocol::V4), ErrorCode::NotFound);
    /// ```
    pub const fn in_protocol(self, protocol: Protocol) -> Self {
        match protocol {
            Protocol::V3_7_8 => match self {
                Self::Conflict | Self::BadGateway => Self::ApiError,
                Self::BudgetExhausted => Self::RateLimit,
                other => other,
            },
            Protocol::V4 => match self {
                Self::ApiError | Self::ClientCallError => Self::InvalidResponse,
                Self::NotImplemented => Self::UnsupportedOperation,
                Self::UnexpectedError => Self::InternalError,
                Self::Unauthenticated => Self::Unauthorized,
                other => other,
            },
        }
    }

    /// Whether `protocol` has this code on its wire.
    pub const fn exists_in(self, protocol: Protocol) -> bool {
        self.in_protocol(protocol) as u8 == self as u8
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
    /// What a caller may do about it: present on every error of protocol 4, absent in 3.7.8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_metadata: Option<ErrorMetadata>,
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
///     error_metadata: None,
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
