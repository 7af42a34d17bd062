//! MQTT topics of events (the spec's `x-mqtt`), as `specgen_runtime.mqtt` in Python: a site's
//! NATS server is its MQTT broker and maps each subject to a topic by fixed rules (`.` becomes
//! `/`, the wildcards `*` and `>` become `+` and `#`).
//!
//! Events published on NATS reach MQTT subscribers at QoS 0. Events of a type declared
//! `qos: 1` carry the header `Nmqtt-Pub: 1`: QoS-1 subscriptions then get them at QoS 1 from
//! the server's MQTT stream, which sources them from the domain stream at the site.

use crate::event::{EventError, EventInfo};

/// The NATS header the server reads as the QoS an MQTT message was published with.
pub const QOS_HEADER: &str = "Nmqtt-Pub";

/// How a site's MQTT listener serves one event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MqttInfo {
    /// The subject template mapped by the server's rules; parameters stay `{name}`.
    pub topic: &'static str,
    /// The QoS its events reach QoS-1 subscriptions at (0 or 1).
    pub qos: u8,
    /// Whether devices may publish these events over MQTT.
    pub device_publish: bool,
}

/// The MQTT topic (or filter) a concrete NATS subject (or filter) is served on.
pub fn topic_of(subject: &str) -> Result<String, EventError> {
    let mut levels = Vec::new();
    for token in subject.split('.') {
        let level = match token {
            "*" => "+",
            ">" => "#",
            _ if token.contains(['/', '+', '#', '\0']) => {
                return Err(EventError(format!(
                    "subject {subject:?}: token {token:?} cannot be an MQTT topic level ('/', '+' and '#' are MQTT separators and wildcards)"
                )))
            }
            _ => token,
        };
        levels.push(level);
    }
    Ok(levels.join("/"))
}

impl EventInfo {
    fn served_over_mqtt(&self) -> Result<MqttInfo, EventError> {
        self.mqtt.ok_or_else(|| {
            EventError(format!(
                "event {:?} is not served over MQTT (no x-mqtt)",
                self.event_type
            ))
        })
    }

    /// The MQTT topic a site serves these events on; every parameter is required.
    pub fn topic_for(&self, params: &[(&str, &str)]) -> Result<String, EventError> {
        self.served_over_mqtt()?;
        topic_of(&self.subject_for(params)?)
    }

    /// An MQTT subscription topic: missing parameters become `+`.
    pub fn topic_filter(&self, params: &[(&str, &str)]) -> Result<String, EventError> {
        self.served_over_mqtt()?;
        topic_of(&self.filter_subject(params)?)
    }
}
