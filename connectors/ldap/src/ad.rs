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

/// The string form of an entry's `objectGUID` (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`, the first
/// three groups little-endian as Windows writes them), if it has one.
pub(crate) fn guid_of(entry: &SearchEntry) -> Option<String> {
    let binary = entry
        .bin_attrs
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case("objectGUID"))
        .and_then(|(_, values)| values.first().cloned());
    // 16 bytes that happen to be UTF-8 land among the text attributes.
    let bytes = binary.or_else(|| {
        crate::directory::values(entry, "objectGUID")
            .first()
            .map(|v| v.as_bytes().to_vec())
    })?;
    let b: [u8; 16] = bytes.as_slice().try_into().ok()?;
    Some(format!(
        "{:02x}{:02x}{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
        b[3],
        b[2],
        b[1],
        b[0],
        b[5],
        b[4],
        b[7],
        b[6],
        b[8],
        b[9],
        b[10],
        b[11],
        b[12],
        b[13],
        b[14],
        b[15]
    ))
}

/// The canonical (lowercase) form of a GUID string id, if `id` is one.
pub(crate) fn parse_guid(id: &str) -> Option<String> {
    let id = id.trim();
    let well_formed = id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        });
    well_formed.then(|| id.to_ascii_lowercase())
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
    fn guids_read_and_parse() {
        let mut e = entry(&[]);
        e.bin_attrs.insert(
            "objectGUID".into(),
            vec![vec![
                0x20, 0x8d, 0x64, 0x16, 0x25, 0xf6, 0xa0, 0x4a, 0x83, 0x17, 0x94, 0x30, 0xca, 0x20,
                0xb1, 0xc4,
            ]],
        );
        let guid = guid_of(&e).unwrap();
        assert_eq!(guid, "16648d20-f625-4aa0-8317-9430ca20b1c4");
        assert_eq!(parse_guid(&guid.to_uppercase()).unwrap(), guid);
        for bad in [
            "..",
            "",
            "16648d20-f625-4aa0-8317-9430ca20b1c",
            "16648d20xf625-4aa0-8317-9430ca20b1c4",
            "<GUID=x>",
        ] {
            assert_eq!(parse_guid(bad), None, "{bad}");
        }
        assert_eq!(parse_guid(&"a".repeat(20_000_000)), None);
    }

    #[test]
    fn the_disable_flag_keeps_other_bits() {
        assert_eq!(with_disabled(0x10200, true), 0x10202);
        assert_eq!(with_disabled(0x10202, false), 0x10200);
        assert_eq!(with_disabled(0x10202, true), 0x10202);
    }
}
