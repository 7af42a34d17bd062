"""MQTT topics of events (``specgen_runtime.mqtt``) and the QoS header of QoS 1 events."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

import pytest
from sample_events import OrderCreatedV1, PowerReadingV1, Reading, order
from specgen_runtime import Delivery, EventSpec, Mode, MqttSpec, SubjectError, encode
from specgen_runtime.mqtt import QOS_HEADER, topic_of

SERVED = dataclasses.replace(
    OrderCreatedV1.SPEC, mqtt=MqttSpec("pf/{site_id}/orders/order_created/v1", qos=1)
)


class ServedOrderV1(OrderCreatedV1):
    SPEC: ClassVar[EventSpec] = SERVED


def test_subjects_map_to_topics_by_the_servers_rules() -> None:
    assert topic_of("pf.s-1.orders.order_created.v1") == "pf/s-1/orders/order_created/v1"
    assert topic_of("pf.*.orders.>") == "pf/+/orders/#"
    for bad in ("pf.a/b.x", "pf.a+b.x", "pf.#.x"):
        with pytest.raises(SubjectError, match="cannot be an MQTT topic level"):
            topic_of(bad)


def test_an_event_served_over_mqtt_fills_its_topic_and_filter() -> None:
    assert SERVED.topic_for(site_id="s-1") == "pf/s-1/orders/order_created/v1"
    assert SERVED.topic_filter() == "pf/+/orders/order_created/v1"
    with pytest.raises(SubjectError, match="not served over MQTT"):
        OrderCreatedV1.SPEC.topic_for(site_id="s-1")


def test_the_mqtt_spec_must_agree_with_the_subject_and_the_delivery() -> None:
    with pytest.raises(ValueError, match="is not the subject template mapped"):
        dataclasses.replace(OrderCreatedV1.SPEC, mqtt=MqttSpec("pf/orders"))
    core = PowerReadingV1.SPEC
    with pytest.raises(ValueError, match="QoS 1 needs JETSTREAM delivery"):
        dataclasses.replace(core, mqtt=MqttSpec(core.subject_template.replace(".", "/"), qos=1))
    with pytest.raises(ValueError, match="QoS must be 0 or 1"):
        MqttSpec("x", qos=2)
    assert core.delivery is Delivery.CORE


@pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY])
def test_qos1_events_carry_the_header_others_do_not(mode: Mode) -> None:
    served = ServedOrderV1.create(order(), site_id="s-1")
    assert encode(served, mode)[0][QOS_HEADER] == "1"
    plain = OrderCreatedV1.create(order(), site_id="s-1")
    assert QOS_HEADER not in encode(plain, mode)[0]
    reading = PowerReadingV1.create(Reading(1.5), site_id="s-1", charger_id="c-1")
    assert QOS_HEADER not in encode(reading, mode)[0]
