//! The CloudEvents NATS protocol binding, byte-identical to the Python runtime.
//!
//! Structured mode: the payload is the CloudEvents JSON format with the attributes in a fixed
//! order (specversion, id, source, type, subject, time, datacontenttype, dataschema,
//! extensions sorted by name, data), header `Content-Type: application/cloudevents+json`.
//! Binary mode: the payload is the data, attributes are `ce-<name>` headers, percent-encoded
//! (UTF-8 bytes of space, `"`, `%` and everything outside U+0021-U+007E become `%XY`).
//! Both modes carry `Nats-Msg-Id: <event id>`, and events of a type served over MQTT at QoS 1
//! `Nmqtt-Pub: 1` ([`crate::mqtt`]). Decoding accepts both modes and matches header names
//! case-insensitively.

use std::collections::BTreeMap;
use std::fmt;

use crate::event::{Event, EventError, EventInfo, EventType};
use crate::mqtt::QOS_HEADER;
use crate::schema;
use crate::timestamp::Timestamp;

/// `Content-Type` of structured mode.
pub const CONTENT_TYPE_STRUCTURED: &str = "application/cloudevents+json";
/// `Content-Type` of binary mode, and the `datacontenttype` of every event.
pub const CONTENT_TYPE_JSON: &str = "application/json";
/// The JetStream de-duplication header; always the event id.
pub const MSG_ID_HEADER: &str = "Nats-Msg-Id";
const BINARY_KNOWN: [&str; 7] = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "dataschema",
];

/// CloudEvents content mode on NATS.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Mode {
    /// The JSON event format as payload.
    #[default]
    Structured,
    /// `ce-` headers, the data as payload.
    Binary,
}

/// A message that is not a valid event of the expected type; `reason` says why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError {
    /// Which attribute or data field is at fault.
    pub reason: String,
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot decode event: {}", self.reason)
    }
}

impl std::error::Error for DecodeError {}

fn fail<T>(reason: impl Into<String>) -> Result<T, DecodeError> {
    Err(DecodeError {
        reason: reason.into(),
    })
}

/// Headers of a NATS message, in the order they are written.
pub type Headers = Vec<(String, String)>;

/// Percent-encode a header value as the CloudEvents NATS/HTTP bindings prescribe.
pub fn percent_encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if (0x21..=0x7e).contains(&byte) && byte != b'"' && byte != b'%' {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Undo RFC 7230 double-quoting, then one round of strict UTF-8 percent-decoding.
pub fn percent_decode(value: &str) -> Result<String, DecodeError> {
    let unquoted;
    let mut text = value;
    if value.len() >= 2 && value.starts_with('"') && value.ends_with('"') {
        let mut out = String::new();
        let mut chars = value[1..value.len() - 1].chars();
        while let Some(c) = chars.next() {
            out.push(if c == '\\' {
                chars.next().unwrap_or('\\')
            } else {
                c
            });
        }
        unquoted = out;
        text = &unquoted;
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).map_err(|e| DecodeError {
        reason: format!("header value {value:?} is not percent-encoded UTF-8: {e}"),
    })
}

fn json_str(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Serialise `event` to headers and payload; with `validate` the data is validated first.
pub fn encode<S: EventType>(
    event: &Event<S>,
    mode: Mode,
    validate: bool,
) -> Result<(Headers, Vec<u8>), EventError> {
    encode_with(event, mode, validate, &[])
}

/// [`encode`] with extension attributes written besides the event's own (a publisher's trace
/// context); a name the event has keeps the event's value.
pub fn encode_with<S: EventType>(
    event: &Event<S>,
    mode: Mode,
    validate: bool,
    added: &[(String, String)],
) -> Result<(Headers, Vec<u8>), EventError> {
    event.check()?;
    let merged;
    let extensions = if added.is_empty() {
        &event.extensions
    } else {
        let mut all = event.extensions.clone();
        for (name, value) in added {
            all.entry(name.clone()).or_insert_with(|| value.clone());
        }
        merged = all;
        &merged
    };
    if validate {
        event
            .validate_data()
            .map_err(|e| EventError(format!("event {:?}: data is invalid: {e}", event.id)))?;
    }
    let data = serde_json::to_vec(&event.data).map_err(|e| {
        EventError(format!(
            "event {:?}: data cannot be serialised: {e}",
            event.id
        ))
    })?;
    let time = event.time.to_string();
    let info = S::INFO;
    if mode == Mode::Binary {
        let mut headers: Headers = vec![
            ("ce-specversion".into(), "1.0".into()),
            ("ce-id".into(), percent_encode(&event.id)),
            ("ce-source".into(), percent_encode(&event.source)),
            ("ce-type".into(), percent_encode(info.event_type)),
            ("ce-time".into(), time),
        ];
        if let Some(subject) = &event.subject {
            headers.push(("ce-subject".into(), percent_encode(subject)));
        }
        if let Some(dataschema) = info.dataschema {
            headers.push(("ce-dataschema".into(), percent_encode(dataschema)));
        }
        for (name, value) in extensions {
            headers.push((format!("ce-{name}"), percent_encode(value)));
        }
        headers.push(("Content-Type".into(), CONTENT_TYPE_JSON.into()));
        headers.push((MSG_ID_HEADER.into(), event.id.clone()));
        push_mqtt_qos(&info, &mut headers);
        return Ok((headers, data));
    }
    let mut out = String::with_capacity(data.len() + 256);
    out.push_str("{\"specversion\":\"1.0\",\"id\":");
    out.push_str(&json_str(&event.id));
    out.push_str(",\"source\":");
    out.push_str(&json_str(&event.source));
    out.push_str(",\"type\":");
    out.push_str(&json_str(info.event_type));
    if let Some(subject) = &event.subject {
        out.push_str(",\"subject\":");
        out.push_str(&json_str(subject));
    }
    out.push_str(",\"time\":\"");
    out.push_str(&time);
    out.push_str("\",\"datacontenttype\":\"application/json\"");
    if let Some(dataschema) = info.dataschema {
        out.push_str(",\"dataschema\":");
        out.push_str(&json_str(dataschema));
    }
    for (name, value) in extensions {
        out.push_str(&format!(",\"{name}\":{}", json_str(value)));
    }
    out.push_str(",\"data\":");
    let mut payload = out.into_bytes();
    payload.extend_from_slice(&data);
    payload.push(b'}');
    let mut headers = vec![
        ("Content-Type".into(), CONTENT_TYPE_STRUCTURED.into()),
        (MSG_ID_HEADER.into(), event.id.clone()),
    ];
    push_mqtt_qos(&info, &mut headers);
    Ok((headers, payload))
}

/// `Nmqtt-Pub: 1` for an event type served over MQTT at QoS 1 (see [`crate::mqtt`]).
fn push_mqtt_qos(info: &EventInfo, headers: &mut Headers) {
    if info.mqtt.is_some_and(|mqtt| mqtt.qos == 1) {
        headers.push((QOS_HEADER.into(), "1".into()));
    }
}

/// Parse a NATS message into an event of type `S`, in either content mode.
pub fn decode<S: EventType, K: AsRef<str>, V: AsRef<str>>(
    headers: &[(K, V)],
    payload: &[u8],
) -> Result<Event<S>, DecodeError> {
    // `name` is lower case: the first header whose name is it in any case
    let get = |name: &str| {
        let found = headers
            .iter()
            .find(|(k, _)| k.as_ref().eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_ref())
    };
    if get("ce-specversion").is_some() {
        let lower: Vec<(String, &str)> = headers
            .iter()
            .map(|(k, v)| (k.as_ref().to_ascii_lowercase(), v.as_ref()))
            .collect();
        return decode_binary(&lower, payload);
    }
    if let Some(content_type) = get("content-type") {
        if !content_type.starts_with(CONTENT_TYPE_STRUCTURED) {
            return fail(format!("not a CloudEvent: no ce-specversion header (binary mode) and Content-Type {content_type:?} is not {CONTENT_TYPE_STRUCTURED:?} (structured mode)"));
        }
    }
    crate::structured::decode(payload)
}

pub(crate) fn check_type<S: EventType>(
    specversion: Option<&str>,
    event_type: Option<&str>,
) -> Result<(), DecodeError> {
    if specversion != Some("1.0") {
        return fail(format!(
            "attribute 'specversion' is {specversion:?}, expected '1.0'"
        ));
    }
    if event_type != Some(S::INFO.event_type) {
        return fail(format!(
            "attribute 'type' is {event_type:?}, expected {:?}",
            S::INFO.event_type
        ));
    }
    Ok(())
}

pub(crate) fn finish<S: EventType>(event: Event<S>) -> Result<Event<S>, DecodeError> {
    event.check().map_err(|e| DecodeError {
        reason: format!("invalid attribute: {e}"),
    })?;
    event.validate_data().map_err(|e| DecodeError {
        reason: format!("invalid data: data.{e}"),
    })?;
    Ok(event)
}

pub(crate) fn parse_time(text: &str) -> Result<Timestamp, DecodeError> {
    Timestamp::parse(text).ok_or_else(|| DecodeError {
        reason: format!("attribute 'time' is not RFC 3339: {text:?}"),
    })
}

fn decode_binary<S: EventType>(
    headers: &[(String, &str)],
    payload: &[u8],
) -> Result<Event<S>, DecodeError> {
    let mut attrs: BTreeMap<&str, String> = BTreeMap::new();
    let mut extensions = BTreeMap::new();
    for (key, raw) in headers {
        let Some(name) = key.strip_prefix("ce-") else {
            continue;
        };
        let value = percent_decode(raw)?;
        if BINARY_KNOWN.contains(&name) {
            attrs.insert(name, value);
        } else {
            extensions.insert(name.to_owned(), value);
        }
    }
    check_type::<S>(
        attrs.get("specversion").map(String::as_str),
        attrs.get("type").map(String::as_str),
    )?;
    let content_type = headers
        .iter()
        .find(|(k, _)| k == "content-type")
        .map_or(CONTENT_TYPE_JSON, |(_, v)| *v);
    if !content_type.starts_with(CONTENT_TYPE_JSON) {
        return fail(format!(
            "Content-Type is {content_type:?}, expected {CONTENT_TYPE_JSON:?}"
        ));
    }
    for name in ["id", "source", "time"] {
        if !attrs.contains_key(name) {
            return fail(format!(
                "missing required attribute '{name}' (header 'ce-{name}')"
            ));
        }
    }
    let time = parse_time(&attrs["time"])?;
    let data = schema::from_slice::<S::Data>(payload).map_err(|e| DecodeError {
        reason: data_reason(&e, payload),
    })?;
    let subject = attrs.remove("subject");
    let id = attrs.remove("id").unwrap_or_default();
    let source = attrs.remove("source").unwrap_or_default();
    finish(Event::from_parts(
        id, source, time, subject, data, extensions,
    ))
}

pub(crate) fn data_reason(error: &serde_json::Error, payload: &[u8]) -> String {
    if std::str::from_utf8(payload).is_err() {
        return "payload is not valid UTF-8".to_owned();
    }
    if error.is_syntax() || error.is_eof() {
        return format!("payload is not valid JSON: {error}");
    }
    format!("invalid data: {error}")
}
