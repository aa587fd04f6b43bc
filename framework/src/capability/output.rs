//! What capability handlers return: a payload, or a [`Listing`] for list capabilities.

use serde::Serialize;
use serde_json::Value;

use crate::ConnectorError;
use crate::pagination::PageToken;
use crate::wire::{Json, Page};

/// One page of a listing: the items, and where the next page starts, if there is one.
///
/// Most listings hand the platform a typed cursor ([`Listing::with_cursor`]): the SDK turns it
/// into an opaque, checksummed page token bound to the capability, and gives it back on the
/// next call through [`Context::cursor`](crate::Context::cursor). A token of another listing,
/// or a tampered one, is an `invalid_page_token` error there.
///
/// ```
/// use connector_sdk::Listing;
///
/// // The app's cursor of the next page, whatever its shape.
/// let first = Listing::with_cursor(vec![1, 2], Some("app-cursor-2"));
/// assert!(first.has_next());
/// let last = Listing::last(vec![3]);
/// assert!(!last.has_next());
/// // A ready-made token, passed through as it is.
/// let raw = Listing::new(vec![4], Some("token-3".to_owned()));
/// assert_eq!(raw.next_page_token(), Some("token-3"));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Listing<T> {
    /// The items of this page.
    pub items: Vec<T>,
    next: Next,
}

/// Where the next page starts.
#[derive(Debug, Clone, PartialEq)]
enum Next {
    /// This is the last page.
    End,
    /// A token the connector made itself.
    Token(String),
    /// A cursor the SDK encodes into a token bound to the capability (or why it could not be
    /// serialized: reported as an `internal_error`, never an empty token).
    Cursor(Result<Value, String>),
}

impl<T> Listing<T> {
    /// A page of items followed by another page (when `next_page_token` is `Some`), with a
    /// token the connector made itself. Prefer [`Self::with_cursor`]: the SDK makes the token,
    /// checksummed and bound to the listing, and a nested position travels as one typed struct.
    pub fn new(items: Vec<T>, next_page_token: Option<String>) -> Self {
        let next = next_page_token.map_or(Next::End, Next::Token);
        Self { items, next }
    }

    /// A page of items followed by the page that starts at `next` (when it is `Some`): any
    /// serializable cursor, read back with [`Context::cursor`](crate::Context::cursor).
    pub fn with_cursor<K: Serialize>(items: Vec<T>, next: Option<K>) -> Self {
        let next = match next {
            None => Next::End,
            Some(cursor) => Next::Cursor(serde_json::to_value(cursor).map_err(|e| e.to_string())),
        };
        Self { items, next }
    }

    /// The last (or only) page.
    pub fn last(items: Vec<T>) -> Self {
        Self::new(items, None)
    }

    /// Whether another page follows.
    pub fn has_next(&self) -> bool {
        !matches!(self.next, Next::End)
    }

    /// The token of the next page, when the connector made it itself ([`Listing::new`]).
    pub fn next_page_token(&self) -> Option<&str> {
        match &self.next {
            Next::Token(token) => Some(token),
            Next::End | Next::Cursor(_) => None,
        }
    }
}

impl<T: Serialize> Listing<T> {
    /// The envelope's `response` and `page`; `listing` binds a typed cursor to its capability.
    pub(crate) fn into_parts(
        self,
        page_size: Option<u32>,
        listing: &str,
    ) -> Result<(Json, Option<Page>), ConnectorError> {
        let token = match self.next {
            Next::End => None,
            Next::Token(token) => Some(token),
            Next::Cursor(Ok(cursor)) => {
                let mut token = PageToken::new(listing);
                token.push(&cursor)?;
                Some(token.encode())
            }
            Next::Cursor(Err(why)) => {
                return Err(ConnectorError::internal_error(format!(
                    "The next page's cursor could not be serialized: {why}"
                )));
            }
        };
        let page = token.map(|token| Page {
            token: Some(token),
            size: page_size,
        });
        Ok((serialized(&self.items)?, page))
    }
}

/// A response written as JSON; one that does not serialize is a bug of the connector's types.
pub(crate) fn serialized<T: Serialize + ?Sized>(value: &T) -> Result<Json, ConnectorError> {
    Json::write(value).map_err(|e| {
        ConnectorError::internal_error(format!("The response could not be serialized: {e}"))
    })
}
