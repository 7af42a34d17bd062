//! Microseconds per event for the generated crate, printed as one JSON line:
//! `{"encode_us": ..., "decode_us": ...}`.
//!
//! usage: `specgen-bench <event type> <payload.json> <parameter value>`
//!
//! - validate+encode: deserialise the payload (a parsed `serde_json::Value`, as the Python side
//!   starts from a parsed dict) into the data type, validate it, build the event (fixed id and
//!   time, source from the parameters) and encode it in structured mode without validating
//!   again (as a publisher does after validating);
//! - decode+validate: `codec::decode` of those headers and payload (it validates the data).

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use powerflex_events::runtime::codec;
use powerflex_events::runtime::schema::{Deser, Path};
use powerflex_events::runtime::{Event, EventType, EventVisitor, Mode};
use powerflex_events::{events, Timestamp};
use serde_json::Value;

const TIME: &str = "2026-01-01T00:00:00Z";

/// Best (least disturbed) microseconds per call over five runs of about 0.2 s each.
fn best_of(mut f: impl FnMut()) -> f64 {
    let mut number: u32 = 1;
    loop {
        let start = Instant::now();
        for _ in 0..number {
            f();
        }
        if start.elapsed().as_secs_f64() >= 0.05 {
            break;
        }
        number = number.saturating_mul(2);
    }
    number = number.saturating_mul(4);
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..number {
                f();
            }
            start.elapsed().as_secs_f64() * 1e6 / f64::from(number)
        })
        .fold(f64::INFINITY, f64::min)
}

struct Bench<'a> {
    payload: &'a Value,
    site: &'a str,
}

impl EventVisitor for Bench<'_> {
    type Output = (f64, f64);

    fn visit<S: EventType>(self) -> (f64, f64) {
        let time = Timestamp::parse(TIME).expect("time");
        let params: Vec<(&str, &str)> = S::INFO.parameters.iter().map(|p| (*p, self.site)).collect();
        let params = &params[..];
        let encode_once = || {
            let data = S::Data::deser(self.payload).expect("payload deserialises");
            S::validate_data(&data, &Path::ROOT).expect("payload is valid");
            let source = S::INFO.source_for(params).expect("source");
            let event =
                Event::<S>::from_parts("bench-1".into(), source, time, None, data, BTreeMap::new());
            codec::encode(&event, Mode::Structured, false).expect("encodes")
        };
        let (headers, body) = encode_once();
        let encode_us = best_of(|| {
            black_box(encode_once());
        });
        let decode_us = best_of(|| {
            black_box(codec::decode::<S, _, _>(&headers, black_box(&body)).expect("decodes"));
        });
        (encode_us, decode_us)
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, event_type, payload_path, site] = &args[..] else {
        panic!("usage: specgen-bench <event type> <payload.json> <parameter value>");
    };
    let text = std::fs::read_to_string(payload_path).expect("read payload");
    let payload: Value = serde_json::from_str(&text).expect("payload JSON");
    let bench = Bench { payload: &payload, site };
    let (encode_us, decode_us) = events::visit(event_type, bench).expect("known event type");
    println!("{{\"encode_us\": {encode_us}, \"decode_us\": {decode_us}}}");
}
