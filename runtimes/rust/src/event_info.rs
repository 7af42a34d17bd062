//! The static description of an event type ([`EventInfo`]): its CloudEvents attributes, where
//! it travels, and the checks of its subject parameters (single NATS tokens, the spec's
//! patterns), with the subjects and sources they fill.

use std::collections::HashMap;
use std::fmt;
use std::sync::{Mutex, OnceLock, PoisonError};

use crate::mqtt::MqttInfo;
use crate::schema::ecma_regex;

/// How an event travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Stored in a JetStream stream, acknowledged.
    Jetstream,
    /// Core NATS, fire and forget.
    Core,
}

/// An attribute, parameter or subject that is not valid.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventError(pub String);

impl fmt::Display for EventError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for EventError {}

/// The static description of one event type and where it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EventInfo {
    /// CloudEvents `type`.
    pub event_type: &'static str,
    /// Template of `source` over the parameters.
    pub source_template: &'static str,
    /// Template of the NATS subject; each `{name}` is a whole token.
    pub subject_template: &'static str,
    /// Parameter names, in subject order.
    pub parameters: &'static [&'static str],
    /// CloudEvents `dataschema`.
    pub dataschema: Option<&'static str>,
    /// JetStream or core NATS.
    pub delivery: Delivery,
    /// The JetStream stream that stores the event.
    pub stream: Option<&'static str>,
    /// Template of the subject undecodable messages are moved to.
    pub dead_letter_template: Option<&'static str>,
    /// `(parameter, pattern)`: values a parameter must match (JSON Schema `pattern`
    /// semantics, ECMA-262 syntax), such as the spec's site id pattern.
    pub parameter_patterns: &'static [(&'static str, &'static str)],
    /// How a site's MQTT listener serves the event (the spec's `x-mqtt`), if it does.
    pub mqtt: Option<MqttInfo>,
}

/// Whether `value` matches `pattern` (compiled once per pattern, then cached).
fn matches_pattern(pattern: &'static str, value: &str) -> Result<bool, EventError> {
    static CACHE: OnceLock<Mutex<HashMap<&'static str, regex::Regex>>> = OnceLock::new();
    let mut cache = CACHE
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(PoisonError::into_inner);
    if !cache.contains_key(pattern) {
        let compiled = regex::Regex::new(&ecma_regex(pattern)).map_err(|e| {
            EventError(format!(
                "parameter pattern {pattern:?} does not compile: {e}"
            ))
        })?;
        cache.insert(pattern, compiled);
    }
    Ok(cache.get(pattern).is_some_and(|re| re.is_match(value)))
}

fn check_token(name: &str, value: &str) -> Result<(), EventError> {
    let bad = value.is_empty()
        || value
            .chars()
            .any(|c| matches!(c, '.' | '*' | '>') || c.is_whitespace() || c.is_control());
    if bad {
        return Err(EventError(format!(
            "parameter {name:?}={value:?} is not a single NATS subject token ('.', '*', '>' and whitespace are not allowed)"
        )));
    }
    Ok(())
}

impl EventInfo {
    fn check_pattern(&self, name: &str, value: &str) -> Result<(), EventError> {
        for (pname, pattern) in self.parameter_patterns {
            if *pname == name && !matches_pattern(pattern, value)? {
                let label = name.replace(['_', '-'], " ");
                return Err(EventError(format!(
                    "{name}={value:?} is not a valid {label}: it must match {pattern:?} (the pattern the spec gives this parameter)"
                )));
            }
        }
        Ok(())
    }

    fn fill(
        &self,
        template: &str,
        params: &[(&str, &str)],
        exact: bool,
    ) -> Result<String, EventError> {
        for (name, _) in params {
            if !self.parameters.contains(name) {
                return Err(EventError(format!(
                    "unknown parameter {name:?} for event {:?}",
                    self.event_type
                )));
            }
        }
        let mut out = template.to_owned();
        for name in self.parameters {
            let placeholder = format!("{{{name}}}");
            if !out.contains(&placeholder) {
                continue;
            }
            let value = match params.iter().find(|(n, _)| n == name) {
                Some((_, value)) => {
                    check_token(name, value)?;
                    self.check_pattern(name, value)?;
                    *value
                }
                None if exact => {
                    return Err(EventError(format!(
                        "missing parameter {name:?} for event {:?}",
                        self.event_type
                    )))
                }
                None => "*",
            };
            out = out.replace(&placeholder, value);
        }
        Ok(out)
    }

    /// The concrete subject to publish to; every parameter is required.
    pub fn subject_for(&self, params: &[(&str, &str)]) -> Result<String, EventError> {
        self.fill(self.subject_template, params, true)
    }

    /// The CloudEvents `source` for these parameters.
    pub fn source_for(&self, params: &[(&str, &str)]) -> Result<String, EventError> {
        self.fill(self.source_template, params, true)
    }

    /// A subscription subject: missing parameters become `*`.
    pub fn filter_subject(&self, params: &[(&str, &str)]) -> Result<String, EventError> {
        self.fill(self.subject_template, params, false)
    }

    /// The parameter values of a concrete subject of this event.
    pub fn parameters_from_subject(
        &self,
        subject: &str,
    ) -> Result<Vec<(String, String)>, EventError> {
        let template: Vec<&str> = self.subject_template.split('.').collect();
        let tokens: Vec<&str> = subject.split('.').collect();
        if template.len() != tokens.len() {
            return Err(EventError(format!(
                "subject {subject:?} does not match template {:?}",
                self.subject_template
            )));
        }
        let mut out = Vec::new();
        for (t, token) in template.iter().zip(tokens) {
            if let Some(name) = t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                check_token(name, token)?;
                out.push((name.to_owned(), token.to_owned()));
            }
        }
        Ok(out)
    }

    /// The dead-letter subject for a message that arrived on `subject`.
    pub fn dead_letter_subject(&self, subject: &str) -> Result<String, EventError> {
        let template = self.dead_letter_template.ok_or_else(|| {
            EventError(format!(
                "event {:?} has no dead-letter subject template",
                self.event_type
            ))
        })?;
        let params = self.parameters_from_subject(subject)?;
        let borrowed: Vec<(&str, &str)> = params
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        self.fill(template, &borrowed, true)
    }
}
