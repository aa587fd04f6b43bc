//! Pages that survive the process: a key range, not a paged-results cookie.
//!
//! Each CLI call is a new process with a new connection, and an RFC 2696 paged-results cookie
//! dies with its connection. So a listing orders entries by a unique attribute with an ORDERING
//! rule (the page key, `entryUUID` by default), asks the server to sort by it (RFC 2891) and
//! to stop after one page (the size limit), and hands back the key of the last entry it
//! returned. The next page is the same search with `(key>=last)(!(key=last))` added:
//!
//! ```text
//! page 1: (&(objectClass=inetOrgPerson)(entryUUID=*))                          sort entryUUID, limit 501
//! page k: (&(objectClass=inetOrgPerson)(entryUUID>=8f…)(!(entryUUID=8f…)))     sort entryUUID, limit 501
//! ```
//!
//! The server never walks the entries of earlier pages, so page k costs no more than page 1
//! (it costs less: fewer entries lie after the key). A size limit the server imposes below the
//! page size only makes pages shorter; the key still says where the next one starts.

use connector_sdk::{ConnectorError, Context};
use ldap3::controls::RawControl;
use ldap3::{Scope, SearchEntry, ldap_escape};
use serde::{Deserialize, Serialize};

use crate::directory::{Directory, Search, first};

/// The server-side sort request control (RFC 2891).
pub(crate) const SORT_CONTROL_OID: &str = "1.2.840.113556.1.4.473";

/// Where a page starts, relative to the page key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Start {
    /// The first entry.
    First,
    /// The first entry whose key is greater than this one.
    After(String),
    /// The first entry whose key is this one or greater.
    From(String),
}

impl Start {
    /// The start after a cursor's key (`None`: the beginning).
    pub(crate) fn after(key: Option<String>) -> Self {
        key.map_or(Self::First, Self::After)
    }
}

/// A page of entries in key order.
#[derive(Debug)]
pub(crate) struct KeyedPage {
    pub(crate) entries: Vec<SearchEntry>,
    /// Whether entries lie after the last one returned.
    pub(crate) more: bool,
}

/// A listing's search, without its position.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Listing<'a> {
    pub(crate) base: &'a str,
    pub(crate) filter: &'a str,
    pub(crate) key: &'a str,
}

impl Listing<'_> {
    /// The filter of the page that begins at `start`.
    pub(crate) fn filter_from(&self, start: &Start) -> String {
        let (filter, key) = (self.filter.trim(), self.key);
        match start {
            Start::First => format!("(&{filter}({key}=*))"),
            Start::After(last) => {
                let last = ldap_escape(last.as_str());
                format!("(&{filter}({key}>={last})(!({key}={last})))")
            }
            Start::From(first) => {
                let first = ldap_escape(first.as_str());
                format!("(&{filter}({key}>={first}))")
            }
        }
    }

    /// Fetches at most `size` entries from `start`, in key order, with `attributes` (the key
    /// is always read).
    pub(crate) async fn page(
        &self,
        directory: &mut Directory,
        start: &Start,
        size: u32,
        mut attributes: Vec<String>,
    ) -> Result<KeyedPage, ConnectorError> {
        attributes.push(self.key.to_owned());
        let filter = self.filter_from(start);
        let found = directory
            .search(Search {
                base: self.base,
                scope: Scope::Subtree,
                filter: &filter,
                attributes,
                size_limit: size.saturating_add(1),
                controls: vec![sort_control(self.key)],
            })
            .await?;
        let mut entries = found.entries;
        let wanted = usize::try_from(size).unwrap_or(usize::MAX);
        let more = entries.len() > wanted || found.truncated;
        entries.truncate(wanted);
        if more && entries.is_empty() {
            return Err(ConnectorError::api_error(
                "The LDAP server reports a size limit but returned no entry: raise its size \
                 limit for the bind DN",
            ));
        }
        Ok(KeyedPage { entries, more })
    }

    /// The cursor at `after` (and `offset` values into that entry), under this listing's key.
    pub(crate) fn cursor(&self, after: Option<String>, offset: usize) -> Cursor {
        Cursor {
            k: self.key.to_owned(),
            after,
            offset,
            inner: None,
        }
    }

    /// The cursor of the page after `page`: after its last entry, if more entries follow.
    pub(crate) fn next(&self, page: &KeyedPage) -> Result<Option<Cursor>, ConnectorError> {
        match (page.more, page.entries.last()) {
            (true, Some(last)) => Ok(Some(self.cursor(Some(self.key_of(last)?.to_owned()), 0))),
            _ => Ok(None),
        }
    }

    /// The page key of an entry (an error if the server did not return it).
    pub(crate) fn key_of<'e>(&self, entry: &'e SearchEntry) -> Result<&'e str, ConnectorError> {
        first(entry, self.key).ok_or_else(|| {
            ConnectorError::invalid_response(format!(
                "The entry {} has no {} (settings.page_key_attribute)",
                entry.dn, self.key
            ))
        })
    }
}

/// The cursor a page token holds (handed out with `connector_sdk::Listing::with_cursor`,
/// bound to its capability by the SDK): the page key attribute (a token made under other
/// settings is refused) and the key of the last entry returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Cursor {
    /// The page key attribute.
    pub(crate) k: String,
    /// The last key returned (`None`: nothing yet).
    pub(crate) after: Option<String>,
    /// How many values of the entry at `after` were already returned (for listings that page
    /// inside an entry, like group members).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub(crate) offset: usize,
    /// For listings that page through a second search inside an entry (AD group members):
    /// the last inner key returned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) inner: Option<String>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Cursor {
    /// The request's cursor, made under the page key `key`; `None` on the first page.
    pub(crate) fn read<S>(ctx: &Context<S>, key: &str) -> Result<Option<Self>, ConnectorError> {
        ctx.cursor::<Self>()?.map(|c| c.made_with(key)).transpose()
    }

    /// This cursor, if it was made under the page key `key`.
    pub(crate) fn made_with(self, key: &str) -> Result<Self, ConnectorError> {
        if self.k.eq_ignore_ascii_case(key) {
            return Ok(self);
        }
        Err(ConnectorError::invalid_page_token(format!(
            "The page token was made with settings.page_key_attribute = {:?}, not {key:?}; \
             start again from the first page",
            self.k
        )))
    }
}

/// The critical server-side sort control for one ascending key.
///
/// ```text
/// SortKeyList ::= SEQUENCE OF SEQUENCE { attributeType AttributeDescription, … }
/// ```
pub(crate) fn sort_control(attribute: &str) -> RawControl {
    let key = tlv(0x04, attribute.as_bytes());
    let sort_key = tlv(0x30, &key);
    RawControl {
        ctype: SORT_CONTROL_OID.to_owned(),
        crit: true,
        val: Some(tlv(0x30, &sort_key)),
    }
}

/// A BER tag-length-value with a definite length.
fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let len = content.len();
    if len < 0x80 {
        out.push(u8::try_from(len).unwrap_or(0));
    } else {
        let bytes = len.to_be_bytes();
        let skip = bytes.iter().take_while(|b| **b == 0).count();
        out.push(0x80 | u8::try_from(bytes.len() - skip).unwrap_or(0));
        out.extend_from_slice(&bytes[skip..]);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sort_control_is_ber() {
        let control = sort_control("uid");
        assert_eq!(control.ctype, "1.2.840.113556.1.4.473");
        assert!(control.crit);
        assert_eq!(
            control.val.unwrap(),
            [0x30, 0x07, 0x30, 0x05, 0x04, 0x03, b'u', b'i', b'd']
        );
    }

    #[test]
    fn long_lengths_use_the_long_form() {
        let long = tlv(0x04, &[0; 300]);
        assert_eq!(&long[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(long.len(), 304);
    }

    #[test]
    fn filters_resume_after_the_key() {
        let listing = Listing {
            base: "dc=x",
            filter: "(objectClass=person)",
            key: "entryUUID",
        };
        assert_eq!(
            listing.filter_from(&Start::First),
            "(&(objectClass=person)(entryUUID=*))"
        );
        assert_eq!(
            listing.filter_from(&Start::After("a*(b)".into())),
            r"(&(objectClass=person)(entryUUID>=a\2a\28b\29)(!(entryUUID=a\2a\28b\29)))"
        );
        assert_eq!(
            listing.filter_from(&Start::From("k".into())),
            "(&(objectClass=person)(entryUUID>=k))"
        );
    }

    #[test]
    fn cursors_are_bound_to_the_key() {
        let listing = Listing {
            base: "dc=x",
            filter: "(objectClass=person)",
            key: "entryUUID",
        };
        let cursor = listing.cursor(Some("u-1".into()), 0);
        assert_eq!(cursor.clone().made_with("entryuuid").unwrap(), cursor);
        let error = cursor.made_with("uSNCreated").unwrap_err();
        assert_eq!(
            error.code(),
            connector_sdk::wire::ErrorCode::InvalidPageToken
        );
    }
}
