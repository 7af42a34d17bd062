//! Subscribing: validated events from a pull consumer (JetStream) or a core subscription;
//! undecodable messages are dead-lettered with the reason.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::time::Duration;

use async_nats::jetstream::{self, consumer, AckKind};
use async_nats::HeaderMap;
use futures::StreamExt;

use super::{
    nats_error, NatsError, EVENT_TYPE_HEADER, MAX_REASON, ORIGINAL_SUBJECT_HEADER, REASON_HEADER,
};
use crate::codec::{self, Headers};
use crate::event::{Delivery, Event, EventType};

/// A decoded, validated event and the means to acknowledge it.
#[derive(Debug)]
pub struct Received<S: EventType> {
    /// The event.
    pub event: Event<S>,
    /// The NATS subject it arrived on.
    pub subject: String,
    /// The message's headers (names as sent, sorted).
    pub headers: Headers,
    /// How many times JetStream delivered this message (1 the first time; 1 for core NATS).
    pub num_delivered: u64,
    /// The message's sequence in its stream (None for core NATS).
    pub stream_sequence: Option<u64>,
    message: Option<jetstream::Message>,
    #[cfg(feature = "opentelemetry")]
    trace: super::otel::Consumed,
}

impl<S: EventType> Received<S> {
    /// Run `work`, the handling of this event, and return its output. With feature
    /// `opentelemetry` it runs inside a CONSUMER span `process <subject template>` (current
    /// while `work` runs): a child of the message's trace, unless a span is current, which
    /// then stays the parent (the message is a link). Without the feature it only awaits.
    pub async fn process<F: Future>(&self, work: F) -> F::Output {
        #[cfg(feature = "opentelemetry")]
        {
            use opentelemetry::context::FutureExt;
            use opentelemetry::trace::TraceContextExt;
            let cx = self.trace.process();
            let output = work.with_context(cx.clone()).await;
            cx.span().end();
            output
        }
        #[cfg(not(feature = "opentelemetry"))]
        work.await
    }

    /// A context holding the started CONSUMER span of processing this event (feature
    /// `opentelemetry`), for handling that [`Received::process`] cannot wrap: run the work
    /// inside it (`FutureExt::with_context`) and end the span (`cx.span().end()`).
    #[cfg(feature = "opentelemetry")]
    pub fn process_context(&self) -> opentelemetry::Context {
        self.trace.process()
    }

    /// The message's trace context: its last hop's, else its origin's (feature
    /// `opentelemetry`).
    #[cfg(feature = "opentelemetry")]
    pub fn trace_context(&self) -> Option<&opentelemetry::trace::SpanContext> {
        self.trace.context()
    }

    /// The value of header `name` (matched case-insensitively), if the message had it.
    pub fn header(&self, name: &str) -> Option<&str> {
        let found = self
            .headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name));
        found.map(|(_, v)| v.as_str())
    }

    /// Acknowledge (JetStream); nothing to do for core NATS.
    pub async fn ack(&self) -> Result<(), NatsError> {
        self.ack_with(AckKind::Ack).await
    }

    /// Acknowledge and wait until the server confirms it (JetStream); nothing for core NATS.
    pub async fn ack_confirmed(&self) -> Result<(), NatsError> {
        match &self.message {
            Some(message) => message.double_ack().await.map_err(nats_error),
            None => Ok(()),
        }
    }

    /// Terminate: never redeliver.
    pub async fn term(&self) -> Result<(), NatsError> {
        self.ack_with(AckKind::Term).await
    }

    /// Redeliver later.
    pub async fn nak(&self, delay: Option<Duration>) -> Result<(), NatsError> {
        self.ack_with(AckKind::Nak(delay)).await
    }

    async fn ack_with(&self, kind: AckKind) -> Result<(), NatsError> {
        match &self.message {
            Some(message) => message.ack_with(kind).await.map_err(nats_error),
            None => Ok(()),
        }
    }
}

enum Source {
    Pull(Box<consumer::pull::Stream>),
    Core(async_nats::Subscriber),
}

/// A running subscription to events of type `S`; undecodable messages are dead-lettered.
pub struct Subscription<S: EventType> {
    client: async_nats::Client,
    js: jetstream::Context,
    source: Source,
    subject: String,
    consumer: Consumer,
    /// Number of messages forwarded to the dead-letter subject.
    pub dead_lettered: u64,
    spec: PhantomData<fn() -> S>,
}

/// Where a subscription's messages come from (its stream and JetStream consumer).
#[derive(Debug, Clone, Default)]
pub(crate) struct Consumer {
    pub(crate) stream: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) durable: Option<String>,
}

impl<S: EventType> fmt::Debug for Subscription<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription")
            .field("subject", &self.subject)
            .finish_non_exhaustive()
    }
}

/// Subscribe to `S` events; `params` fill the subject (missing ones match every value),
/// `durable` names a durable pull consumer (else an ephemeral one).
pub async fn subscribe<S: EventType>(
    client: async_nats::Client,
    params: &[(&str, &str)],
    durable: Option<&str>,
) -> Result<Subscription<S>, NatsError> {
    open(client, S::INFO.stream, params, durable).await
}

/// [`subscribe`] to `S` events stored in `stream` (None: the event type's own stream), for
/// example the hub's cloud stream, which sources the events of every site.
pub async fn subscribe_from<S: EventType>(
    client: async_nats::Client,
    stream: Option<&str>,
    params: &[(&str, &str)],
    durable: Option<&str>,
) -> Result<Subscription<S>, NatsError> {
    open(client, stream.or(S::INFO.stream), params, durable).await
}

async fn open<S: EventType>(
    client: async_nats::Client,
    stream: Option<&str>,
    params: &[(&str, &str)],
    durable: Option<&str>,
) -> Result<Subscription<S>, NatsError> {
    let subject = S::INFO.filter_subject(params)?;
    let js = jetstream::new(client.clone());
    let mut from = Consumer {
        durable: durable.map(str::to_owned),
        ..Consumer::default()
    };
    let source = match (S::INFO.delivery, stream) {
        (Delivery::Jetstream, Some(name)) => {
            let stream = js.get_stream(name).await.map_err(nats_error)?;
            let config = consumer::pull::Config {
                durable_name: durable.map(str::to_owned),
                filter_subject: subject.clone(),
                ack_policy: consumer::AckPolicy::Explicit,
                inactive_threshold: if durable.is_some() {
                    Duration::ZERO
                } else {
                    Duration::from_secs(300)
                },
                ..Default::default()
            };
            let consumer = stream.create_consumer(config).await.map_err(nats_error)?;
            from.stream = Some(name.to_owned());
            from.name = Some(consumer.cached_info().name.clone());
            Source::Pull(Box::new(consumer.messages().await.map_err(nats_error)?))
        }
        _ => Source::Core(
            client
                .subscribe(subject.clone())
                .await
                .map_err(nats_error)?,
        ),
    };
    Ok(Subscription {
        client,
        js,
        source,
        subject,
        consumer: from,
        dead_lettered: 0,
        spec: PhantomData,
    })
}

fn message_headers(headers: Option<&HeaderMap>) -> Headers {
    let mut out = Vec::new();
    if let Some(map) = headers {
        for (name, values) in map.iter() {
            for value in values {
                out.push((name.to_string(), value.as_str().to_owned()));
            }
        }
    }
    out.sort();
    out
}

impl<S: EventType> Subscription<S> {
    /// The filter subject.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    /// The stream read from (None for core NATS).
    pub fn stream(&self) -> Option<&str> {
        self.consumer.stream.as_deref()
    }

    /// The JetStream consumer's name (the durable name, or the server's for an ephemeral one).
    pub fn consumer_name(&self) -> Option<&str> {
        self.consumer.name.as_deref()
    }

    /// The durable name given, if any.
    pub fn durable(&self) -> Option<&str> {
        self.consumer.durable.as_deref()
    }

    /// The next valid event; None when the subscription ended. Undecodable messages are
    /// forwarded to the dead-letter subject (then `term`-ed) and skipped.
    pub async fn next(&mut self) -> Option<Result<Received<S>, NatsError>> {
        #[cfg(feature = "opentelemetry")]
        let started = std::time::SystemTime::now();
        loop {
            let (core_message, js_message) = match &mut self.source {
                Source::Pull(stream) => match stream.next().await? {
                    Ok(m) => (None, Some(m)),
                    Err(e) => return Some(Err(nats_error(e))),
                },
                Source::Core(sub) => (Some(sub.next().await?), None),
            };
            // read where it lies (a JetStream message holds its core message): never copied
            let from_stream = js_message.as_ref().map(|m| &m.message);
            let Some(message) = from_stream.or(core_message.as_ref()) else {
                continue; // each source gives one or the other
            };
            let headers = message_headers(message.headers.as_ref());
            match codec::decode::<S, _, _>(&headers, &message.payload) {
                Ok(event) => {
                    let info = js_message.as_ref().and_then(|m| m.info().ok());
                    let delivered = info.as_ref().map_or(1, |i| i.delivered);
                    let stream_sequence = info.as_ref().map(|i| i.stream_sequence);
                    #[cfg(feature = "opentelemetry")]
                    let trace = super::otel::Consumed::receive(
                        &event,
                        &headers,
                        super::otel::Delivered {
                            subject: message.subject.as_str(),
                            size: message.payload.len(),
                            from: &self.consumer,
                            sequence: stream_sequence,
                            count: delivered,
                        },
                        started,
                    );
                    return Some(Ok(Received {
                        event,
                        subject: message.subject.to_string(),
                        headers,
                        num_delivered: u64::try_from(delivered).unwrap_or(1),
                        stream_sequence,
                        message: js_message,
                        #[cfg(feature = "opentelemetry")]
                        trace,
                    }));
                }
                Err(error) => {
                    if let Err(e) = self
                        .dead_letter(message, &headers, js_message.as_ref(), &error.reason)
                        .await
                    {
                        return Some(Err(e));
                    }
                }
            }
        }
    }

    async fn dead_letter(
        &mut self,
        message: &async_nats::Message,
        headers: &Headers,
        js_message: Option<&jetstream::Message>,
        reason: &str,
    ) -> Result<(), NatsError> {
        let subject = message.subject.to_string();
        let target = S::INFO.dead_letter_subject(&subject)?;
        let mut map = HeaderMap::new();
        for (name, value) in headers {
            let lower = name.to_ascii_lowercase();
            if lower.starts_with("nats-") {
                map.insert(format!("Specgen-Original-{name}").as_str(), value.as_str());
            } else if !lower.starts_with("specgen-") {
                map.insert(name.as_str(), value.as_str());
            }
        }
        let one_line = reason
            .split(|c: char| c.is_whitespace() || c.is_control())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let one_line: String = one_line.chars().take(MAX_REASON).collect();
        map.insert(REASON_HEADER, one_line.as_str());
        map.insert(ORIGINAL_SUBJECT_HEADER, subject.as_str());
        map.insert(EVENT_TYPE_HEADER, S::INFO.event_type);
        if let Some(m) = js_message {
            if let Ok(info) = m.info() {
                map.insert(
                    "Nats-Msg-Id",
                    format!("{}:{}", info.stream, info.stream_sequence).as_str(),
                );
            }
        }
        let payload = message.payload.clone();
        let forwarded = if S::INFO.delivery == Delivery::Jetstream {
            match self
                .js
                .publish_with_headers(target.clone(), map, payload)
                .await
            {
                Ok(ack) => ack.await.map(|_| ()).map_err(nats_error),
                Err(e) => Err(nats_error(e)),
            }
        } else {
            let sent = self
                .client
                .publish_with_headers(target.clone(), map, payload)
                .await
                .map_err(nats_error);
            match sent {
                Ok(()) => self.client.flush().await.map_err(nats_error),
                Err(e) => Err(e),
            }
        };
        match (forwarded, js_message) {
            (Ok(()), Some(m)) => {
                m.ack_with(AckKind::Term).await.map_err(nats_error)?;
                self.dead_lettered += 1;
                Ok(())
            }
            (Ok(()), None) => {
                self.dead_lettered += 1;
                Ok(())
            }
            (Err(_), Some(m)) => m
                .ack_with(AckKind::Nak(Some(Duration::from_secs(1))))
                .await
                .map_err(nats_error),
            (Err(e), None) => Err(e),
        }
    }
}
