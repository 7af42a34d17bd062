//! MQTT topics of events and the QoS header of events served at QoS 1.

mod sample;

use sample::{order, Order, OrderCreated, SITE};
use specgen_runtime::mqtt::{topic_of, QOS_HEADER};
use specgen_runtime::schema::{self, Path, Validate};
use specgen_runtime::{encode, Event, EventInfo, EventType, Mode, MqttInfo};

/// The sample order, served over MQTT at QoS 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ServedOrder;

impl EventType for ServedOrder {
    type Data = Order;
    const INFO: EventInfo = EventInfo {
        mqtt: Some(MqttInfo {
            topic: "ex/{site_id}/orders/order_created/v1",
            qos: 1,
            device_publish: false,
        }),
        ..OrderCreated::INFO
    };

    fn validate_data(data: &Order, path: &Path<'_>) -> schema::Result {
        data.validate_at(path)
    }
}

#[test]
fn subjects_map_to_topics_by_the_servers_rules() {
    assert_eq!(
        topic_of("ex.site-1.orders.order_created.v1").as_deref(),
        Ok("ex/site-1/orders/order_created/v1")
    );
    assert_eq!(topic_of("ex.*.orders.>").as_deref(), Ok("ex/+/orders/#"));
    for bad in ["ex.a/b.x", "ex.a+b.x", "ex.#.x"] {
        assert!(topic_of(bad).is_err(), "{bad}");
    }
}

#[test]
fn an_event_served_over_mqtt_fills_its_topic_and_filter() {
    let info = ServedOrder::INFO;
    assert_eq!(
        info.topic_for(&SITE).as_deref(),
        Ok("ex/site-1/orders/order_created/v1")
    );
    assert_eq!(
        info.topic_filter(&[]).as_deref(),
        Ok("ex/+/orders/order_created/v1")
    );
    let error = OrderCreated::INFO.topic_for(&SITE).expect_err("not served");
    assert!(error.0.contains("not served over MQTT"), "{error}");
}

#[test]
fn qos1_events_carry_the_header_in_both_modes() {
    let served = Event::<ServedOrder>::new(order("1"), &SITE).expect("valid parameters");
    let plain = Event::<OrderCreated>::new(order("1"), &SITE).expect("valid parameters");
    for mode in [Mode::Structured, Mode::Binary] {
        let (headers, _) = encode(&served, mode, true).expect("encodes");
        let qos: Vec<_> = headers.iter().filter(|(k, _)| k == QOS_HEADER).collect();
        assert_eq!(qos, [&(QOS_HEADER.to_owned(), "1".to_owned())], "{mode:?}");
        let (headers, _) = encode(&plain, mode, true).expect("encodes");
        assert!(headers.iter().all(|(k, _)| k != QOS_HEADER), "{mode:?}");
    }
}
