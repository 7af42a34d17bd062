"""Views of the events and domains for ``events.rs.jinja`` and ``domain.rs.jinja``."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.rust.checks import Checks
from specgen.backends.rust.literals import doc_attrs, rust_str
from specgen.backends.rust.names import fn_name, module_name, type_name
from specgen.backends.rust.typemap import RustBackendError, RustTypes
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir import types as t
from specgen.ir.naming import NameAllocator

S = "schema"


@dataclass
class EventView:
    name: str  # type alias: Event<Spec>
    spec: str  # marker type implementing specgen_runtime::EventType
    data: str  # payload type path from events.rs
    data_crate: str  # payload type path from anywhere in the crate
    docs: list[str]
    type: str  # Rust literals from here on
    source_template: str
    subject_template: str
    parameters: list[str]
    param_idents: list[str]
    dataschema: str
    delivery: str
    stream: str
    dead_letter: str
    patterns: str  # &[("site_id", "^...$"), ...]
    validate: str  # expression validating `data` at `path`
    method: str
    jetstream: bool


@dataclass
class DomainView:
    module: str
    publisher: str
    subscriber: str
    docs: list[str]
    events: list[EventView]


def _option(value: str | None) -> str:
    return "None" if value is None else f"Some({rust_str(value)})"


def _patterns(event: EventIR) -> str:
    pairs = [f"({rust_str(p.name)}, {rust_str(p.pattern)})" for p in event.parameters if p.pattern]
    return "&[" + ", ".join(pairs) + "]"


def _validate(event: EventIR, types: RustTypes, checks: Checks) -> str:
    ref = event.payload
    if not isinstance(ref, t.Named):
        raise RustBackendError(f"{event.type}: the payload must be a named type")
    decl = types.decls[ref.name]
    if isinstance(decl, t.EnumDecl):
        return "Ok(())"
    if types.is_alias(ref):
        assert isinstance(decl, t.AliasDecl)
        if not checks.checks(decl.type, "data", "path"):
            return "Ok(())"
        return f"super::models::{checks.alias_fn(ref.name)}(data, path)"
    return f"{S}::Validate::validate_at(data, path)"


def event_views(ir: SpecIR, types: RustTypes, checks: Checks) -> dict[str, EventView]:
    alloc = NameAllocator()
    views: dict[str, EventView] = {}
    for domain in ir.domains:
        for event in domain.events:
            name = alloc.allocate(type_name(event.name))
            spec = alloc.allocate(f"{name}Spec")
            assert isinstance(event.payload, t.Named)
            views[event.type] = EventView(
                name=name,
                spec=spec,
                data=f"super::models::{types.names.of(event.payload.name)}",
                data_crate=f"crate::models::{types.names.of(event.payload.name)}",
                docs=doc_attrs(
                    event.title,
                    event.summary,
                    event.description,
                    f"CloudEvents type `{event.type}`.",
                ),
                type=rust_str(event.type),
                source_template=rust_str(event.source_template),
                subject_template=rust_str(event.subject_template),
                parameters=[rust_str(p.name) for p in event.parameters],
                param_idents=[fn_name(p.name) for p in event.parameters],
                dataschema=_option(event.dataschema or None),
                delivery="Jetstream" if event.delivery == "jetstream" else "Core",
                stream=_option(event.stream),
                dead_letter=_option(domain.dead_letter_template or None),
                patterns=_patterns(event),
                validate=_validate(event, types, checks),
                method=fn_name(event.method),
                jetstream=event.delivery == "jetstream",
            )
    return views


def domain_views(ir: SpecIR, events: dict[str, EventView]) -> list[DomainView]:
    alloc = NameAllocator()
    for reserved in ("lib", "models", "events", "runtime", "schema"):
        alloc.allocate(reserved)
    return [_domain(d, alloc, events) for d in ir.domains]


def _domain(domain: DomainIR, alloc: NameAllocator, events: dict[str, EventView]) -> DomainView:
    base = type_name(domain.name)
    return DomainView(
        module=alloc.allocate(module_name(domain.name)),
        publisher=f"{base}Publisher",
        subscriber=f"{base}Subscriber",
        docs=doc_attrs(domain.title, domain.description),
        events=[events[e.type] for e in domain.events],
    )
