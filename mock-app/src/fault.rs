//! Faults in the app's listings, each made to fail exactly one check of `connector check` when
//! the mock connector drains the app (`--fault NAME`, [`Config::fault`](crate::Config::fault)).
//!
//! Unlike the transport faults (latency, 429s, 5xx), these answer `200` with data that is
//! wrong in one precise way, and every answer still passes the mock connector's own guards
//! (`PageWalk`: no page larger than asked, no cursor handed back), so the connector reports
//! the data instead of an error.

use std::fmt;
use std::str::FromStr;

/// A fault in the data the app serves. All are off by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Fault {
    /// `duplicate-ids`: `GET /api/users` pages overlap. A page asked for with `after=ID`
    /// (and `limit` of at least 2) starts with user `ID` again (the previous page's last
    /// user), then `limit - 1` new users; its `next` is its last user, as always. No page
    /// grows, no user is left out and no cursor repeats, so `list_accounts` lists every page
    /// boundary's account twice, and nothing else changes.
    DuplicateIds,
    /// `dangling-association`: the first group (`g-001`) lists a member that is not a user,
    /// `u-9999999` ([`PHANTOM_MEMBER`]), after its real members in
    /// `GET /api/groups/{gid}/members` (paged like a real member, so no page grows). So
    /// `find_entitlement_associations` names an account `list_accounts` never lists. Nothing
    /// else sees it: the user, membership, role and write routes are unchanged (a `PUT` or
    /// `DELETE` of that member is a 404, as for any unknown user).
    DanglingAssociation,
    /// `cursor-loop`: `GET /api/users` loops at its end: the last page, when it is the third
    /// or a later one (asked for with `after` = a user at position `2 × limit` or later),
    /// hands back the first page's `next` instead of `null`. So `list_accounts` lists every
    /// account once, then its page tokens repeat: A, B, …, Z, A, B, … forever, while each page
    /// on its own looks sane to the connector (its `next` is not the cursor it was asked with,
    /// and no page is larger than asked). Needs more than `2 × limit` users; a listing that
    /// stops at the first repeated token sees no account twice and misses none.
    CursorLoop,
    /// `oversized-page`: `GET /api/last-activity?ids=…` answers more entries than ids were
    /// asked for: after the asked ids come other users who were active (the users that follow
    /// the last asked id, wrapping around), until the answer holds one more active entry
    /// than ids were asked. The mock connector passes these answers through unguarded, so
    /// `get_last_activity` pages hold one item more than the batch asked: more than the
    /// request's `page.size` when that is at most [`MAX_ACTIVITY_BATCH`] and the page is full
    /// (the extra users come up again in their own pages). Only that route changes: the
    /// connector's other unguarded pass-through, `list_resources` over `GET /api/groups`,
    /// shares that route (with the same queries) with `list_entitlements` and
    /// `find_entitlement_associations`, which guard it and would answer `invalid_response`.
    ///
    /// [`MAX_ACTIVITY_BATCH`]: crate::MAX_ACTIVITY_BATCH
    OversizedPage,
}

/// The member [`Fault::DanglingAssociation`] adds to the first group: no user has this id.
pub const PHANTOM_MEMBER: &str = "u-9999999";

impl Fault {
    /// Every fault, in order.
    pub const ALL: [Self; 4] = [
        Self::DuplicateIds,
        Self::DanglingAssociation,
        Self::CursorLoop,
        Self::OversizedPage,
    ];

    /// The fault's name on the command line: `duplicate-ids`, `dangling-association`,
    /// `cursor-loop`, `oversized-page`.
    pub const fn name(self) -> &'static str {
        match self {
            Self::DuplicateIds => "duplicate-ids",
            Self::DanglingAssociation => "dangling-association",
            Self::CursorLoop => "cursor-loop",
            Self::OversizedPage => "oversized-page",
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name that is not one of [`Fault::ALL`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownFault(String);

impl fmt::Display for UnknownFault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<&str> = Fault::ALL.iter().map(|f| f.name()).collect();
        write!(
            f,
            "unknown fault `{}`: expected one of {}",
            self.0,
            names.join(", ")
        )
    }
}

impl std::error::Error for UnknownFault {}

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|fault| fault.name() == name)
            .ok_or_else(|| UnknownFault(name.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for fault in Fault::ALL {
            assert_eq!(fault.name().parse::<Fault>(), Ok(fault));
            assert_eq!(fault.to_string(), fault.name());
        }
        let unknown = "slow".parse::<Fault>().unwrap_err();
        assert_eq!(
            unknown.to_string(),
            "unknown fault `slow`: expected one of duplicate-ids, dangling-association, \
             cursor-loop, oversized-page"
        );
    }
}
