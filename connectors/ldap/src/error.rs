//! LDAP result codes and client failures as wire error codes.
//!
//! Every error names the LDAP operation that failed and carries the server's result code as
//! the app error code (`ldap:49`), so a support engineer can look it up in RFC 4511.

use std::io;

use connector_sdk::ConnectorError;
use connector_sdk::wire::ErrorCode;
use ldap3::LdapError;
use ldap3::result::LdapResult;

/// RFC 4511 result codes the connector treats specially.
pub(crate) mod rc {
    /// `success`.
    pub(crate) const SUCCESS: u32 = 0;
    /// `sizeLimitExceeded`: the server returned fewer entries than exist.
    pub(crate) const SIZE_LIMIT_EXCEEDED: u32 = 4;
    /// `noSuchAttribute`: removing a value that is not there.
    pub(crate) const NO_SUCH_ATTRIBUTE: u32 = 16;
    /// `attributeOrValueExists`: adding a value that is already there.
    pub(crate) const ATTRIBUTE_OR_VALUE_EXISTS: u32 = 20;
    /// `noSuchObject`.
    pub(crate) const NO_SUCH_OBJECT: u32 = 32;
    /// `objectClassViolation`: e.g. removing the last `member` of a `groupOfNames`.
    pub(crate) const OBJECT_CLASS_VIOLATION: u32 = 65;
}

/// The name RFC 4511 gives a result code.
pub(crate) fn result_name(code: u32) -> &'static str {
    match code {
        0 => "success",
        1 => "operationsError",
        2 => "protocolError",
        3 => "timeLimitExceeded",
        4 => "sizeLimitExceeded",
        7 => "authMethodNotSupported",
        8 => "strongerAuthRequired",
        10 => "referral",
        11 => "adminLimitExceeded",
        12 => "unavailableCriticalExtension",
        13 => "confidentialityRequired",
        16 => "noSuchAttribute",
        17 => "undefinedAttributeType",
        18 => "inappropriateMatching",
        19 => "constraintViolation",
        20 => "attributeOrValueExists",
        21 => "invalidAttributeSyntax",
        32 => "noSuchObject",
        34 => "invalidDNSyntax",
        48 => "inappropriateAuthentication",
        49 => "invalidCredentials",
        50 => "insufficientAccessRights",
        51 => "busy",
        52 => "unavailable",
        53 => "unwillingToPerform",
        54 => "loopDetect",
        64 => "namingViolation",
        65 => "objectClassViolation",
        66 => "notAllowedOnNonLeaf",
        67 => "notAllowedOnRDN",
        68 => "entryAlreadyExists",
        69 => "objectClassModsProhibited",
        71 => "affectsMultipleDSAs",
        80 => "other",
        _ => "unknown",
    }
}

/// The wire code of an LDAP result code.
///
/// ```text
/// invalidCredentials (49), inappropriateAuthentication (48)  -> unauthorized
/// insufficientAccessRights (50)                               -> permission_denied
/// noSuchObject (32)                                           -> not_found
/// busy (51), unavailable (52)                                 -> service_error
/// timeLimitExceeded (3)                                       -> request_timeout
/// ```
pub(crate) fn code_for(code: u32) -> ErrorCode {
    match code {
        7 | 8 | 13 | 48 | 49 => ErrorCode::Unauthorized,
        50 => ErrorCode::PermissionDenied,
        32 => ErrorCode::NotFound,
        51 | 52 => ErrorCode::ServiceError,
        3 => ErrorCode::RequestTimeout,
        11 => ErrorCode::RateLimit,
        12 => ErrorCode::UnsupportedOperation,
        17 | 18 | 19 | 21 | 34 | 64 | 65 | 67 | 68 | 69 => ErrorCode::InvalidValue,
        _ => ErrorCode::ApiError,
    }
}

/// What the connector was doing when LDAP failed, for the message.
pub(crate) fn from_result(operation: &str, result: &LdapResult) -> ConnectorError {
    let name = result_name(result.rc);
    let mut message = format!(
        "LDAP {operation} failed: {name} (result code {})",
        result.rc
    );
    let text = result.text.trim();
    if !text.is_empty() {
        message.push_str(": ");
        message.push_str(text);
    }
    if result.rc == rc::NO_SUCH_OBJECT && !result.matched.is_empty() {
        message.push_str(&format!(
            " (the closest existing entry is {})",
            result.matched
        ));
    }
    if let Some(hint) = hint(result.rc) {
        message.push_str(". ");
        message.push_str(hint);
    }
    ConnectorError::new(code_for(result.rc), message)
        .with_app_error_code(format!("ldap:{}", result.rc))
}

fn hint(code: u32) -> Option<&'static str> {
    match code {
        12 => Some(
            "The server does not support a control the connector needs: server-side sorting \
             (RFC 2891; on OpenLDAP load the sssvlv overlay)",
        ),
        18 => Some(
            "settings.page_key_attribute must have an ORDERING matching rule (entryUUID does on \
             OpenLDAP)",
        ),
        8 | 13 => Some("The server requires TLS: use ldaps:// or settings.start_tls"),
        _ => None,
    }
}

/// The wire error of a failed LDAP call, during an operation (`connecting == false`) or while
/// opening the connection.
pub(crate) fn from_ldap(operation: &str, error: LdapError, connecting: bool) -> ConnectorError {
    match error {
        LdapError::LdapResult { result } => from_result(operation, &result),
        LdapError::Timeout { .. } => {
            let (code, what) = if connecting {
                (ErrorCode::ConnectionTimeout, "connecting to the server")
            } else {
                (ErrorCode::RequestTimeout, operation)
            };
            ConnectorError::new(
                code,
                format!("LDAP {what} timed out (settings.timeout_seconds)"),
            )
        }
        LdapError::Io { source } => from_io(operation, &source, connecting),
        LdapError::EndOfStream | LdapError::ResultRecv { .. } | LdapError::OpSend { .. } => {
            ConnectorError::new(
                ErrorCode::ConnectionClosed,
                format!("The LDAP server closed the connection during {operation}"),
            )
        }
        LdapError::Rustls { source } => ConnectorError::new(
            ErrorCode::ConnectionRejected,
            format!("The TLS handshake with the LDAP server failed: {source}"),
        ),
        LdapError::DNSName { source } => ConnectorError::invalid_value(format!(
            "settings.server_url does not name a host TLS can verify: {source}"
        )),
        LdapError::FilterParsing => ConnectorError::invalid_value(format!(
            "LDAP {operation}: a search filter does not parse (check settings.user_filter and \
             settings.group_filter)"
        )),
        LdapError::UrlParsing { source } => {
            ConnectorError::invalid_value(format!("settings.server_url is not a URL: {source}"))
        }
        LdapError::UnknownScheme(scheme) => ConnectorError::invalid_value(format!(
            "settings.server_url has the scheme {scheme:?}; use ldap:// or ldaps://"
        )),
        other => ConnectorError::new(
            ErrorCode::ClientCallError,
            format!("LDAP {operation} failed: {other}"),
        ),
    }
}

/// A failure to open the connection (resolving the name, or the TCP connect).
pub(crate) fn from_connect(error: io::Error) -> ConnectorError {
    match error.kind() {
        io::ErrorKind::TimedOut => ConnectorError::new(
            ErrorCode::ConnectionTimeout,
            "LDAP connecting to the server timed out (settings.timeout_seconds)",
        ),
        _ => from_io("connect", &error, true),
    }
}

fn from_io(operation: &str, error: &io::Error, connecting: bool) -> ConnectorError {
    use io::ErrorKind;
    match error.kind() {
        ErrorKind::ConnectionRefused => ConnectorError::new(
            ErrorCode::ConnectionRejected,
            format!("The LDAP server refused the connection (is it down?): {error}"),
        ),
        ErrorKind::TimedOut => ConnectorError::new(
            if connecting {
                ErrorCode::ConnectionTimeout
            } else {
                ErrorCode::RequestTimeout
            },
            format!("LDAP {operation} timed out: {error}"),
        ),
        ErrorKind::ConnectionReset
        | ErrorKind::ConnectionAborted
        | ErrorKind::BrokenPipe
        | ErrorKind::UnexpectedEof => ConnectorError::new(
            ErrorCode::ConnectionClosed,
            format!("The LDAP server closed the connection during {operation}: {error}"),
        ),
        _ if connecting => ConnectorError::new(
            ErrorCode::ConnectionRejected,
            format!("Cannot connect to the LDAP server: {error}"),
        ),
        _ => ConnectorError::new(
            ErrorCode::ConnectionClosed,
            format!("LDAP {operation} failed on the connection: {error}"),
        ),
    }
}

/// `Ok` for `success`, else the wire error of the result.
pub(crate) fn check(operation: &str, result: LdapResult) -> Result<LdapResult, ConnectorError> {
    if result.rc == rc::SUCCESS {
        Ok(result)
    } else {
        Err(from_result(operation, &result))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn result(rc: u32, text: &str) -> LdapResult {
        LdapResult {
            rc,
            matched: String::new(),
            text: text.to_owned(),
            refs: Vec::new(),
            ctrls: Vec::new(),
        }
    }

    #[test]
    fn the_issue_table_holds() {
        for (code, wire) in [
            (49, ErrorCode::Unauthorized),
            (50, ErrorCode::PermissionDenied),
            (32, ErrorCode::NotFound),
            (51, ErrorCode::ServiceError),
            (52, ErrorCode::ServiceError),
            (3, ErrorCode::RequestTimeout),
            (68, ErrorCode::InvalidValue),
            (80, ErrorCode::ApiError),
        ] {
            let error = from_result("search", &result(code, "why"));
            assert_eq!(error.code(), wire, "{code}");
            assert_eq!(
                error.app_error_code(),
                Some(format!("ldap:{code}").as_str())
            );
        }
    }

    #[test]
    fn messages_name_the_operation_the_code_and_the_servers_text() {
        let error = from_result("bind", &result(49, ""));
        assert_eq!(
            error.message(),
            "LDAP bind failed: invalidCredentials (result code 49)"
        );
        let error = from_result("search", &result(12, "critical extension is unavailable"));
        assert!(error.message().contains("sssvlv"), "{}", error.message());
    }

    #[test]
    fn a_refused_connection_is_connection_rejected() {
        let refused = io::Error::from(io::ErrorKind::ConnectionRefused);
        let error = from_ldap("connect", LdapError::from(refused), true);
        assert_eq!(error.code(), ErrorCode::ConnectionRejected);
        let error = from_ldap("search", LdapError::EndOfStream, false);
        assert_eq!(error.code(), ErrorCode::ConnectionClosed);
    }
}
