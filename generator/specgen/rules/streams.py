"""JetStream streams: the ``x-stream`` of each domain document and the project file's streams.

What each stream holds is typed (``model.extensions.DomainStream``, ``model.project``), so a
missing key, an unknown key, a bad enum value or a bad duration is reported when it is read.
The rules here see whole, valid streams: their subjects overlap no other stream's, dedupe is
on (NATS.md trap 2: a ``duplicate_window`` of 0 switches dedupe off on sourced streams) and
sourced streams keep what nobody consumed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.model.durations import format_ms
from specgen.model.extensions import DomainStream, StreamSettings
from specgen.model.project import Project
from specgen.nats_subjects import overlaps
from specgen.rules.context import Context, DocumentView
from specgen.rules.registry import SPECGEN, Rule

DEDUPE_HINT = (
    "set an explicit non-zero duplicate_window (e.g. 2h) no longer than max_age and longer "
    "than the publisher's retry horizon (NATS.md trap 2)"
)


@dataclass(frozen=True)
class Stream:
    """A valid stream, what to call it and how to find its keys ("" for the stream itself)."""

    label: str
    settings: DomainStream | StreamSettings
    where: Callable[[str], Location]


def _project_streams(ctx: Context, project: Project) -> Iterator[Stream]:
    source = ctx.spec.project
    if source is None:
        return

    def at(pointer: str) -> Callable[[str], Location]:
        return lambda key: source.value_location(f"{pointer}/{key}" if key else pointer)

    if project.dead_letter.stream is not None:
        yield Stream("dead_letter.stream", project.dead_letter.stream, at("/dead_letter/stream"))
    if project.topology.upload_stream is not None:
        upload = project.topology.upload_stream
        yield Stream("topology.upload_stream", upload, at("/topology/upload_stream"))
    for index, cloud in enumerate(project.topology.cloud.streams if project.topology.cloud else []):
        yield Stream(
            f"topology.cloud.streams[{index}]", cloud, at(f"/topology/cloud/streams/{index}")
        )


def _document_stream(ctx: Context, document: DocumentView) -> Stream | None:
    stream = document.stream
    if stream is None:
        return None
    api = document.api
    return Stream(
        "x-stream",
        stream,
        lambda key: ctx.locate(api, "x-stream", *([key] if key else []), value=bool(key)),
    )


def streams(ctx: Context) -> Iterator[Stream]:
    for document in ctx.documents:
        found = _document_stream(ctx, document)
        if found is not None:
            yield found
    if ctx.project is not None:
        yield from _project_streams(ctx, ctx.project)


def check_overlaps(ctx: Context) -> Iterator[Diagnostic]:
    seen: list[tuple[DocumentView, str]] = []
    for document in ctx.documents:
        stream = document.stream
        for index, subject in enumerate(stream.subjects if stream else []):
            for other_doc, other in seen:
                if overlaps(subject, other):
                    yield error(
                        "SG-STREAM-CONFIG",
                        f"x-stream subject {subject!r} overlaps {other!r} of the stream in "
                        f"{other_doc.source.display}; NATS refuses streams with overlapping "
                        "subjects",
                        ctx.locate(document.api, "x-stream", "subjects", index, value=True),
                        "give every stream its own subject space, e.g. 'pf.{site_id}.<domain>.>'",
                    )
            seen.append((document, subject))


def _dedupe_problem(label: str, stream: DomainStream | StreamSettings) -> str | None:
    window = stream.duplicate_window
    if window is None:
        return f"{label} has no duplicate_window"
    if window == 0:
        return f"{label}.duplicate_window is zero, which turns dedupe off"
    if stream.max_age and stream.max_age < window:  # a max_age of 0 means unlimited
        return (
            f"{label}.duplicate_window {format_ms(window)} is longer than max_age "
            f"{format_ms(stream.max_age)}"
        )
    return None


def check_dedupe(ctx: Context) -> Iterator[Diagnostic]:
    for stream in streams(ctx):
        message = _dedupe_problem(stream.label, stream.settings)
        if message is not None:
            key = "duplicate_window" if stream.settings.duplicate_window is not None else ""
            yield error("SG-STREAM-DEDUPE", message, stream.where(key), DEDUPE_HINT)


def check_retention(ctx: Context) -> Iterator[Diagnostic]:
    for stream in streams(ctx):
        retention = stream.settings.retention
        if retention in ("interest", "workqueue"):
            yield warning(
                "SG-STREAM-RETENTION",
                f"{stream.label}.retention {retention!r}: sourcing such a stream to the cloud is "
                "unsafe on servers before 2.14 and loses messages nobody consumed",
                stream.where("retention"),
                "use 'retention: limits' with a max_age longer than the longest outage",
            )


RULES = (
    Rule(
        "SG-STREAM-CONFIG",
        SPECGEN,
        "x-stream is complete and valid (name, subjects, retention, max_age, storage, "
        "replicas) and its subjects overlap no other stream",
        check_overlaps,
    ),
    Rule(
        "SG-STREAM-DEDUPE",
        SPECGEN,
        "every stream's duplicate_window is explicit, non-zero and not longer than max_age "
        "(NATS trap 2)",
        check_dedupe,
    ),
    Rule(
        "SG-STREAM-RETENTION",
        SPECGEN,
        "streams use 'limits' retention (warning otherwise: sourcing WorkQueue/Interest "
        "streams is unsafe)",
        check_retention,
    ),
)
