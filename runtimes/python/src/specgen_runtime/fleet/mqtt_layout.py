"""The MQTT part of the topology document: which events a site serves over MQTT, and to whom.

The generator writes it from the spec's ``x-mqtt`` (``topology.json`` key ``mqtt``)::

    {"topics": [{"type": ..., "subject": "pf.{site_id}.site_operations.charger_registered.v1",
                 "topic": "pf/{site_id}/site_operations/charger_registered/v1",
                 "qos": 1, "device_publish": false, "stream": "SITE_OPERATIONS"}, ...],
     "customer_subjects": ["pf.{site_id}.site_operations.>", ...],
     "device_subjects": ["pf.{site_id}.telemetry.battery_state.v1", ...]}

``customer_subjects`` are what a customer's MQTT user may subscribe to (the served events and
nothing else of the spec), ``device_subjects`` what a device's MQTT user may publish. A
document without the key serves nothing over MQTT.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from specgen_runtime.fleet.errors import TopologyError

__all__ = ["MqttLayout", "MqttTopic"]

_SITE = "{site_id}"


@dataclass(frozen=True)
class MqttTopic:
    """One event type a site's MQTT listener serves."""

    type: str
    subject: str  # subject template over {site_id}
    topic: str  # the same, mapped to an MQTT topic
    qos: int  # 1: delivered to QoS 1 subscriptions at QoS 1 (stored events only)
    device_publish: bool
    stream: str | None  # the site stream that stores it (None: core NATS)


def _strings(doc: Mapping[str, Any], key: str) -> tuple[str, ...]:
    items = doc.get(key, [])
    if not isinstance(items, list) or not all(isinstance(s, str) and _SITE in s for s in items):
        raise TopologyError(f"topology mqtt: {key!r} must be a list of subjects over {_SITE}")
    return tuple(items)


def _topic(doc: Any) -> MqttTopic:
    if not isinstance(doc, Mapping):
        raise TopologyError("topology mqtt: every entry of 'topics' must be an object")
    name = doc.get("type")
    subject, topic, stream = doc.get("subject"), doc.get("topic"), doc.get("stream")
    qos, device = doc.get("qos"), doc.get("device_publish")
    if not isinstance(name, str) or not isinstance(subject, str) or _SITE not in subject:
        raise TopologyError(f"topology mqtt: entry {name!r} needs a type and a subject over "
                            f"{_SITE}")  # fmt: skip
    if topic != subject.replace(".", "/"):
        raise TopologyError(f"topology mqtt {name}: topic {topic!r} is not its subject mapped")
    if qos not in (0, 1) or isinstance(qos, bool) or not isinstance(device, bool):
        raise TopologyError(f"topology mqtt {name}: qos must be 0 or 1, device_publish a bool")
    if stream is not None and not isinstance(stream, str):
        raise TopologyError(f"topology mqtt {name}: stream must be a name or null")
    if qos == 1 and stream is None:
        raise TopologyError(f"topology mqtt {name}: QoS 1 needs a stream that stores the events")
    return MqttTopic(name, subject, topic, qos, device, stream)


@dataclass(frozen=True)
class MqttLayout:
    """The ``mqtt`` key of the topology document (empty: nothing is served over MQTT)."""

    topics: tuple[MqttTopic, ...] = ()
    customer_subjects: tuple[str, ...] = ()
    device_subjects: tuple[str, ...] = ()

    @classmethod
    def parse(cls, doc: Any) -> MqttLayout:
        if doc is None:
            return cls()
        if not isinstance(doc, Mapping) or not isinstance(doc.get("topics", []), list):
            raise TopologyError("topology: 'mqtt' must be an object with a list of 'topics'")
        return cls(
            topics=tuple(_topic(t) for t in doc.get("topics", [])),
            customer_subjects=_strings(doc, "customer_subjects"),
            device_subjects=_strings(doc, "device_subjects"),
        )

    @property
    def stored(self) -> tuple[MqttTopic, ...]:
        """The QoS 1 topics: their stored events are copied into the server's MQTT stream."""
        return tuple(t for t in self.topics if t.qos == 1)
