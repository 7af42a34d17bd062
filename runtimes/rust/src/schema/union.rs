//! `oneOf`/`anyOf` whose variants serde cannot tell apart by a tag: the value is read as each
//! variant in turn, and the variants that deserialise and validate are the ones it matches.
//!
//! A generated union implements [`Union`] (its variants, and the checks of each) and gets its
//! `Deserialize` and `Validate` from [`deserialize_union`] and [`validate_union`]:
//! `oneOf` must match exactly one variant, `anyOf` at least one (the first is taken). A union
//! with a discriminator serde cannot use names it in [`Union::TAG`]: only the variant of that
//! tag is tried.

use serde::de::Deserializer;
use serde_json::Value;

use super::deser::{from_value, Deser};
use super::{Path, Result};

/// A union of variants (generated code implements it).
pub trait Union: Sized + serde::Serialize {
    /// `oneOf` (exactly one variant may match) rather than `anyOf` (at least one).
    const ONE_OF: bool;
    /// The discriminator property and its values, when variants are chosen by a tag.
    const TAG: Option<(&'static str, &'static str)> = None;

    /// Offer `value` to every variant, in order (`found.try_as(value, Self::Variant)`).
    fn candidates(value: &Value, found: &mut Candidates<Self>);

    /// The checks of the variant `self` holds.
    fn check_variant(&self, path: &Path<'_>) -> Result;
}

/// The variants a value matched, collected by [`Union::candidates`].
#[derive(Debug)]
pub struct Candidates<U> {
    found: Vec<U>,
    first_only: bool,
    error: Option<String>,
}

impl<U: Union> Candidates<U> {
    /// The value read as the variant `wrap` makes, if it deserialises and validates.
    pub fn try_as<T: Deser>(&mut self, value: &Value, wrap: fn(T) -> U) {
        if self.first_only && !self.found.is_empty() {
            return;
        }
        match from_value::<T>(value.clone()) {
            Ok(inner) => {
                let candidate = wrap(inner);
                if candidate.check_variant(&Path::ROOT).is_ok() {
                    self.found.push(candidate);
                }
            }
            Err(error) => self.error = Some(error.to_string()),
        }
    }

    /// The value read as the variant its tag names (for a [`Union::TAG`] union).
    pub fn tagged<T: Deser>(&mut self, value: &Value, tag: &str, wrap: fn(T) -> U) {
        let chosen = U::TAG
            .and_then(|(name, _)| value.get(name))
            .and_then(Value::as_str);
        if chosen == Some(tag) {
            match from_value::<T>(value.clone()) {
                Ok(inner) => self.found.push(wrap(inner)),
                Err(error) => self.error = Some(error.to_string()),
            }
        }
    }
}

fn matching<U: Union>(value: &Value, first_only: bool) -> Candidates<U> {
    let mut found = Candidates {
        found: Vec::new(),
        first_only,
        error: None,
    };
    U::candidates(value, &mut found);
    found
}

/// The value as the union `U`, or why it is none of its variants.
pub fn union_from_value<U: Union>(value: Value) -> std::result::Result<U, String> {
    let mut found = matching::<U>(&value, !U::ONE_OF || U::TAG.is_some());
    if let Some((name, tags)) = U::TAG {
        return match found.found.pop() {
            Some(variant) => Ok(variant),
            None => Err(found
                .error
                .unwrap_or_else(|| format!("property {name:?} must be one of {tags}"))),
        };
    }
    match (U::ONE_OF, found.found.len()) {
        (true, 1) | (false, 1..) => Ok(found.found.swap_remove(0)),
        (true, n) => Err(format!("must match exactly one oneOf branch, matched {n}")),
        (false, _) => Err("must match at least one anyOf branch".to_owned()),
    }
}

/// `Deserialize` of a union: read the JSON value, then [`union_from_value`].
pub fn deserialize_union<'de, D: Deserializer<'de>, U: Union>(
    deserializer: D,
) -> std::result::Result<U, D::Error> {
    let value = <Value as serde::Deserialize>::deserialize(deserializer)?;
    union_from_value(value).map_err(serde::de::Error::custom)
}

/// `Validate` of a union: the variant's checks, and for `oneOf` that no other variant matches.
pub fn validate_union<U: Union>(union: &U, path: &Path<'_>) -> Result {
    union.check_variant(path)?;
    if U::ONE_OF && U::TAG.is_none() {
        let value = serde_json::to_value(union).map_err(|e| path.error(e.to_string()))?;
        let matched = matching::<U>(&value, false).found.len();
        if matched != 1 {
            let reason = format!("must match exactly one oneOf branch, matched {matched}");
            return Err(path.error(reason));
        }
    }
    Ok(())
}
