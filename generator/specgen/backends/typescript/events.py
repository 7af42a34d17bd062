"""The views of ``events.ts`` and of one module per domain (publisher and subscriber)."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.typescript.literals import jsdoc, ts_str, ts_value
from specgen.backends.typescript.names import member_name, module_file, type_name
from specgen.backends.typescript.types import NameMap
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir import types as t
from specgen.ir.naming import NameAllocator

# Option names the generated methods already use: a parameter must not take them.
_OPTION_NAMES = frozenset({"id", "time", "subject", "extensions", "durable", "batch", "params",
                           "fetchTimeoutMs", "deadLetter", "ackTimeoutMs", "jsDomain"})  # fmt: skip


@dataclass(frozen=True)
class ParamView:
    option: str  # the camelCase option name
    key: str  # the template placeholder as a string literal


@dataclass(frozen=True)
class EventView:
    name: str
    method: str
    data_type: str
    doc: str
    method_doc: str
    name_literal: str
    type_literal: str
    source_literal: str
    subject_literal: str
    dataschema_literal: str
    delivery_literal: str
    stream_literal: str
    dead_letter_literal: str
    patterns_literal: str  # an object literal of the parameters' patterns, or ""
    schema: str
    params: tuple[ParamView, ...]


@dataclass(frozen=True)
class DomainView:
    name: str
    file: str
    publisher: str
    subscriber: str
    union: str
    doc: str
    events: tuple[EventView, ...]


def _event_doc(event: EventIR) -> str:
    parts = [event.title or event.name, event.summary, event.description]
    parts.append(f"CloudEvents type `{event.type}`, subject `{event.subject_template}`.")
    if event.deprecated:
        parts.append("@deprecated")
    return "\n\n".join(p.strip() for p in parts if p.strip())


def _patterns(event: EventIR) -> dict[str, str]:
    return {p.name: p.pattern for p in event.parameters if p.pattern}


def event_view(
    domain: DomainIR, event: EventIR, name_of: NameMap, method: str, name: str
) -> EventView:
    """The view of one event; ``name`` is its spec's name, unique in ``events.ts``."""
    taken = set(_OPTION_NAMES)
    params = tuple(ParamView(member_name(p.name, taken), ts_str(p.name)) for p in event.parameters)
    durable = event.delivery == "jetstream"
    assert isinstance(event.payload, t.Named), "the IR names every payload"
    return EventView(
        name=name,
        method=method,
        data_type=name_of(event.payload.name),
        doc=jsdoc(_event_doc(event)),
        method_doc=jsdoc(
            f"Publish `{event.type}` to `{event.subject_template}`"
            + (" and wait for the stream's acknowledgement." if durable else " (core NATS).")
            + ("\n\n@deprecated" if event.deprecated else ""),
            "  ",
        ),
        name_literal=ts_str(name),
        type_literal=ts_str(event.type),
        source_literal=ts_str(event.source_template),
        subject_literal=ts_str(event.subject_template),
        dataschema_literal=ts_str(event.dataschema),
        delivery_literal=ts_str(event.delivery),
        stream_literal=ts_str(event.stream) if event.stream else "null",
        dead_letter_literal=ts_str(domain.dead_letter_template),
        patterns_literal=ts_value(patterns) if (patterns := _patterns(event)) else "",
        schema=ts_value(event.payload_schema),
        params=params,
    )


def domain_views(ir: SpecIR, name_of: NameMap) -> list[DomainView]:
    views = []
    names = NameAllocator()  # one events.ts: an event name used by two domains is numbered
    for domain in ir.domains:
        taken = {"publish", "publisher", "nc", "options", "constructor"}
        events = tuple(
            event_view(
                domain, e, name_of, member_name(e.method, taken), names.allocate(type_name(e.name))
            )
            for e in domain.events
        )
        base = type_name(domain.name)
        doc = domain.description or domain.title or f"Events of the {domain.name} domain."
        views.append(
            DomainView(
                name=domain.name,
                file=module_file(domain.name),
                publisher=f"{base}Publisher",
                subscriber=f"{base}Subscriber",
                union=f"{base}Event",
                doc=jsdoc(doc),
                events=events,
            )
        )
    return views
