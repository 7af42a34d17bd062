//! The runtime of specgen-generated Rust event crates.
//!
//! A generated crate holds what its spec decides (payload types, their validation, one
//! [`EventType`] per CloudEvents type, typed publishers and subscribers); everything that is
//! the same for every spec is here:
//!
//! - [`event`]: event types ([`EventInfo`], [`EventType`]) and the CloudEvents envelope
//!   ([`Event`]);
//! - [`codec`]: the CloudEvents NATS binding, byte for byte the Python runtime's ([`encode`],
//!   [`decode`], both content modes);
//! - [`schema`]: JSON Schema (draft 7) semantics for the generated types ([`Validate`]);
//! - [`timestamp`], [`formats`]: CloudEvents `time` and the string formats (docs/formats.md;
//!   [`format_patterns`] is generated from the Python runtime's);
//! - [`mqtt`]: the MQTT topics events are served on ([`MqttInfo`]);
//! - [`nats`] (feature `nats`): publishers (one by one or pipelined with a bounded window) and
//!   subscribers with dead letters, on async-nats.
//!
//! Two generated crates in one program share this crate, so their errors and events are the
//! same types.
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod build_info;
pub mod codec;
pub mod event;
mod event_info;
pub mod format_patterns;
pub mod formats;
pub mod mqtt;
#[cfg(feature = "nats")]
pub mod nats;
pub mod schema;
mod structured;
pub mod timestamp;

pub use build_info::BuildInfo;
pub use codec::{decode, encode, DecodeError, Headers, Mode};
pub use event::{Delivery, Event, EventError, EventInfo, EventType, EventVisitor};
pub use mqtt::MqttInfo;
pub use schema::{Validate, ValidationError};
pub use timestamp::Timestamp;

/// serde, for the macros generated code calls.
#[doc(hidden)]
pub use serde as __serde;
