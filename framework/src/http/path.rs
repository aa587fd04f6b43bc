//! [`ApiPath`]: the only way a connector names a route, so an id can never leave its segment.

use std::fmt::Write as _;

use crate::ConnectorError;

/// The longest id, in bytes, that [`ApiPath::id`] puts into a URL.
pub const MAX_SEGMENT_BYTES: usize = 4096;

/// A path below the client's base URL, built from fixed route parts and ids.
///
/// Every segment is percent-encoded on its own (everything but `A–Z a–z 0–9 - . _ ~`), so an
/// id holding `/`, `?`, `#` or `%2F` stays one segment. Ids that would change the route even
/// when encoded — empty, `.` and `..` — and ids longer than [`MAX_SEGMENT_BYTES`] are refused:
/// sending the request then fails with `bad_request` naming the field the id came from.
///
/// ```
/// use connector_sdk::http::ApiPath;
///
/// let path = ApiPath::new("/api/users").id("request.account_id", "a/b c").segment("activate");
/// assert_eq!(path.as_str(), "/api/users/a%2Fb%20c/activate");
///
/// let bad = ApiPath::new("/api/users").id("request.account_id", "..");
/// let error = bad.check().unwrap_err();
/// assert_eq!(error.code(), connector_sdk::wire::ErrorCode::BadRequest);
/// assert!(error.message().contains("request.account_id"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiPath {
    encoded: String,
    /// The first refused segment: the field it came from and why.
    refused: Option<(String, String)>,
}

impl ApiPath {
    /// The base URL itself.
    pub fn root() -> Self {
        Self {
            encoded: String::new(),
            refused: None,
        }
    }

    /// A fixed route of the connector's own, `/`-separated (e.g. `"/api/users"`); empty parts
    /// are skipped. Each part is checked like [`ApiPath::segment`].
    pub fn new(route: &str) -> Self {
        route
            .split('/')
            .filter(|part| !part.is_empty())
            .fold(Self::root(), |path, part| path.push("route", part))
    }

    /// Appends one fixed segment (a `/` in it is encoded, not a separator).
    #[must_use]
    pub fn segment(self, segment: &str) -> Self {
        self.push("route", segment)
    }

    /// Appends an id taken from the request or from the app as one segment. `field` names
    /// where it came from (`"request.account_id"`), for the error when the id is refused.
    #[must_use]
    pub fn id(self, field: &str, id: &str) -> Self {
        self.push(field, id)
    }

    fn push(mut self, field: &str, segment: &str) -> Self {
        if self.refused.is_some() {
            return self;
        }
        let why = match segment {
            "" => Some("is empty".to_owned()),
            "." | ".." => Some(format!("is `{segment}`, which would change the API path")),
            long if long.len() > MAX_SEGMENT_BYTES => Some(format!(
                "is {} bytes long; ids in URL paths are at most {MAX_SEGMENT_BYTES} bytes",
                long.len()
            )),
            _ => None,
        };
        if let Some(why) = why {
            self.refused = Some((field.to_owned(), why));
            return self;
        }
        self.encoded.push('/');
        encode_segment(&mut self.encoded, segment);
        self
    }

    /// The encoded path (`/a/b%2Fc`), empty for [`ApiPath::root`].
    pub fn as_str(&self) -> &str {
        &self.encoded
    }

    /// `Ok` unless a segment was refused; the `bad_request` error otherwise.
    pub fn check(&self) -> Result<(), ConnectorError> {
        match &self.refused {
            None => Ok(()),
            Some((field, why)) => Err(ConnectorError::bad_request(format!(
                "Invalid request - {field} {why}"
            ))),
        }
    }
}

impl From<&str> for ApiPath {
    fn from(route: &str) -> Self {
        Self::new(route)
    }
}

impl From<&String> for ApiPath {
    fn from(route: &String) -> Self {
        Self::new(route)
    }
}

impl From<&ApiPath> for ApiPath {
    fn from(path: &ApiPath) -> Self {
        path.clone()
    }
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn encode_segment(out: &mut String, segment: &str) {
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::wire::ErrorCode;

    #[test]
    fn dot_empty_and_long_ids_are_refused_naming_the_field() {
        let long = "x".repeat(MAX_SEGMENT_BYTES + 1);
        for bad in [".", "..", "", long.as_str()] {
            let path = ApiPath::new("/api/users").id("request.account_id", bad);
            let error = path.check().unwrap_err();
            assert_eq!(error.code(), ErrorCode::BadRequest);
            assert!(error.message().contains("request.account_id"), "{error}");
            assert!(error.message().len() < 200);
        }
        assert!(ApiPath::new("/a/../b").check().is_err());
    }

    #[test]
    fn ids_stay_in_their_segment() {
        let cases = [
            ("u-1", "/users/u-1"),
            ("../admin", "/users/..%2Fadmin"),
            ("a%2Fb", "/users/a%252Fb"),
            ("a?b#c", "/users/a%3Fb%23c"),
            ("...", "/users/..."),
            ("é", "/users/%C3%A9"),
        ];
        for (id, expected) in cases {
            let path = ApiPath::new("users").id("id", id);
            assert_eq!(path.as_str(), expected);
            path.check().unwrap();
        }
    }

    proptest! {
        #[test]
        fn any_accepted_id_is_exactly_one_segment(id in any::<String>()) {
            let path = ApiPath::new("/users").id("id", &id);
            if path.check().is_ok() {
                let rest = path.as_str().strip_prefix("/users/").unwrap();
                prop_assert!(!rest.contains('/'));
                prop_assert!(rest != "." && rest != "..");
                let decoded = percent_decode(rest);
                prop_assert_eq!(decoded, id.into_bytes());
            }
        }
    }

    fn percent_decode(text: &str) -> Vec<u8> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        out
    }
}
