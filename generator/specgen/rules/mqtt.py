"""Channels served over MQTT (``x-mqtt``): their topics and the QoS the site can honour.

A wrong ``x-mqtt`` value (not a mapping, unknown keys, a QoS other than 0 or 1) is reported
when the typed model reads it (rule SG-MQTT). The rules here say what the value means
together with the channel: its subject must map to an MQTT topic, and QoS 1 needs the events
stored, because the site copies them from the domain stream into the server's MQTT message
stream (events that only travel on core NATS reach MQTT at QoS 0), and not with device
publishing (devices' QoS 1 publishes would then reach subscribers twice).
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.model.extensions import MQTT
from specgen.mqtt_topics import topic_problems
from specgen.rules.context import Context
from specgen.rules.registry import SPECGEN, Rule, no_check


def check_topics(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        address = channel.address
        if MQTT.of(channel.node) is None or address is None:
            continue
        problems = topic_problems(address)
        if problems:
            yield error(
                "SG-MQTT-TOPIC",
                f"channel {channel.key!r} is served over MQTT (x-mqtt), but its address "
                f"{address!r} is no MQTT topic: " + "; ".join(problems),
                ctx.locate(channel.node, "address"),
                "use only letters, digits, '_' and '-' in the address tokens of an MQTT "
                "channel, or remove its x-mqtt",
            )


def check_qos(ctx: Context) -> Iterator[Diagnostic]:
    for channel in ctx.channels():
        settings = MQTT.of(channel.node)
        if settings is None or settings.qos == 0:
            continue
        where = ctx.locate(channel.node, "x-mqtt", "qos", value=True)
        if channel.delivery != "jetstream":
            yield error(
                "SG-MQTT-QOS",
                f"channel {channel.key!r} asks for MQTT QoS 1, but its events are not stored "
                f"(x-delivery {channel.delivery or 'missing'!s}): the server delivers events "
                "published on core NATS to MQTT subscribers at QoS 0 only",
                where,
                "make the channel 'x-delivery: jetstream' (the site then copies its stored "
                "events to QoS 1 subscriptions) or declare 'qos: 0'",
            )
        elif settings.device_publish:
            yield error(
                "SG-MQTT-QOS",
                f"channel {channel.key!r} asks for MQTT QoS 1 and device publishing: devices' "
                "QoS 1 publishes reach QoS 1 subscriptions through the server already, and "
                "the site's copy of the stored event would deliver each of them twice",
                where,
                "declare 'qos: 0' (devices may still publish at QoS 1) or let devices "
                "publish on another channel",
            )


RULES = (
    Rule(
        "SG-MQTT",
        SPECGEN,
        "x-mqtt is a mapping of qos (0 or 1) and device_publish (a boolean)",
        no_check,
    ),
    Rule(
        "SG-MQTT-TOPIC",
        SPECGEN,
        "the address of an x-mqtt channel maps to an MQTT topic (no '/', '+', '#' or "
        "whitespace in a token, no leading '$')",
        check_topics,
    ),
    Rule(
        "SG-MQTT-QOS",
        SPECGEN,
        "x-mqtt qos 1 only on a jetstream channel (core NATS events reach MQTT at QoS 0) "
        "without device_publish",
        check_qos,
    ),
)
