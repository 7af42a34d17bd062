"""The fleet layout as a plain JSON document, for runtimes that provision streams.

Generated packages ship it (``topology.json``) so that ``specgen_runtime`` can commission a
site without the generator: which streams every site has (subjects are templates over
``{site_id}``), the site's upload stream and the domain streams it sources, and the cloud
streams that source every site's upload stream through ``$JS.<site>.API``, and the MQTT
topic map (``mqtt``: the events a site's MQTT listener serves, what customers' and devices'
MQTT users may do, and which stored events the site copies into the server's MQTT stream).
"""

from __future__ import annotations

from typing import Any

from specgen.ir import SpecIR, StreamIR
from specgen.nats_subjects import overlaps, tokens

FORMAT = 2
"""2: durations are whole milliseconds (``max_age_ms``, ``duplicate_window_ms``)."""


def stream_document(stream: StreamIR) -> dict[str, Any]:
    return {
        "name": stream.name,
        "subjects": list(stream.subjects),
        "retention": stream.retention,
        "max_age_ms": stream.max_age_ms,
        "storage": stream.storage,
        "replicas": stream.replicas,
        "duplicate_window_ms": stream.duplicate_window_ms,
    }


def _wildcard(subject: str) -> str:
    """A subject template with every parameter but ``{site_id}`` turned into ``*``."""
    return ".".join(
        t if t == "{site_id}" or not (t.startswith("{") and t.endswith("}")) else "*"
        for t in subject.split(".")
    )


def site_subjects(ir: SpecIR) -> list[str]:
    """Every subject a site's events travel on: its streams' subjects, then core subjects.

    Credentials are scoped with these (``{site_id}`` becomes the site's tag).
    """
    subjects: list[str] = []
    for domain in ir.domains:
        if domain.stream is not None:
            subjects += domain.stream.subjects
    if ir.topology.dead_letter_stream is not None:
        subjects += ir.topology.dead_letter_stream.subjects
    for event in ir.events():
        if event.stream is None and "{site_id}" in event.subject_template:
            subjects.append(_wildcard(event.subject_template))
    return list(dict.fromkeys(subjects))


def mqtt_document(ir: SpecIR) -> dict[str, Any]:
    """The MQTT topic map and what MQTT users may do with it.

    ``topics``: one entry per event served over MQTT (subject and topic templates, QoS,
    whether devices publish it, its stream). ``customer_subjects``: the subjects a customer's
    MQTT user may subscribe to, as few filters as cover the served events and nothing else of
    the spec (no unserved event, no dead letter). ``device_subjects``: what devices publish.
    """
    served = [e for e in ir.events() if e.mqtt is not None]
    others = [_wildcard(e.subject_template) for e in ir.events() if e.mqtt is None]
    others += [d.dead_letter_template for d in ir.domains if d.dead_letter_template]
    if ir.topology.dead_letter_stream is not None:
        others += ir.topology.dead_letter_stream.subjects
    topics = [
        {
            "type": e.type,
            "subject": e.subject_template,
            "topic": e.mqtt.topic,
            "qos": e.mqtt.qos,
            "device_publish": e.mqtt.device_publish,
            "stream": e.stream,
        }
        for e in served
        if e.mqtt is not None
    ]
    filters = [_served_filter(_wildcard(e.subject_template), others) for e in served]
    devices = [_wildcard(e.subject_template) for e in served if e.mqtt and e.mqtt.device_publish]
    return {
        "topics": topics,
        "customer_subjects": list(dict.fromkeys(filters)),
        "device_subjects": list(dict.fromkeys(devices)),
    }


def _served_filter(subject: str, others: list[str]) -> str:
    """The widest ``<prefix>.>`` over ``subject`` (still naming the site, and wider than one
    event's versions) that no other subject of the spec falls under; else the subject."""
    parts = tokens(subject)
    if "{site_id}" not in parts:
        return subject
    for end in range(parts.index("{site_id}") + 1, len(parts) - 1):
        candidate = ".".join([*parts[:end], ">"])
        if not any(overlaps(candidate, other) for other in others):
            return candidate
    return subject


def fleet_document(ir: SpecIR) -> dict[str, Any]:
    topology = ir.topology
    site_streams = [stream_document(d.stream) for d in ir.domains if d.stream is not None]
    if topology.dead_letter_stream is not None:
        site_streams.append(stream_document(topology.dead_letter_stream))
    by_domain = {d.name: d.stream.name for d in ir.domains if d.stream is not None}
    upload = None
    if topology.upload is not None:
        upload = {
            **stream_document(topology.upload.stream),
            "sources": [by_domain[d] for d in topology.upload.domains if d in by_domain],
        }
    return {
        "format": FORMAT,
        "project": ir.project.name,
        "version": ir.project.version,
        "site_id_pattern": ir.project.site_id_pattern,
        "example_site_ids": list(ir.project.example_site_ids),
        "cloud_domain": topology.cloud_domain,
        "site_streams": site_streams,
        "upload_stream": upload,
        "cloud_streams": [stream_document(s) for s in topology.cloud_streams],
        "site_subjects": site_subjects(ir),
        "mqtt": mqtt_document(ir),
    }
