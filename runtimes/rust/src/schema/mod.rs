//! JSON Schema (draft 7) semantics for the generated payload types.
//!
//! Deserialisation ([`Deser`]) accepts what JSON Schema's types accept: an integer may be
//! written `1.0`, a number is never a boolean, an optional property may be absent but not
//! `null` unless the schema allows it. [`Validate`] then checks every constraint the schema
//! states, with JSON Schema's meaning: lengths count code points, `enum`/`const`/`uniqueItems`
//! use JSON equality (`1 == 1.0`), `pattern` searches with ECMA-262 meaning, `multipleOf` is
//! exact for decimals.
//!
//! The parts: [`deser`] (reading JSON with JSON Schema's types), [`number`] (exact numeric
//! comparison and `multipleOf`), [`strings`] (lengths and formats), [`pattern`] (ECMA-262
//! patterns), [`values`] (arrays, `enum`/`const`, JSON equality), [`conditions`]
//! (what a schema says beyond a value's type: conditions, tuples, `contains`, key rules),
//! [`union`] (`oneOf` and `anyOf` that serde cannot tell apart by a tag).

use std::fmt;

pub mod conditions;
pub mod deser;
pub mod number;
pub mod pattern;
pub mod strings;
pub mod union;
pub mod values;

pub use conditions::{
    accepts, all_of, any_of, contains, if_then_else, keys, not, one_of, read, tuple, Check, Keys,
    Rest,
};
pub use deser::{from_slice, from_value, optional, required, Deser};
pub use number::{
    compare, exclusive_maximum, exclusive_minimum, maximum, minimum, multiple_of, AsNum, Num,
};
pub use pattern::{ecma_regex, pattern, Pattern};
pub use strings::{format, max_length, min_length};
pub use union::{deserialize_union, union_from_value, validate_union, Candidates, Union};
pub use values::{json_equal, literal, literal_str, max_items, min_items, unique_items, Literals};

/// A value that breaks its schema: where (`path`, dot-separated) and why (`reason`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidationError {
    /// Location in the payload, e.g. `line_items.0.quantity`; empty for the whole value.
    pub path: String,
    /// The constraint that failed.
    pub reason: String,
}

impl fmt::Display for ValidationError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "<root>"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.reason)
    }
}

impl std::error::Error for ValidationError {}

/// The result of a validation.
pub type Result<T = ()> = std::result::Result<T, ValidationError>;

#[derive(Debug, Clone, Copy)]
enum Segment<'a> {
    Root,
    Key(&'a str),
    Index(usize),
}

/// A location in the value being validated, rendered only when an error is reported.
#[derive(Debug, Clone, Copy)]
pub struct Path<'a> {
    parent: Option<&'a Path<'a>>,
    segment: Segment<'a>,
}

impl<'a> Path<'a> {
    /// The whole value.
    pub const ROOT: Path<'static> = Path {
        parent: None,
        segment: Segment::Root,
    };

    /// The property `key` of the value at this path.
    pub fn key(&'a self, key: &'a str) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Key(key),
        }
    }

    /// The item `index` of the array at this path.
    pub fn index(&'a self, index: usize) -> Path<'a> {
        Path {
            parent: Some(self),
            segment: Segment::Index(index),
        }
    }

    /// An error at this path.
    pub fn error(&self, reason: impl Into<String>) -> ValidationError {
        let mut parts = Vec::new();
        let mut at = Some(self);
        while let Some(path) = at {
            match path.segment {
                Segment::Root => {}
                Segment::Key(key) => parts.push(key.to_owned()),
                Segment::Index(index) => parts.push(index.to_string()),
            }
            at = path.parent;
        }
        parts.reverse();
        ValidationError {
            path: parts.join("."),
            reason: reason.into(),
        }
    }
}

/// Checks every constraint of the schema a type was generated from.
pub trait Validate {
    /// Validate the value found at `path`.
    fn validate_at(&self, path: &Path<'_>) -> Result;

    /// Validate the whole value.
    fn validate(&self) -> Result {
        self.validate_at(&Path::ROOT)
    }
}

impl<T: Validate + ?Sized> Validate for Box<T> {
    fn validate_at(&self, path: &Path<'_>) -> Result {
        (**self).validate_at(path)
    }
}
