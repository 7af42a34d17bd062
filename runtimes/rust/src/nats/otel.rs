//! W3C trace context and OpenTelemetry spans (feature `opentelemetry`), as the Python and TypeScript
//! runtimes record them (docs/tracing.md).
//!
//! The origin (creation context) travels in the CloudEvents attributes `traceparent` and
//! `tracestate`, set once by the first publisher and never rewritten; each hop travels in
//! plain `traceparent`/`tracestate` NATS headers. Spans follow the OpenTelemetry messaging
//! conventions on the global tracer provider (`opentelemetry::global`): `publish <subject
//! template>` (PRODUCER; CLIENT with a link when the event carries a creation context),
//! `create <template>` per event of a pipelined batch, `receive <template>` (CLIENT, links to
//! the creation and hop contexts) and `process <template>` ([`Received::process`]: CONSUMER,
//! the message's context as parent unless a span is current).
//!
//! Without a tracer provider installed the global tracer records nothing, its span contexts
//! are invalid, and nothing is written to the events: they stay byte for byte as without the
//! feature.
//!
//! [`Received::process`]: super::Received::process

use std::str::FromStr;
use std::time::SystemTime;

use opentelemetry::global::{self, BoxedSpan, BoxedTracer};
use opentelemetry::trace::{
    Link, Span, SpanContext, SpanId, SpanKind, Status, TraceContextExt, TraceFlags, TraceId,
    TraceState, Tracer,
};
use opentelemetry::{Context, KeyValue};

use super::subscriber::Consumer;
use super::{NatsError, PublishResult};
use crate::event::{Event, EventInfo, EventType};

/// The CloudEvents attribute and NATS header of the W3C trace parent.
pub const TRACEPARENT: &str = "traceparent";
/// The CloudEvents attribute and NATS header of the W3C trace state.
pub const TRACESTATE: &str = "tracestate";
const SCOPE: &str = "specgen-runtime";

pub(crate) fn tracer() -> BoxedTracer {
    global::tracer(SCOPE)
}

/// The span context a `traceparent` (and `tracestate`) value holds, if it is a valid one.
pub fn parse(parent: Option<&str>, state: Option<&str>) -> Option<SpanContext> {
    let parts: Vec<&str> = parent?.trim().split('-').collect();
    let [version, trace, span, flags, rest @ ..] = parts.as_slice() else {
        return None;
    };
    let hex = |t: &str, n: usize| {
        t.len() == n && t.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
    };
    if !(hex(version, 2) && hex(trace, 32) && hex(span, 16) && hex(flags, 2)) {
        return None;
    }
    if *version == "ff" || (*version == "00" && !rest.is_empty()) {
        return None;
    }
    let state = state
        .and_then(|s| TraceState::from_str(s).ok())
        .unwrap_or_default();
    let context = SpanContext::new(
        TraceId::from_hex(trace).ok()?,
        SpanId::from_hex(span).ok()?,
        TraceFlags::new(u8::from_str_radix(flags, 16).ok()?),
        true,
        state,
    );
    context.is_valid().then_some(context)
}

/// `traceparent` (and a non-empty `tracestate`) of a span context; empty when it is invalid.
pub fn carrier(context: &SpanContext) -> Vec<(String, String)> {
    if !context.is_valid() {
        return Vec::new();
    }
    let parent = format!(
        "00-{}-{}-{:02x}",
        context.trace_id(),
        context.span_id(),
        context.trace_flags().to_u8()
    );
    let mut out = vec![(TRACEPARENT.to_owned(), parent)];
    let state = context.trace_state().header();
    if !state.is_empty() {
        out.push((TRACESTATE.to_owned(), state));
    }
    out
}

pub(crate) fn base(
    info: &EventInfo,
    subject: &str,
    operation: &'static str,
    kind: &'static str,
) -> Vec<KeyValue> {
    vec![
        KeyValue::new("messaging.system", "nats"),
        KeyValue::new("messaging.operation.name", operation),
        KeyValue::new("messaging.operation.type", kind),
        KeyValue::new("messaging.destination.name", subject.to_owned()),
        KeyValue::new("messaging.destination.template", info.subject_template),
        KeyValue::new("cloudevents.event_type", info.event_type),
    ]
}

/// The span of one publish, the attributes to add to the event and the hop headers.
pub(crate) struct PublishSpan {
    pub(crate) span: BoxedSpan,
    pub(crate) added: Vec<(String, String)>,
    pub(crate) hop: Vec<(String, String)>,
}

/// The id and source attributes of an event.
fn message<S: EventType>(event: &Event<S>) -> [KeyValue; 3] {
    [
        KeyValue::new("messaging.message.id", event.id.clone()),
        KeyValue::new("cloudevents.event_id", event.id.clone()),
        KeyValue::new("cloudevents.event_source", event.source.clone()),
    ]
}

/// Start the span of publishing `event` alone: PRODUCER, or CLIENT with a link when the event
/// carries a creation context already (which it keeps).
pub(crate) fn publish_span<S: EventType>(event: &Event<S>, subject: &str) -> PublishSpan {
    let given = event.extensions.get(TRACEPARENT).map(String::as_str);
    let origin = parse(given, event.extensions.get(TRACESTATE).map(String::as_str));
    let mut attributes = base(&S::INFO, subject, "publish", "send");
    attributes.extend(message(event));
    let kind = if given.is_none() {
        SpanKind::Producer
    } else {
        SpanKind::Client
    };
    let tracer = tracer();
    let span = tracer
        .span_builder(format!("publish {}", S::INFO.subject_template))
        .with_kind(kind)
        .with_attributes(attributes)
        .with_links(origin.into_iter().map(Link::with_context).collect())
        .start(&tracer);
    let hop = carrier(span.span_context());
    let added = if given.is_none() {
        hop.clone()
    } else {
        Vec::new()
    };
    PublishSpan { span, added, hop }
}

/// The trace context of one event of a pipelined batch: `(attributes to add, hop headers)`.
/// An event without a creation context gets a PRODUCER span `create <template>` (a child of
/// the batch span, ended at once) whose context it carries; one that has a creation context
/// keeps it, gets no span, and its hop is the batch span.
pub(crate) fn create<S: EventType>(event: &Event<S>, subject: &str, batch: &Context) -> Carriers {
    if event.extensions.contains_key(TRACEPARENT) {
        return (Vec::new(), carrier(batch.span().span_context()));
    }
    let mut attributes = base(&S::INFO, subject, "create", "create");
    attributes.extend(message(event));
    let tracer = tracer();
    let mut span = tracer
        .span_builder(format!("create {}", S::INFO.subject_template))
        .with_kind(SpanKind::Producer)
        .with_attributes(attributes)
        .start_with_context(&tracer, batch);
    span.end();
    let hop = carrier(span.span_context());
    (hop.clone(), hop)
}

/// Extension attributes to add to an event and the hop headers of its send.
pub(crate) type Carriers = (Vec<(String, String)>, Vec<(String, String)>);

/// A context holding the CLIENT span of a pipelined batch (its events get `create` spans).
pub(crate) fn batch_span() -> Context {
    let tracer = tracer();
    let span = tracer
        .span_builder("publish")
        .with_kind(SpanKind::Client)
        .with_attributes(vec![
            KeyValue::new("messaging.system", "nats"),
            KeyValue::new("messaging.operation.name", "publish"),
            KeyValue::new("messaging.operation.type", "send"),
        ])
        .start(&tracer);
    Context::current_with_span(span)
}

/// End a batch span with the number of events it sent.
pub(crate) fn end_batch(batch: &Context, count: usize) {
    let span = batch.span();
    span.set_attribute(KeyValue::new(
        "messaging.batch.message_count",
        i64::try_from(count).unwrap_or(i64::MAX),
    ));
    span.end();
}

/// Record the size of the encoded event on its publish span.
pub(crate) fn body_size(span: &mut BoxedSpan, size: usize) {
    span.set_attribute(KeyValue::new("messaging.message.body.size", int(size)));
}

/// End a publish span: where the event was stored, or the error.
pub(crate) fn end_publish(mut span: BoxedSpan, outcome: &Result<PublishResult, NatsError>) {
    match outcome {
        Ok(stored) => {
            if let Some(stream) = &stored.stream {
                span.set_attribute(KeyValue::new("messaging.nats.stream", stream.clone()));
                span.set_attribute(KeyValue::new("messaging.nats.duplicate", stored.duplicate));
            }
            if let Some(seq) = stored.seq {
                span.set_attribute(KeyValue::new("messaging.nats.stream.sequence", int(seq)));
            }
        }
        Err(error) => {
            let kind = match error {
                NatsError::Event(_) => "EventError",
                NatsError::NotAcknowledged { .. } => "NotAcknowledged",
                NatsError::Nats(_) => "NatsError",
            };
            span.set_attribute(KeyValue::new("error.type", kind));
            span.set_status(Status::error(error.to_string()));
        }
    }
    span.end();
}

/// The trace contexts of one received event.
#[derive(Debug, Clone)]
pub struct Consumed {
    origin: Option<SpanContext>,
    hop: Option<SpanContext>,
    attributes: Vec<KeyValue>,
    template: &'static str,
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    let found = headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
    found.map(|(_, v)| v.as_str())
}

fn links(origin: &Option<SpanContext>, hop: &Option<SpanContext>) -> Vec<Link> {
    let mut links: Vec<Link> = origin.iter().cloned().map(Link::with_context).collect();
    if let Some(hop) = hop {
        if origin.as_ref().map(SpanContext::span_id) != Some(hop.span_id()) {
            links.push(Link::with_context(hop.clone()));
        }
    }
    links
}

/// What a subscription knows of one delivered message.
pub(crate) struct Delivered<'a> {
    pub(crate) subject: &'a str,
    pub(crate) size: usize,
    pub(crate) from: &'a Consumer,
    pub(crate) sequence: Option<u64>,
    pub(crate) count: i64,
}

fn int(value: impl TryInto<i64>) -> i64 {
    value.try_into().unwrap_or(i64::MAX)
}

impl Delivered<'_> {
    fn attributes<S: EventType>(&self, event: &Event<S>) -> Vec<KeyValue> {
        let mut out = base(&S::INFO, self.subject, "receive", "receive");
        out.extend(message(event));
        out.push(KeyValue::new("messaging.message.body.size", int(self.size)));
        if let Some(durable) = &self.from.durable {
            out.push(KeyValue::new(
                "messaging.consumer.group.name",
                durable.clone(),
            ));
        }
        if let (Some(stream), Some(name)) = (&self.from.stream, &self.from.name) {
            out.extend([
                KeyValue::new("messaging.destination.subscription.name", name.clone()),
                KeyValue::new("messaging.nats.stream", stream.clone()),
                KeyValue::new(
                    "messaging.nats.stream.sequence",
                    int(self.sequence.unwrap_or(0)),
                ),
                KeyValue::new("messaging.nats.message.delivery_count", self.count),
            ]);
        }
        out
    }
}

impl Consumed {
    /// Record the receive span of an event handed to the caller (started at `started`).
    pub(crate) fn receive<S: EventType>(
        event: &Event<S>,
        headers: &[(String, String)],
        delivered: Delivered<'_>,
        started: SystemTime,
    ) -> Self {
        let get = |name: &str| event.extensions.get(name).map(String::as_str);
        let origin = parse(get(TRACEPARENT), get(TRACESTATE));
        let hop = parse(header(headers, TRACEPARENT), header(headers, TRACESTATE));
        let attributes = delivered.attributes(event);
        let template = S::INFO.subject_template;
        let tracer = tracer();
        tracer
            .span_builder(format!("receive {template}"))
            .with_kind(SpanKind::Client)
            .with_attributes(attributes.clone())
            .with_links(links(&origin, &hop))
            .with_start_time(started)
            .start(&tracer)
            .end();
        Consumed {
            origin,
            hop,
            attributes,
            template,
        }
    }

    /// The message's context: its last hop's, else its origin's.
    pub fn context(&self) -> Option<&SpanContext> {
        self.hop.as_ref().or(self.origin.as_ref())
    }

    /// A context holding a started CONSUMER `process` span; end it when the work is done.
    pub fn process(&self) -> Context {
        let current = Context::current();
        let ambient = current.span().span_context().is_valid();
        let parent = match (ambient, self.context()) {
            (false, Some(message)) => current.with_remote_span_context(message.clone()),
            _ => current,
        };
        let mut links: Vec<Link> = self
            .origin
            .iter()
            .cloned()
            .map(Link::with_context)
            .collect();
        if ambient {
            links = self::links(&self.origin, &self.hop);
        }
        let mut attributes = self.attributes.clone();
        attributes.retain(|kv| !kv.key.as_str().starts_with("messaging.operation."));
        attributes.push(KeyValue::new("messaging.operation.name", "process"));
        attributes.push(KeyValue::new("messaging.operation.type", "process"));
        let tracer = tracer();
        let span = tracer
            .span_builder(format!("process {}", self.template))
            .with_kind(SpanKind::Consumer)
            .with_attributes(attributes)
            .with_links(links)
            .start_with_context(&tracer, &parent);
        parent.with_span(span)
    }
}
