//! String formats checked by `crate::schema::format`, as docs/formats.md states them.
//!
//! The grammar formats run the patterns of [`crate::format_patterns`] (the Python runtime's,
//! translated by the same regex dialect); the formats of time add arithmetic: real calendar
//! days, and a leap second only at 23:59:60 UTC.

use std::sync::OnceLock;

use regex::Regex;

use crate::format_patterns;

fn re(cell: &'static OnceLock<Regex>, source: &str) -> &'static Regex {
    cell.get_or_init(|| Regex::new(source).expect("built-in format pattern"))
}

fn num(text: &str) -> u32 {
    text.parse().unwrap_or(u32::MAX)
}

fn valid_date(year: u32, month: u32, day: u32) -> bool {
    let leap = year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400));
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

const TIME: &str =
    r"([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]+)?(?:[Zz]|([+-])([0-9]{2}):([0-9]{2}))";

/// Hours, minutes, seconds and offset of a time (captures `first..first + 6`) in range; a
/// second 60 only when the time is 23:59 in UTC.
fn valid_time(c: &regex::Captures<'_>, first: usize) -> bool {
    let field = |i: usize| c.get(first + i).map_or(0, |m| num(m.as_str()));
    let (h, m, s, oh, om) = (field(0), field(1), field(2), field(4), field(5));
    if h > 23 || m > 59 || s > 60 || oh > 23 || om > 59 {
        return false;
    }
    if s < 60 {
        return true;
    }
    let offset = i64::from(oh * 60 + om);
    let offset = if c.get(first + 3).is_some_and(|x| x.as_str() == "-") {
        -offset
    } else {
        offset
    };
    (i64::from(h * 60 + m) - offset).rem_euclid(1440) == 23 * 60 + 59
}

/// RFC 3339 `date-time`.
pub fn is_date_time(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let pattern = format!("^([0-9]{{4}})-([0-9]{{2}})-([0-9]{{2}})[Tt]{TIME}$");
    let Some(c) = re(&RE, &pattern).captures(v) else {
        return false;
    };
    valid_date(num(&c[1]), num(&c[2]), num(&c[3])) && valid_time(&c, 4)
}

/// RFC 3339 `full-date`.
pub fn is_date(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let Some(c) = re(&RE, r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$").captures(v) else {
        return false;
    };
    valid_date(num(&c[1]), num(&c[2]), num(&c[3]))
}

/// RFC 3339 `full-time` (the offset is required).
pub fn is_time(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let Some(c) = re(&RE, &format!("^{TIME}$")).captures(v) else {
        return false;
    };
    valid_time(&c, 1)
}

/// A grammar format of [`crate::format_patterns`]: `email`, `ipv4`, `ipv6`, `uri`,
/// `uri-reference` or `uuid`; `None` for any other name.
pub fn matches_grammar(name: &str, v: &str) -> Option<bool> {
    static EMAIL: OnceLock<Regex> = OnceLock::new();
    static IPV4: OnceLock<Regex> = OnceLock::new();
    static IPV6: OnceLock<Regex> = OnceLock::new();
    static URI: OnceLock<Regex> = OnceLock::new();
    static URI_REFERENCE: OnceLock<Regex> = OnceLock::new();
    static UUID: OnceLock<Regex> = OnceLock::new();
    let regex = match name {
        "email" => re(&EMAIL, format_patterns::EMAIL),
        "ipv4" => re(&IPV4, format_patterns::IPV4),
        "ipv6" => re(&IPV6, format_patterns::IPV6),
        "uri" => re(&URI, format_patterns::URI),
        "uri-reference" => re(&URI_REFERENCE, format_patterns::URI_REFERENCE),
        "uuid" => re(&UUID, format_patterns::UUID),
        _ => return None,
    };
    Some(regex.is_match(v))
}

/// A UUID in its hyphenated hex form.
pub fn is_uuid(v: &str) -> bool {
    matches_grammar("uuid", v).unwrap_or(false)
}

/// An absolute URI (RFC 3986).
pub fn is_uri(v: &str) -> bool {
    matches_grammar("uri", v).unwrap_or(false)
}

/// An e-mail address (RFC 5321 mailbox, ASCII).
pub fn is_email(v: &str) -> bool {
    matches_grammar("email", v).unwrap_or(false)
}
