//! Arrays, `enum`/`const` and JSON equality (`1 == 1.0`, objects in any key order).

use std::cmp::Ordering;
use std::sync::OnceLock;

use serde_json::Value;

use super::number::{compare, AsNum};
use super::{Path, Result};

/// The allowed values of an `enum` or `const` that are not all strings, as JSON text (a
/// `static` in generated code), parsed on first use.
#[derive(Debug)]
pub struct Literals {
    json: &'static str,
    parsed: OnceLock<Vec<Value>>,
}

impl Literals {
    /// The values, as the JSON text of an array.
    pub const fn new(json: &'static str) -> Self {
        Literals {
            json,
            parsed: OnceLock::new(),
        }
    }

    /// The values; panics if the JSON text is not an array (generated crates test theirs).
    pub fn values(&self) -> &[Value] {
        self.parsed.get_or_init(|| {
            serde_json::from_str(self.json).unwrap_or_else(|e| {
                panic!("literal values {:?} are not a JSON array: {e}", self.json)
            })
        })
    }
}

/// `minItems`.
pub fn min_items<T>(v: &[T], n: usize, path: &Path<'_>) -> Result {
    if v.len() < n {
        return Err(path.error(format!("must have at least {n} items")));
    }
    Ok(())
}

/// `maxItems`.
pub fn max_items<T>(v: &[T], n: usize, path: &Path<'_>) -> Result {
    if v.len() > n {
        return Err(path.error(format!("must have at most {n} items")));
    }
    Ok(())
}

pub(crate) fn to_json<T: serde::Serialize + ?Sized>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// JSON equality: numbers by value (`1 == 1.0`), objects regardless of key order.
pub fn json_equal(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => compare(x.as_num(), y.as_num()) == Ordering::Equal,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| json_equal(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, p)| y.get(k).is_some_and(|q| json_equal(p, q)))
        }
        _ => a == b,
    }
}

/// `uniqueItems`, by JSON equality.
pub fn unique_items<T: serde::Serialize>(v: &[T], path: &Path<'_>) -> Result {
    let values: Vec<Value> = v.iter().map(to_json).collect();
    for (i, a) in values.iter().enumerate() {
        if values[..i].iter().any(|b| json_equal(a, b)) {
            return Err(path.error("items must be unique"));
        }
    }
    Ok(())
}

/// `enum`/`const` of strings.
pub fn literal_str(v: &str, allowed: &[&str], path: &Path<'_>) -> Result {
    if allowed.contains(&v) {
        Ok(())
    } else {
        Err(path.error(format!("must be one of {allowed:?}")))
    }
}

/// `enum`/`const` of any JSON values (`json` is their JSON array), by JSON equality.
pub fn literal<T: serde::Serialize + ?Sized>(
    v: &T,
    literals: &Literals,
    path: &Path<'_>,
) -> Result {
    let allowed = literals.values();
    let json = literals.json;
    let value = to_json(v);
    if allowed.iter().any(|a| json_equal(a, &value)) {
        Ok(())
    } else if allowed.is_empty() {
        Err(path.error("no value is allowed here"))
    } else {
        Err(path.error(format!("must be one of {json}")))
    }
}
