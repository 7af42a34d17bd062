//! Publishing: JetStream events wait for the stream's acknowledgement, core events are sent.
//!
//! Every publish is [`Publisher::prepare`] (check the subject, validate, encode) and a send;
//! [`Publisher::publish_pipelined`] keeps a bounded window of acknowledgements outstanding.

use std::time::Duration;

use async_nats::jetstream::context::{PublishAckFuture, PublishErrorKind};
use async_nats::jetstream::{self, context::PublishError};
use async_nats::HeaderMap;
use tokio::time::Instant;

use super::{header_map, nats_error, NatsError, PublishResult};
use crate::codec::{self, Mode};
use crate::event::{Delivery, Event, EventError, EventType};

/// The outcome of a core NATS publish (no stream stores it).
pub(crate) const CORE_RESULT: PublishResult = PublishResult {
    stream: None,
    seq: None,
    duplicate: false,
};

/// Publishes events on one connection.
#[derive(Debug, Clone)]
pub struct Publisher {
    client: async_nats::Client,
    js: jetstream::Context,
    mode: Mode,
    ack_timeout: Duration,
}

/// An event checked, validated and encoded for sending ([`Publisher::prepare`]).
#[derive(Debug, Clone)]
pub struct Outgoing {
    subject: String,
    event_id: String,
    headers: HeaderMap,
    payload: Vec<u8>,
    delivery: Delivery,
}

impl Outgoing {
    /// The subject it goes to.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The event's id (its `Nats-Msg-Id`).
    pub fn event_id(&self) -> &str {
        &self.event_id
    }
}

/// A JetStream publish sent, its acknowledgement still to come.
pub(crate) struct Pending {
    subject: String,
    event_id: String,
    deadline: Instant,
    ack: PublishAckFuture,
}

pub(crate) enum Sent {
    Core,
    Jetstream(Pending),
}

fn not_acked(subject: &str, event_id: &str, reason: String, maybe_stored: bool) -> NatsError {
    NatsError::NotAcknowledged {
        subject: subject.to_owned(),
        event_id: event_id.to_owned(),
        reason,
        maybe_stored,
    }
}

fn concrete(subject: &str) -> bool {
    let token = |t: &str| !t.is_empty() && t != "*" && t != ">" && !t.contains(char::is_whitespace);
    !subject.is_empty() && subject.split('.').all(token)
}

impl Publisher {
    /// A publisher in structured mode with a 5 s acknowledgement timeout.
    pub fn new(client: async_nats::Client) -> Self {
        Publisher {
            js: jetstream::new(client.clone()),
            client,
            mode: Mode::Structured,
            ack_timeout: Duration::from_secs(5),
        }
        .with_ack_timeout(Duration::from_secs(5))
    }

    /// The same publisher with another content mode.
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The same publisher with another acknowledgement timeout.
    pub fn with_ack_timeout(mut self, timeout: Duration) -> Self {
        self.ack_timeout = timeout;
        // The client's own wait must not end first: that would read as a refusal.
        self.js.set_timeout(timeout + Duration::from_secs(1));
        self
    }

    /// Check the subject, validate and encode `event`: what a publish sends.
    pub fn prepare<S: EventType>(
        &self,
        event: &Event<S>,
        subject: &str,
    ) -> Result<Outgoing, NatsError> {
        self.prepare_with(event, subject, &[], &[])
    }

    /// [`Publisher::prepare`] with extension attributes `added` to the event and `hop`
    /// headers (the trace context of the send).
    pub(crate) fn prepare_with<S: EventType>(
        &self,
        event: &Event<S>,
        subject: &str,
        added: &[(String, String)],
        hop: &[(String, String)],
    ) -> Result<Outgoing, NatsError> {
        if !concrete(subject) {
            let reason = format!("cannot publish to {subject:?}: not a concrete NATS subject");
            return Err(NatsError::Event(EventError(reason)));
        }
        let (mut headers, payload) = codec::encode_with(event, self.mode, true, added)?;
        headers.extend(hop.iter().cloned());
        let mut map = header_map(&headers);
        if let (Delivery::Jetstream, Some(stream)) = (S::INFO.delivery, S::INFO.stream) {
            map.insert("Nats-Expected-Stream", stream);
        }
        Ok(Outgoing {
            subject: subject.to_owned(),
            event_id: event.id.clone(),
            headers: map,
            payload,
            delivery: S::INFO.delivery,
        })
    }

    /// Publish one validated event to `subject`; JetStream events wait for the stream's ack.
    /// With feature `opentelemetry`, the publish is a span and the event carries its trace context.
    pub async fn publish<S: EventType>(
        &self,
        event: &Event<S>,
        subject: &str,
    ) -> Result<PublishResult, NatsError> {
        #[cfg(feature = "opentelemetry")]
        return self.publish_traced(event, subject).await;
        #[cfg(not(feature = "opentelemetry"))]
        return self.publish_outgoing(self.prepare(event, subject)).await;
    }

    #[cfg(feature = "opentelemetry")]
    async fn publish_traced<S: EventType>(
        &self,
        event: &Event<S>,
        subject: &str,
    ) -> Result<PublishResult, NatsError> {
        let mut traced = super::otel::publish_span(event, subject);
        let prepared = self.prepare_with(event, subject, &traced.added, &traced.hop);
        if let Ok(outgoing) = &prepared {
            super::otel::body_size(&mut traced.span, outgoing.payload.len());
        }
        let result = self.publish_outgoing(prepared).await;
        super::otel::end_publish(traced.span, &result);
        result
    }

    async fn publish_outgoing(
        &self,
        outgoing: Result<Outgoing, NatsError>,
    ) -> Result<PublishResult, NatsError> {
        match self.send(outgoing?).await? {
            Sent::Core => Ok(CORE_RESULT),
            Sent::Jetstream(pending) => self.settle(pending).await,
        }
    }

    /// Build an event from `data` and parameters, and publish it to its subject.
    pub async fn publish_data<S: EventType>(
        &self,
        data: S::Data,
        params: &[(&str, &str)],
    ) -> Result<PublishResult, NatsError> {
        let event = Event::<S>::new(data, params)?;
        let subject = S::INFO.subject_for(params)?;
        self.publish(&event, &subject).await
    }

    /// Send a prepared event; for JetStream, the acknowledgement is still to be awaited.
    pub(crate) async fn send(&self, o: Outgoing) -> Result<Sent, NatsError> {
        let payload = o.payload.into();
        if o.delivery == Delivery::Core {
            let sent = self
                .client
                .publish_with_headers(o.subject, o.headers, payload);
            sent.await.map_err(nats_error)?;
            return Ok(Sent::Core);
        }
        let published = self
            .js
            .publish_with_headers(o.subject.clone(), o.headers, payload);
        match published.await {
            Ok(ack) => Ok(Sent::Jetstream(Pending {
                deadline: Instant::now() + self.ack_timeout,
                subject: o.subject,
                event_id: o.event_id,
                ack,
            })),
            Err(e) => Err(not_acked(&o.subject, &o.event_id, e.to_string(), false)),
        }
    }

    /// Wait for a sent event's acknowledgement, until its deadline.
    pub(crate) async fn settle(&self, p: Pending) -> Result<PublishResult, NatsError> {
        let waited =
            tokio::time::timeout_at(p.deadline, std::future::IntoFuture::into_future(p.ack)).await;
        let refused = |e: PublishError| match e.kind() {
            PublishErrorKind::StreamNotFound => (
                "no JetStream stream captures this subject".to_owned(),
                false,
            ),
            PublishErrorKind::TimedOut | PublishErrorKind::BrokenPipe => {
                (format!("no acknowledgement: {e}"), true)
            }
            _ => (format!("JetStream rejected the event: {e}"), false),
        };
        match waited {
            Err(_) => {
                let reason = format!("no acknowledgement within {:?}", self.ack_timeout);
                Err(not_acked(&p.subject, &p.event_id, reason, true))
            }
            Ok(Err(e)) => {
                let (reason, maybe_stored) = refused(e);
                Err(not_acked(&p.subject, &p.event_id, reason, maybe_stored))
            }
            Ok(Ok(ack)) => Ok(PublishResult {
                stream: Some(ack.stream),
                seq: Some(ack.sequence),
                duplicate: ack.duplicate,
            }),
        }
    }
}
