//! Directory timestamps as ISO 8601: LDAP GeneralizedTime (`20240131235959Z`,
//! `20240131235959.123Z`, `202401312359+0100`) and Active Directory's FILETIME integers
//! (100-nanosecond intervals since 1601, as in `lastLogonTimestamp`).

/// An instant: seconds since the Unix epoch and nanoseconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct Instant {
    seconds: i64,
    nanos: u32,
}

/// Seconds between 1601-01-01 and 1970-01-01.
const FILETIME_EPOCH_OFFSET: i64 = 11_644_473_600;

impl Instant {
    /// Parses a GeneralizedTime or a FILETIME; `None` for anything else (or FILETIME 0, AD's
    /// "never").
    pub(crate) fn parse(value: &str) -> Option<Self> {
        let value = value.trim();
        if value.bytes().all(|b| b.is_ascii_digit()) && value.len() > 14 {
            return Self::from_filetime(value.parse().ok()?);
        }
        Self::from_generalized_time(value)
    }

    fn from_filetime(ticks: u64) -> Option<Self> {
        if ticks == 0 || ticks == i64::MAX as u64 {
            return None;
        }
        let seconds = i64::try_from(ticks / 10_000_000).ok()? - FILETIME_EPOCH_OFFSET;
        let nanos = u32::try_from(ticks % 10_000_000).ok()? * 100;
        Some(Self { seconds, nanos })
    }

    fn from_generalized_time(value: &str) -> Option<Self> {
        let digits = |s: &str| -> Option<i64> {
            (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse().ok())
                .flatten()
        };
        let split = value
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(value.len());
        let (date, mut rest) = value.split_at(split);
        if date.len() < 10 || date.len() % 2 != 0 {
            return None;
        }
        let year = digits(&date[0..4])?;
        let month = digits(&date[4..6])?;
        let day = digits(&date[6..8])?;
        let hour = digits(&date[8..10])?;
        let minute = date.get(10..12).map_or(Some(0), digits)?;
        let second = date.get(12..14).map_or(Some(0), digits)?;
        let mut nanos = 0u32;
        if let Some(fraction) = rest.strip_prefix(['.', ',']) {
            let end = fraction
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(fraction.len());
            let (frac, tail) = fraction.split_at(end);
            let padded: String = frac.chars().chain("000000000".chars()).take(9).collect();
            nanos = padded.parse().ok()?;
            rest = tail;
        }
        let offset = match rest {
            "Z" | "" => 0,
            _ => {
                let sign = match rest.as_bytes().first()? {
                    b'+' => 1,
                    b'-' => -1,
                    _ => return None,
                };
                let zone = &rest[1..];
                let hours = digits(zone.get(0..2)?)?;
                let minutes = zone.get(2..4).map_or(Some(0), digits)?;
                sign * (hours * 3600 + minutes * 60)
            }
        };
        if !(1..=12).contains(&month)
            || !(1..=31).contains(&day)
            || hour > 23
            || minute > 59
            || second > 60
        {
            return None;
        }
        let days = days_from_civil(year, month, day);
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset;
        Some(Self { seconds, nanos })
    }

    /// Parses an RFC 3339 date-time (`2026-01-31T23:59:59Z`, `2026-01-31T23:59:59.5+01:00`);
    /// `None` for anything else.
    pub(crate) fn from_rfc3339(value: &str) -> Option<Self> {
        let bytes = value.as_bytes();
        let at =
            |index: usize, allowed: &[u8]| bytes.get(index).is_some_and(|b| allowed.contains(b));
        let shape = bytes.len() >= 20
            && at(4, b"-")
            && at(7, b"-")
            && at(10, b"Tt ")
            && at(13, b":")
            && at(16, b":");
        if !shape || !value.is_ascii() {
            return None;
        }
        // The same instant as GeneralizedTime: digits, the fraction, the zone without `:`.
        let mut generalized: String = [&value[0..4], &value[5..7], &value[8..10]].concat();
        generalized.push_str(&[&value[11..13], &value[14..16], &value[17..19]].concat());
        let mut rest = &value[19..];
        if let Some(fraction) = rest.strip_prefix('.') {
            let count = fraction.bytes().take_while(u8::is_ascii_digit).count();
            if count == 0 {
                return None;
            }
            generalized.push('.');
            generalized.push_str(&fraction[..count]);
            rest = &fraction[count..];
        }
        match rest.as_bytes() {
            [b'Z' | b'z'] => generalized.push('Z'),
            [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
                generalized.push(char::from(*sign));
                generalized.extend([h1, h2, m1, m2].map(|b| char::from(*b)));
            }
            _ => return None,
        }
        if !generalized.bytes().take(14).all(|b| b.is_ascii_digit()) {
            return None;
        }
        Self::from_generalized_time(&generalized)
    }

    /// `YYYYMMDDHHMMSSZ` in UTC, the fraction of a second dropped (the instant's second).
    pub(crate) fn to_generalized_time(self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        format!(
            "{year:04}{month:02}{day:02}{:02}{:02}{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fff…]Z`, in UTC.
    pub(crate) fn to_iso8601(self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let mut out = format!(
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        );
        if self.nanos > 0 {
            let fraction = format!("{:09}", self.nanos);
            out.push('.');
            out.push_str(fraction.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day count since 1970-01-01.
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(value: &str) -> Option<String> {
        Instant::parse(value).map(Instant::to_iso8601)
    }

    #[test]
    fn generalized_times() {
        assert_eq!(iso("20240131235959Z").unwrap(), "2024-01-31T23:59:59Z");
        assert_eq!(iso("20240229120000.5Z").unwrap(), "2024-02-29T12:00:00.5Z");
        assert_eq!(
            iso("20261128190412.684084Z").unwrap(),
            "2026-11-28T19:04:12.684084Z"
        );
        assert_eq!(iso("202401010030+0100").unwrap(), "2023-12-31T23:30:00Z");
        assert_eq!(iso("1970010100Z").unwrap(), "1970-01-01T00:00:00Z");
        assert_eq!(iso("000001010000Z").unwrap(), "0000-01-01T00:00:00Z");
    }

    #[test]
    fn rfc3339_date_times_become_generalized_times() {
        let generalized =
            |value: &str| Instant::from_rfc3339(value).map(Instant::to_generalized_time);
        assert_eq!(
            generalized("2026-01-31T23:59:59Z").unwrap(),
            "20260131235959Z"
        );
        assert_eq!(
            generalized("2026-01-31t23:59:59.987z").unwrap(),
            "20260131235959Z"
        );
        assert_eq!(
            generalized("2026-02-01T00:30:00+01:00").unwrap(),
            "20260131233000Z"
        );
        assert_eq!(
            generalized("2026-01-31 23:00:00-01:30").unwrap(),
            "20260201003000Z"
        );
        for bad in [
            "",
            "2026-01-31",
            "2026-01-31T23:59:59",
            "2026-13-01T00:00:00Z",
            "2026-01-31T23:59:59.Z",
            "2026-01-31T23:59:59Z)(uid=*",
            "2026-01-31T23:59:5９Z",
            "+026-01-31T23:59:59Z",
        ] {
            assert_eq!(generalized(bad), None, "{bad}");
        }
    }

    #[test]
    fn filetimes() {
        // 2024-01-01T00:00:00Z
        assert_eq!(iso("133485408000000000").unwrap(), "2024-01-01T00:00:00Z");
        assert_eq!(iso("0"), None);
    }

    #[test]
    fn garbage_is_none() {
        for value in [
            "",
            "yesterday",
            "2024",
            "20241301000000Z",
            "20240101000000Q",
        ] {
            assert_eq!(iso(value), None, "{value}");
        }
    }

    #[test]
    fn instants_order_across_zones() {
        let a = Instant::parse("20240101000000Z").unwrap();
        let b = Instant::parse("20240101003000+0100").unwrap();
        assert!(b < a);
    }
}
