//! Page sizes for listings, the guard that proves a walk over an app's pages progresses, and
//! [`cursor_token`] for tests.
//!
//! Listings hand the platform a typed cursor ([`crate::Listing::with_cursor`]) and read it back
//! with [`crate::Context::cursor`]; nested positions ("this group, then this page of its
//! members") travel as one typed struct. The SDK turns the cursor into an opaque, versioned,
//! URL-safe page token, checksummed and bound to the listing that made it, so a tampered or
//! foreign token is an `invalid_page_token` error, never a wrong page.
//!
//! ```
//! use connector_sdk::pagination::cursor_token;
//! use connector_sdk::wire::CapabilityName;
//! use connector_sdk::{Context, Listing};
//!
//! // The token a listing's first page hands out for cursor "u-500"…
//! let token = cursor_token(CapabilityName::ListAccounts, &"u-500");
//! assert!(!token.contains("u-500"));
//! // …is opaque, and another listing's token is not this one's.
//! assert_ne!(token, cursor_token(CapabilityName::ListResources, &"u-500"));
//! # let _ = Listing::with_cursor(vec![1], Some("u-500"));
//! ```

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::ConnectorError;

/// The token format's version, the first byte of every token.
const VERSION: u8 = 1;
/// The longest page token read; a longer one is refused before it is decoded.
pub const MAX_TOKEN_BYTES: usize = 64 * 1024;
/// Bytes of checksum after the version.
const CHECKSUM_LEN: usize = 8;

/// The page token of [`cursor_token`] and the typed cursors: the token a listing that
/// answered `cursor` hands out (what [`crate::Listing::with_cursor`] produces), for tests that
/// start a listing at a given page.
pub fn cursor_token<T: Serialize>(capability: crate::wire::CapabilityName, cursor: &T) -> String {
    let mut token = PageToken::new(capability.as_str());
    match token.push(cursor) {
        Ok(()) => token.encode(),
        // A cursor that is no JSON value has no token; an empty one fails as truncated.
        Err(_) => PageToken::new(capability.as_str()).encode(),
    }
}

/// An opaque page token: a stack of cursors bound to one listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PageToken {
    listing: String,
    stack: Vec<Value>,
}

#[derive(Serialize, Deserialize)]
struct Body {
    s: String,
    c: Vec<Value>,
}

impl PageToken {
    /// An empty token for the listing `listing` (usually the capability's name).
    pub(crate) fn new(listing: impl Into<String>) -> Self {
        Self {
            listing: listing.into(),
            stack: Vec::new(),
        }
    }

    /// Reads the request's token: `None` for the first page, an `invalid_page_token` error
    /// for a malformed, tampered, outdated or foreign token.
    pub(crate) fn decode(
        listing: &str,
        token: Option<&str>,
    ) -> Result<Option<Self>, ConnectorError> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(None);
        };
        let invalid = |why: &str| {
            ConnectorError::invalid_page_token(format!(
                "The page token is not valid for {listing}: {why}"
            ))
        };
        if token.len() > MAX_TOKEN_BYTES {
            return Err(invalid(&format!(
                "it is {} bytes long; tokens this connector issues are at most {MAX_TOKEN_BYTES}",
                token.len()
            )));
        }
        let bytes = URL_SAFE_NO_PAD
            .decode(token)
            .map_err(|_| invalid("it is not a token this connector issued"))?;
        let (&version, rest) = bytes.split_first().ok_or_else(|| invalid("it is empty"))?;
        if version != VERSION {
            return Err(invalid("it was issued by another version of the connector"));
        }
        if rest.len() < CHECKSUM_LEN {
            return Err(invalid("it is truncated"));
        }
        let (checksum, body) = rest.split_at(CHECKSUM_LEN);
        if checksum != &digest(body)[..CHECKSUM_LEN] {
            return Err(invalid("it was altered"));
        }
        let body: Body = serde_json::from_slice(body)
            .map_err(|_| invalid("it is not a token this connector issued"))?;
        if body.s != listing {
            return Err(invalid("it belongs to another listing"));
        }
        Ok(Some(Self {
            listing: body.s,
            stack: body.c,
        }))
    }

    /// The token as the URL-safe text to put in `page.token`.
    pub(crate) fn encode(&self) -> String {
        // A `Value` tree always prints (its `Display` cannot fail), so the body is never empty.
        let body = serde_json::json!({"s": self.listing, "c": self.stack})
            .to_string()
            .into_bytes();
        let mut bytes = Vec::with_capacity(1 + CHECKSUM_LEN + body.len());
        bytes.push(VERSION);
        bytes.extend_from_slice(&digest(&body)[..CHECKSUM_LEN]);
        bytes.extend_from_slice(&body);
        URL_SAFE_NO_PAD.encode(bytes)
    }

    /// Pushes a cursor (an inner level goes on top of its outer level).
    pub(crate) fn push<T: Serialize>(&mut self, cursor: &T) -> Result<(), ConnectorError> {
        let value = serde_json::to_value(cursor).map_err(|e| {
            ConnectorError::internal_error(format!("A page cursor could not be serialized: {e}"))
        })?;
        self.stack.push(value);
        Ok(())
    }

    /// Pops the innermost cursor; an `invalid_page_token` error if it has another shape.
    pub(crate) fn pop<T: DeserializeOwned>(&mut self) -> Result<Option<T>, ConnectorError> {
        let Some(value) = self.stack.pop() else {
            return Ok(None);
        };
        serde_json::from_value(value).map(Some).map_err(|e| {
            ConnectorError::invalid_page_token(format!(
                "The page token of {} holds an unexpected cursor: {e}",
                self.listing
            ))
        })
    }

    /// How many cursors the token holds.
    pub(crate) fn depth(&self) -> usize {
        self.stack.len()
    }
}

fn digest(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

/// The page size to use: the request's, else `default`, never above `max` nor below 1.
///
/// ```
/// use connector_sdk::pagination::page_size;
///
/// assert_eq!(page_size(None, 100, 500), 100);
/// assert_eq!(page_size(Some(1000), 100, 500), 500);
/// assert_eq!(page_size(Some(0), 100, 500), 1);
/// ```
pub fn page_size(requested: Option<u32>, default: u32, max: u32) -> u32 {
    requested.unwrap_or(default).clamp(1, max.max(1))
}

/// Consecutive empty app pages (each with a new cursor) a [`PageWalk`] accepts.
pub const MAX_EMPTY_PAGES: u32 = 5;

/// The guard of a loop over an app's pages: it proves every step makes progress.
///
/// A listing that fills one protocol page from several app pages (or walks groups, then their
/// members) calls [`PageWalk::step`] after each app page. The walk stops with an
/// `invalid_response` error naming the app's listing when the app
/// - hands out a cursor it handed out before in this walk (it would loop),
/// - sends more items than were asked for (the protocol page would overflow), or
/// - sends more than [`MAX_EMPTY_PAGES`] empty pages in a row, each with a new cursor.
///
/// ```
/// use connector_sdk::pagination::PageWalk;
///
/// let mut walk = PageWalk::new("GET /api/groups");
/// walk.step(100, 100, Some("c1")).unwrap();
/// walk.step(100, 40, Some("c2")).unwrap();
/// assert!(walk.step(100, 10, Some("c1")).is_err()); // c1 again: a loop
/// assert!(PageWalk::new("GET /api/users").step(10, 11, None).is_err()); // too many
/// ```
#[derive(Debug)]
pub struct PageWalk {
    listing: String,
    seen: std::collections::HashSet<String>,
    empty_run: u32,
}

impl PageWalk {
    /// A walk over `listing` (e.g. `"GET /api/groups"`, for messages).
    pub fn new(listing: impl Into<String>) -> Self {
        Self {
            listing: listing.into(),
            seen: std::collections::HashSet::new(),
            empty_run: 0,
        }
    }

    /// Records one app page: `asked` items were asked for, `received` came, `next` is the
    /// cursor the app handed out (`None` on its last page).
    pub fn step(
        &mut self,
        asked: usize,
        received: usize,
        next: Option<&str>,
    ) -> Result<(), ConnectorError> {
        if received > asked {
            return Err(self.stop(format!("sent {received} items when {asked} were asked for")));
        }
        if received == 0 && next.is_some() {
            self.empty_run = self.empty_run.saturating_add(1);
            if self.empty_run > MAX_EMPTY_PAGES {
                return Err(self.stop(format!(
                    "sent {} empty pages in a row, each with a new cursor",
                    self.empty_run
                )));
            }
        } else {
            self.empty_run = 0;
        }
        self.cursor(next)
    }

    /// Records a cursor (or any position: a group id being walked) without a page; an error if
    /// it was seen before in this walk.
    pub fn cursor(&mut self, next: Option<&str>) -> Result<(), ConnectorError> {
        if let Some(next) = next
            && !self.seen.insert(next.to_owned())
        {
            return Err(self.stop("handed out a cursor it had already handed out".to_owned()));
        }
        Ok(())
    }

    fn stop(&self, why: String) -> ConnectorError {
        ConnectorError::invalid_response(format!(
            "The app's listing {} {why}; stopping instead of paging forever",
            self.listing
        ))
    }
}

/// One app request of a protocol page that gathers several: `Ok(Some(value))` when it
/// answered, `Ok(None)` when the call's time budget ran out (`budget_exhausted`: the rate
/// limiter's next slot comes after the deadline) while the page already holds items, and the
/// error otherwise.
///
/// On `None`, return the items gathered so far with the cursor of where the page stopped: a
/// short page is legal, and the platform's next call resumes there instead of failing the
/// whole page.
///
/// ```
/// use connector_sdk::ConnectorError;
/// use connector_sdk::pagination::within_budget;
///
/// let spent = || Err::<u32, _>(ConnectorError::budget_exhausted("Rate limit sleep of 3 s"));
/// // Items gathered: stop short.
/// assert_eq!(within_budget(spent(), true).unwrap(), None);
/// // Nothing gathered yet: the call fails with `budget_exhausted` and `retry_after_seconds`.
/// assert!(within_budget(spent(), false).is_err());
/// assert_eq!(within_budget(Ok(7), true).unwrap(), Some(7));
/// ```
pub fn within_budget<T>(
    result: Result<T, ConnectorError>,
    page_has_items: bool,
) -> Result<Option<T>, ConnectorError> {
    match result {
        Ok(value) => Ok(Some(value)),
        Err(error) if page_has_items && error.code() == crate::wire::ErrorCode::BudgetExhausted => {
            tracing::info!(
                reason = %error.message(),
                "the call's budget ran out mid-page: returning a short page to resume from"
            );
            Ok(None)
        }
        Err(error) => Err(error),
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::wire::ErrorCode;

    #[test]
    fn nested_cursors_round_trip() {
        let mut token = PageToken::new("find_entitlement_associations");
        token.push(&json!({"group": "g-7"})).unwrap();
        token.push(&json!({"offset": 500})).unwrap();
        let text = token.encode();
        assert!(
            text.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        );
        let mut back = PageToken::decode("find_entitlement_associations", Some(&text))
            .unwrap()
            .unwrap();
        assert_eq!(back.depth(), 2);
        assert_eq!(
            back.pop::<Value>().unwrap().unwrap(),
            json!({"offset": 500})
        );
        assert_eq!(
            back.pop::<Value>().unwrap().unwrap(),
            json!({"group": "g-7"})
        );
    }

    #[test]
    fn bad_tokens_are_invalid_page_tokens() {
        let good = {
            let mut t = PageToken::new("list_accounts");
            t.push(&json!({"after": "u-1"})).unwrap();
            t.encode()
        };
        let mut tampered = good.clone().into_bytes();
        let last = tampered.len() - 2;
        tampered[last] = if tampered[last] == b'A' { b'B' } else { b'A' };
        let tampered = String::from_utf8(tampered).unwrap();
        for bad in [
            "%%%",
            "",
            "AQ",
            tampered.as_str(),
            "eyJzIjoibGlzdF9hY2NvdW50cyJ9",
            &"A".repeat(MAX_TOKEN_BYTES + 1),
        ] {
            match PageToken::decode("list_accounts", Some(bad)) {
                Ok(None) if bad.is_empty() => {}
                Ok(other) => panic!("{bad:?} was accepted: {other:?}"),
                Err(error) => assert_eq!(error.code(), ErrorCode::InvalidPageToken, "{bad}"),
            }
        }
        assert!(PageToken::decode("list_resources", Some(&good)).is_err());
    }

    #[test]
    fn walks_stop_on_loops_floods_and_endless_empty_pages() {
        let mut walk = PageWalk::new("GET /x");
        for n in 0..MAX_EMPTY_PAGES {
            walk.step(10, 0, Some(&format!("e{n}"))).unwrap();
        }
        let error = walk.step(10, 0, Some("e-last")).unwrap_err();
        assert_eq!(error.code(), ErrorCode::InvalidResponse);
        assert!(error.message().contains("empty pages"), "{error}");
        // A full page resets the empty run.
        let mut walk = PageWalk::new("GET /x");
        walk.step(10, 0, Some("a")).unwrap();
        walk.step(10, 3, Some("b")).unwrap();
        walk.step(10, 10, None).unwrap();
        assert!(walk.step(10, 1, Some("a")).is_err());
        assert!(PageWalk::new("GET /x").step(0, usize::MAX, None).is_err());
    }

    proptest! {
        #[test]
        fn any_cursor_round_trips(after in ".*", offset in any::<u64>()) {
            let mut token = PageToken::new("listing");
            token.push(&json!({"after": after, "offset": offset})).unwrap();
            let mut back = PageToken::decode("listing", Some(&token.encode())).unwrap().unwrap();
            prop_assert_eq!(back.pop::<Value>().unwrap().unwrap(), json!({"after": after, "offset": offset}));
        }

        #[test]
        fn arbitrary_text_never_panics(text in ".*") {
            let _ = PageToken::decode("listing", Some(&text));
        }
    }
}
