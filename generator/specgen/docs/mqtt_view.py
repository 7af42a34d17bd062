"""The MQTT topic map page: every event a site serves over MQTT, and what its users may do.

One table per domain, one row per event served over MQTT (``x-mqtt``): its type (linked to
its page), NATS subject, MQTT topic, QoS and direction. Then the topic filters a customer's
MQTT user may subscribe to and the topics a device's MQTT user may publish, as the fleet's
credentials grant them (``ir.fleet.mqtt_document``).
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.docs.site import SiteMap
from specgen.docs.text import humanize
from specgen.ir import EventIR, MqttIR, SpecIR
from specgen.ir.fleet import mqtt_document
from specgen.mqtt_topics import topic

SITE_TO_CUSTOMERS = "site → customers"
DEVICES_TO_SITE = "devices → site → customers"


@dataclass(frozen=True)
class TopicRow:
    type: str
    href: str
    subject: str
    topic: str
    qos: int
    qos_text: str
    direction: str


@dataclass(frozen=True)
class MqttDomain:
    name: str
    title: str
    href: str
    rows: tuple[TopicRow, ...]


@dataclass(frozen=True)
class MqttView:
    domains: tuple[MqttDomain, ...]
    event_count: int
    customer_filters: tuple[str, ...]  # MQTT topic filters
    device_topics: tuple[str, ...]
    qos1: bool  # some event is served at QoS 1


def qos_label(mqtt: MqttIR) -> str:
    return "at least once" if mqtt.qos == 1 else "at most once"


def qos_text(mqtt: MqttIR) -> str:
    if mqtt.qos == 1:
        return "at least once; kept for persistent sessions while they are away"
    return "at most once; not kept while a subscriber is away"


def direction(mqtt: MqttIR) -> str:
    return DEVICES_TO_SITE if mqtt.device_publish else SITE_TO_CUSTOMERS


def _row(site: SiteMap, event: EventIR, mqtt: MqttIR) -> TopicRow:
    return TopicRow(
        type=event.type,
        href=site.event_href(event),
        subject=event.subject_template,
        topic=mqtt.topic,
        qos=mqtt.qos,
        qos_text=qos_label(mqtt),
        direction=direction(mqtt),
    )


def mqtt_view(ir: SpecIR, site: SiteMap) -> MqttView:
    domains = []
    for domain in ir.domains:
        rows = tuple(_row(site, e, e.mqtt) for e in domain.events if e.mqtt is not None)
        if rows:
            title = domain.title or humanize(domain.name)
            domains.append(MqttDomain(domain.name, title, site.domain_href(domain.name), rows))
    document = mqtt_document(ir)
    return MqttView(
        domains=tuple(domains),
        event_count=sum(len(d.rows) for d in domains),
        customer_filters=tuple(topic(s) for s in document["customer_subjects"]),
        device_topics=tuple(topic(s) for s in document["device_subjects"]),
        qos1=any(r.qos == 1 for d in domains for r in d.rows),
    )
