//! Publish and subscribe throughput (msg/s) of the generated crate against raw async-nats,
//! printed as one JSON line `{"seq_raw": ..., "seq_gen": ..., ...}` (best round of each).
//!
//! usage: `specgen-bench-clients <nats url> <count> <payload.json> <site id> <window> <rounds>`
//!
//! Each publish path stores `count` order_created events in a freshly created ORDERS stream:
//! - `seq_*`: one publish at a time, each ack awaited (raw: `publish_with_headers` of bytes
//!   the crate encoded beforehand, with `Nats-Msg-Id` and `Nats-Expected-Stream`; generated:
//!   the typed publisher method, which builds, validates and encodes each event);
//! - `win_*`: up to `window` publishes in flight, the oldest awaited when full (generated:
//!   the runtime's `publish_pipelined`, which builds and validates each event as it goes);
//! - `sub_*`: a fresh pull consumer (explicit ack) over the stored events, read as a message
//!   stream and acked one by one (generated: the typed subscriber decodes and validates).
//!
//! One current-thread runtime, as the Python and TypeScript sides run on one thread.

use std::collections::{BTreeMap, VecDeque};
use std::time::{Duration, Instant};

use async_nats::jetstream::{self, consumer, stream};
use async_nats::HeaderMap;
use futures::stream::StreamExt;
use powerflex_events::runtime::codec;
use powerflex_events::runtime::{Event, EventType, Mode};
use powerflex_events::events::{OrderCreatedV1, OrderCreatedV1Spec};
use powerflex_events::orders::{OrdersPublisher, OrdersSubscriber};
use powerflex_events::runtime::schema::Deser;
use powerflex_events::Timestamp;
use serde_json::Value;

type Data = <OrderCreatedV1Spec as EventType>::Data;

struct Bench {
    client: async_nats::Client,
    js: jetstream::Context,
    payload: Value,
    site: String,
    subject: String,
    count: usize,
    window: usize,
}

impl Bench {
    fn data(&self, n: usize) -> Data {
        let mut value = self.payload.clone();
        value["order_id"] = Value::String(format!("00000000-0000-4000-8000-{n:012x}"));
        Data::deser(&value).expect("payload deserialises")
    }

    fn raw_messages(&self, tag: &str) -> Vec<(HeaderMap, Vec<u8>)> {
        let time = Timestamp::parse("2026-01-01T00:00:00Z").expect("time");
        let source = OrderCreatedV1Spec::INFO
            .source_for(&[("site_id", self.site.as_str())])
            .expect("source");
        (0..self.count)
            .map(|n| {
                let id = format!("{tag}-{n}");
                let event: OrderCreatedV1 =
                    Event::from_parts(id, source.clone(), time, None, self.data(n), BTreeMap::new());
                let (headers, body) = codec::encode(&event, Mode::Structured, false).expect("encode");
                let mut map = HeaderMap::new();
                for (name, value) in &headers {
                    map.insert(name.as_str(), value.as_str());
                }
                map.insert("Nats-Expected-Stream", "ORDERS");
                (map, body)
            })
            .collect()
    }

    async fn reset(&self) {
        let _ = self.js.delete_stream("ORDERS").await;
        self.js
            .create_stream(stream::Config {
                name: "ORDERS".into(),
                subjects: vec!["pf.*.orders.>".into()],
                duplicate_window: Duration::from_secs(7200),
                ..Default::default()
            })
            .await
            .expect("create stream");
    }

    async fn seq_raw(&self, msgs: Vec<(HeaderMap, Vec<u8>)>) {
        for (headers, body) in msgs {
            let ack = self.js.publish_with_headers(self.subject.clone(), headers, body.into());
            ack.await.expect("send").await.expect("ack");
        }
    }

    async fn win_raw(&self, msgs: Vec<(HeaderMap, Vec<u8>)>) {
        let mut inflight = VecDeque::new();
        for (headers, body) in msgs {
            let ack = self.js.publish_with_headers(self.subject.clone(), headers, body.into());
            inflight.push_back(ack.await.expect("send"));
            if inflight.len() >= self.window {
                inflight.pop_front().expect("one").await.expect("ack");
            }
        }
        for ack in inflight {
            ack.await.expect("ack");
        }
    }

    async fn seq_gen(&self, publisher: &OrdersPublisher) {
        for n in 0..self.count {
            publisher.order_created_v1(self.data(n), &self.site).await.expect("published");
        }
    }

    async fn win_gen(&self, publisher: &OrdersPublisher) {
        // The runtime's pipelined publish: each event built (validated) as it is sent.
        let params = [("site_id", self.site.as_str())];
        let events = (0..self.count).map(|n| {
            let event = OrderCreatedV1::new(self.data(n), &params).expect("event");
            (event, self.subject.clone())
        });
        let outcomes = publisher.publisher.publish_pipelined(events, self.window).await;
        for outcome in outcomes {
            outcome.expect("published");
        }
    }

    async fn sub_raw(&self, name: &str) {
        let stream = self.js.get_stream("ORDERS").await.expect("stream");
        let consumer: consumer::PullConsumer = stream
            .create_consumer(consumer::pull::Config {
                durable_name: Some(name.into()),
                ack_policy: consumer::AckPolicy::Explicit,
                ..Default::default()
            })
            .await
            .expect("consumer");
        let mut messages = consumer.messages().await.expect("messages");
        for _ in 0..self.count {
            let message = messages.next().await.expect("open").expect("message");
            message.ack().await.expect("ack");
        }
    }

    async fn sub_gen(&self, name: &str) {
        let subscriber = OrdersSubscriber::new(self.client.clone());
        let mut sub = subscriber
            .order_created_v1(Some(&self.site), Some(name))
            .await
            .expect("subscribe");
        for _ in 0..self.count {
            let received = sub.next().await.expect("open").expect("event");
            received.ack().await.expect("ack");
        }
    }
}

fn rate(count: usize, start: Instant) -> f64 {
    count as f64 / start.elapsed().as_secs_f64()
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, url, count, payload_path, site, window, rounds] = &args[..] else {
        panic!("usage: specgen-bench-clients <url> <count> <payload.json> <site> <window> <rounds>");
    };
    let client = async_nats::connect(url.as_str()).await.expect("connect");
    let text = std::fs::read_to_string(payload_path).expect("read payload");
    let bench = Bench {
        js: jetstream::new(client.clone()),
        client: client.clone(),
        payload: serde_json::from_str(&text).expect("payload JSON"),
        subject: format!("pf.{site}.orders.order_created.v1"),
        site: site.clone(),
        count: count.parse().expect("count"),
        window: window.parse().expect("window"),
    };
    let publisher = OrdersPublisher::new(client.clone(), Mode::Structured);
    let mut best: BTreeMap<&str, f64> = BTreeMap::new();
    let mut keep = |name: &'static str, value: f64| {
        let entry = best.entry(name).or_insert(0.0);
        *entry = entry.max(value);
    };
    for r in 0..rounds.parse::<usize>().expect("rounds") {
        let msgs = bench.raw_messages(&format!("s{r}"));
        bench.reset().await;
        let start = Instant::now();
        bench.seq_raw(msgs).await;
        keep("seq_raw", rate(bench.count, start));
        bench.reset().await;
        let start = Instant::now();
        bench.seq_gen(&publisher).await;
        keep("seq_gen", rate(bench.count, start));
        let msgs = bench.raw_messages(&format!("w{r}"));
        bench.reset().await;
        let start = Instant::now();
        bench.win_raw(msgs).await;
        keep("win_raw", rate(bench.count, start));
        bench.reset().await;
        let start = Instant::now();
        bench.win_gen(&publisher).await;
        keep("win_gen", rate(bench.count, start));
        let start = Instant::now();
        bench.sub_raw(&format!("raw{r}")).await;
        keep("sub_raw", rate(bench.count, start));
        let start = Instant::now();
        bench.sub_gen(&format!("gen{r}")).await;
        keep("sub_gen", rate(bench.count, start));
    }
    let fields: Vec<String> = best.iter().map(|(k, v)| format!("\"{k}\": {v:.1}")).collect();
    println!("{{{}}}", fields.join(", "));
}
