//! String formats checked by `crate::schema::format`, with the Python runtime's meaning.

use std::sync::OnceLock;

use regex::Regex;

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
    year >= 1 && (1..=days).contains(&day)
}

/// RFC 3339 `date-time` (a leap second `:60` is accepted).
pub fn is_date_time(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let pattern = r"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-]([0-9]{2}):([0-9]{2}))$";
    let Some(c) = re(&RE, pattern).captures(v) else {
        return false;
    };
    let offset_ok = match (c.get(9), c.get(10)) {
        (Some(h), Some(m)) => num(h.as_str()) < 24 && num(m.as_str()) < 60,
        _ => true,
    };
    valid_date(num(&c[1]), num(&c[2]), num(&c[3]))
        && num(&c[4]) < 24
        && num(&c[5]) < 60
        && num(&c[6]) <= 60
        && offset_ok
}

/// RFC 3339 `full-date`.
pub fn is_date(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let Some(c) = re(&RE, r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$").captures(v) else {
        return false;
    };
    valid_date(num(&c[1]), num(&c[2]), num(&c[3]))
}

/// RFC 3339 `full-time`.
pub fn is_time(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let pattern = r"^([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$";
    let Some(c) = re(&RE, pattern).captures(v) else {
        return false;
    };
    num(&c[1]) < 24 && num(&c[2]) < 60 && num(&c[3]) <= 60
}

/// A UUID in its hyphenated hex form.
pub fn is_uuid(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let pattern = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";
    re(&RE, pattern).is_match(v)
}

/// An absolute URI: a scheme, a colon and no characters that URIs never contain.
pub fn is_uri(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r#"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>"{}|\\^`]*$"#).is_match(v)
}

/// An e-mail address: something, `@`, something, no whitespace.
pub fn is_email(v: &str) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    re(&RE, r"^[^@\s]+@[^@\s]+$").is_match(v)
}
