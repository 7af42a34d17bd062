"""The event types (``events/<domain>.rs``) and the typed publishers and subscribers of each
domain (``<domain>.rs``), laid out as rustfmt lays them out."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.rust import layout
from specgen.backends.rust.checks import IND, Checks, Statics
from specgen.backends.rust.literals import doc_text, rust_str
from specgen.backends.rust.names import fn_name, module_name, type_name
from specgen.backends.rust.typemap import RustBackendError, RustTypes
from specgen.backends.templating import render
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir import types as t
from specgen.ir.naming import NameAllocator

RESULT = "Result<PublishResult, NatsError>"


@dataclass
class EventView:
    name: str  # type alias: Event<Spec>
    spec: str  # marker type implementing specgen_runtime::EventType
    data: str  # payload type, from the domain's modules (`models::X`)
    docs: list[str]
    spec_lines: list[str]  # the marker type, its EventType impl and the alias
    parameters: list[tuple[str, str]]  # (wire name literal, Rust identifier)
    method: str
    type: str  # CloudEvents type
    subject_template: str
    jetstream: bool
    mqtt: list[str]  # `MqttInfo { ... }` lines at indent 0, or [] when not served over MQTT


@dataclass
class DomainView:
    module: str  # the NATS module's identifier (crate root)
    events_module: str  # its module under events/
    name: str
    publisher: str
    subscriber: str
    docs: list[str]  # `//!` lines of the module
    item_docs: list[str]  # `///` lines of its `pub mod` item
    events: list[EventView]
    publisher_lines: list[str]
    subscriber_lines: list[str]


def _option(indent: str, name: str, value: str | None) -> list[str]:
    if value is None:
        return [f"{indent}{name}: None,"]
    return layout.call(indent, f"{name}: Some", [rust_str(value)], ",")


def _patterns(event: EventIR) -> list[list[str]]:
    """The parameters' patterns, as pairs of Rust literals (the runtime checks values)."""
    return [[rust_str(p.name), rust_str(p.pattern)] for p in event.parameters if p.pattern]


def mqtt_info(event: EventIR) -> list[str]:
    """The event's ``MqttInfo { ... }`` literal (rustfmt breaks it: wider than 18 columns)."""
    if event.mqtt is None:
        return []
    m = event.mqtt
    return [
        "MqttInfo {",
        f"{IND}topic: {rust_str(m.topic)},",
        f"{IND}qos: {m.qos},",
        f"{IND}device_publish: {'true' if m.device_publish else 'false'},",
        "}",
    ]


def _mqtt_field(indent: str, literal: list[str]) -> list[str]:
    if not literal:
        return [f"{indent}mqtt: None,"]
    body = [f"{indent}{line}" for line in literal[1:-1]]
    return [f"{indent}mqtt: Some({literal[0]}", *body, f"{indent}}}),"]


def _validate(event: EventIR, types: RustTypes, checks: Checks) -> str:
    ref = event.payload
    if not isinstance(ref, t.Named):
        raise RustBackendError(f"{event.type}: the payload must be a named type")
    decl = types.decls[ref.name]
    if isinstance(decl, t.EnumDecl):
        return ""
    if types.is_alias(ref):
        assert isinstance(decl, t.AliasDecl)
        if not checks.lines(decl.type, "data", "path", "", "x", Statics()):
            return ""
        return f"models::{checks.alias_fn(ref.name)}(data, path)"
    return "Validate::validate_at(data, path)"


def _spec_lines(domain: DomainIR, event: EventIR, view: EventView, validate: str) -> list[str]:
    inner = IND * 2
    info = [
        f"{inner}event_type: {rust_str(event.type)},",
        f"{inner}source_template: {rust_str(event.source_template)},",
        f"{inner}subject_template: {rust_str(event.subject_template)},",
        *layout.array(inner, "parameters: ", [p for p, _ in view.parameters], ","),
        *_option(inner, "dataschema", event.dataschema or None),
        f"{inner}delivery: Delivery::{'Jetstream' if view.jetstream else 'Core'},",
        *_option(inner, "stream", event.stream),
        *_option(inner, "dead_letter_template", domain.dead_letter_template or None),
        *layout.tuples(inner, "parameter_patterns: ", _patterns(event), ",", borrowed=True),
        *_mqtt_field(inner, view.mqtt),
    ]
    used = "data: &Self::Data, path: &Path<'_>"
    params = used if validate else "_data: &Self::Data, _path: &Path<'_>"
    view_fields = {"docs": view.docs, "spec": view.spec, "data": view.data, "name": view.name}
    text = render(
        "rust/events/event.rs.jinja",
        info=info,
        params=params,
        validate=validate or "Ok(())",
        **view_fields,
    )
    return text.rstrip("\n").split("\n")


def event_views(ir: SpecIR, types: RustTypes, checks: Checks) -> dict[str, EventView]:
    alloc = NameAllocator()
    views: dict[str, EventView] = {}
    for domain in ir.domains:
        for event in domain.events:
            name = alloc.allocate(type_name(event.name))
            assert isinstance(event.payload, t.Named)
            text = doc_text(
                event.title, event.summary, event.description, f"CloudEvents type `{event.type}`."
            )
            view = EventView(
                name=name,
                spec=alloc.allocate(f"{name}Spec"),
                data=f"models::{types.names.of(event.payload.name)}",
                docs=layout.doc_lines(text),
                spec_lines=[],
                parameters=[(rust_str(p.name), fn_name(p.name)) for p in event.parameters],
                method=fn_name(event.method),
                type=event.type,
                subject_template=event.subject_template,
                jetstream=event.delivery == "jetstream",
                mqtt=mqtt_info(event),
            )
            view.spec_lines = _spec_lines(domain, event, view, _validate(event, types, checks))
            views[event.type] = view
    return views


# -- the NATS modules of the domains -------------------------------------------------------
def _params(e: EventView) -> list[str]:
    return layout.tuples(IND * 2, "let params = ", [[w, i] for w, i in e.parameters], ";")


def _send(call: str, args: str) -> list[str]:
    """``self.publisher.call(args).await``, a chain rustfmt breaks one call per line."""
    step = f"{IND * 3}.{call}({args})"
    if len(step) > layout.MAX_WIDTH:
        step = f"{IND * 3}.{call}(\n{IND * 4}{args},\n{IND * 3})"
    return [f"{IND * 2}self.publisher", *step.split("\n"), f"{IND * 3}.await"]


def _publisher(events: list[EventView]) -> list[str]:
    out: list[str] = []
    returns = f" -> {RESULT} {{"
    for e in events:
        idents = [f"{ident}: &str" for _, ident in e.parameters]
        params = _params(e) if e.parameters else []
        sent = "&params" if e.parameters else "&[]"
        what = "and wait for the stream's acknowledgement" if e.jetstream else "(core NATS)"
        about = f"Publish `{e.type}` to `{e.subject_template}` {what}."
        inputs = ["&self", f"data: {e.data}", *idents]
        out += ["", *layout.doc_lines(about, IND)]
        out += layout.signature(IND, f"pub async fn {e.method}", inputs, returns)
        out += [*params, *_send(f"publish_data::<events::{e.spec}>", f"data, {sent}"), f"{IND}}}"]
        about = "Publish a prepared event (for example with a chosen id) to its subject."
        method = f"{e.method.removeprefix('r#')}_event"
        inputs = ["&self", f"event: &events::{e.name}", *idents]
        out += ["", *layout.doc_lines(about, IND)]
        out += layout.signature(IND, f"pub async fn {method}", inputs, returns)
        out += [*params, f"{IND * 2}let subject = events::{e.spec}::INFO.subject_for({sent})?;"]
        out += [f"{IND * 2}self.publisher.publish(event, &subject).await", f"{IND}}}"]
    return out


def _subscriber(events: list[EventView]) -> list[str]:
    out: list[str] = []
    for e in events:
        idents = [f"{ident}: Option<&str>" for _, ident in e.parameters]
        returns = f" -> Result<Subscription<events::{e.spec}>, NatsError> {{"
        about = f"Subscribe to `{e.name}` events (`durable`: a durable consumer name)."
        inputs = ["&self", *idents, "durable: Option<&str>"]
        out += ["", *layout.doc_lines(about, IND)]
        out += layout.signature(IND, f"pub async fn {e.method}", inputs, returns)
        if e.parameters:
            out.append(f"{IND * 2}let mut params = Vec::new();")
            for wire, ident in e.parameters:
                out += [f"{IND * 2}if let Some(value) = {ident} {{"]
                out += [f"{IND * 3}params.push(({wire}, value));", f"{IND * 2}}}"]
        sent = "&params" if e.parameters else "&[]"
        inputs = ["self.client.clone()", "self.stream.as_deref()", sent, "durable"]
        out += layout.call(IND * 2, "nats::subscribe_from", inputs, ".await")
        out.append(f"{IND}}}")
    return out


def domain_views(ir: SpecIR, events: dict[str, EventView]) -> list[DomainView]:
    alloc = NameAllocator()
    for reserved in ("lib", "models", "events", "runtime", "schema"):
        alloc.allocate(reserved)
    submodules = NameAllocator()
    return [_domain(d, alloc, submodules, events) for d in ir.domains]


def _domain(
    domain: DomainIR, alloc: NameAllocator, submodules: NameAllocator, events: dict[str, EventView]
) -> DomainView:
    base = type_name(domain.name)
    views = [events[e.type] for e in domain.events]
    publisher = f"{base}Publisher"
    text = doc_text(domain.title, domain.description)
    return DomainView(
        module=alloc.allocate(module_name(domain.name)),
        events_module=submodules.allocate(module_name(domain.name)),
        name=domain.name,
        publisher=publisher,
        subscriber=f"{base}Subscriber",
        docs=layout.doc_lines(text, inner=True),
        item_docs=layout.doc_lines(text),
        events=views,
        publisher_lines=_publisher(views),
        subscriber_lines=_subscriber(views),
    )
