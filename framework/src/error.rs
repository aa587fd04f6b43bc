//! [`ConnectorError`]: how a capability fails, and how that becomes a wire error.

use std::borrow::Cow;
use std::error::Error as StdError;
use std::fmt;

use crate::wire::ErrorCode;

/// The result of a capability: `Result<T>` is `Result<T, ConnectorError>`.
pub type Result<T, E = ConnectorError> = std::result::Result<T, E>;

/// The error a capability returns.
///
/// It carries a message, the protocol's [`ErrorCode`], and optionally the app's own error code
/// and the HTTP status the app answered with. Build one with a constructor named after the code
/// ([`ConnectorError::not_found`], [`ConnectorError::bad_request`], …), or let `?` convert any
/// other error: such an error starts as `unexpected_error` and is then classified by the
/// integration's error handlers and the default HTTP handler (a `reqwest` status error becomes
/// `unauthorized`, `not_found`, `rate_limit`, …).
///
/// `ConnectorError` deliberately does not implement [`std::error::Error`], so that `?` works on
/// every error type (the same trade-off as `anyhow::Error`).
///
/// ```
/// use connector_sdk::{ConnectorError, wire::ErrorCode};
///
/// let err = ConnectorError::not_found("no user u-42").with_app_error_code("E404");
/// assert_eq!(err.code(), ErrorCode::NotFound);
/// assert_eq!(err.to_string(), "no user u-42");
///
/// fn parse(s: &str) -> Result<u32, ConnectorError> {
///     Ok(s.parse::<u32>()?) // any error converts
/// }
/// let err = parse("x").unwrap_err();
/// assert_eq!(err.code(), ErrorCode::UnexpectedError);
/// assert_eq!(err.raised_by(), "ParseIntError");
/// ```
pub struct ConnectorError {
    inner: Box<Inner>,
}

struct Inner {
    code: ErrorCode,
    /// Whether the code was chosen (by the author or a handler) rather than defaulted.
    classified: bool,
    message: Cow<'static, str>,
    app_error_code: Option<String>,
    status_code: Option<u16>,
    raised_by: Cow<'static, str>,
    source: Option<Box<dyn StdError + Send + Sync + 'static>>,
    /// Protocol 4's metadata, where the author or the SDK chose it over the code's defaults.
    metadata: Overrides,
    /// How protocol 4 tells this error, where it differs (the SDK's HTTP errors).
    v4: Option<Box<Telling>>,
}

/// The parts of protocol 4's `error_metadata` set on an error, over its code's defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct Overrides {
    pub(crate) hint: Option<String>,
    pub(crate) retryable: Option<bool>,
    pub(crate) throttled: Option<bool>,
    pub(crate) refreshable: Option<bool>,
    pub(crate) retry_after_seconds: Option<u64>,
}

/// An error's code, message and raiser as one protocol version tells them.
#[derive(Debug, Clone)]
pub(crate) struct Telling {
    pub(crate) code: ErrorCode,
    pub(crate) message: String,
    pub(crate) raised_by: Option<&'static str>,
}

impl ConnectorError {
    /// An error with a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<Cow<'static, str>>) -> Self {
        Self {
            inner: Box::new(Inner {
                code,
                classified: true,
                message: message.into(),
                app_error_code: None,
                status_code: None,
                raised_by: Cow::Borrowed("ConnectorError"),
                source: None,
                metadata: Overrides::default(),
                v4: None,
            }),
        }
    }

    /// Wraps any error, keeping it as the source so error handlers can match its type.
    ///
    /// The code is `unexpected_error` until an error handler or the default HTTP handler
    /// classifies it; the message is the error's display, with its sources appended.
    pub fn from_error<E>(error: E) -> Self
    where
        E: StdError + Send + Sync + 'static,
    {
        let message = display_chain(&error);
        Self {
            inner: Box::new(Inner {
                code: ErrorCode::UnexpectedError,
                classified: false,
                message: Cow::Owned(message),
                app_error_code: None,
                status_code: None,
                raised_by: short_type_name::<E>(),
                source: Some(Box::new(error)),
                metadata: Overrides::default(),
                v4: None,
            }),
        }
    }

    /// The error for an app's HTTP error `status`, coded by each protocol's own table (3.7.8:
    /// [`ErrorCode::for_http_status`]; 4.x: [`ErrorCode::for_http_status_in`], so a 500 is
    /// `api_error` in one and `bad_gateway` in the other), with the status as `status_code`.
    /// For connectors that read an app's error body themselves; the SDK's own HTTP errors
    /// are made so already.
    ///
    /// ```
    /// use connector_sdk::ConnectorError;
    /// use connector_sdk::wire::ErrorCode;
    ///
    /// let error = ConnectorError::for_http_status(500, "SCIM error 500: database down");
    /// assert_eq!(error.code(), ErrorCode::ApiError);
    /// assert_eq!(error.status_code(), Some(500));
    /// ```
    pub fn for_http_status(status: u16, message: impl Into<Cow<'static, str>>) -> Self {
        let message = message.into();
        let v4 = Telling {
            code: ErrorCode::for_http_status_in(crate::wire::Protocol::V4, status),
            message: message.to_string(),
            raised_by: None,
        };
        Self::new(ErrorCode::for_http_status(status), message)
            .with_status_code(status)
            .with_v4(v4)
    }

    /// Sets the app's own error code.
    #[must_use]
    pub fn with_app_error_code(mut self, code: impl Into<String>) -> Self {
        self.inner.app_error_code = Some(code.into());
        self
    }

    /// Sets the HTTP status the app answered with.
    #[must_use]
    pub fn with_status_code(mut self, status: u16) -> Self {
        self.inner.status_code = Some(status);
        self
    }

    /// Sets the wire code (and marks the error as classified).
    #[must_use]
    pub fn with_code(mut self, code: ErrorCode) -> Self {
        self.inner.code = code;
        self.inner.classified = true;
        self.inner.v4 = None;
        self
    }

    /// Replaces the message.
    #[must_use]
    pub fn with_message(mut self, message: impl Into<Cow<'static, str>>) -> Self {
        self.inner.message = message.into();
        self.inner.v4 = None;
        self
    }

    /// Attaches the error that caused this one (it is matched by error handlers, never shown).
    #[must_use]
    pub fn with_source<E>(mut self, source: E) -> Self
    where
        E: StdError + Send + Sync + 'static,
    {
        self.inner.source = Some(Box::new(source));
        self
    }

    /// Protocol 4: a hint for the person who reads the error (`error_metadata.hint`).
    ///
    /// ```
    /// use connector_sdk::ConnectorError;
    ///
    /// let err = ConnectorError::not_found("no such group").with_hint("check the group id");
    /// assert_eq!(err.hint(), Some("check the group id"));
    /// ```
    #[must_use]
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.inner.metadata.hint = Some(hint.into());
        self
    }

    /// Protocol 4: whether the same request may succeed later, over the code's default
    /// (`error_metadata.retryable`).
    #[must_use]
    pub fn with_retryable(mut self, retryable: bool) -> Self {
        self.inner.metadata.retryable = Some(retryable);
        self
    }

    /// Protocol 4: whether the app throttled the connector, over the code's default
    /// (`error_metadata.throttled`).
    #[must_use]
    pub fn with_throttled(mut self, throttled: bool) -> Self {
        self.inner.metadata.throttled = Some(throttled);
        self
    }

    /// Protocol 4: whether refreshing the credential may help, over the code's default
    /// (`error_metadata.refreshable`).
    #[must_use]
    pub fn with_refreshable(mut self, refreshable: bool) -> Self {
        self.inner.metadata.refreshable = Some(refreshable);
        self
    }

    /// Protocol 4: how many seconds to wait before trying again
    /// (`error_metadata.retry_after_seconds`).
    ///
    /// ```
    /// use connector_sdk::ConnectorError;
    ///
    /// let err = ConnectorError::rate_limit("slow down").with_retry_after_seconds(42);
    /// assert_eq!(err.retry_after_seconds(), Some(42));
    /// ```
    #[must_use]
    pub fn with_retry_after_seconds(mut self, seconds: u64) -> Self {
        self.inner.metadata.retry_after_seconds = Some(seconds);
        self
    }

    /// How protocol 4 tells this error when it differs from 3.7.8 (the SDK's HTTP errors:
    /// 4.x's status table, message form and raiser names).
    #[must_use]
    pub(crate) fn with_v4(mut self, telling: Telling) -> Self {
        self.inner.v4 = Some(Box::new(telling));
        self
    }

    /// The error with `change` applied to its message and to protocol 4's telling of it.
    #[must_use]
    pub(crate) fn map_messages(mut self, change: impl Fn(&str) -> String) -> Self {
        self.inner.message = Cow::Owned(change(&self.inner.message));
        if let Some(telling) = self.inner.v4.as_deref_mut() {
            telling.message = change(&telling.message);
        }
        self
    }

    /// Protocol 4's telling of this error, if it differs.
    pub(crate) fn v4(&self) -> Option<&Telling> {
        self.inner.v4.as_deref()
    }

    /// The metadata set on this error over its code's defaults.
    pub(crate) fn overrides(&self) -> &Overrides {
        &self.inner.metadata
    }

    /// The hint set with [`ConnectorError::with_hint`].
    pub fn hint(&self) -> Option<&str> {
        self.inner.metadata.hint.as_deref()
    }

    /// The delay set with [`ConnectorError::with_retry_after_seconds`].
    pub fn retry_after_seconds(&self) -> Option<u64> {
        self.inner.metadata.retry_after_seconds
    }

    /// Records the type name of the error that was originally raised.
    #[must_use]
    pub(crate) fn with_raised_by(mut self, raised_by: String) -> Self {
        self.inner.raised_by = Cow::Owned(raised_by);
        self
    }

    /// Records the type of the error that was originally raised, by type.
    #[must_use]
    pub(crate) fn with_raised_by_of<T: ?Sized>(self) -> Self {
        self.with_raised_by(short_type_name::<T>().into_owned())
    }

    /// The wire error code.
    pub fn code(&self) -> ErrorCode {
        self.inner.code
    }

    /// Whether an author or a handler chose the code (`false` for a converted foreign error
    /// nobody has classified yet).
    pub fn is_classified(&self) -> bool {
        self.inner.classified
    }

    /// The message.
    pub fn message(&self) -> &str {
        &self.inner.message
    }

    /// The app's own error code.
    pub fn app_error_code(&self) -> Option<&str> {
        self.inner.app_error_code.as_deref()
    }

    /// The HTTP status the app answered with.
    pub fn status_code(&self) -> Option<u16> {
        self.inner.status_code
    }

    /// The type name of the error that was raised (`ConnectorError` for one built directly).
    pub fn raised_by(&self) -> &str {
        &self.inner.raised_by
    }

    /// The wrapped error, if any.
    pub fn source(&self) -> Option<&(dyn StdError + Send + Sync + 'static)> {
        self.inner.source.as_deref()
    }

    /// Iterates the wrapped error and its sources, outermost first.
    pub fn chain(&self) -> impl Iterator<Item = &(dyn StdError + 'static)> {
        let first: Option<&(dyn StdError + 'static)> = self
            .inner
            .source
            .as_deref()
            .map(|e| e as &(dyn StdError + 'static));
        std::iter::successors(first, |e| (*e).source())
    }
}

/// Declares one constructor per common wire code.
macro_rules! constructors {
    ($($(#[$doc:meta])* $name:ident => $code:ident,)+) => {
        impl ConnectorError {
            $(
                $(#[$doc])*
                pub fn $name(message: impl Into<Cow<'static, str>>) -> Self {
                    Self::new(ErrorCode::$code, message)
                }
            )+
        }
    };
}

constructors! {
    /// `bad_request`: the request is malformed.
    bad_request => BadRequest,
    /// `unauthorized`: the credential was rejected.
    unauthorized => Unauthorized,
    /// `permission_denied`: the credential lacks a permission.
    permission_denied => PermissionDenied,
    /// `not_found`: the object does not exist in the app.
    not_found => NotFound,
    /// `invalid_value`: a value in the request or settings is invalid.
    invalid_value => InvalidValue,
    /// `rate_limit`: the app throttled the connector.
    rate_limit => RateLimit,
    /// `api_error`: the app failed in a way the connector does not classify.
    api_error => ApiError,
    /// `internal_error`: a bug in the connector.
    internal_error => InternalError,
    /// `unexpected_error`: something nobody expected.
    unexpected => UnexpectedError,
    /// `invalid_response`: the app answered with something unreadable.
    invalid_response => InvalidResponse,
    /// `invalid_page_token`: the page token is malformed or foreign.
    invalid_page_token => InvalidPageToken,
    /// `not_implemented`: the capability is not implemented.
    not_implemented => NotImplemented,
    /// `unsupported_operation`: the app does not support the operation.
    unsupported_operation => UnsupportedOperation,
    /// `request_timeout`: the app did not answer in time, or the call ran out of its deadline.
    request_timeout => RequestTimeout,
    /// `conflict`: the request conflicts with the app's state (`api_error` in 3.7.8).
    conflict => Conflict,
    /// `bad_gateway`: the app failed on its side (`api_error` in 3.7.8).
    bad_gateway => BadGateway,
    /// `service_error`: the app is unavailable.
    service_error => ServiceError,
    /// `budget_exhausted`: the call's time budget ran out (`rate_limit` in 3.7.8).
    budget_exhausted => BudgetExhausted,
}

impl<E> From<E> for ConnectorError
where
    E: StdError + Send + Sync + 'static,
{
    fn from(error: E) -> Self {
        Self::from_error(error)
    }
}

impl fmt::Display for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.inner.message)
    }
}

/// Prints the code and message only: the source may hold request details that are not ours to
/// print.
impl fmt::Debug for ConnectorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConnectorError")
            .field("code", &self.inner.code)
            .field("message", &self.inner.message)
            .field("app_error_code", &self.inner.app_error_code)
            .field("status_code", &self.inner.status_code)
            .field("raised_by", &self.inner.raised_by)
            .finish_non_exhaustive()
    }
}

/// The message of a panic payload (`panic!` with a literal or a formatted string).
pub(crate) fn panic_message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "no message".to_owned())
}

/// `Display` of an error followed by its sources, `: `-separated, repeats dropped.
pub(crate) fn display_chain(error: &(dyn StdError + 'static)) -> String {
    let mut out = error.to_string();
    let mut last = out.clone();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        if !text.is_empty() && !last.contains(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        last = text;
        next = cause.source();
    }
    out
}

/// The last path segment of a type's name, without generic arguments; a bare `Error` keeps
/// the module that tells it apart (`io::Error`, `reqwest::Error`).
pub(crate) fn short_type_name<T: ?Sized>() -> Cow<'static, str> {
    let full = std::any::type_name::<T>();
    let base = full.split('<').next().unwrap_or(full);
    let mut segments = base.rsplit("::");
    let last = segments.next().unwrap_or(base);
    if last != "Error" {
        return Cow::Borrowed(last);
    }
    match segments.find(|segment| *segment != "error") {
        Some(qualifier) => Cow::Owned(format!("{qualifier}::Error")),
        None => Cow::Borrowed(last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] std::io::Error);

    #[test]
    fn bare_error_types_keep_their_module() {
        assert_eq!(short_type_name::<std::io::Error>(), "io::Error");
        assert_eq!(short_type_name::<std::fmt::Error>(), "fmt::Error");
        assert_eq!(short_type_name::<Outer>(), "Outer");
    }

    #[test]
    fn foreign_errors_keep_type_and_chain() {
        let err = ConnectorError::from(Outer(std::io::Error::other("inner cause")));
        assert_eq!(err.raised_by(), "Outer");
        assert_eq!(err.message(), "outer: inner cause");
        assert!(!err.is_classified());
        assert_eq!(err.chain().count(), 2);
        assert!(err.chain().nth(1).unwrap().is::<std::io::Error>());
    }

    #[test]
    fn debug_does_not_print_the_source() {
        let err =
            ConnectorError::from(std::io::Error::other("token=abc")).with_message("request failed");
        assert!(!format!("{err:?}").contains("token=abc"));
    }

    #[test]
    fn constructors_set_codes() {
        assert_eq!(
            ConnectorError::rate_limit("slow").code(),
            ErrorCode::RateLimit
        );
        assert!(ConnectorError::rate_limit("slow").is_classified());
    }
}
