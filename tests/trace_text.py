"""Spans of several processes (and languages) as one list, checked and printed as text.

Each language's test exports its finished spans from an in-memory exporter; ``from_python``
and ``from_json`` turn them into ``SpanRecord`` values, ``render`` draws each trace as a tree
(children in start order, links named), and ``save`` keeps the text under test-output/tracing/
for review.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

OUTPUT = Path(__file__).resolve().parents[1] / "test-output" / "tracing"
SHOWN = (
    "messaging.destination.name",
    "messaging.message.id",
    "messaging.nats.stream",
    "messaging.nats.stream.sequence",
    "messaging.consumer.group.name",
)


@dataclass(frozen=True)
class SpanRecord:
    language: str
    name: str
    kind: str
    trace_id: str
    span_id: str
    parent_id: str | None
    start: int
    links: tuple[tuple[str, str], ...] = ()
    attributes: Mapping[str, Any] = field(default_factory=dict)


def recording_provider() -> tuple[TracerProvider, InMemorySpanExporter]:
    """A Python SDK tracer provider whose spans an in-memory exporter keeps."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider, exporter


def from_python(spans: Iterable[ReadableSpan]) -> list[SpanRecord]:
    out = []
    for span in spans:
        context = span.get_span_context()
        assert context is not None and span.start_time is not None
        out.append(
            SpanRecord(
                "python",
                span.name,
                span.kind.name,
                f"{context.trace_id:032x}",
                f"{context.span_id:016x}",
                None if span.parent is None else f"{span.parent.span_id:016x}",
                span.start_time,
                tuple(
                    (f"{k.context.trace_id:032x}", f"{k.context.span_id:016x}") for k in span.links
                ),
                dict(span.attributes or {}),
            )
        )
    return out


def _link(trace_id: int, span_id: int) -> tuple[str, str]:
    return f"{trace_id:032x}", f"{span_id:016x}"


def from_json(spans: Iterable[Mapping[str, Any]], language: str) -> list[SpanRecord]:
    """Spans printed by a test script: name, kind, traceId, spanId, parentSpanId, start..."""
    return [
        SpanRecord(
            language,
            s["name"],
            str(s["kind"]).upper(),
            s["traceId"],
            s["spanId"],
            s.get("parentSpanId") or None,
            int(s["start"]),
            tuple((link["traceId"], link["spanId"]) for link in s.get("links", ())),
            dict(s.get("attributes") or {}),
        )
        for s in spans
    ]


def one(spans: Sequence[SpanRecord], language: str, name: str) -> SpanRecord:
    found = [s for s in spans if s.language == language and s.name == name]
    assert len(found) == 1, [(s.language, s.name) for s in spans]
    return found[0]


def by_id(spans: Sequence[SpanRecord], language: str, name: str, event_id: str) -> SpanRecord:
    """The one span of ``language`` named ``name`` about the event ``event_id``."""
    found = [
        s
        for s in spans
        if s.language == language
        and s.name == name
        and s.attributes.get("messaging.message.id") == event_id
    ]
    assert len(found) == 1, (name, event_id, [(s.language, s.name) for s in spans])
    return found[0]


def assert_chain(*chain: SpanRecord) -> None:
    """One trace in which each span is the parent of the next, started in that order."""
    assert {s.trace_id for s in chain} == {chain[0].trace_id}, chain
    for parent, child in zip(chain, chain[1:], strict=False):
        assert child.parent_id == parent.span_id, (parent.name, child.name)
        assert parent.start <= child.start, (parent.name, child.name)


def render(spans: Sequence[SpanRecord]) -> str:
    """Every trace as a tree; spans whose parent is elsewhere start a tree of their own."""
    by_id = {s.span_id: s for s in spans}
    names = {s.span_id: f"{s.name} [{s.language}]" for s in spans}
    lines: list[str] = []
    for trace_id in dict.fromkeys(s.trace_id for s in sorted(spans, key=lambda s: s.start)):
        lines.append(f"trace {trace_id}")
        members = [s for s in spans if s.trace_id == trace_id]
        roots = [s for s in members if s.parent_id not in by_id]
        for root in sorted(roots, key=lambda s: s.start):
            _tree(root, members, names, lines, depth=1)
    return "\n".join(lines) + "\n"


def _tree(
    span: SpanRecord,
    members: Sequence[SpanRecord],
    names: Mapping[str, str],
    lines: list[str],
    depth: int,
) -> None:
    shown = " ".join(f"{k}={span.attributes[k]}" for k in SHOWN if k in span.attributes)
    pad = "   " * (depth - 1)
    lines.append(f"{pad}└─ {span.name} [{span.language}, {span.kind}] span {span.span_id} {shown}")
    for trace_id, span_id in span.links:
        target = names.get(span_id, "a span not recorded here")
        lines.append(f"{pad}     link -> {target} (trace {trace_id}, span {span_id})")
    for child in sorted((s for s in members if s.parent_id == span.span_id), key=lambda s: s.start):
        _tree(child, members, names, lines, depth + 1)


def save(name: str, text: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / f"{name}.txt"
    path.write_text(text, encoding="utf-8")
    return path
