//! Publishing: JetStream events wait for the stream's acknowledgement, core events are sent.

use std::time::Duration;

use async_nats::jetstream;

use super::{header_map, nats_error, NatsError, PublishResult};
use crate::codec::{self, Mode};
use crate::event::{Delivery, Event, EventError, EventType};

/// Publishes events on one connection.
#[derive(Debug, Clone)]
pub struct Publisher {
    client: async_nats::Client,
    js: jetstream::Context,
    mode: Mode,
    ack_timeout: Duration,
}

impl Publisher {
    /// A publisher in structured mode with a 5 s acknowledgement timeout.
    pub fn new(client: async_nats::Client) -> Self {
        let js = jetstream::new(client.clone());
        Publisher {
            client,
            js,
            mode: Mode::Structured,
            ack_timeout: Duration::from_secs(5),
        }
    }

    /// The same publisher with another content mode.
    pub fn with_mode(mut self, mode: Mode) -> Self {
        self.mode = mode;
        self
    }

    /// The same publisher with another acknowledgement timeout.
    pub fn with_ack_timeout(mut self, timeout: Duration) -> Self {
        self.ack_timeout = timeout;
        self
    }

    /// Publish one validated event to `subject`; JetStream events wait for the stream's ack.
    pub async fn publish<S: EventType>(
        &self,
        event: &Event<S>,
        subject: &str,
    ) -> Result<PublishResult, NatsError> {
        let concrete = !subject.is_empty()
            && subject
                .split('.')
                .all(|t| !t.is_empty() && t != "*" && t != ">" && !t.contains(char::is_whitespace));
        if !concrete {
            return Err(NatsError::Event(EventError(format!(
                "cannot publish to {subject:?}: not a concrete NATS subject"
            ))));
        }
        let (headers, payload) = codec::encode(event, self.mode, true)?;
        let mut map = header_map(&headers);
        let info = S::INFO;
        if info.delivery == Delivery::Core {
            self.client
                .publish_with_headers(subject.to_owned(), map, payload.into())
                .await
                .map_err(nats_error)?;
            return Ok(PublishResult {
                stream: None,
                seq: None,
                duplicate: false,
            });
        }
        if let Some(stream) = info.stream {
            map.insert("Nats-Expected-Stream", stream);
        }
        let not_acked = |reason: String, maybe_stored: bool| NatsError::NotAcknowledged {
            subject: subject.to_owned(),
            event_id: event.id.clone(),
            reason,
            maybe_stored,
        };
        let future = self
            .js
            .publish_with_headers(subject.to_owned(), map, payload.into())
            .await
            .map_err(|e| not_acked(e.to_string(), false))?;
        match tokio::time::timeout(self.ack_timeout, future).await {
            Err(_) => Err(not_acked(
                format!("no acknowledgement within {:?}", self.ack_timeout),
                true,
            )),
            Ok(Err(e)) => Err(not_acked(
                format!("JetStream rejected the event: {e}"),
                false,
            )),
            Ok(Ok(ack)) => Ok(PublishResult {
                stream: Some(ack.stream),
                seq: Some(ack.sequence),
                duplicate: ack.duplicate,
            }),
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
}
