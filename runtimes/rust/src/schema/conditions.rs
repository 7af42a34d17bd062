//! Checks on whole values: what a schema says beyond what a value *is*.
//!
//! `not`, `if`/`then`/`else`, an `allOf` part or a `oneOf`/`anyOf` beside other keywords,
//! tuple items and `contains`, and the rules on an object's keys (`patternProperties`,
//! `propertyNames`, `dependencies`, property counts). Each other schema is a [`Check`]: a
//! function of the generated module that reads the JSON value as that schema's Rust type
//! ([`read`]) and checks that schema's constraints. The checks here see the value as JSON
//! data, what it is (or will be) on the wire.

use serde::Serialize;
use serde_json::Value;

use super::deser::Deser;
use super::pattern::Pattern;
use super::values::to_json;
use super::{Path, Result, ValidationError};

/// A check of a JSON value at a path against one schema: its type and its constraints.
pub type Check = fn(&Value, &Path<'_>) -> Result;

/// `value` read as `T` (the Rust type of a schema); the error says why it is not one.
pub fn read<T: Deser>(value: &Value, path: &Path<'_>) -> std::result::Result<T, ValidationError> {
    T::deser(value).map_err(|e| path.error(e.to_string()))
}

/// Whether `value` is valid against the schema `check` stands for.
pub fn accepts(value: &Value, check: Check) -> bool {
    check(value, &Path::ROOT).is_ok()
}

/// `not`: the value must not be valid against the schema of `check`.
pub fn not<V: Serialize + ?Sized>(v: &V, path: &Path<'_>, check: Check) -> Result {
    if accepts(&to_json(v), check) {
        return Err(path.error("must not be valid against the `not` schema"));
    }
    Ok(())
}

/// An `allOf` part that is not part of the value's type: the value must be valid against it.
pub fn all_of<V: Serialize + ?Sized>(v: &V, path: &Path<'_>, check: Check) -> Result {
    check(&to_json(v), path)
}

/// `oneOf` beside other keywords: the value must be valid against exactly one branch.
pub fn one_of<V: Serialize + ?Sized>(v: &V, path: &Path<'_>, branches: &[Check]) -> Result {
    let value = to_json(v);
    let matched = branches
        .iter()
        .filter(|check| accepts(&value, **check))
        .count();
    if matched != 1 {
        return Err(path.error(format!(
            "must match exactly one oneOf branch, matched {matched}"
        )));
    }
    Ok(())
}

/// `anyOf` beside other keywords: the value must be valid against at least one branch.
pub fn any_of<V: Serialize + ?Sized>(v: &V, path: &Path<'_>, branches: &[Check]) -> Result {
    let value = to_json(v);
    if !branches.iter().any(|check| accepts(&value, *check)) {
        return Err(path.error("must match at least one anyOf branch"));
    }
    Ok(())
}

/// `if`/`then`/`else`: valid against `then` when valid against `test`, else against
/// `otherwise` (a missing one allows anything).
pub fn if_then_else<V: Serialize + ?Sized>(
    v: &V,
    path: &Path<'_>,
    test: Check,
    then: Option<Check>,
    otherwise: Option<Check>,
) -> Result {
    let value = to_json(v);
    let branch = if accepts(&value, test) {
        then
    } else {
        otherwise
    };
    branch.map_or(Ok(()), |check| check(&value, path))
}

/// `contains`: at least one item must be valid against the schema of `check`.
pub fn contains<T: Serialize>(items: &[T], path: &Path<'_>, check: Check) -> Result {
    if items.iter().any(|item| accepts(&to_json(item), check)) {
        return Ok(());
    }
    Err(path.error("must contain an item valid against the `contains` schema"))
}

/// What may follow the items an array schema lists one by one (`additionalItems`).
#[derive(Debug, Clone, Copy)]
pub enum Rest {
    /// Anything.
    Any,
    /// Nothing: the array has at most as many items as are listed.
    Closed,
    /// Items valid against a schema.
    Check(Check),
}

/// Tuple items: item `i` must be valid against `listed[i]`, the items after them as `rest`
/// says (arrays shorter than the list are fine).
pub fn tuple<T: Serialize>(items: &[T], path: &Path<'_>, listed: &[Check], rest: Rest) -> Result {
    for (i, item) in items.iter().enumerate() {
        let at = path.index(i);
        let check = match (listed.get(i).copied(), rest) {
            (Some(check), _) | (None, Rest::Check(check)) => check,
            (None, Rest::Any) => return Ok(()),
            (None, Rest::Closed) => {
                return Err(path.error(format!("must have at most {} items", listed.len())))
            }
        };
        check(&to_json(item), &at)?;
    }
    Ok(())
}

/// The rules on the keys of an object, a `static` of the generated module (see [`keys`]);
/// what the schema leaves out is as in [`Keys::NONE`].
#[derive(Debug, Clone, Copy)]
pub struct Keys {
    /// The named properties: their types already hold what the patterns say of them.
    pub declared: &'static [&'static str],
    /// `patternProperties`: a key that is not declared is checked against every pattern it
    /// matches.
    pub patterns: &'static [(&'static Pattern, Check)],
    /// The check of any other key's value (`additionalProperties`), if it is checked here.
    pub additional: Option<Check>,
    /// No other key is allowed (`additionalProperties: false` beside patterns).
    pub closed: bool,
    /// `propertyNames`: every key, as a JSON string.
    pub names: Option<Check>,
    /// `minProperties`.
    pub min: Option<usize>,
    /// `maxProperties`.
    pub max: Option<usize>,
    /// `dependencies`: when the key is present, the names that must be too, and the check of
    /// the whole object.
    pub dependencies: &'static [(&'static str, &'static [&'static str], Option<Check>)],
}

impl Keys {
    /// No rules at all.
    pub const NONE: Keys = Keys {
        declared: &[],
        patterns: &[],
        additional: None,
        closed: false,
        names: None,
        min: None,
        max: None,
        dependencies: &[],
    };
}

/// Check the rules on the keys of an object (a struct or a map).
pub fn keys<V: Serialize + ?Sized>(v: &V, path: &Path<'_>, rules: &Keys) -> Result {
    let object = to_json(v);
    let Some(map) = object.as_object() else {
        return Ok(());
    };
    if let Some(min) = rules.min.filter(|min| map.len() < *min) {
        return Err(path.error(format!("must have at least {min} properties")));
    }
    if let Some(max) = rules.max.filter(|max| map.len() > *max) {
        return Err(path.error(format!("must have at most {max} properties")));
    }
    for (key, value) in map {
        key_rules(key, value, &path.key(key), rules)?;
    }
    for (key, required, check) in rules.dependencies {
        if !map.contains_key(*key) {
            continue;
        }
        if let Some(missing) = required.iter().find(|name| !map.contains_key(**name)) {
            return Err(path.error(format!("with {key:?} present, {missing:?} must be too")));
        }
        if let Some(check) = check {
            check(&object, path)?;
        }
    }
    Ok(())
}

fn key_rules(key: &str, value: &Value, at: &Path<'_>, rules: &Keys) -> Result {
    if let Some(names) = rules.names {
        names(&Value::String(key.to_owned()), at)
            .map_err(|e| at.error(format!("is not a valid property name: {}", e.reason)))?;
    }
    if rules.declared.contains(&key) {
        return Ok(());
    }
    let mut matched = false;
    for (pattern, check) in rules.patterns {
        if pattern.regex().is_match(key) {
            matched = true;
            check(value, at)?;
        }
    }
    if matched {
        return Ok(());
    }
    if rules.closed {
        return Err(at.error("is not an allowed property"));
    }
    rules.additional.map_or(Ok(()), |check| check(value, at))
}
