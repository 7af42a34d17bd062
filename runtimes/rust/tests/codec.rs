//! The CloudEvents NATS binding: bytes, headers, both modes, and what decoding refuses.

mod sample;

use sample::{event, OrderCreated};
use specgen_runtime::codec::{encode_with, percent_decode, percent_encode};
use specgen_runtime::{decode, encode, DecodeError, Mode};

fn header<'a>(headers: &'a [(String, String)], name: &str) -> &'a str {
    headers
        .iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[test]
fn structured_mode_writes_attributes_in_the_fixed_order() {
    let (headers, payload) = encode(&event(), Mode::Structured, true).expect("encodes");
    assert_eq!(
        String::from_utf8(payload).expect("UTF-8"),
        concat!(
            r#"{"specversion":"1.0","id":"e-1","source":"/sites/site-1","#,
            r#""type":"com.example.orders.order_created.v1","time":"2026-03-01T12:30:15.250000Z","#,
            r#""datacontenttype":"application/json","#,
            r#""dataschema":"https://example.com/schemas/order_created.v1.json","#,
            r#""alpha":"a b","zeta":"z","data":{"order_id":"ord-1","amount":12.5,"note":"n"}}"#
        )
    );
    assert_eq!(
        header(&headers, "Content-Type"),
        "application/cloudevents+json"
    );
    assert_eq!(header(&headers, "Nats-Msg-Id"), "e-1");
}

#[test]
fn binary_mode_percent_encodes_headers_and_sends_the_data() {
    let (headers, payload) = encode(&event(), Mode::Binary, true).expect("encodes");
    assert_eq!(payload, br#"{"order_id":"ord-1","amount":12.5,"note":"n"}"#);
    assert_eq!(header(&headers, "ce-alpha"), "a%20b");
    assert_eq!(header(&headers, "ce-time"), "2026-03-01T12:30:15.250000Z");
    assert_eq!(header(&headers, "Content-Type"), "application/json");
}

#[test]
fn both_modes_decode_to_the_same_event_with_any_header_case() {
    for mode in [Mode::Structured, Mode::Binary] {
        let (headers, payload) = encode(&event(), mode, true).expect("encodes");
        let shouted: Vec<(String, String)> = headers
            .into_iter()
            .map(|(k, v)| (k.to_ascii_uppercase(), v))
            .collect();
        let decoded = decode::<OrderCreated, _, _>(&shouted, &payload).expect("decodes");
        assert_eq!(decoded, event());
    }
}

fn refused(headers: &[(&str, &str)], payload: &str) -> DecodeError {
    decode::<OrderCreated, _, _>(headers, payload.as_bytes()).expect_err("must be refused")
}

#[test]
fn decoding_names_what_is_wrong() {
    let (_, payload) = encode(&event(), Mode::Structured, true).expect("encodes");
    let text = String::from_utf8(payload).expect("UTF-8");
    let structured = [("Content-Type", "application/cloudevents+json")];
    let cases = [
        (refused(&structured, "{"), "not valid JSON"),
        (
            refused(&structured, &text.replace("order_created", "order_paid")),
            "'type'",
        ),
        (refused(&structured, &text.replace("12.5", "-1")), "amount"),
        (
            refused(&structured, &text.replace("ord-1", "nope")),
            "pattern",
        ),
        (
            refused(&[("Content-Type", "text/plain")], &text),
            "not a CloudEvent",
        ),
        (
            refused(&[("ce-specversion", "1.0"), ("ce-type", "x")], "{}"),
            "'type'",
        ),
    ];
    for (error, expected) in cases {
        assert!(
            error.reason.contains(expected),
            "{:?} lacks {expected:?}",
            error.reason
        );
    }
}

#[test]
fn invalid_data_is_not_encoded() {
    let mut bad = event();
    bad.data.amount = "0.001".parse().expect("a number");
    let error = encode(&bad, Mode::Structured, true).expect_err("refused");
    assert!(error.0.contains("multiple of"), "{error}");
}

#[test]
fn percent_encoding_round_trips() {
    let value = "a b\"c%d\u{e9}\u{1f600}~";
    assert_eq!(percent_encode(value), "a%20b%22c%25d%C3%A9%F0%9F%98%80~");
    assert_eq!(
        percent_decode(&percent_encode(value)).expect("decodes"),
        value
    );
    assert_eq!(
        percent_decode("\"quoted\\\"value\"").expect("decodes"),
        "quoted\"value"
    );
    assert!(percent_decode("%FF").is_err());
}

#[test]
fn added_attributes_are_written_unless_the_event_has_them() {
    let added = [
        ("traceparent".to_owned(), "00-ab-cd-01".to_owned()),
        ("zeta".to_owned(), "not this".to_owned()),
    ];
    let (headers, payload) =
        encode_with(&event(), Mode::Structured, true, &added).expect("encodes");
    let text = String::from_utf8(payload).expect("UTF-8");
    assert!(
        text.contains(r#""traceparent":"00-ab-cd-01","zeta":"z","#),
        "{text}"
    );
    let decoded = decode::<OrderCreated, _, _>(&headers, text.as_bytes()).expect("decodes");
    assert_eq!(decoded.extensions["traceparent"], "00-ab-cd-01");
    let (headers, _) = encode_with(&event(), Mode::Binary, true, &added).expect("encodes");
    assert_eq!(header(&headers, "ce-traceparent"), "00-ab-cd-01");
    assert_eq!(header(&headers, "ce-zeta"), "z");
    assert_eq!(
        encode_with(&event(), Mode::Binary, true, &[]).ok(),
        encode(&event(), Mode::Binary, true).ok()
    );
}
