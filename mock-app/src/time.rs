//! ISO 8601 timestamps without a date library.

/// `secs` since the Unix epoch as `YYYY-MM-DDTHH:MM:SSZ`.
pub(crate) fn iso8601(secs: u64) -> String {
    let days = i64::try_from(secs / 86_400).unwrap_or(i64::MAX / 2);
    let rest = secs % 86_400;
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// Seconds since the Unix epoch now, by the system clock.
pub(crate) fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// Reads an RFC 3339 timestamp (`2025-01-31T08:00:00Z`, `…T08:00:00.250+02:00`) or a bare
/// date (`2025-01-31`, midnight UTC) as seconds since the Unix epoch; fractions are dropped.
pub(crate) fn parse_rfc3339(text: &str) -> Option<u64> {
    let text = text.trim();
    let number = |s: &str| -> Option<i64> {
        (!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (date, time) = match text.split_once(['T', 't', ' ']) {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let mut parts = date.splitn(3, '-');
    let (year, month, day) = (
        number(parts.next()?)?,
        number(parts.next()?)?,
        number(parts.next()?)?,
    );
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let mut secs = days_from_civil(year, month, day) * 86_400;
    if let Some(time) = time {
        let (clock, offset) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
            (clock, 0)
        } else {
            let at = time.rfind(['+', '-'])?;
            let (clock, zone) = time.split_at(at);
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let (hours, minutes) = zone[1..].split_once(':')?;
            (
                clock,
                sign * (number(hours)? * 3_600 + number(minutes)? * 60),
            )
        };
        let clock = clock.split_once('.').map_or(clock, |(whole, _)| whole);
        let mut fields = clock.splitn(3, ':');
        let (h, m, s) = (
            number(fields.next()?)?,
            number(fields.next()?)?,
            number(fields.next()?)?,
        );
        if h > 23 || m > 59 || s > 60 {
            return None;
        }
        secs += h * 3_600 + m * 60 + s - offset;
    }
    u64::try_from(secs).ok()
}

/// The day number (days since 1970-01-01) of a proleptic Gregorian date, after Howard
/// Hinnant's `days_from_civil`.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01), after Howard
/// Hinnant's `civil_from_days`.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_dates() {
        assert_eq!(iso8601(0), "1970-01-01T00:00:00Z");
        assert_eq!(iso8601(951_782_400), "2000-02-29T00:00:00Z");
        assert_eq!(iso8601(1_735_689_599), "2024-12-31T23:59:59Z");
        assert_eq!(iso8601(1_735_689_600), "2025-01-01T00:00:00Z");
    }

    #[test]
    fn reads_what_it_writes_and_other_offsets() {
        for secs in [0, 951_782_400, 1_735_689_599, 1_735_689_600, 1_767_225_600] {
            assert_eq!(parse_rfc3339(&iso8601(secs)), Some(secs));
        }
        assert_eq!(
            parse_rfc3339("2025-01-01T02:00:00.75+02:00"),
            Some(1_735_689_600)
        );
        assert_eq!(parse_rfc3339("2025-01-01"), Some(1_735_689_600));
        assert_eq!(
            parse_rfc3339("2024-12-31T23:00:00-01:00"),
            Some(1_735_689_600)
        );
        assert_eq!(parse_rfc3339("yesterday"), None);
        assert_eq!(parse_rfc3339("2025-13-01T00:00:00Z"), None);
    }
}
