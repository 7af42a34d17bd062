//! `pattern`: ECMA-262 regular expressions, run by the `regex` crate (linear time), compiled once.
//!
//! Generated code gives each pattern with its translation into `regex` syntax, made by the
//! generator's dialect (docs/regex-dialect.md: the same text Python's validators run), via
//! [`Pattern::translated`]. [`Pattern::new`] rewrites a plain ECMA-262 pattern itself
//! ([`ecma_regex`]), for hand-written patterns of the common subset.

use std::sync::OnceLock;

use super::{Path, Result};

/// A pattern from the schema, compiled on first use (a `static` in generated code).
#[derive(Debug)]
pub struct Pattern {
    source: &'static str,
    translation: Option<&'static str>,
    compiled: OnceLock<regex::Regex>,
}

impl Pattern {
    /// The pattern `source`, as the schema writes it (ECMA-262).
    pub const fn new(source: &'static str) -> Self {
        Pattern {
            source,
            translation: None,
            compiled: OnceLock::new(),
        }
    }

    /// The pattern `source` (ECMA-262) and its translation into `regex` syntax.
    pub const fn translated(source: &'static str, translation: &'static str) -> Self {
        Pattern {
            source,
            translation: Some(translation),
            compiled: OnceLock::new(),
        }
    }

    /// The pattern as the schema writes it.
    pub fn source(&self) -> &'static str {
        self.source
    }

    /// The compiled regex; panics if the pattern uses what the `regex` crate cannot express
    /// (generated crates test every pattern of theirs with this).
    pub fn regex(&self) -> &regex::Regex {
        self.compiled.get_or_init(|| {
            let text = match self.translation {
                Some(text) => text.to_owned(),
                None => ecma_regex(self.source),
            };
            regex::Regex::new(&text)
                .unwrap_or_else(|e| panic!("pattern {:?} is not supported: {e}", self.source))
        })
    }
}

/// `pattern`: the string must contain a match (ECMA-262 semantics, not anchored).
pub fn pattern(v: &str, pattern: &Pattern, path: &Path<'_>) -> Result {
    if pattern.regex().is_match(v) {
        Ok(())
    } else {
        Err(path.error(format!("must match the pattern {:?}", pattern.source)))
    }
}

const ECMA_SPACE: &str =
    "\\t\\n\\x0B\\x0C\\r \\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF";

/// Rewrite an ECMA-262 pattern into `regex` crate syntax with the same meaning.
///
/// `\d`, `\w` and `\b` are ASCII, `\s` is ECMA-262's whitespace set, `.` excludes every line
/// terminator; `$` already means the very end in the `regex` crate.
pub fn ecma_regex(source: &str) -> String {
    let mut out = String::with_capacity(source.len() + 16);
    let mut in_class = false;
    let mut chars = source.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            let Some(e) = chars.next() else {
                out.push('\\');
                break;
            };
            let text = match (e, in_class) {
                ('d', false) => "[0-9]".to_owned(),
                ('d', true) => "0-9".to_owned(),
                ('D', _) => "[^0-9]".to_owned(),
                ('w', false) => "[0-9A-Za-z_]".to_owned(),
                ('w', true) => "0-9A-Za-z_".to_owned(),
                ('W', _) => "[^0-9A-Za-z_]".to_owned(),
                ('s', false) => format!("[{ECMA_SPACE}]"),
                ('s', true) => ECMA_SPACE.to_owned(),
                ('S', _) => format!("[^{ECMA_SPACE}]"),
                ('b', false) => "(?-u:\\b)".to_owned(),
                ('B', false) => "(?-u:\\B)".to_owned(),
                (other, _) => format!("\\{other}"),
            };
            out.push_str(&text);
            continue;
        }
        match c {
            '[' if !in_class => in_class = true,
            ']' if in_class => in_class = false,
            '.' if !in_class => {
                out.push_str("[^\\n\\r\\u2028\\u2029]");
                continue;
            }
            _ => {}
        }
        out.push(c);
    }
    out
}
