//! Live NATS helper for the round-trip tests.
//!
//! `live subscribe <url> <event-type> <count> <site>`: prints `ready`, then one JSON line
//! `{"id":..,"data":..}` per valid event received (each is acknowledged).
//! `live publish <url> <event-type> <id> <site> <data-json> [binary]`: publishes one event and
//! prints the acknowledgement as JSON.

use std::future::Future;
use std::io::Write;
use std::pin::Pin;

use powerflex_events::events;
use serde_json::json;
use specgen_runtime::nats::{subscribe, Publisher};
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
