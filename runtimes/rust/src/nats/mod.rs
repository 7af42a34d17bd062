//! Publishing and subscribing on NATS (feature `nats`): JetStream with acknowledgements, core
//! NATS for core events, and dead-lettering of undecodable messages with the headers the
//! Python runtime writes (`Specgen-Dead-Letter-Reason`, `Specgen-Original-Subject`,
//! `Specgen-Event-Type`; original `Nats-*` headers renamed `Specgen-Original-Nats-*`).
//!
//! [`Publisher`] sends one event at a time or many with a bounded window of outstanding
//! acknowledgements ([`Publisher::publish_pipelined`]); [`subscribe`] returns a
//! [`Subscription`] of validated events.

use std::fmt;

use async_nats::HeaderMap;

use crate::codec::Headers;
use crate::event::EventError;

#[cfg(feature = "opentelemetry")]
pub mod otel;
mod pipeline;
mod publisher;
mod subscriber;

pub use async_nats::{self, Client};
pub use pipeline::{Outcomes, MAX_WINDOW};
pub use publisher::{Outgoing, Publisher};
pub use subscriber::{subscribe, subscribe_from, Received, Subscription};

/// Header: why a message was dead-lettered.
pub const REASON_HEADER: &str = "Specgen-Dead-Letter-Reason";
/// Header: the subject the dead-lettered message arrived on.
pub const ORIGINAL_SUBJECT_HEADER: &str = "Specgen-Original-Subject";
/// Header: the CloudEvents type the subscriber expected.
pub const EVENT_TYPE_HEADER: &str = "Specgen-Event-Type";
pub(crate) const MAX_REASON: usize = 1000;

/// A failed publish or subscription.
#[derive(Debug)]
pub enum NatsError {
    /// The event or its parameters are invalid.
    Event(EventError),
    /// JetStream did not acknowledge; `maybe_stored` when the outcome is unknown (timeout).
    NotAcknowledged {
        /// The subject the event was published to.
        subject: String,
        /// The event's id (its `Nats-Msg-Id`).
        event_id: String,
        /// What happened instead of an acknowledgement.
        reason: String,
        /// True when the event may have been stored all the same (no answer in time).
        maybe_stored: bool,
    },
    /// Any other NATS failure.
    Nats(String),
}

impl fmt::Display for NatsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NatsError::Event(e) => write!(f, "{e}"),
            NatsError::NotAcknowledged {
                subject,
                event_id,
                reason,
                ..
            } => {
                write!(
                    f,
                    "event {event_id:?} on {subject:?} not acknowledged: {reason}"
                )
            }
            NatsError::Nats(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for NatsError {}

impl From<EventError> for NatsError {
    fn from(e: EventError) -> Self {
        NatsError::Event(e)
    }
}

pub(crate) fn nats_error(e: impl fmt::Display) -> NatsError {
    NatsError::Nats(e.to_string())
}

/// Outcome of one publish; `stream`/`seq` are None for core NATS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishResult {
    /// The stream that stored the event.
    pub stream: Option<String>,
    /// Its sequence in that stream.
    pub seq: Option<u64>,
    /// True when the stream already had an event with this id (not stored again).
    pub duplicate: bool,
}

pub(crate) fn header_map(headers: &Headers) -> HeaderMap {
    let mut map = HeaderMap::new();
    for (name, value) in headers {
        map.insert(name.as_str(), value.as_str());
    }
    map
}
