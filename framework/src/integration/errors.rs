//! From a failing capability's [`ConnectorError`] to the wire [`Error`]: error handlers, the
//! default HTTP handler, `raised_by` / `raised_in`.

use std::error::Error as StdError;

use super::Integration;
use crate::ConnectorError;
use crate::capability::Connector;
use crate::redact::MESSAGE_LIMIT;
use crate::redact::Secrets;
use crate::wire::{CapabilityName, Error, ErrorCode};

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
    pub(crate) fn wire_error(
        &self,
        capability: CapabilityName,
        error: &ConnectorError,
        secrets: &Secrets,
    ) -> Error {
        let module = self
            .capabilities
            .get(&capability)
            .map_or("", |registered| registered.module.as_str());
        Error {
            message: secrets.clean(error.message(), MESSAGE_LIMIT),
            status_code: error.status_code(),
            app_error_code: error
                .app_error_code()
                .map(|code| secrets.clean(code, MESSAGE_LIMIT)),
            error_code: error.code(),
            app_id: self.app_id.clone(),
            raised_by: Some(error.raised_by().to_owned()),
            raised_in: Some(format!("{module}:{capability}")),
        }
    }

    /// The wire error of a request rejected before any handler ran; its message loses every
    /// URL userinfo and is cut to [`MESSAGE_LIMIT`] bytes.
    pub(crate) fn request_error(&self, code: ErrorCode, message: String) -> Error {
        Error {
            message: Secrets::default().clean(&message, MESSAGE_LIMIT),
            status_code: None,
            app_error_code: None,
            error_code: code,
            app_id: self.app_id.clone(),
            raised_by: None,
            raised_in: None,
        }
    }
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
