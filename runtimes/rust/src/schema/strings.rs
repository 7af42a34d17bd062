//! String constraints: lengths in code points and the formats of docs/formats.md.

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

/// `format` (docs/formats.md): date-time, date, time, email, ipv4, ipv6, uri, uri-reference,
/// uuid; any other format is not checked.
pub fn format(v: &str, name: &str, path: &Path<'_>) -> Result {
    let ok = match name {
        "date-time" => crate::formats::is_date_time(v),
        "date" => crate::formats::is_date(v),
        "time" => crate::formats::is_time(v),
        other => crate::formats::matches_grammar(other, v).unwrap_or(true),
    };
    if ok {
        Ok(())
    } else {
        Err(path.error(format!("must be a valid {name}")))
    }
}
