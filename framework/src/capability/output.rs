//! What capability handlers return: a payload, or a [`Listing`] for list capabilities.

use schemars::JsonSchema;
use serde::Serialize;
use serde_json::Value;

use crate::wire::{self, Page};

/// One page of a listing: the items, and the token of the next page if there is one.
///
/// ```
/// use connector_sdk::Listing;
///
/// let first = Listing::new(vec![1, 2], Some("cursor-2".to_owned()));
/// assert_eq!(first.next_page_token(), Some("cursor-2"));
/// let last = Listing::last(vec![3]);
/// assert_eq!(last.next_page_token(), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing<T> {
    /// The items of this page.
    pub items: Vec<T>,
    /// The token of the next page; `None` when this is the last page.
    pub next_page_token: Option<String>,
}

impl<T> Listing<T> {
    /// A page of items followed by another page (when `next_page_token` is `Some`).
    pub fn new(items: Vec<T>, next_page_token: Option<String>) -> Self {
        Self {
            items,
            next_page_token,
        }
    }

    /// The last (or only) page.
    pub fn last(items: Vec<T>) -> Self {
        Self::new(items, None)
    }

    /// The token of the next page.
    pub fn next_page_token(&self) -> Option<&str> {
        self.next_page_token.as_deref()
    }
}

/// Turns a handler's return value into the envelope's `response` and `page`.
pub(crate) trait IntoResponseParts: Send {
    /// The payload as it appears in `response` (a `Vec` for listings).
    type Payload: Serialize + JsonSchema;
    /// Whether this is a listing (its output schema is then the empty object, as in 3.7.8).
    const IS_LIST: bool;

    fn into_parts(self, page_size: Option<u32>)
    -> Result<(Value, Option<Page>), serde_json::Error>;
}

impl<T: Serialize + JsonSchema + Send> IntoResponseParts for Listing<T> {
    type Payload = Vec<T>;
    const IS_LIST: bool = true;

    fn into_parts(
        self,
        page_size: Option<u32>,
    ) -> Result<(Value, Option<Page>), serde_json::Error> {
        let page = self.next_page_token.map(|token| Page {
            token: Some(token),
            size: page_size,
        });
        Ok((serde_json::to_value(self.items)?, page))
    }
}

macro_rules! single_payloads {
    ($($ty:ty),+ $(,)?) => {
        $(
            impl IntoResponseParts for $ty {
                type Payload = $ty;
                const IS_LIST: bool = false;

                fn into_parts(
                    self,
                    _page_size: Option<u32>,
                ) -> Result<(Value, Option<Page>), serde_json::Error> {
                    Ok((serde_json::to_value(self)?, None))
                }
            }
        )+
    };
}

single_payloads!(
    wire::ValidatedCredentials,
    wire::CreatedAccount,
    wire::DeletedAccount,
    wire::ActivatedAccount,
    wire::DeactivatedAccount,
    wire::AssignedEntitlement,
    wire::UnassignedEntitlement,
    wire::AuthorizationUrl,
    wire::OauthCredentials,
);
