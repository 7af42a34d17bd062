//! W3C trace context of the feature `opentelemetry`: what a `traceparent` holds, what is
//! refused, and the carrier written for a span context.
#![cfg(feature = "opentelemetry")]

use specgen_runtime::nats::otel::{carrier, parse, TRACEPARENT, TRACESTATE};

const PARENT: &str = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

#[test]
fn a_traceparent_and_tracestate_round_trip() {
    let context = parse(Some(PARENT), Some("vendor=a,other=b")).expect("valid");
    assert_eq!(
        context.trace_id().to_string(),
        "4bf92f3577b34da6a3ce929d0e0e4736"
    );
    assert_eq!(context.span_id().to_string(), "00f067aa0ba902b7");
    assert!(context.is_sampled() && context.is_remote());
    assert_eq!(
        carrier(&context),
        vec![
            (TRACEPARENT.to_owned(), PARENT.to_owned()),
            (TRACESTATE.to_owned(), "vendor=a,other=b".to_owned()),
        ]
    );
}

#[test]
fn a_missing_or_bad_tracestate_is_left_out() {
    for state in [None, Some(""), Some("not a list entry")] {
        let context = parse(Some(PARENT), state).expect("valid parent");
        assert_eq!(carrier(&context).len(), 1, "{state:?}");
    }
}

#[test]
fn malformed_traceparents_are_refused() {
    for bad in [
        "",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7",
        "00-4BF92F3577B34DA6A3CE929D0E0E4736-00f067aa0ba902b7-01",
        "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01",
        "ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
        "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-extra",
        "00-4bf92f3577b34da6a3ce929d0e0e473-600f067aa0ba902b7-01",
    ] {
        assert!(parse(Some(bad), None).is_none(), "{bad:?} must be refused");
    }
    assert!(parse(None, Some("vendor=a")).is_none());
}

#[test]
fn a_later_version_may_carry_more_fields() {
    let later = "01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-comes";
    assert!(parse(Some(later), None).is_some());
}
