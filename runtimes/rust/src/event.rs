//! Events: an event type ([`EventType`], described by an [`EventInfo`], see `event_info`) and
//! the typed CloudEvents 1.0 envelope ([`Event`]), with the checks every attribute must pass.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

pub use crate::event_info::{Delivery, EventError, EventInfo};
use crate::schema::{self, Deser, Path};
use crate::timestamp::Timestamp;

/// Attribute names of CloudEvents 1.0 (plus `data_base64`); extensions must not shadow them.
pub const CORE_ATTRIBUTES: [&str; 10] = [
    "specversion",
    "id",
    "source",
    "type",
    "subject",
    "time",
    "datacontenttype",
    "dataschema",
    "data",
    "data_base64",
];

/// One CloudEvents type: its description and its data type.
pub trait EventType: fmt::Debug + Clone + PartialEq + Send + Sync + 'static {
    /// The payload type.
    type Data: serde::Serialize + Deser + fmt::Debug + Clone + PartialEq + Send + Sync + 'static;
    /// The static description.
    const INFO: EventInfo;
    /// Validate data against the event's schema.
    fn validate_data(data: &Self::Data, path: &Path<'_>) -> schema::Result;
}

/// Code generic over the event type, run by `events::visit` for a type known only by name.
pub trait EventVisitor {
    /// What the visit returns.
    type Output;
    /// Run for the event type `S`.
    fn visit<S: EventType>(self) -> Self::Output;
}

/// A CloudEvents 1.0 event of type `S`.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<S: EventType> {
    /// CloudEvents `id`, also the `Nats-Msg-Id`.
    pub id: String,
    /// CloudEvents `source`.
    pub source: String,
    /// CloudEvents `time`.
    pub time: Timestamp,
    /// CloudEvents `subject` (not the NATS subject).
    pub subject: Option<String>,
    /// The payload.
    pub data: S::Data,
    /// Extension attributes (names `[a-z0-9]{1,20}`).
    pub extensions: BTreeMap<String, String>,
    spec: PhantomData<fn() -> S>,
}

fn check_text(name: &str, value: &str) -> Result<(), EventError> {
    if value
        .chars()
        .any(|c| matches!(c, '\u{0}'..='\u{1f}' | '\u{7f}'..='\u{9f}'))
    {
        return Err(EventError(format!(
            "attribute {name:?} must not contain control characters (U+0000-U+001F, U+007F-U+009F)"
        )));
    }
    Ok(())
}

impl<S: EventType> Event<S> {
    /// A new event: a random UUID id, the current time, `source` from the parameters.
    pub fn new(data: S::Data, params: &[(&str, &str)]) -> Result<Self, EventError> {
        let source = S::INFO.source_for(params)?;
        for name in S::INFO.parameters {
            if !params.iter().any(|(n, _)| n == name) {
                return Err(EventError(format!(
                    "missing parameter {name:?} for event {:?}",
                    S::INFO.event_type
                )));
            }
        }
        Ok(Self::from_parts(
            uuid::Uuid::new_v4().to_string(),
            source,
            Timestamp::now(),
            None,
            data,
            BTreeMap::new(),
        ))
    }

    /// An event from all its attributes (not checked: see [`Event::check`]).
    pub fn from_parts(
        id: String,
        source: String,
        time: Timestamp,
        subject: Option<String>,
        data: S::Data,
        extensions: BTreeMap<String, String>,
    ) -> Self {
        Event {
            id,
            source,
            time,
            subject,
            data,
            extensions,
            spec: PhantomData,
        }
    }

    /// The same event with another id.
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = id.into();
        self
    }

    /// The same event with another time.
    pub fn with_time(mut self, time: Timestamp) -> Self {
        self.time = time;
        self
    }

    /// The same event with a CloudEvents subject.
    pub fn with_subject(mut self, subject: impl Into<String>) -> Self {
        self.subject = Some(subject.into());
        self
    }

    /// The same event with one more extension attribute.
    pub fn with_extension(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extensions.insert(name.into(), value.into());
        self
    }

    /// CloudEvents `type`.
    pub fn event_type(&self) -> &'static str {
        S::INFO.event_type
    }

    /// Check the attributes (not the data): non-empty id and source, no control characters,
    /// extension names `[a-z0-9]{1,20}` that do not shadow a core attribute.
    pub fn check(&self) -> Result<(), EventError> {
        for (name, value) in [("id", &self.id), ("source", &self.source)] {
            if value.is_empty() {
                return Err(EventError(format!("attribute {name:?} must not be empty")));
            }
            check_text(name, value)?;
        }
        if let Some(subject) = &self.subject {
            check_text("subject", subject)?;
        }
        for (name, value) in &self.extensions {
            let valid = (1..=20).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
            if !valid {
                return Err(EventError(format!(
                    "extension name {name:?} must match [a-z0-9]{{1,20}}"
                )));
            }
            if CORE_ATTRIBUTES.contains(&name.as_str()) {
                return Err(EventError(format!(
                    "extension name {name:?} shadows a core attribute"
                )));
            }
            check_text(name, value)?;
        }
        Ok(())
    }

    /// Validate the data against its schema.
    pub fn validate_data(&self) -> schema::Result {
        S::validate_data(&self.data, &Path::ROOT)
    }
}

/// Declares what a crate of event types offers by name: `EVENT_TYPES` (every CloudEvents type),
/// `visit` (run an [`EventVisitor`] for a type known by name) and `validate_data` (deserialise
/// and validate data of a type known by name). Generated crates list their event types here:
///
/// ```ignore
/// specgen_runtime::event_types! {
///     orders::OrderCreatedV1Spec,
///     orders::OrderPaidV1Spec,
/// }
/// ```
#[macro_export]
macro_rules! event_types {
    ($($spec:path),* $(,)?) => {
        /// Every CloudEvents type of this crate.
        pub const EVENT_TYPES: &[&str] = &[$(<$spec as $crate::EventType>::INFO.event_type),*];

        /// Run `visitor` for the event type named `event_type`; None if it is not one of this
        /// crate's.
        pub fn visit<V: $crate::EventVisitor>(event_type: &str, visitor: V) -> Option<V::Output> {
            $(
                if event_type == <$spec as $crate::EventType>::INFO.event_type {
                    return Some(visitor.visit::<$spec>());
                }
            )*
            None
        }

        /// Deserialise and validate JSON `data` of the event type `event_type`; None if it is
        /// not one of this crate's.
        pub fn validate_data(event_type: &str, data: &[u8]) -> Option<Result<(), String>> {
            struct Check<'a>(&'a [u8]);
            impl $crate::EventVisitor for Check<'_> {
                type Output = Result<(), String>;
                fn visit<S: $crate::EventType>(self) -> Self::Output {
                    $crate::event::check_data::<S>(self.0)
                }
            }
            visit(event_type, Check(data))
        }
    };
}

/// Deserialise and validate JSON `data` as the data of `S` (what `validate_data` of
/// [`event_types!`] runs).
pub fn check_data<S: EventType>(data: &[u8]) -> Result<(), String> {
    let value = schema::from_slice::<S::Data>(data).map_err(|e| e.to_string())?;
    S::validate_data(&value, &Path::ROOT).map_err(|e| e.to_string())
}
