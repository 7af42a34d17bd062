//! String constraints: lengths in code points and the formats with the Python runtime's meaning.

use super::{Path, Result};

/// `minLength` in code points.
pub fn min_length(v: &str, n: usize, path: &Path<'_>) -> Result {
    if v.chars().count() < n {
        return Err(path.error(format!("must have at least {n} characters")));
    }
    Ok(())
}

/// `maxLength` in code points.
pub fn max_length(v: &str, n: usize, path: &Path<'_>) -> Result {
    if v.chars().count() > n {
        return Err(path.error(format!("must have at most {n} characters")));
    }
    Ok(())
}

/// `format`: date-time, date, time, uuid, uri, email, ipv4, ipv6 (others are not checked).
pub fn format(v: &str, name: &str, path: &Path<'_>) -> Result {
    let ok = match name {
        "date-time" => crate::formats::is_date_time(v),
        "date" => crate::formats::is_date(v),
        "time" => crate::formats::is_time(v),
        "uuid" => crate::formats::is_uuid(v),
        "uri" => crate::formats::is_uri(v),
        "email" => crate::formats::is_email(v),
        "ipv4" => v.parse::<std::net::Ipv4Addr>().is_ok(),
        "ipv6" => v.parse::<std::net::Ipv6Addr>().is_ok(),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        Err(path.error(format!("must be a valid {name}")))
    }
}
