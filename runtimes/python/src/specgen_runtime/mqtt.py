"""MQTT topics of events: the spec's ``x-mqtt``, as a site's NATS server serves it.

The server is the MQTT broker of a site. It maps each NATS subject to an MQTT topic by fixed
rules: the token separator ``.`` becomes the level separator ``/``, the wildcards ``*`` and
``>`` become ``+`` and ``#``. An event type served over MQTT has an :class:`MqttSpec`
(``EventSpec.mqtt``) with its topic template, its QoS and whether devices may publish it::

    ChargerStatusChangedV1.SPEC.topic_for(site_id="site-0001")
    # 'pf/site-0001/site_operations/charger_status_changed/v1'

QoS: events published on NATS reach MQTT subscribers at QoS 0. For an event type declared
``qos: 1`` (always a stored, JetStream event) the codec adds the header ``Nmqtt-Pub: 1``: the
server then leaves the message out of the plain delivery to QoS-1 subscriptions (QoS-0
subscriptions still get it directly) and delivers it at QoS 1 from its MQTT stream, which
sources the event from the domain stream (``specgen_runtime.fleet.mqtt``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from specgen_runtime.errors import SubjectError

__all__ = ["QOS_HEADER", "MqttSpec", "topic_of"]

QOS_HEADER = "Nmqtt-Pub"
"""The NATS header the server reads as the QoS an MQTT message was published with."""
_LEVEL_BAD = re.compile(r"[/+#\x00]")
_WILDCARDS = {"*": "+", ">": "#"}


@dataclass(frozen=True)
class MqttSpec:
    """How a site's MQTT listener serves one event type.

    ``topic_template`` is the subject template mapped by the server's rules (parameters stay
    ``{name}``); ``qos`` the QoS its events reach QoS-1 subscriptions at (0 or 1);
    ``device_publish`` whether devices may publish the events over MQTT.
    """

    topic_template: str
    qos: int = 0
    device_publish: bool = False

    def __post_init__(self) -> None:
        if self.qos not in (0, 1):
            raise ValueError(f"MQTT QoS must be 0 or 1, got {self.qos!r}")


def topic_of(subject: str) -> str:
    """The MQTT topic (or filter) a concrete NATS subject (or filter) is served on.

    Raises SubjectError for a token that cannot be a topic level (``/``, ``+``, ``#``).
    """
    levels = []
    for token in subject.split("."):
        if token in _WILDCARDS:
            levels.append(_WILDCARDS[token])
            continue
        if _LEVEL_BAD.search(token):
            raise SubjectError(
                f"subject {subject!r}: token {token!r} cannot be an MQTT topic level "
                "('/', '+' and '#' are MQTT separators and wildcards)"
            )
        levels.append(token)
    return "/".join(levels)
