//! Golden CloudEvents vectors: decode every vector, compare with the expected event values,
//! re-encode in the same mode and compare payload bytes and headers. Prints one line per
//! failure and a summary; exits non-zero on any failure.

use std::collections::BTreeMap;

use powerflex_events::events;
use serde_json::Value;
use specgen_runtime::schema::json_equal;
use specgen_runtime::{codec, EventType, EventVisitor, Mode};

struct Check<'a>(&'a Value);

impl EventVisitor for Check<'_> {
    type Output = Result<(), String>;

    fn visit<S: EventType>(self) -> Result<(), String> {
        let v = self.0;
        let headers: Vec<(String, String)> = v["headers"]
            .as_object()
            .ok_or("headers")?
            .iter()
            .map(|(k, x)| (k.clone(), x.as_str().unwrap_or_default().to_owned()))
            .collect();
        let payload = v["payload"].as_str().ok_or("payload")?.as_bytes();
        let event = codec::decode::<S, _, _>(&headers, payload).map_err(|e| e.to_string())?;
        let want = &v["event"];
        let got_data = serde_json::to_value(&event.data).map_err(|e| e.to_string())?;
        let checks = [
            ("id", Value::from(event.id.clone()), want["id"].clone()),
            (
                "source",
                Value::from(event.source.clone()),
                want["source"].clone(),
            ),
            (
                "type",
                Value::from(event.event_type()),
                want["type"].clone(),
            ),
            (
                "time",
                Value::from(event.time.to_string()),
                want["time"].clone(),
            ),
            (
                "subject",
                event.subject.clone().map_or(Value::Null, Value::from),
                want["subject"].clone(),
            ),
            (
                "extensions",
                serde_json::to_value(&event.extensions).unwrap_or_default(),
                want["extensions"].clone(),
            ),
        ];
        for (name, got, expected) in checks {
            if got != expected {
                return Err(format!("{name}: got {got}, expected {expected}"));
            }
        }
        if !json_equal(&got_data, &want["data"]) {
            return Err(format!("data: got {got_data}, expected {}", want["data"]));
        }
        let mode = if v["mode"] == "binary" {
            Mode::Binary
        } else {
            Mode::Structured
        };
        let (out_headers, out_payload) =
            codec::encode(&event, mode, true).map_err(|e| e.to_string())?;
        if out_payload != payload {
            return Err(format!(
                "payload differs:\n  got  {}\n  want {}",
                String::from_utf8_lossy(&out_payload),
                String::from_utf8_lossy(payload)
            ));
        }
        let got: BTreeMap<_, _> = out_headers.into_iter().collect();
        let expected: BTreeMap<_, _> = headers.into_iter().collect();
        if got != expected {
            return Err(format!(
                "headers differ: got {got:?}, expected {expected:?}"
            ));
        }
        Ok(())
    }
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: vectors <vectors.json>");
    let text = std::fs::read_to_string(&path).expect("read vectors");
    let document: Value = serde_json::from_str(&text).expect("vectors JSON");
    let vectors = document["vectors"].as_array().expect("vectors array");
    let mut failed = 0;
    for v in vectors {
        let name = v["name"].as_str().unwrap_or("?");
        let outcome = events::visit(v["type"].as_str().unwrap_or_default(), Check(v))
            .unwrap_or_else(|| Err("unknown event type".to_owned()));
        if let Err(reason) = outcome {
            failed += 1;
            println!("FAIL {name}: {reason}");
        }
    }
    println!(
        "vectors: {} passed, {failed} failed",
        vectors.len() - failed
    );
    let origin = powerflex_events::build_info();
    println!(
        "built from: {} {} ({})",
        origin.spec, origin.spec_version, origin.spec_digest
    );
    std::process::exit(i32::from(failed > 0));
}
