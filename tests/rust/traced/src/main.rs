//! The generated Rust publisher and subscriber with feature `opentelemetry`, and the spans an
//! in-memory exporter recorded.
//!
//! `traced publish <nats url>`; stdin: one JSON job
//! `{"site": .., "data": {..}, "single": [{"id": .., "mode": "structured"|"binary"}], "batch": [id, ..]}`:
//! each `single` event is published alone inside a span `report status (<mode>)`, the `batch`
//! events with `publish_pipelined` inside `report batch` (`"provider": false`: with no tracer
//! provider installed). stdout: one JSON line
//! `{"acks": [{id, stream, seq, duplicate}], "spans": [{name, kind, traceId, spanId,
//! parentSpanId, start, end, links: [{traceId, spanId}], attributes}]}` (times in nanoseconds
//! since the epoch, as text), or `{"fatal": ..}`.
//!
//! `traced consume <nats url>`; stdin: `{"site": .., "count": n, "durable": .., "stream": ..}`:
//! receives `n` charger status events (from `stream`, if given), each handled inside
//! `received.process()` with a child span `store <event id>` and acknowledged; stdout:
//! `{"events": [{id, headers, extensions}], "spans": [..]}`.

use std::io::Read;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use opentelemetry::context::FutureExt;
use opentelemetry::trace::{Span, SpanKind, TraceContextExt, Tracer};
use opentelemetry::{global, Context, Value};
use opentelemetry_sdk::trace::{InMemorySpanExporter, SdkTracerProvider, SpanData};
use powerflex_events::events::site_operations::{
    ChargerStatusChangedV1, ChargerStatusChangedV1Spec,
};
use powerflex_events::site_operations::{SiteOperationsPublisher, SiteOperationsSubscriber};
use powerflex_events::{EventType, Mode};
use serde_json::{json, Value as Json};
use specgen_runtime::nats::PublishResult;
use specgen_runtime::schema;

fn nanos(time: SystemTime) -> String {
    let since = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    since.as_nanos().to_string()
}

fn value(value: &Value) -> Json {
    match value {
        Value::Bool(b) => json!(b),
        Value::I64(i) => json!(i),
        Value::F64(f) => json!(f),
        other => json!(other.as_str()),
    }
}

fn kind(kind: &SpanKind) -> &'static str {
    match kind {
        SpanKind::Client => "CLIENT",
        SpanKind::Server => "SERVER",
        SpanKind::Producer => "PRODUCER",
        SpanKind::Consumer => "CONSUMER",
        SpanKind::Internal => "INTERNAL",
    }
}

fn plain(span: &SpanData) -> Json {
    let parent = span.parent_span_id;
    let attributes: serde_json::Map<String, Json> = span
        .attributes
        .iter()
        .map(|kv| (kv.key.to_string(), value(&kv.value)))
        .collect();
    let links: Vec<Json> = span
        .links
        .iter()
        .map(|link| {
            let context = &link.span_context;
            json!({"traceId": context.trace_id().to_string(), "spanId": context.span_id().to_string()})
        })
        .collect();
    json!({
        "name": span.name,
        "kind": kind(&span.span_kind),
        "traceId": span.span_context.trace_id().to_string(),
        "spanId": span.span_context.span_id().to_string(),
        "parentSpanId": (parent != opentelemetry::trace::SpanId::INVALID).then(|| parent.to_string()),
        "start": nanos(span.start_time),
        "end": nanos(span.end_time),
        "links": links,
        "attributes": attributes,
    })
}

fn ack(id: &str, result: &PublishResult) -> Json {
    json!({"id": id, "stream": result.stream, "seq": result.seq, "duplicate": result.duplicate})
}

fn event(job: &Json, id: &str) -> Result<ChargerStatusChangedV1, String> {
    let data = serde_json::to_vec(&job["data"]).map_err(|e| e.to_string())?;
    let data = schema::from_slice(&data).map_err(|e| e.to_string())?;
    let site = job["site"].as_str().ok_or("job has no site")?;
    let event =
        ChargerStatusChangedV1::new(data, &[("site_id", site)]).map_err(|e| e.to_string())?;
    Ok(event.with_id(id))
}

async fn consume(url: &str, job: &Json) -> Result<Json, String> {
    let client = async_nats_client(url).await?;
    let mut subscriber = SiteOperationsSubscriber::new(client);
    if let Some(stream) = job["stream"].as_str() {
        subscriber = subscriber.with_stream(stream);
    }
    let mut sub = subscriber
        .charger_status_changed_v1(job["site"].as_str(), job["durable"].as_str())
        .await
        .map_err(|e| e.to_string())?;
    let tracer = global::tracer("hub-app");
    let mut events = Vec::new();
    for _ in 0..job["count"].as_u64().unwrap_or(1) {
        let next = tokio::time::timeout(Duration::from_secs(60), sub.next()).await;
        let received = next
            .map_err(|_| "no event within 60 s")?
            .ok_or("subscription ended")?;
        let received = received.map_err(|e| e.to_string())?;
        let handled = received.process(async {
            tracer.start(format!("store {}", received.event.id)).end();
            received.ack_confirmed().await
        });
        handled.await.map_err(|e| e.to_string())?;
        let headers: serde_json::Map<String, Json> = received
            .headers
            .iter()
            .map(|(k, v)| (k.clone(), json!(v)))
            .collect();
        events.push(json!({"id": received.event.id, "headers": headers, "extensions": received.event.extensions}));
    }
    Ok(json!({"events": events}))
}

async fn publish(url: &str, job: &Json) -> Result<Json, String> {
    let client = async_nats_client(url).await?;
    let site = job["site"].as_str().ok_or("job has no site")?;
    let tracer = global::tracer("site-app");
    let mut acks = Vec::new();
    for single in job["single"].as_array().into_iter().flatten() {
        let id = single["id"].as_str().ok_or("single event without id")?;
        let (mode, name) = match single["mode"].as_str() {
            Some("binary") => (Mode::Binary, "binary"),
            _ => (Mode::Structured, "structured"),
        };
        let publisher = SiteOperationsPublisher::new(client.clone(), mode);
        let cx = Context::current_with_span(tracer.start(format!("report status ({name})")));
        let sent = publisher
            .charger_status_changed_v1_event(&event(job, id)?, site)
            .with_context(cx.clone())
            .await;
        cx.span().end();
        acks.push(ack(id, &sent.map_err(|e| e.to_string())?));
    }
    let batch: Vec<&str> = job["batch"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Json::as_str)
        .collect();
    if !batch.is_empty() {
        let subject = ChargerStatusChangedV1Spec::INFO
            .subject_for(&[("site_id", site)])
            .map_err(|e| e.to_string())?;
        let events = batch
            .iter()
            .map(|id| event(job, id).map(|e| (e, subject.clone())));
        let events = events.collect::<Result<Vec<_>, _>>()?;
        let publisher = SiteOperationsPublisher::new(client.clone(), Mode::Structured);
        let cx = Context::current_with_span(tracer.start("report batch"));
        let outcomes = publisher
            .publisher
            .publish_pipelined(events, 8)
            .with_context(cx.clone())
            .await;
        cx.span().end();
        for (id, outcome) in batch.iter().zip(outcomes) {
            acks.push(ack(id, &outcome.map_err(|e| e.to_string())?));
        }
    }
    client.flush().await.map_err(|e| e.to_string())?;
    Ok(json!({"acks": acks}))
}

async fn async_nats_client(url: &str) -> Result<specgen_runtime::nats::Client, String> {
    specgen_runtime::nats::async_nats::connect(url)
        .await
        .map_err(|e| e.to_string())
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let command = std::env::args().nth(1).unwrap_or_default();
    let url = std::env::args().nth(2).unwrap_or_default();
    let mut input = String::new();
    let job: Result<Json, String> = std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| e.to_string())
        .and_then(|_| serde_json::from_str(&input).map_err(|e| e.to_string()));
    let exporter = InMemorySpanExporter::default();
    let provider = SdkTracerProvider::builder()
        .with_simple_exporter(exporter.clone())
        .build();
    if !matches!(&job, Ok(job) if job["provider"] == json!(false)) {
        global::set_tracer_provider(provider.clone());
    }
    let outcome = match (command.as_str(), job) {
        ("publish", Ok(job)) => publish(&url, &job).await,
        ("consume", Ok(job)) => consume(&url, &job).await,
        (_, Ok(_)) => Err(format!("unknown command {command:?}: publish or consume")),
        (_, Err(e)) => Err(format!("bad job: {e}")),
    };
    let _ = provider.force_flush();
    let line = match (outcome, exporter.get_finished_spans()) {
        (Ok(mut out), Ok(spans)) => {
            out["spans"] = spans.iter().map(plain).collect();
            out
        }
        (Err(e), _) => json!({"fatal": e}),
        (_, Err(e)) => json!({"fatal": format!("no spans: {e}")}),
    };
    println!("{line}");
}
