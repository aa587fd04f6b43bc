//! From a failing capability's [`ConnectorError`] to the wire [`Error`]: error handlers, the
//! default HTTP handler, `raised_by` / `raised_in`.

use std::error::Error as StdError;

use super::Integration;
use crate::ConnectorError;
use crate::capability::Connector;
use crate::redact::MESSAGE_LIMIT;
use crate::redact::Secrets;
use crate::wire::{Error, ErrorCode, ErrorMetadata, Protocol};

type Matcher = dyn Fn(&(dyn StdError + 'static)) -> Option<ConnectorError> + Send + Sync;

/// An integration-level handler: errors of one type → a [`ConnectorError`].
pub(crate) struct ErrorHandler {
    matcher: Box<Matcher>,
}

impl ErrorHandler {
    pub(crate) fn new<E, F>(handler: F) -> Self
    where
        E: StdError + 'static,
        F: Fn(&E) -> ConnectorError + Send + Sync + 'static,
    {
        Self {
            matcher: Box::new(move |error| error.downcast_ref::<E>().map(&handler)),
        }
    }
}

/// The module path of `C`'s type, dotted as in the reference's `module:function`.
pub(crate) fn module_of<C>() -> String {
    let full = std::any::type_name::<C>();
    let base = full.split('<').next().unwrap_or(full);
    let module = base.rsplit_once("::").map_or(base, |(module, _)| module);
    module.replace("::", ".")
}

impl<C: Connector> Integration<C> {
    /// Gives an unclassified error its code: integration handlers first (first match along the
    /// error chain wins), then the default HTTP handler; otherwise it stays `unexpected_error`.
    pub(crate) fn classify(&self, error: ConnectorError) -> ConnectorError {
        if error.is_classified() {
            return error;
        }
        let raised_by = error.raised_by().to_owned();
        let mapped = error.chain().find_map(|cause| {
            self.error_handlers
                .iter()
                .find_map(|handler| (handler.matcher)(cause))
                .or_else(|| crate::http::default_error_handler(cause))
        });
        match mapped {
            Some(mapped) => mapped.with_raised_by(raised_by),
            None => error,
        }
    }

    /// The wire error of a capability failure: its message and app error code lose every
    /// secret of the request (raw or encoded) and every URL userinfo, and are cut to
    /// [`MESSAGE_LIMIT`] bytes.
    ///
    /// Protocol 4 writes the error as it tells it (its code table and messages for the SDK's
    /// HTTP errors, legacy codes rewritten) with `error_metadata`: the code's defaults, under
    /// what the error sets.
    pub(crate) fn wire_error(
        &self,
        protocol: Protocol,
        capability: &str,
        module: &str,
        error: &ConnectorError,
        secrets: &Secrets,
    ) -> Error {
        let (code, message, raised_by) = match (protocol, error.v4()) {
            (Protocol::V4, Some(telling)) => (
                telling.code,
                telling.message.as_str(),
                telling.raised_by.unwrap_or(error.raised_by()),
            ),
            _ => (error.code(), error.message(), error.raised_by()),
        };
        let code = code.in_protocol(protocol);
        Error {
            message: secrets.clean(message, MESSAGE_LIMIT),
            status_code: error.status_code(),
            app_error_code: error
                .app_error_code()
                .map(|code| secrets.clean(code, MESSAGE_LIMIT)),
            error_code: code,
            app_id: self.app_id.clone(),
            raised_by: Some(raised_by.to_owned()),
            raised_in: Some(format!("{module}:{capability}")),
            error_metadata: metadata(protocol, code, Some(error), secrets),
        }
    }

    /// The wire error of a request rejected before any handler ran; its message loses every
    /// URL userinfo and is cut to [`MESSAGE_LIMIT`] bytes.
    pub(crate) fn request_error(
        &self,
        protocol: Protocol,
        code: ErrorCode,
        message: String,
    ) -> Error {
        let code = code.in_protocol(protocol);
        Error {
            message: Secrets::default().clean(&message, MESSAGE_LIMIT),
            status_code: None,
            app_error_code: None,
            error_code: code,
            app_id: self.app_id.clone(),
            raised_by: None,
            raised_in: None,
            error_metadata: metadata(protocol, code, None, &Secrets::default()),
        }
    }
}

/// Protocol 4's `error_metadata` of an error with `code` (as protocol 4 writes it): the code's
/// defaults under what the error sets; nothing in 3.7.8.
fn metadata(
    protocol: Protocol,
    code: ErrorCode,
    error: Option<&ConnectorError>,
    secrets: &Secrets,
) -> Option<ErrorMetadata> {
    if protocol == Protocol::V3_7_8 {
        return None;
    }
    let mut metadata = ErrorMetadata::of(code);
    if let Some(set) = error.map(ConnectorError::overrides) {
        if let Some(hint) = &set.hint {
            metadata.hint = Some(secrets.clean(hint, MESSAGE_LIMIT));
        }
        metadata.retryable = set.retryable.unwrap_or(metadata.retryable);
        metadata.throttled = set.throttled.unwrap_or(metadata.throttled);
        metadata.refreshable = set.refreshable.unwrap_or(metadata.refreshable);
        metadata.retry_after_seconds = set.retry_after_seconds;
    }
    Some(metadata)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn module_of_is_dotted() {
        struct Local;
        assert_eq!(
            module_of::<Local>(),
            "connector_sdk.integration.errors.tests.module_of_is_dotted"
        );
    }

    #[test]
    fn status_table() {
        assert_eq!(ErrorCode::for_http_status(400), ErrorCode::BadRequest);
        assert_eq!(ErrorCode::for_http_status(401), ErrorCode::Unauthorized);
        assert_eq!(ErrorCode::for_http_status(403), ErrorCode::PermissionDenied);
        assert_eq!(ErrorCode::for_http_status(404), ErrorCode::NotFound);
        assert_eq!(ErrorCode::for_http_status(429), ErrorCode::RateLimit);
        assert_eq!(ErrorCode::for_http_status(500), ErrorCode::ApiError);
        assert_eq!(ErrorCode::for_http_status(409), ErrorCode::ApiError);
    }
}
