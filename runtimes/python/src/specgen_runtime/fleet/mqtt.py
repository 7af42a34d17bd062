"""QoS 1 over a site's MQTT listener: the server's MQTT stream sources the stored events.

How nats-server serves MQTT (server/mqtt.go): a QoS 0 subscription is a plain subscription
on the mapped subject. A QoS 1 subscription is, in addition, a durable JetStream consumer on
the server's own stream ``$MQTT_msgs`` (subjects ``$MQTT.msgs.>``, interest retention),
filtered on ``$MQTT.msgs.<subject>``; it survives a disconnect when the session is persistent
(clean session off), so the client gets what was stored while it was away. The server tells
the two paths apart by the header ``Nmqtt-Pub: <qos>``: a message that carries ``1`` is left
out of the plain path for QoS 1 subscriptions and delivered from the stream at QoS 1.

So for an event type declared ``x-mqtt: {qos: 1}`` (always a stored, JetStream event):

* the codecs of all three languages add ``Nmqtt-Pub: 1`` to its messages;
* the site's ``$MQTT_msgs`` stream sources the event's subject from the domain stream,
  with a subject transform ``pf.<site>.x.y.v1`` -> ``$MQTT.msgs.pf.<site>.x.y.v1``
  (``mqtt_stream``). The server copies, remembers how far it got and resumes after a
  restart; there is no relay process. Interest retention keeps a copy only while some QoS 1
  subscription wants it; the event itself stays in the domain stream either way.

``specgen fleet site plan|apply --mqtt`` adds the stream to a site's plan (the server would
create it without sources at the first MQTT connection; the plan then adds them). Messages
on ``$MQTT.msgs.>`` must never cross a leaf link: the site leaf remotes deny them
(``serverconf``), else a QoS 1 publish at one site would be stored at every other site.
"""

from __future__ import annotations

from specgen_runtime.fleet.errors import TopologyError
from specgen_runtime.fleet.topology import NANOS, SourceSpec, StreamSpec, Topology

__all__ = ["MQTT_STREAM", "MQTT_STREAM_PREFIX", "mqtt_stream", "site_subject"]

MQTT_STREAM = "$MQTT_msgs"
MQTT_STREAM_PREFIX = "$MQTT.msgs."
_DUPLICATE_WINDOW = 120 * NANOS  # the window the server gives the stream when it creates it


def site_subject(template: str, site: str) -> str:
    """``template`` at ``site``: ``{site_id}`` filled in, every other parameter ``*``."""
    return ".".join(
        site if token == "{site_id}" else "*" if token.startswith("{") else token
        for token in template.split(".")
    )


def _transform(subject: str) -> tuple[str, str]:
    """``subject`` -> the same under ``$MQTT.msgs.``, its ``*`` tokens carried over."""
    dest, wildcard = [], 0
    for token in subject.split("."):
        if token == "*":
            wildcard += 1
            token = f"{{{{wildcard({wildcard})}}}}"
        dest.append(token)
    return subject, MQTT_STREAM_PREFIX + ".".join(dest)


def mqtt_stream(topology: Topology, site: str, *, replicas: int | None = None) -> StreamSpec | None:
    """The server's MQTT stream at ``site``, sourcing every QoS 1 event; None if there is none.

    Replicas: ``replicas``, else the most of the site streams it sources.
    """
    topology.check_site(site)
    by_stream: dict[str, list[tuple[str, str]]] = {}
    for topic in topology.mqtt.stored:
        assert topic.stream is not None  # MqttLayout refuses QoS 1 without a stream
        by_stream.setdefault(topic.stream, []).append(_transform(site_subject(topic.subject, site)))
    if not by_stream:
        return None
    templates = {t.name: t for t in topology.site_templates}
    missing = sorted(set(by_stream) - set(templates))
    if missing:
        raise TopologyError(f"topology mqtt: streams {missing} are not site streams")
    return StreamSpec(
        name=MQTT_STREAM,
        subjects=(MQTT_STREAM_PREFIX + ">",),
        retention="interest",
        storage="file",
        max_age=0,
        replicas=replicas or max(templates[name].replicas for name in by_stream),
        duplicate_window=_DUPLICATE_WINDOW,
        sources=tuple(
            SourceSpec(name, transforms=tuple(pairs)) for name, pairs in sorted(by_stream.items())
        ),
    )
