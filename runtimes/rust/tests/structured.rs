//! Structured mode is read in one pass, with the answers of reading the whole document as a
//! JSON tree first: duplicate keys (the last wins), the reasons given, serde_json's recursion
//! limit and UTF-8 checked over the whole document, unknown fields included.

mod sample;

use sample::OrderCreated;
use specgen_runtime::schema::{self, Path};
use specgen_runtime::{decode, DecodeError, Event, EventInfo, EventType};

const HEADERS: [(&str, &str); 1] = [("Content-Type", "application/cloudevents+json")];

fn message(data: &str) -> String {
    format!(
        r#"{{"specversion":"1.0","id":"e-1","source":"/sites/site-1","type":"com.example.orders.order_created.v1","time":"2026-03-01T12:30:15Z","data":{data}}}"#
    )
}

fn decoded<S: EventType>(payload: &[u8]) -> Result<Event<S>, DecodeError> {
    decode::<S, _, _>(&HEADERS, payload)
}

fn refusal<S: EventType>(payload: &[u8]) -> String {
    decoded::<S>(payload).expect_err("refused").reason
}

/// Order data that ignores unknown fields (a generated type refuses them).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
struct Lenient {
    order_id: String,
}

specgen_runtime::deser_via_serde!(Lenient);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct LenientCreated;

impl EventType for LenientCreated {
    type Data = Lenient;
    const INFO: EventInfo = EventInfo {
        dataschema: None,
        ..<OrderCreated as EventType>::INFO
    };

    fn validate_data(_: &Lenient, _: &Path<'_>) -> schema::Result {
        Ok(())
    }
}

#[test]
fn the_last_of_duplicate_keys_wins() {
    let text = message(r#"{"order_id":"ord-1","amount":1,"order_id":"ord-2"}"#);
    let event = decoded::<OrderCreated>(text.as_bytes()).expect("decodes");
    assert_eq!(event.data.order_id, "ord-2");
    let twice = text.replace(r#","data":{"#, r#","data":{"order_id":"ord-3"},"data":{"#);
    let event = decoded::<OrderCreated>(twice.as_bytes()).expect("decodes");
    assert_eq!(event.data.order_id, "ord-2");
    let first_bad = text.replace(r#","data":{"#, r#","data":7,"data":{"#);
    assert!(decoded::<OrderCreated>(first_bad.as_bytes()).is_ok());
}

#[test]
fn reasons_name_no_position_and_keep_their_order() {
    let text = message(r#"{"order_id":"ord-1","amount":"many"}"#);
    let reason = refusal::<OrderCreated>(text.as_bytes());
    assert!(
        reason.starts_with("invalid data: invalid type: string \"many\""),
        "{reason}"
    );
    assert!(!reason.contains(" line "), "{reason}");
    // the data is read in the pass, yet a bad attribute is named as before it
    let good = message(r#"{"order_id":"ord-1","amount":1}"#);
    let early = good.replace(r#""id":"e-1","#, r#""id":7,"#);
    let reason = refusal::<OrderCreated>(early.as_bytes());
    assert_eq!(reason, "attribute 'id': must be a string, got 7");
    let none = text.replace(r#","data":{"order_id":"ord-1","amount":"many"}"#, "");
    let reason = refusal::<OrderCreated>(none.as_bytes());
    assert_eq!(reason, "missing required attribute 'data'");
    let late = format!("{text} x");
    let reason = refusal::<OrderCreated>(late.as_bytes());
    assert!(
        reason.starts_with("payload is not valid JSON: trailing"),
        "{reason}"
    );
}

#[test]
fn unknown_fields_count_for_utf8_and_depth() {
    let fine = message(r#"{"order_id":"ord-1","extra":[[["x"]]]}"#);
    assert!(decoded::<LenientCreated>(fine.as_bytes()).is_ok());
    let mut bad_text = message(r#"{"order_id":"ord-1","extra":"?"}"#).into_bytes();
    let at = bad_text
        .iter()
        .position(|b| *b == b'?')
        .expect("placeholder");
    bad_text[at] = 0xff;
    let reason = refusal::<LenientCreated>(&bad_text);
    assert_eq!(reason, "payload is not valid UTF-8");
    // serde_json refuses a document nested 128 deep; the data is one level down in it
    for (depth, accepted) in [(125, true), (126, false), (200, false)] {
        let nested = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        let text = message(&format!(r#"{{"order_id":"ord-1","extra":{nested}}}"#));
        let result = decoded::<LenientCreated>(text.as_bytes());
        assert_eq!(result.is_ok(), accepted, "depth {depth}: {result:?}");
        if let Err(error) = result {
            assert!(error.reason.contains("recursion limit"), "{}", error.reason);
        }
    }
    let quoted = message(&format!(r#"{{"order_id":"{}"}}"#, "[".repeat(300)));
    assert!(decoded::<LenientCreated>(quoted.as_bytes()).is_ok());
}
