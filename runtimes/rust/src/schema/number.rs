//! Numbers as the schema states them: exact comparison of integers and floats, and
//! `multipleOf` that is exact for decimals.

use std::cmp::Ordering;

use super::{Path, Result};

/// A JSON number as the schema states it: an integer or a float.
#[derive(Debug, Clone, Copy)]
pub enum Num {
    /// An integer.
    Int(i128),
    /// A float.
    Float(f64),
}

/// Values with a numeric meaning.
pub trait AsNum {
    /// This value as a [`Num`].
    fn as_num(&self) -> Num;
}

macro_rules! as_num_int {
    ($($ty:ty),*) => {$(
        impl AsNum for $ty {
            fn as_num(&self) -> Num {
                Num::Int(i128::from(*self))
            }
        }
    )*};
}

as_num_int!(i32, u32, i64, u64);

impl AsNum for serde_json::Number {
    fn as_num(&self) -> Num {
        if let Some(v) = self.as_i64() {
            Num::Int(i128::from(v))
        } else if let Some(v) = self.as_u64() {
            Num::Int(i128::from(v))
        } else {
            Num::Float(self.as_f64().unwrap_or(f64::NAN))
        }
    }
}

fn cmp_int_float(a: i128, b: f64) -> Ordering {
    if b.is_nan() {
        return Ordering::Less;
    }
    if b >= 1.0e38 {
        return Ordering::Less;
    }
    if b <= -1.0e38 {
        return Ordering::Greater;
    }
    let floor = b.floor();
    match a.cmp(&(floor as i128)) {
        Ordering::Equal if floor != b => Ordering::Less,
        other => other,
    }
}

/// Exact comparison of two JSON numbers.
pub fn compare(a: Num, b: Num) -> Ordering {
    match (a, b) {
        (Num::Int(x), Num::Int(y)) => x.cmp(&y),
        (Num::Float(x), Num::Float(y)) => x.partial_cmp(&y).unwrap_or(Ordering::Less),
        (Num::Int(x), Num::Float(y)) => cmp_int_float(x, y),
        (Num::Float(x), Num::Int(y)) => cmp_int_float(y, x).reverse(),
    }
}

fn shown(n: Num) -> String {
    match n {
        Num::Int(v) => v.to_string(),
        Num::Float(v) => format!("{v:?}"),
    }
}

/// `minimum`.
pub fn minimum(v: &impl AsNum, bound: Num, path: &Path<'_>) -> Result {
    match compare(v.as_num(), bound) {
        Ordering::Less => Err(path.error(format!("must be >= {}", shown(bound)))),
        _ => Ok(()),
    }
}

/// `maximum`.
pub fn maximum(v: &impl AsNum, bound: Num, path: &Path<'_>) -> Result {
    match compare(v.as_num(), bound) {
        Ordering::Greater => Err(path.error(format!("must be <= {}", shown(bound)))),
        _ => Ok(()),
    }
}

/// `exclusiveMinimum`.
pub fn exclusive_minimum(v: &impl AsNum, bound: Num, path: &Path<'_>) -> Result {
    match compare(v.as_num(), bound) {
        Ordering::Greater => Ok(()),
        _ => Err(path.error(format!("must be > {}", shown(bound)))),
    }
}

/// `exclusiveMaximum`.
pub fn exclusive_maximum(v: &impl AsNum, bound: Num, path: &Path<'_>) -> Result {
    match compare(v.as_num(), bound) {
        Ordering::Less => Ok(()),
        _ => Err(path.error(format!("must be < {}", shown(bound)))),
    }
}

/// A number as `mantissa * 10^exponent` from its shortest decimal form.
fn decimal(n: Num) -> Option<(u128, i32)> {
    let text = match n {
        Num::Int(v) => format!("{}e0", v.unsigned_abs()),
        Num::Float(v) if v.is_finite() => format!("{:e}", v.abs()),
        Num::Float(_) => return None,
    };
    let (digits, exp) = text.split_once('e')?;
    let mut exponent: i32 = exp.parse().ok()?;
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    exponent -= i32::try_from(frac.len()).ok()?;
    let mut mantissa: u128 = format!("{int}{frac}").parse().ok()?;
    while mantissa != 0 && mantissa.is_multiple_of(10) {
        mantissa /= 10;
        exponent += 1;
    }
    Some((mantissa, exponent))
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

fn is_multiple(value: Num, divisor: Num) -> bool {
    let (Some((m1, e1)), Some((m2, e2))) = (decimal(value), decimal(divisor)) else {
        return false;
    };
    if m1 == 0 {
        return true;
    }
    if m2 == 0 {
        return false;
    }
    let shift = e1 - e2;
    if shift >= 0 {
        // m2 must divide m1 * 10^shift: what is left of m2 after m1 may only be 2s and 5s.
        let mut rest = m2 / gcd(m1, m2);
        let (mut twos, mut fives) = (0, 0);
        while rest.is_multiple_of(2) {
            rest /= 2;
            twos += 1;
        }
        while rest.is_multiple_of(5) {
            rest /= 5;
            fives += 1;
        }
        rest == 1 && twos <= shift && fives <= shift
    } else {
        let scaled = u32::try_from(-shift)
            .ok()
            .and_then(|s| 10u128.checked_pow(s))
            .and_then(|p| p.checked_mul(m2));
        matches!(scaled, Some(d) if m1.is_multiple_of(d))
    }
}

/// `multipleOf`, exact for decimals (`0.3` is a multiple of `0.1`).
pub fn multiple_of(v: &impl AsNum, divisor: Num, path: &Path<'_>) -> Result {
    if is_multiple(v.as_num(), divisor) {
        Ok(())
    } else {
        Err(path.error(format!("must be a multiple of {}", shown(divisor))))
    }
}
