//! Typed HTTP methods and header names: checked once, never a panicking string.

use crate::ConnectorError;

/// An HTTP method.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Method {
    /// `GET`
    Get,
    /// `HEAD`
    Head,
    /// `POST`
    Post,
    /// `PUT`
    Put,
    /// `PATCH`
    Patch,
    /// `DELETE`
    Delete,
    /// `OPTIONS`
    Options,
}

impl Method {
    pub(crate) fn to_http(self) -> http::Method {
        match self {
            Self::Get => http::Method::GET,
            Self::Head => http::Method::HEAD,
            Self::Post => http::Method::POST,
            Self::Put => http::Method::PUT,
            Self::Patch => http::Method::PATCH,
            Self::Delete => http::Method::DELETE,
            Self::Options => http::Method::OPTIONS,
        }
    }

    /// Whether repeating the request has the same effect as sending it once (RFC 9110 §9.2.2):
    /// such requests are retried by default.
    pub const fn is_idempotent(self) -> bool {
        !matches!(self, Self::Post | Self::Patch)
    }

    /// The method's name, e.g. `"GET"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Get => "GET",
            Self::Head => "HEAD",
            Self::Post => "POST",
            Self::Put => "PUT",
            Self::Patch => "PATCH",
            Self::Delete => "DELETE",
            Self::Options => "OPTIONS",
        }
    }
}

impl std::fmt::Display for Method {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A header name, validated once.
///
/// Declare the names a connector uses as constants: [`Header::from_static`] is a `const fn`, so
/// an invalid name is a compile error there. Names that come from settings go through
/// [`Header::parse`], which returns an `invalid_value` error instead.
///
/// ```
/// use connector_sdk::http::Header;
///
/// const API_KEY: Header = Header::from_static("x-api-key");
/// assert_eq!(API_KEY.as_str(), "x-api-key");
/// assert_eq!(Header::parse("X-Tenant").unwrap().as_str(), "x-tenant");
/// assert!(Header::parse("bad header\n").is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Header(pub(crate) http::HeaderName);

impl Header {
    /// `Authorization`
    pub const AUTHORIZATION: Self = Self(http::header::AUTHORIZATION);
    /// `Accept`
    pub const ACCEPT: Self = Self(http::header::ACCEPT);
    /// `Content-Type`
    pub const CONTENT_TYPE: Self = Self(http::header::CONTENT_TYPE);
    /// `If-Match`
    pub const IF_MATCH: Self = Self(http::header::IF_MATCH);
    /// `If-None-Match`
    pub const IF_NONE_MATCH: Self = Self(http::header::IF_NONE_MATCH);
    /// `ETag`
    pub const ETAG: Self = Self(http::header::ETAG);
    /// `Link`
    pub const LINK: Self = Self(http::header::LINK);
    /// `Location`
    pub const LOCATION: Self = Self(http::header::LOCATION);
    /// `Retry-After`
    pub const RETRY_AFTER: Self = Self(http::header::RETRY_AFTER);

    /// A header name known when the connector is compiled. Use it in a `const` so an invalid
    /// name (upper case, spaces, …) fails to compile.
    pub const fn from_static(name: &'static str) -> Self {
        Self(http::HeaderName::from_static(name))
    }

    /// A header name known at run time; `invalid_value` if it is not a valid name.
    pub fn parse(name: &str) -> Result<Self, ConnectorError> {
        http::HeaderName::from_bytes(name.trim().as_bytes())
            .map(Self)
            .map_err(|_| {
                ConnectorError::invalid_value(format!(
                    "`{}` is not a valid HTTP header name",
                    crate::http::error::excerpt(name, 64)
                ))
            })
    }

    /// The name, lower case.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}
