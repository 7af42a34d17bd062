//! One event type the tests share, written by hand the way a generated crate writes it.

use specgen_runtime::schema::{self, Path, Validate};
use specgen_runtime::{Delivery, Event, EventInfo, EventType, Timestamp};

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Order {
    #[serde(rename = "order_id", deserialize_with = "schema::required")]
    pub order_id: String,
    #[serde(rename = "amount", deserialize_with = "schema::required")]
    pub amount: serde_json::Number,
    #[serde(
        rename = "note",
        default,
        deserialize_with = "schema::optional",
        skip_serializing_if = "Option::is_none"
    )]
    pub note: Option<String>,
}

static ORDER_ID: schema::Pattern = schema::Pattern::new("^ord-\\d+$");

impl Validate for Order {
    fn validate_at(&self, path: &Path<'_>) -> schema::Result {
        schema::pattern(&self.order_id, &ORDER_ID, &path.key("order_id"))?;
        let amount = path.key("amount");
        schema::minimum(&self.amount, schema::Num::Int(0), &amount)?;
        schema::multiple_of(&self.amount, schema::Num::Float(0.01), &amount)?;
        if let Some(note) = &self.note {
            schema::max_length(note, 10, &path.key("note"))?;
        }
        Ok(())
    }
}

specgen_runtime::deser_via_serde!(Order);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OrderCreated;

impl EventType for OrderCreated {
    type Data = Order;
    const INFO: EventInfo = EventInfo {
        event_type: "com.example.orders.order_created.v1",
        source_template: "/sites/{site_id}",
        subject_template: "ex.{site_id}.orders.order_created.v1",
        parameters: &["site_id"],
        dataschema: Some("https://example.com/schemas/order_created.v1.json"),
        delivery: Delivery::Jetstream,
        stream: Some("ORDERS"),
        dead_letter_template: Some("ex.{site_id}.deadletter.orders"),
        parameter_patterns: &[("site_id", "^[a-z][a-z0-9-]{1,31}$")],
        mqtt: None,
    };

    fn validate_data(data: &Order, path: &Path<'_>) -> schema::Result {
        data.validate_at(path)
    }
}

pub const SITE: [(&str, &str); 1] = [("site_id", "site-1")];

pub fn order(amount: &str) -> Order {
    Order {
        order_id: "ord-1".to_owned(),
        amount: amount.parse().expect("a JSON number"),
        note: Some("n".to_owned()),
    }
}

/// An order event with a fixed id and time (2026-03-01T12:30:15.250000Z).
#[allow(dead_code)] // not every test file uses it
pub fn event() -> Event<OrderCreated> {
    Event::<OrderCreated>::new(order("12.5"), &SITE)
        .expect("valid parameters")
        .with_id("e-1")
        .with_time(Timestamp::parse("2026-03-01T12:30:15.25Z").expect("a time"))
        .with_extension("zeta", "z")
        .with_extension("alpha", "a b")
}
