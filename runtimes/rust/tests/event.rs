//! Event types and the envelope: subjects from templates, attribute checks.

mod sample;

use sample::{order, OrderCreated, SITE};
use specgen_runtime::{Event, EventType};

#[test]
fn subjects_and_sources_come_from_the_templates() {
    let info = OrderCreated::INFO;
    assert_eq!(
        info.subject_for(&SITE).as_deref(),
        Ok("ex.site-1.orders.order_created.v1")
    );
    assert_eq!(info.source_for(&SITE).as_deref(), Ok("/sites/site-1"));
    assert_eq!(
        info.filter_subject(&[]).as_deref(),
        Ok("ex.*.orders.order_created.v1")
    );
    let subject = "ex.s9.orders.order_created.v1";
    assert_eq!(
        info.parameters_from_subject(subject),
        Ok(vec![("site_id".to_owned(), "s9".to_owned())])
    );
    assert_eq!(
        info.dead_letter_subject(subject).as_deref(),
        Ok("ex.s9.deadletter.orders")
    );
}

#[test]
fn a_parameter_must_be_one_subject_token() {
    for bad in ["", "a.b", "*", ">", "a b"] {
        let error = OrderCreated::INFO
            .subject_for(&[("site_id", bad)])
            .expect_err(bad);
        assert!(
            error.0.contains("not a single NATS subject token"),
            "{error}"
        );
    }
    assert!(OrderCreated::INFO.subject_for(&[]).is_err());
    assert!(OrderCreated::INFO
        .subject_for(&[("site_id", "a"), ("other", "b")])
        .is_err());
}

#[test]
fn new_events_get_a_fresh_id_and_the_source() {
    let a = Event::<OrderCreated>::new(order("1"), &SITE).expect("valid");
    let b = Event::<OrderCreated>::new(order("1"), &SITE).expect("valid");
    assert_ne!(a.id, b.id);
    assert_eq!(a.source, "/sites/site-1");
    assert_eq!(a.event_type(), "com.example.orders.order_created.v1");
    assert!(Event::<OrderCreated>::new(order("1"), &[]).is_err());
}

#[test]
fn attributes_are_checked() {
    let base = Event::<OrderCreated>::new(order("1"), &SITE).expect("valid");
    assert!(base.clone().with_id("").check().is_err());
    assert!(base.clone().with_subject("bell\u{7}").check().is_err());
    assert!(base.clone().with_extension("Bad", "x").check().is_err());
    assert!(base.clone().with_extension("time", "x").check().is_err());
    assert!(base.with_extension("traceparent", "00-ab").check().is_ok());
}

#[test]
fn a_parameter_must_match_the_pattern_the_spec_gives_it() {
    let info = OrderCreated::INFO;
    for bad in ["Berlin_1", "SITE-1", "s", "1site"] {
        let err = info.subject_for(&[("site_id", bad)]).expect_err(bad);
        assert!(
            err.0.starts_with(&format!(
                "site_id={bad:?} is not a valid site id: it must match"
            )),
            "{err}"
        );
        assert!(info.filter_subject(&[("site_id", bad)]).is_err());
        assert!(Event::<OrderCreated>::new(order("1"), &[("site_id", bad)]).is_err());
    }
    assert_eq!(
        info.filter_subject(&[]).as_deref(),
        Ok("ex.*.orders.order_created.v1")
    );
}
