//! Live NATS helper for the round-trip tests.
//!
//! `live subscribe <url> <event-type> <count> <site>`: prints `ready`, then one JSON line
//! `{"id":..,"data":..}` per valid event received (each is acknowledged).
//! `live publish <url> <event-type> <id> <site> <data-json> [binary]`: publishes one event and
//! prints the acknowledgement as JSON.
//! `live pipelined <url> <event-type> <site> <data-json> <count> <window>`: publishes `count`
//! events (ids `pl-<i>`; item 7 invalid, item 10 repeating item 3's id, every 25th to a subject
//! no stream captures) with `publish_pipelined` and prints one JSON line per outcome.
//! `live redeliver <url> <event-type> <site> <durable>`: prints `ready`, receives an event,
//! naks it, receives it again and acks it, printing each delivery's count and sequence.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;

use powerflex_events::events;
use serde_json::json;
use specgen_runtime::nats::{subscribe, NatsError, Publisher};
use specgen_runtime::schema;
use specgen_runtime::{Event, EventType, EventVisitor, Mode};

type Job = Pin<Box<dyn Future<Output = Result<(), String>>>>;

struct Subscribe {
    client: async_nats::Client,
    count: usize,
    site: String,
}

impl EventVisitor for Subscribe {
    type Output = Job;

    fn visit<S: EventType>(self) -> Job {
        Box::pin(async move {
            let mut sub = subscribe::<S>(self.client, &[("site_id", &self.site)], None)
                .await
                .map_err(|e| e.to_string())?;
            println!("ready");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            for _ in 0..self.count {
                let received = sub
                    .next()
                    .await
                    .ok_or("subscription ended")?
                    .map_err(|e| e.to_string())?;
                received.event.validate_data().map_err(|e| e.to_string())?;
                received.ack().await.map_err(|e| e.to_string())?;
                let line = json!({"id": received.event.id, "data": received.event.data, "dead_lettered": sub.dead_lettered});
                println!("{line}");
                std::io::stdout().flush().map_err(|e| e.to_string())?;
            }
            Ok(())
        })
    }
}

struct Publish {
    client: async_nats::Client,
    id: String,
    site: String,
    data: String,
    mode: Mode,
}

impl EventVisitor for Publish {
    type Output = Job;

    fn visit<S: EventType>(self) -> Job {
        Box::pin(async move {
            let data: S::Data =
                schema::from_slice(self.data.as_bytes()).map_err(|e| e.to_string())?;
            let params = [("site_id", self.site.as_str())];
            let event = Event::<S>::new(data, &params)
                .map_err(|e| e.to_string())?
                .with_id(self.id);
            let subject = S::INFO.subject_for(&params).map_err(|e| e.to_string())?;
            let publisher = Publisher::new(self.client.clone()).with_mode(self.mode);
            let ack = publisher
                .publish(&event, &subject)
                .await
                .map_err(|e| e.to_string())?;
            self.client.flush().await.map_err(|e| e.to_string())?;
            println!(
                "{}",
                json!({"stream": ack.stream, "seq": ack.seq, "duplicate": ack.duplicate})
            );
            Ok(())
        })
    }
}

struct Pipelined {
    client: async_nats::Client,
    site: String,
    data: String,
    count: usize,
    window: usize,
}

impl EventVisitor for Pipelined {
    type Output = Job;

    fn visit<S: EventType>(self) -> Job {
        Box::pin(async move {
            let data: S::Data =
                schema::from_slice(self.data.as_bytes()).map_err(|e| e.to_string())?;
            let params = [("site_id", self.site.as_str())];
            let subject = S::INFO.subject_for(&params).map_err(|e| e.to_string())?;
            let nowhere = format!("pf.{}.nowhere.captured", self.site);
            let mut items = Vec::new();
            for i in 0..self.count {
                // Item 7 is invalid, item 10 repeats item 3's id, every 25th goes nowhere.
                let id = if i == 10 {
                    "pl-3".to_owned()
                } else {
                    format!("pl-{i}")
                };
                let mut event = Event::<S>::new(data.clone(), &params)
                    .map_err(|e| e.to_string())?
                    .with_id(id);
                if i == 7 {
                    event = event.with_extension("Not-Valid", "x");
                }
                let to = if i % 25 == 24 {
                    nowhere.clone()
                } else {
                    subject.clone()
                };
                items.push((event, to));
            }
            let publisher = Publisher::new(self.client.clone());
            for (index, outcome) in publisher
                .publish_pipelined(items, self.window)
                .await
                .into_iter()
                .enumerate()
            {
                let line = match outcome {
                    Ok(r) => json!({"index": index, "stream": r.stream, "seq": r.seq,
                                    "duplicate": r.duplicate}),
                    Err(NatsError::NotAcknowledged {
                        reason,
                        maybe_stored,
                        ..
                    }) => {
                        json!({"index": index, "error": "not_acknowledged", "reason": reason,
                               "maybe_stored": maybe_stored})
                    }
                    Err(e) => json!({"index": index, "error": "refused", "reason": e.to_string()}),
                };
                println!("{line}");
            }
            Ok(())
        })
    }
}

struct Redeliver {
    client: async_nats::Client,
    site: String,
    durable: String,
}

impl EventVisitor for Redeliver {
    type Output = Job;

    fn visit<S: EventType>(self) -> Job {
        Box::pin(async move {
            let params = [("site_id", self.site.as_str())];
            let mut sub = subscribe::<S>(self.client, &params, Some(&self.durable))
                .await
                .map_err(|e| e.to_string())?;
            println!("ready");
            std::io::stdout().flush().map_err(|e| e.to_string())?;
            for round in 0..2 {
                let received = sub
                    .next()
                    .await
                    .ok_or("subscription ended")?
                    .map_err(|e| e.to_string())?;
                println!(
                    "{}",
                    json!({"id": received.event.id, "num_delivered": received.num_delivered,
                           "stream_sequence": received.stream_sequence,
                           "content_type": received.header("content-type")})
                );
                std::io::stdout().flush().map_err(|e| e.to_string())?;
                if round == 0 {
                    received.nak(None).await.map_err(|e| e.to_string())?;
                } else {
                    received.ack_confirmed().await.map_err(|e| e.to_string())?;
                }
            }
            Ok(())
        })
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().collect();
    let client = async_nats::connect(&args[2]).await.expect("connect");
    let job = match args[1].as_str() {
        "subscribe" => events::visit(
            &args[3],
            Subscribe {
                client,
                count: args[4].parse().expect("count"),
                site: args[5].clone(),
            },
        ),
        "publish" => events::visit(
            &args[3],
            Publish {
                client,
                id: args[4].clone(),
                site: args[5].clone(),
                data: args[6].clone(),
                mode: if args.get(7).map(String::as_str) == Some("binary") {
                    Mode::Binary
                } else {
                    Mode::Structured
                },
            },
        ),
        "pipelined" => events::visit(
            &args[3],
            Pipelined {
                client,
                site: args[4].clone(),
                data: args[5].clone(),
                count: args[6].parse().expect("count"),
                window: args[7].parse().expect("window"),
            },
        ),
        "redeliver" => events::visit(
            &args[3],
            Redeliver {
                client,
                site: args[4].clone(),
                durable: args[5].clone(),
            },
        ),
        other => panic!("unknown command {other}"),
    };
    let outcome = match job {
        Some(job) => job.await,
        None => Err("unknown event type".to_owned()),
    };
    if let Err(e) = outcome {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
}
