"""Operations findings: JetStream streams, the upload topology and dead letters.

Streams are matched by name across the domain streams (``x-stream``), the per-site upload
stream, the cloud streams and the dead-letter stream. What cannot change in place (retention,
storage) or loses data (a shorter ``max_age``, fewer replicas, a removed subject, a shorter
duplicate window) is breaking; other changes are listed for the changelog.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specgen.diagnostics import Location
from specgen.diff.findings import Finding, found
from specgen.diff.side import Side
from specgen.ir import StreamIR

Where = Callable[[Side, str], Location | None]


def _streams(side: Side) -> dict[str, tuple[StreamIR, str, Where]]:
    """name -> (stream, what it is, how to locate one of its fields)."""
    streams: dict[str, tuple[StreamIR, str, Where]] = {}
    for domain in side.ir.domains:
        if domain.stream is not None:
            name = domain.name

            def where(s: Side, key: str, name: str = name) -> Location | None:
                return s.at_document(name, f"/x-stream/{key}".rstrip("/"))

            streams[domain.stream.name] = (domain.stream, f"domain:{domain.name}", where)
    topology = side.ir.topology
    if topology.upload is not None:
        streams[topology.upload.stream.name] = (
            topology.upload.stream,
            "project",
            lambda s, key: s.at_project(f"/topology/upload_stream/{key}".rstrip("/")),
        )
    for index, stream in enumerate(topology.cloud_streams):

        def cloud(s: Side, key: str, index: int = index) -> Location | None:
            return s.at_project(f"/topology/cloud/streams/{index}/{key}".rstrip("/"))

        streams[stream.name] = (stream, "project", cloud)
    if topology.dead_letter_stream is not None:
        streams[topology.dead_letter_stream.name] = (
            topology.dead_letter_stream,
            "project",
            lambda s, key: s.at_project(f"/dead_letter/stream/{key}".rstrip("/")),
        )
    return streams


def _seconds(stream: StreamIR, name: str) -> float:
    """A duration of the stream in seconds, whichever unit the IR keeps (0: unlimited)."""
    for field, scale in ((f"{name}_seconds", 1.0), (f"{name}_ms", 0.001)):
        value = getattr(stream, field, None)
        if isinstance(value, int | float):
            return float(value) * scale
    return 0.0


def _limit(seconds: float) -> float:
    return float("inf") if seconds <= 0 else seconds


def _show(seconds: float) -> str:
    if seconds <= 0:
        return "unlimited"
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def compare_streams(old: Side, new: Side) -> list[Finding]:
    before, after = _streams(old), _streams(new)
    findings: list[Finding] = []
    for name, (stream, subject, where) in before.items():
        if name not in after:
            findings.append(
                found(
                    "STREAM_REMOVED",
                    f"stream {name} was removed or renamed",
                    where(old, ""),
                    None,
                    subject,
                )
            )
            continue
        target, new_subject, new_where = after[name]
        findings += _fields(stream, target, new_subject, _pair(old, new, where, new_where))
    for name, (_, subject, where) in after.items():
        if name not in before:
            findings.append(
                found("STREAM_ADDED", f"stream {name} was added", None, where(new, ""), subject)
            )
    return findings + _topology(old, new)


Pair = Callable[[str], tuple[Location | None, Location | None]]


def _pair(old: Side, new: Side, where: Where, new_where: Where) -> Pair:
    def both(key: str) -> tuple[Location | None, Location | None]:
        return where(old, key), new_where(new, key)

    return both


def _fields(a: StreamIR, b: StreamIR, subject: str, at: Pair) -> list[Finding]:
    results: list[Finding] = []

    def add(rule: str, key: str, text: str) -> None:
        results.append(found(rule, f"stream {a.name}: {text}", *at(key), subject))

    if a.retention != b.retention:
        add(
            "STREAM_RETENTION_CHANGED",
            "retention",
            f"retention {a.retention} is now "
            f"{b.retention}; the server cannot convert a stream in place",
        )
    if a.storage != b.storage:
        add(
            "STREAM_STORAGE_CHANGED",
            "storage",
            f"storage {a.storage} is now {b.storage}; the stream must be re-created by hand",
        )
    for name, rule in (
        ("max_age", "STREAM_MAX_AGE_SHORTENED"),
        ("duplicate_window", "STREAM_DUPLICATE_WINDOW_SHORTENED"),
    ):
        was, now = _seconds(a, name), _seconds(b, name)
        if _limit(now) < _limit(was):
            add(rule, name, f"{name} {_show(was)} is now {_show(now)}")
        elif was != now:
            add("STREAM_SETTING_CHANGED", name, f"{name} {_show(was)} is now {_show(now)}")
    if b.replicas < a.replicas:
        add("STREAM_REPLICAS_REDUCED", "replicas", f"replicas {a.replicas} are now {b.replicas}")
    elif b.replicas > a.replicas:
        add("STREAM_SETTING_CHANGED", "replicas", f"replicas {a.replicas} are now {b.replicas}")
    gone = [s for s in a.subjects if s not in b.subjects]
    if gone:
        add("STREAM_SUBJECTS_REMOVED", "subjects", "no longer stores " + ", ".join(gone))
    new_subjects = [s for s in b.subjects if s not in a.subjects]
    if new_subjects:
        add("STREAM_SETTING_CHANGED", "subjects", "also stores " + ", ".join(new_subjects))
    return results


def _topology(old: Side, new: Side) -> list[Finding]:
    findings = []
    up_old, up_new = old.ir.topology.upload, new.ir.topology.upload
    if up_old is not None and up_new is not None:
        for domain in up_old.domains:
            if domain not in up_new.domains:
                findings.append(
                    found(
                        "UPLOAD_DOMAIN_REMOVED",
                        f"domain {domain} no longer flows to the cloud",
                        old.at_project("/topology/upload_stream/domains"),
                        new.at_project("/topology/upload_stream/domains"),
                        "project",
                    )
                )
    templates: list[tuple[str, Any, Any]] = [
        (d.name, d.dead_letter_template, _dead_letter(new, d.name)) for d in old.ir.domains
    ]
    for name, was, now in templates:
        if now is not None and was != now and old.has_project:
            findings.append(
                found(
                    "DEAD_LETTER_CHANGED",
                    f"dead letters of {name}: {was} is now {now}",
                    old.at_project("/dead_letter/subject"),
                    new.at_project("/dead_letter/subject"),
                    f"domain:{name}",
                )
            )
    return findings


def _dead_letter(side: Side, domain: str) -> str | None:
    for candidate in side.ir.domains:
        if candidate.name == domain:
            return candidate.dead_letter_template
    return None
