//! Active Directory's account state: `userAccountControl` (UAC) flags, `lockoutTime`,
//! `accountExpires` (Windows FILETIME: 100 ns intervals since 1601-01-01 UTC).

use connector_sdk::wire::AccountStatus;
use ldap3::SearchEntry;

use crate::directory::first;

/// The UAC flag of a disabled account.
pub(crate) const ACCOUNTDISABLE: u32 = 0x2;
/// The `msDS-User-Account-Control-Computed` flag of a locked-out account.
const LOCKOUT: u32 = 0x10;
/// The attributes the state is computed from.
pub(crate) const STATE_ATTRIBUTES: [&str; 4] = [
    "userAccountControl",
    "msDS-User-Account-Control-Computed",
    "lockoutTime",
    "accountExpires",
];
/// FILETIME of 1970-01-01.
const UNIX_EPOCH_FILETIME: u64 = 116_444_736_000_000_000;

/// Why an account cannot sign in, if it cannot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum State {
    Enabled,
    Disabled,
    Locked,
    Expired,
}

impl State {
    /// Reads the state of an entry read with [`STATE_ATTRIBUTES`]; `now` is a FILETIME.
    pub(crate) fn of(entry: &SearchEntry, now: u64) -> Self {
        let number =
            |attribute: &str| first(entry, attribute).and_then(|v| v.trim().parse::<i64>().ok());
        let uac = number("userAccountControl").unwrap_or(0);
        if uac & i64::from(ACCOUNTDISABLE) != 0 {
            return Self::Disabled;
        }
        // The computed flag knows the domain's lockout duration; `lockoutTime` is the fallback
        // where the server does not return it (a lockout that has timed out then still shows).
        let locked = match number("msDS-User-Account-Control-Computed") {
            Some(computed) => computed & i64::from(LOCKOUT) != 0,
            None => number("lockoutTime").is_some_and(|t| t > 0),
        };
        if locked {
            return Self::Locked;
        }
        // 0 and i64::MAX both mean "never".
        let expires = number("accountExpires").unwrap_or(0);
        if expires > 0 && expires != i64::MAX && u64::try_from(expires).is_ok_and(|e| e <= now) {
            return Self::Expired;
        }
        Self::Enabled
    }

    /// The protocol's status: disabled and locked out are `SUSPENDED` (an administrator or
    /// the lockout policy switched sign-in off; `deactivate_account` answers the same), an
    /// expired account is `INACTIVE` (it is switched off by its end date, which activation
    /// does not change).
    pub(crate) fn status(self) -> AccountStatus {
        match self {
            Self::Enabled => AccountStatus::Active,
            Self::Disabled | Self::Locked => AccountStatus::Suspended,
            Self::Expired => AccountStatus::Inactive,
        }
    }

    /// A name for `extra_data`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Self::Enabled => "enabled",
            Self::Disabled => "disabled",
            Self::Locked => "locked_out",
            Self::Expired => "expired",
        }
    }
}

/// Now as a Windows FILETIME.
pub(crate) fn now_filetime() -> u64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let ticks = since_epoch.as_nanos() / 100;
    UNIX_EPOCH_FILETIME.saturating_add(u64::try_from(ticks).unwrap_or(u64::MAX))
}

/// `uac` with ACCOUNTDISABLE set (`disabled`) or cleared, every other flag kept.
pub(crate) fn with_disabled(uac: u32, disabled: bool) -> u32 {
    if disabled {
        uac | ACCOUNTDISABLE
    } else {
        uac & !ACCOUNTDISABLE
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn entry(pairs: &[(&str, &str)]) -> SearchEntry {
        SearchEntry {
            dn: "CN=x".into(),
            attrs: pairs
                .iter()
                .map(|(k, v)| ((*k).to_owned(), vec![(*v).to_owned()]))
                .collect::<HashMap<_, _>>(),
            bin_attrs: HashMap::new(),
        }
    }

    #[test]
    fn state_follows_uac_lockout_and_expiry() {
        let now = now_filetime();
        assert_eq!(
            State::of(&entry(&[("userAccountControl", "512")]), now),
            State::Enabled
        );
        assert_eq!(
            State::of(&entry(&[("userAccountControl", "66082")]), now),
            State::Disabled
        );
        assert_eq!(
            State::of(&entry(&[("lockoutTime", "1")]), now),
            State::Locked
        );
        let computed = [
            ("lockoutTime", "1"),
            ("msDS-User-Account-Control-Computed", "0"),
        ];
        assert_eq!(State::of(&entry(&computed), now), State::Enabled);
        let past = [("accountExpires", "129000000000000000")];
        assert_eq!(State::of(&entry(&past), now), State::Expired);
        let never = [("accountExpires", "9223372036854775807")];
        assert_eq!(State::of(&entry(&never), now), State::Enabled);
        assert_eq!(
            State::of(&entry(&[("userAccountControl", "junk")]), now),
            State::Enabled
        );
    }

    #[test]
    fn the_disable_flag_keeps_other_bits() {
        assert_eq!(with_disabled(0x10200, true), 0x10202);
        assert_eq!(with_disabled(0x10202, false), 0x10200);
        assert_eq!(with_disabled(0x10202, true), 0x10202);
    }
}
