//! CloudEvents `time`: an instant in UTC with microsecond precision.
//!
//! Formatted as the Python runtime does: `YYYY-MM-DDTHH:MM:SSZ`, with `.ffffff` (always six
//! digits) when the instant is not a whole second. Parsing accepts RFC 3339 with any offset
//! (converted to UTC); digits beyond microseconds are truncated.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

/// An instant in UTC, microsecond precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp {
    micros: i64,
}

fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

fn digits(text: &str) -> Option<i64> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

impl Timestamp {
    /// Microseconds since 1970-01-01T00:00:00Z.
    pub const fn from_unix_micros(micros: i64) -> Self {
        Timestamp { micros }
    }

    /// Microseconds since 1970-01-01T00:00:00Z.
    pub const fn unix_micros(&self) -> i64 {
        self.micros
    }

    /// The current time.
    pub fn now() -> Self {
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        Timestamp {
            micros: i64::try_from(since.as_micros()).unwrap_or(i64::MAX),
        }
    }

    /// Parse an RFC 3339 date-time with an offset (`Z` or `+HH:MM`); None if it is not one.
    pub fn parse(text: &str) -> Option<Self> {
        let b = text.as_bytes();
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || b[13] != b':' || b[16] != b':' {
            return None;
        }
        if !matches!(b[10], b'T' | b't' | b' ') {
            return None;
        }
        let (year, month, day) = (
            digits(&text[0..4])?,
            digits(&text[5..7])?,
            digits(&text[8..10])?,
        );
        let (hour, minute, second) = (
            digits(&text[11..13])?,
            digits(&text[14..16])?,
            digits(&text[17..19])?,
        );
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let month_days = [
            31,
            if leap { 29 } else { 28 },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        if year < 1
            || !(1..=12).contains(&month)
            || day < 1
            || day > month_days[(month - 1) as usize]
        {
            return None;
        }
        if hour > 23 || minute > 59 || second > 59 {
            return None;
        }
        let mut rest = &text[19..];
        let mut micros = 0;
        if let Some(frac) = rest.strip_prefix('.') {
            let end = frac
                .find(|c: char| !c.is_ascii_digit())
                .unwrap_or(frac.len());
            if end == 0 {
                return None;
            }
            let kept = &frac[..end.min(6)];
            micros = digits(kept)? * 10_i64.pow(6 - kept.len() as u32);
            rest = &frac[end..];
        }
        let offset = match rest {
            "Z" | "z" => 0,
            _ => {
                let r = rest.as_bytes();
                if r.len() != 6 || !matches!(r[0], b'+' | b'-') || r[3] != b':' {
                    return None;
                }
                let (h, m) = (digits(&rest[1..3])?, digits(&rest[4..6])?);
                if h > 23 || m > 59 {
                    return None;
                }
                let sign = if r[0] == b'-' { -1 } else { 1 };
                sign * (h * 3600 + m * 60)
            }
        };
        let seconds =
            days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second
                - offset;
        Some(Timestamp {
            micros: seconds * 1_000_000 + micros,
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let seconds = self.micros.div_euclid(1_000_000);
        let micros = self.micros.rem_euclid(1_000_000);
        let (year, month, day) = civil_from_days(seconds.div_euclid(86_400));
        let s = seconds.rem_euclid(86_400);
        write!(
            f,
            "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
            s / 3600,
            s / 60 % 60,
            s % 60
        )?;
        if micros != 0 {
            write!(f, ".{micros:06}")?;
        }
        f.write_str("Z")
    }
}
