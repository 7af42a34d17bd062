//! Deserialisation with JSON Schema's types: an integer may be written `1.0`, a number is
//! never a boolean, an optional property may be absent but not `null` unless the schema allows
//! it.

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Unexpected, Visitor};
use serde_json::Value;

/// Deserialisation with JSON Schema's type rules (integral floats are integers).
pub trait Deser: Sized {
    /// Deserialise from any serde deserializer.
    fn deser<'de, D: Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error>;
}

/// Implements [`Deser`] by the type's own `serde::Deserialize`.
#[macro_export]
#[doc(hidden)]
macro_rules! deser_via_serde {
    ($($ty:ty),* $(,)?) => {$(
        impl $crate::schema::Deser for $ty {
            fn deser<'de, D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> std::result::Result<Self, D::Error> {
                <$ty as $crate::__serde::Deserialize>::deserialize(deserializer)
            }
        }
    )*};
}

deser_via_serde!(String, bool, (), serde_json::Number, Value);

struct IntVisitor<T>(PhantomData<T>);

impl<'de, T: TryFrom<i64> + TryFrom<u64>> Visitor<'de> for IntVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "an integer in the range of {}",
            std::any::type_name::<T>()
        )
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> std::result::Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Signed(v), &self))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> std::result::Result<T, E> {
        T::try_from(v).map_err(|_| E::invalid_value(Unexpected::Unsigned(v), &self))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> std::result::Result<T, E> {
        if v.is_finite() && v.fract() == 0.0 {
            if (0.0..18_446_744_073_709_551_616.0).contains(&v) {
                return self.visit_u64(v as u64);
            }
            if (-9_223_372_036_854_775_808.0..0.0).contains(&v) {
                return self.visit_i64(v as i64);
            }
        }
        Err(E::invalid_value(Unexpected::Float(v), &self))
    }
}

macro_rules! deser_int {
    ($($ty:ty),*) => {$(
        impl Deser for $ty {
            fn deser<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
                d.deserialize_any(IntVisitor::<$ty>(PhantomData))
            }
        }
    )*};
}

deser_int!(i32, u32, i64, u64);

struct Seed<T>(PhantomData<T>);

impl<'de, T: Deser> DeserializeSeed<'de> for Seed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> std::result::Result<T, D::Error> {
        T::deser(d)
    }
}

struct OptionVisitor<T>(PhantomData<T>);

impl<'de, T: Deser> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("null or a value")
    }

    fn visit_none<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> std::result::Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> std::result::Result<Self::Value, D::Error> {
        T::deser(d).map(Some)
    }
}

impl<T: Deser> Deser for Option<T> {
    fn deser<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_option(OptionVisitor(PhantomData))
    }
}

impl<T: Deser> Deser for Box<T> {
    fn deser<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        T::deser(d).map(Box::new)
    }
}

struct VecVisitor<T>(PhantomData<T>);

impl<'de, T: Deser> Visitor<'de> for VecVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: SeqAccess<'de>>(
        self,
        mut seq: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(Seed::<T>(PhantomData))? {
            out.push(item);
        }
        Ok(out)
    }
}

impl<T: Deser> Deser for Vec<T> {
    fn deser<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_seq(VecVisitor(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<T>);

impl<'de, T: Deser> Visitor<'de> for MapVisitor<T> {
    type Value = indexmap::IndexMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(
        self,
        mut map: A,
    ) -> std::result::Result<Self::Value, A::Error> {
        let mut out = indexmap::IndexMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Seed::<T>(PhantomData))?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

impl<T: Deser> Deser for indexmap::IndexMap<String, T> {
    fn deser<'de, D: Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        d.deserialize_map(MapVisitor(PhantomData))
    }
}

/// `deserialize_with` for a required property (no `Option` magic: absent is an error).
pub fn required<'de, D: Deserializer<'de>, T: Deser>(d: D) -> std::result::Result<T, D::Error> {
    T::deser(d)
}

/// `deserialize_with` for an optional property: present means `Some`, even when `null`.
pub fn optional<'de, D: Deserializer<'de>, T: Deser>(
    d: D,
) -> std::result::Result<Option<T>, D::Error> {
    T::deser(d).map(Some)
}

/// Parse JSON text into `T` (the whole input must be one JSON value).
pub fn from_slice<T: Deser>(bytes: &[u8]) -> serde_json::Result<T> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = T::deser(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Convert a JSON value into `T`.
pub fn from_value<T: Deser>(value: Value) -> serde_json::Result<T> {
    T::deser(value)
}
