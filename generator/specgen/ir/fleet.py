"""The fleet layout as a plain JSON document, for runtimes that provision streams.

Generated packages ship it (``topology.json``) so that ``specgen_runtime`` can commission a
site without the generator: which streams every site has (subjects are templates over
``{site_id}``), the site's upload stream and the domain streams it sources, and the cloud
streams that source every site's upload stream through ``$JS.<site>.API``.
"""

from __future__ import annotations

from typing import Any

from specgen.ir import SpecIR, StreamIR

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
    }
