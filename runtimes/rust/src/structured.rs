//! Decoding the CloudEvents JSON format (structured mode) of [`crate::codec`].
//!
//! The payload is read once: the envelope's attributes as JSON values, the data straight into
//! the event's data type as it is met. The answer is the one of reading the whole document as
//! a [`Value`] first and the data from that tree (which is what happens whenever the one pass
//! fails or could differ): the same typed data, and for a bad message the same reason. The
//! tree reading is taken for a message the one pass cannot judge alike: one that is not UTF-8
//! throughout (serde skips unknown fields without checking their text), or that nests deep
//! enough to meet serde_json's recursion limit (counted from the document, not the data).

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_json::{Map, Value};

use crate::codec::{self, DecodeError, CONTENT_TYPE_JSON};
use crate::event::{Event, EventType, CORE_ATTRIBUTES};
use crate::schema::{self, Deser};

/// serde_json refuses documents nested 128 deep; below this the one pass cannot reach it.
const SHALLOW: usize = 100;

fn fail<T>(reason: impl Into<String>) -> Result<T, DecodeError> {
    Err(DecodeError {
        reason: reason.into(),
    })
}

/// The envelope of a structured message; the data read as `T` (the last `data`, as a JSON
/// object's last duplicate key wins), with `Value::Null` holding its place among the members.
struct Envelope<T> {
    members: Map<String, Value>,
    data: Option<T>,
}

struct EnvelopeVisitor<T>(PhantomData<T>);

impl<'de, T: Deser> Visitor<'de> for EnvelopeVisitor<T> {
    type Value = Envelope<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a CloudEvents JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // room for the attributes of a typical event: no growing on the way
        let mut members = Map::with_capacity(16);
        let mut data = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "data" {
                data = Some(map.next_value_seed(DataSeed::<T>(PhantomData))?);
                members.insert(key, Value::Null);
            } else {
                members.insert(key, map.next_value()?);
            }
        }
        Ok(Envelope { members, data })
    }
}

struct DataSeed<T>(PhantomData<T>);

impl<'de, T: Deser> DeserializeSeed<'de> for DataSeed<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        T::deser(d)
    }
}

/// The envelope read in one pass, or None when only the tree reading can judge the payload.
fn one_pass<T: Deser>(payload: &[u8]) -> Option<Envelope<T>> {
    let utf8 = payload.is_ascii() || std::str::from_utf8(payload).is_ok();
    if !utf8 || !shallow(payload) {
        return None;
    }
    let mut deserializer = serde_json::Deserializer::from_slice(payload);
    let envelope = deserializer
        .deserialize_map(EnvelopeVisitor::<T>(PhantomData))
        .ok()?;
    deserializer.end().ok()?;
    Some(envelope)
}

/// Whether no array or object of `payload` nests [`SHALLOW`] deep (brackets in strings aside).
fn shallow(payload: &[u8]) -> bool {
    // `b | 0x20` is `{` for `[` and `{` alone; counted in u8 per chunk, which vectorises
    let opening: usize = payload
        .chunks(255)
        .map(|chunk| {
            let count = chunk
                .iter()
                .fold(0u8, |n, b| n + u8::from(b | 0x20 == b'{'));
            usize::from(count)
        })
        .sum();
    if opening < SHALLOW {
        return true;
    }
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for &byte in payload {
        if in_string {
            match (escaped, byte) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth >= SHALLOW {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

/// Parse a structured-mode payload into an event of type `S`.
pub(crate) fn decode<S: EventType>(payload: &[u8]) -> Result<Event<S>, DecodeError> {
    if let Some(Envelope { members, data }) = one_pass::<S::Data>(payload) {
        // `members` holds "data" exactly when `data` was read
        let missing = || DecodeError {
            reason: "missing required attribute 'data'".to_owned(),
        };
        return event(members, move |_| data.ok_or_else(missing));
    }
    let document: Value = serde_json::from_slice(payload).map_err(|e| DecodeError {
        reason: codec::data_reason(&e, payload).replace("invalid data: ", ""),
    })?;
    let Value::Object(members) = document else {
        return fail("payload must be a JSON object (the CloudEvents JSON format)");
    };
    event(members, |value| {
        schema::from_value::<S::Data>(value).map_err(|e| DecodeError {
            reason: format!("invalid data: {e}"),
        })
    })
}

fn text_attr(
    map: &Map<String, Value>,
    name: &str,
    required: bool,
) -> Result<Option<String>, DecodeError> {
    match map.get(name) {
        None | Some(Value::Null) if !required => Ok(None),
        None => fail(format!("missing required attribute '{name}'")),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => fail(format!("attribute '{name}': must be a string, got {other}")),
    }
}

/// The event of a structured message's members, checked in the order they always were (a
/// message's first fault is the one named); `read` makes the data of the member `data`.
fn event<S: EventType>(
    mut map: Map<String, Value>,
    read: impl FnOnce(Value) -> Result<S::Data, DecodeError>,
) -> Result<Event<S>, DecodeError> {
    codec::check_type::<S>(
        map.get("specversion").and_then(Value::as_str),
        map.get("type").and_then(Value::as_str),
    )?;
    let id = text_attr(&map, "id", true)?.unwrap_or_default();
    let source = text_attr(&map, "source", true)?.unwrap_or_default();
    let subject = text_attr(&map, "subject", false)?;
    let time = codec::parse_time(&text_attr(&map, "time", true)?.unwrap_or_default())?;
    if let Some(content_type) = text_attr(&map, "datacontenttype", false)? {
        if !content_type.starts_with(CONTENT_TYPE_JSON) {
            return fail(format!(
                "attribute 'datacontenttype' is {content_type:?}, expected {CONTENT_TYPE_JSON:?}"
            ));
        }
    }
    text_attr(&map, "dataschema", false)?;
    let Some(data) = map.remove("data") else {
        return fail("missing required attribute 'data'");
    };
    let data = read(data)?;
    let extensions = extensions(map)?;
    codec::finish(Event::from_parts(
        id, source, time, subject, data, extensions,
    ))
}

fn extensions(map: Map<String, Value>) -> Result<BTreeMap<String, String>, DecodeError> {
    let mut extensions = BTreeMap::new();
    for (name, value) in map {
        if CORE_ATTRIBUTES.contains(&name.as_str()) {
            if name == "data_base64" {
                return fail("binary data ('data_base64') is not supported: data must be JSON");
            }
            continue;
        }
        let text = match value {
            Value::String(s) => s,
            Value::Bool(b) => b.to_string(),
            Value::Number(n) if n.is_i64() || n.is_u64() => n.to_string(),
            other => {
                return fail(format!(
                    "extension attribute {name:?} must be a string, got {other}"
                ))
            }
        };
        extensions.insert(name, text);
    }
    Ok(extensions)
}
