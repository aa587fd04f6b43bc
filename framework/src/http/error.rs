//! Transport and status failures of HTTP calls, as [`ConnectorError`]s with wire codes.

use std::error::Error as StdError;
use std::io;

use serde_json::Value;

use std::time::Duration;

use super::Deadline;
use crate::ConnectorError;
use crate::error::Telling;
use crate::redact;
use crate::wire::{ErrorCode, Protocol};

/// How a failed exchange is classified, before it becomes a [`ConnectorError`].
pub(crate) fn transport_code(error: &reqwest::Error) -> ErrorCode {
    if error.is_timeout() {
        if error.is_connect() {
            ErrorCode::ConnectionTimeout
        } else {
            ErrorCode::RequestTimeout
        }
    } else if error.is_connect() {
        if chain_has_io(error, &[io::ErrorKind::TimedOut]) {
            ErrorCode::ConnectionTimeout
        } else {
            ErrorCode::ConnectionRejected
        }
    } else if closed_mid_response(error) {
        ErrorCode::ConnectionClosed
    } else if error.is_decode() {
        ErrorCode::InvalidResponse
    } else {
        ErrorCode::UnexpectedError
    }
}

fn chain_has_io(error: &(dyn StdError + 'static), kinds: &[io::ErrorKind]) -> bool {
    let mut next: Option<&(dyn StdError + 'static)> = Some(error);
    while let Some(cause) = next {
        if let Some(io) = cause.downcast_ref::<io::Error>()
            && kinds.contains(&io.kind())
        {
            return true;
        }
        next = cause.source();
    }
    false
}

fn closed_mid_response(error: &reqwest::Error) -> bool {
    if chain_has_io(
        error,
        &[
            io::ErrorKind::ConnectionReset,
            io::ErrorKind::ConnectionAborted,
            io::ErrorKind::UnexpectedEof,
            io::ErrorKind::BrokenPipe,
        ],
    ) {
        return true;
    }
    let text = crate::error::display_chain(error).to_ascii_lowercase();
    error.is_body()
        || text.contains("connection closed")
        || text.contains("incomplete message")
        || text.contains("connection reset")
}

/// A transport failure (no HTTP status) as a [`ConnectorError`]: connect timeout →
/// `connection_timeout`, read timeout → `request_timeout`, refused → `connection_rejected`,
/// closed mid-response → `connection_closed`.
pub(crate) fn from_transport(error: reqwest::Error) -> ConnectorError {
    describe(&error).with_source(error.without_url())
}

/// The HTTP layer's default error handler: a transport or status error anywhere in a failing
/// capability's error chain gets its wire code (integrations try their own handlers first).
pub(crate) fn default_error_handler(cause: &(dyn StdError + 'static)) -> Option<ConnectorError> {
    cause.downcast_ref::<reqwest::Error>().map(describe)
}

/// Classifies a `reqwest` error seen by reference (in an error chain): a status error through
/// the status table, anything else as a transport failure.
pub(crate) fn describe(error: &reqwest::Error) -> ConnectorError {
    if let Some(status) = error.status() {
        let url = error.url().map(|u| u.to_string()).unwrap_or_default();
        return from_status(
            status.as_u16(),
            status.canonical_reason().unwrap_or(""),
            &url,
            b"",
            None,
        );
    }
    let code = transport_code(error);
    let url = error.url().map(|u| redact::url(u.as_str()));
    let what = match code {
        ErrorCode::ConnectionTimeout => "Timed out connecting to the app",
        ErrorCode::RequestTimeout => "The app did not answer in time",
        ErrorCode::ConnectionRejected => "The app refused the connection",
        ErrorCode::ConnectionClosed => "The app closed the connection mid-response",
        ErrorCode::InvalidResponse => "The app's answer could not be read",
        _ => "The request to the app failed",
    };
    let message = match url {
        Some(url) => format!("{what} ({url})"),
        None => what.to_owned(),
    };
    let error = ConnectorError::new(code, message).with_raised_by_of::<reqwest::Error>();
    match transport_v4(code) {
        Some(telling) => error.with_v4(telling),
        None => error,
    }
}

/// How protocol 4 tells a transport failure: its fixed messages and the raising class.
fn transport_v4(code: ErrorCode) -> Option<Telling> {
    let (code, message, raised_by) = match code {
        ErrorCode::ConnectionTimeout | ErrorCode::ConnectionRejected => (
            ErrorCode::ConnectionTimeout,
            "Failed to connect to the API. Please verify the URL or try at a later time due \
             to a potential temporary network issue.",
            "ConnectError",
        ),
        ErrorCode::RequestTimeout => (
            ErrorCode::RequestTimeout,
            "The upstream API did not respond in time.",
            "ReadTimeout",
        ),
        ErrorCode::ConnectionClosed => (
            ErrorCode::ConnectionClosed,
            "The upstream API closed the connection unexpectedly.",
            "RemoteProtocolError",
        ),
        _ => return None,
    };
    Some(Telling {
        code,
        message: message.to_owned(),
        raised_by: Some(raised_by),
    })
}

/// The most characters of an upstream body protocol 4 puts in a status error's message.
const V4_BODY_LIMIT: usize = 800;

/// An upstream body as protocol 4 shows it in a status error: JSON as Python writes the parsed
/// value, HTML as a fixed phrase, text with its whitespace collapsed and cut at 800 characters.
pub(crate) fn v4_body_text(body: &[u8]) -> String {
    if let Ok(value) = serde_json::from_slice::<Value>(body) {
        let mut text = String::new();
        python_repr(&redact::json(&value), &mut text);
        return cut_v4(text);
    }
    let text = String::from_utf8_lossy(body);
    let start = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    if start.starts_with("<!doctype html") || start.starts_with("<html") {
        return "Upstream HTML error response.".to_owned();
    }
    cut_v4(text.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn cut_v4(text: String) -> String {
    match text.char_indices().nth(V4_BODY_LIMIT) {
        None => text,
        Some((at, _)) => format!("{}...(truncated)", &text[..at]),
    }
}

/// A JSON value as Python's `repr` writes the value `json.loads` gives (`{'a': True}`).
fn python_repr(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("None"),
        Value::Bool(true) => out.push_str("True"),
        Value::Bool(false) => out.push_str("False"),
        Value::Number(number) => out.push_str(&number.to_string()),
        Value::String(text) => python_str(text, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_repr(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                python_str(key, out);
                out.push_str(": ");
                python_repr(item, out);
            }
            out.push('}');
        }
    }
}

/// A string as Python's `repr`: single quotes unless it holds one and no double quote.
fn python_str(text: &str, out: &mut String) {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                out.push_str(&format!("\\x{:02x}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push(quote);
}

/// The message an API puts in its error bodies, where it gives one.
pub(crate) fn upstream_message(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let value = redact::json(&value);
    let pick = |v: &Value| -> Option<String> {
        for key in [
            "message",
            "error_description",
            "detail",
            "error_message",
            "msg",
            "title",
            "error",
        ] {
            match v.get(key) {
                Some(Value::String(s)) if !s.is_empty() => return Some(s.clone()),
                Some(Value::Object(inner)) => {
                    if let Some(Value::String(s)) = inner.get("message") {
                        return Some(s.clone());
                    }
                }
                _ => {}
            }
        }
        None
    };
    pick(&value).or_else(|| {
        value
            .get("errors")
            .and_then(Value::as_array)
            .and_then(|errors| errors.first())
            .and_then(|first| match first {
                Value::String(s) => Some(s.clone()),
                other => pick(other),
            })
    })
}

/// An HTTP status failure as a [`ConnectorError`] through the default status table, with the
/// upstream message when the body carries one.
pub(crate) fn from_status(
    status: u16,
    reason: &str,
    url: &str,
    body: &[u8],
    retry_note: Option<String>,
) -> ConnectorError {
    let kind = if (400..500).contains(&status) {
        "Client error"
    } else if status >= 500 {
        "Server error"
    } else {
        "Unexpected status"
    };
    let mut message = if url.is_empty() {
        format!("{kind} '{status} {reason}'")
    } else {
        format!("{kind} '{status} {reason}' for url '{}'", strip_query(url))
    };
    match upstream_message(body) {
        Some(upstream) => {
            message.push_str(": ");
            message.push_str(&upstream);
        }
        None if !body.is_empty() => {
            message.push_str(": ");
            message.push_str(&redact::body_excerpt(body, 200));
        }
        None => {}
    }
    if let Some(note) = retry_note {
        message.push_str(" (");
        message.push_str(&note);
        message.push(')');
    }
    let v4 = Telling {
        code: ErrorCode::for_http_status_in(Protocol::V4, status),
        message: format!("[{status}][{}] {}", strip_query(url), v4_body_text(body)),
        raised_by: Some("HTTPStatusError"),
    };
    ConnectorError::new(ErrorCode::for_http_status(status), message)
        .with_status_code(status)
        .with_raised_by_of::<reqwest::Error>()
        .with_v4(v4)
}

/// A body that is not the JSON the author asked for.
pub(crate) fn invalid_json(error: &serde_json::Error, url: &str, body: &[u8]) -> ConnectorError {
    ConnectorError::invalid_response(format!(
        "The app's answer from '{}' is not the expected JSON ({}); it starts with: {}",
        strip_query(url),
        crate::redact::serde_message(&error.to_string()),
        redact::body_excerpt(body, 120)
    ))
    .with_raised_by_of::<serde_json::Error>()
    .with_v4(Telling {
        code: ErrorCode::InvalidResponse,
        message: format!(
            "Failed to parse JSON response: {}",
            crate::redact::serde_message(&error.to_string())
        ),
        raised_by: Some("JSONDecodeError"),
    })
}

/// A URL without its query and fragment, and without a password.
pub(crate) fn strip_query(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) => {
            parsed.set_query(None);
            parsed.set_fragment(None);
            let _ = parsed.set_password(None);
            parsed.to_string()
        }
        Err(_) => url.split('?').next().unwrap_or(url).to_owned(),
    }
}

/// Why one exchange produced no answer.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The transport failed (connect, TLS, reset, …).
    Transport(reqwest::Error),
    /// No answer within the request timeout.
    Timeout(Duration),
    /// No answer before the call's deadline.
    Deadline(Deadline),
    /// The body is larger than allowed.
    TooLarge(usize),
    /// Anything else, already an error.
    Other(ConnectorError),
}

impl Failure {
    /// Whether another attempt may succeed.
    pub(crate) fn is_transient(&self) -> bool {
        match self {
            Self::Transport(e) => e.is_timeout() || e.is_connect(),
            Self::Timeout(_) => true,
            Self::Deadline(_) | Self::TooLarge(_) | Self::Other(_) => false,
        }
    }

    /// One line for the logs.
    pub(crate) fn describe(&self) -> String {
        match self {
            Self::Transport(e) => describe(e).message().to_owned(),
            Self::Timeout(limit) => format!("no answer within {}", seconds_text(*limit)),
            Self::Deadline(deadline) => format!("reached {}", deadline.describe()),
            Self::TooLarge(limit) => format!("answer larger than {limit} bytes"),
            Self::Other(e) => e.message().to_owned(),
        }
    }

    pub(crate) fn into_error(self, url: &url::Url, note: Option<String>) -> ConnectorError {
        let shown = strip_query(url.as_str());
        let error = match self {
            Self::Transport(e) => from_transport(e),
            Self::Timeout(limit) => ConnectorError::request_timeout(format!(
                "The app did not answer within the request timeout of {} ({shown})",
                seconds_text(limit)
            )),
            Self::Deadline(deadline) => return self::deadline(&deadline, url),
            Self::TooLarge(limit) => ConnectorError::invalid_response(format!(
                "The app's answer from '{shown}' is larger than {limit} bytes"
            )),
            Self::Other(e) => e,
        };
        match note {
            Some(note) => {
                let message = format!("{} ({note})", error.message());
                let v4 = error.v4().cloned();
                let error = error.with_message(message);
                match v4 {
                    Some(v4) => error.with_v4(v4),
                    None => error,
                }
            }
            None => error,
        }
    }
}

/// The call ran out of time.
pub(crate) fn deadline(deadline: &Deadline, url: &url::Url) -> ConnectorError {
    ConnectorError::request_timeout(format!(
        "The call reached {} waiting for the app ({})",
        deadline.describe(),
        strip_query(url.as_str())
    ))
}

/// A redirect to another origin, refused.
pub(crate) fn cross_origin(from: &url::Url, to: &url::Url, status: u16) -> ConnectorError {
    ConnectorError::api_error(format!(
        "The app redirected from {} to another origin, {}; redirects that leave the app's \
         origin are not followed, so the credential stays with it",
        from.origin().ascii_serialization(),
        to.origin().ascii_serialization()
    ))
    .with_status_code(status)
}

/// `2.5 s`, `3 min`, or `more than a day`.
pub(crate) fn seconds_text(duration: Duration) -> String {
    let seconds = duration.as_secs_f64();
    if seconds >= 86_400.0 {
        "more than a day".to_owned()
    } else if seconds >= 10.0 {
        format!("{seconds:.0} s")
    } else {
        format!("{seconds:.1} s")
    }
}

/// The first `limit` characters of `text`, marked when cut.
pub(crate) fn excerpt(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_owned(),
        Some((at, _)) => format!("{}… [cut, {} bytes in all]", &text[..at], text.len()),
    }
}

/// `error` with every credential form the client sent replaced by `[REDACTED]`.
pub(crate) fn scrubbed(error: ConnectorError, secrets: &[String]) -> ConnectorError {
    let mut sorted: Vec<&String> = secrets.iter().collect();
    sorted.sort_by_key(|s| std::cmp::Reverse(s.len()));
    error.map_messages(|message| {
        let mut message = message.to_owned();
        for secret in &sorted {
            if message.contains(secret.as_str()) {
                message = message.replace(secret.as_str(), crate::redact::REDACTED);
            }
        }
        message
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v4_bodies_read_as_python_shows_them() {
        assert_eq!(
            v4_body_text(
                br#"{"error":"status 409","code":409,"ok":false,"n":null,"l":[1.5,"it's"]}"#
            ),
            r#"{'error': 'status 409', 'code': 409, 'ok': False, 'n': None, 'l': [1.5, "it's"]}"#
        );
        assert_eq!(
            v4_body_text(b"plain   text\n  failure"),
            "plain text failure"
        );
        assert_eq!(
            v4_body_text(b"  <!DOCTYPE html><html><body>oops</body></html>"),
            "Upstream HTML error response."
        );
        let long = "x".repeat(900);
        assert_eq!(
            v4_body_text(long.as_bytes()),
            format!("{}...(truncated)", "x".repeat(800))
        );
        assert_eq!(v4_body_text(b"\xff\xfe"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn status_errors_carry_the_v4_telling() {
        let error = from_status(
            409,
            "Conflict",
            "http://app/users?x=1",
            br#"{"a":"b"}"#,
            None,
        );
        assert_eq!(error.code(), ErrorCode::ApiError);
        let v4 = error.v4().unwrap();
        assert_eq!(v4.code, ErrorCode::Conflict);
        assert_eq!(v4.message, "[409][http://app/users] {'a': 'b'}");
    }
}
