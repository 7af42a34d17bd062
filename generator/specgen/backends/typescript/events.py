"""The views of ``events.js``/``events.d.ts`` and of one module pair per domain.

JavaScript holds data: each event is ``new rt.EventSpec({...})`` with its data schema, each
domain a method table that ``rt.publisherClass``/``rt.subscriberClass`` turn into classes.
The declarations (``.d.ts``) give those their exact types. Every piece whose line breaks
depend on the spec is laid out here (``layout``), so the templates only place them.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.layout import HARD, Doc, Group, render
from specgen.backends.typescript import layout as ly
from specgen.backends.typescript.literals import jsdoc_lines, ts_key, ts_str
from specgen.backends.typescript.names import member_name, module_file, type_name
from specgen.backends.typescript.patterns import with_re2
from specgen.backends.typescript.types import NameMap
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir import types as t
from specgen.ir.naming import NameAllocator

# Option names the generated methods already use: a parameter must not take them.
_OPTION_NAMES = frozenset(
    {
        "id",
        "time",
        "subject",
        "extensions",
        "durable",
        "batch",
        "params",
        "fetchTimeoutMs",
        "deadLetter",
        "ackTimeoutMs",
        "jsDomain",
    }
)
# Names index.js/index.d.ts export besides the events' and domains'.
PACKAGE_NAMES = (
    "EVENT_TYPES",
    "MQTT_TOPICS",
    "PACKAGE_NAME",
    "PACKAGE_VERSION",
    "models",
    "runtime",
)


@dataclass(frozen=True)
class EventView:
    name: str
    type: str
    method: str
    data_type: str
    params: tuple[tuple[str, str], ...]  # (option name, subject parameter name)
    doc: str
    method_doc: list[str]
    subscribe_doc: list[str]
    js: str  # `export const X = new rt.EventSpec({...});` with its comment
    dts: str  # its declarations
    publish_options: str  # interface names, "" when the event has no parameters
    subscribe_options: str
    mqtt: bool  # served over MQTT (x-mqtt)


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


def _spec_literal(domain: DomainIR, event: EventIR, name: str) -> Doc:
    stream: object = event.stream or None
    fields: list[tuple[str, object]] = [
        ("name", name),
        ("type", event.type),
        ("sourceTemplate", event.source_template),
        ("subjectTemplate", event.subject_template),
        ("dataschema", event.dataschema),
        ("delivery", event.delivery),
        ("stream", stream),
        ("deadLetterTemplate", domain.dead_letter_template),
    ]
    patterns = {p.name: p.pattern for p in event.parameters if p.pattern}
    if patterns:
        fields.append(("parameterPatterns", patterns))
    if event.mqtt is not None:
        m = event.mqtt
        fields.append(("mqtt", {"topic": m.topic, "qos": m.qos, "devicePublish": m.device_publish}))
    fields.append(("schema", with_re2(event.payload_schema, list(patterns.values()))))
    return ly.obj(fields, force_break=True)


def _event(
    domain: DomainIR, event: EventIR, names: NameMap, method: str, name: str, alloc: NameAllocator
) -> EventView:
    taken = set(_OPTION_NAMES)
    params = tuple((member_name(p.name, taken), p.name) for p in event.parameters)
    assert isinstance(event.payload, t.Named), "the IR names every payload"
    data_type = names(event.payload.name)
    doc = "\n".join(jsdoc_lines(_event_doc(event)))
    js = render(ly.export_const_call(name, "new rt.EventSpec", _spec_literal(domain, event, name)))
    event_type = ly.TsType.simple(f"rt.Event<models.{data_type}>")
    declared = f"export declare const {name}: rt.EventSpec<models.{data_type}>;"
    dts = "\n".join([doc, declared, doc, render(ly.type_alias(name, event_type))])
    durable = event.delivery == "jetstream"
    deprecated = "\n\n@deprecated" if event.deprecated else ""
    method_doc = jsdoc_lines(
        f"Publish `{event.type}` to `{event.subject_template}`"
        + (" and wait for the stream's acknowledgement." if durable else " (core NATS).")
        + deprecated
    )
    return EventView(
        name=name,
        type=event.type,
        method=method,
        data_type=data_type,
        params=params,
        doc=doc,
        method_doc=method_doc,
        subscribe_doc=jsdoc_lines(
            f"Subscribe to `{name}` events; close the subscription when done."
        ),
        js=f"{doc}\n{js}",
        dts=dts,
        publish_options=alloc.allocate(f"{name}PublishOptions") if params else "",
        subscribe_options=alloc.allocate(f"{name}SubscribeOptions") if params else "",
        mqtt=event.mqtt is not None,
    )


def domain_views(ir: SpecIR, names: NameMap) -> list[DomainView]:
    events = NameAllocator()  # one events.js: an event name used by two domains is numbered
    exported = NameAllocator()  # everything index.js re-exports must be unique
    for reserved in PACKAGE_NAMES:
        exported.allocate(reserved)
    chosen = [[events.allocate(type_name(e.name)) for e in d.events] for d in ir.domains]
    for name in (n for event_names in chosen for n in event_names):
        exported.allocate(name)
    return [
        _domain(domain, event_names, names, exported)
        for domain, event_names in zip(ir.domains, chosen, strict=True)
    ]


def _domain(
    domain: DomainIR, event_names: list[str], names: NameMap, exported: NameAllocator
) -> DomainView:
    base = type_name(domain.name)
    publisher, subscriber, union = (
        exported.allocate(f"{base}{kind}") for kind in ("Publisher", "Subscriber", "Event")
    )
    taken = {"publish", "publisher", "nc", "options", "constructor"}
    about = domain.description or domain.title or f"Events of the {domain.name} domain."
    return DomainView(
        name=domain.name,
        file=module_file(domain.name),
        publisher=publisher,
        subscriber=subscriber,
        union=union,
        doc="\n".join(jsdoc_lines(about)),
        events=tuple(
            _event(domain, e, names, member_name(e.method, taken), name, exported)
            for e, name in zip(domain.events, event_names, strict=True)
        ),
    )


# -- the domain modules --------------------------------------------------------------------------
def methods_table(d: DomainView) -> str:
    """``const METHODS = {...};``: each method's event spec and parameter options."""
    rows = []
    for e in d.events:
        options = [ly.prop(ts_key(o, javascript=True), ts_str(p), "leaf") for o, p in e.params]
        params = ly.table(options) if options else Group(Group("{}"))
        entry = ly.table(
            [ly.prop("spec", f"events.{e.name}", "leaf"), ly.prop("params", params, "other")]
        )
        rows.append(ly.prop(e.method, entry, "other"))
    return render(ly.export_const_value("METHODS", ly.table(rows), exported=False))


def domain_classes(d: DomainView) -> list[str]:
    """``export const OrdersPublisher = rt.publisherClass("OrdersPublisher", METHODS);`` and co."""
    out = []
    for name, factory in ((d.publisher, "rt.publisherClass"), (d.subscriber, "rt.subscriberClass")):
        made = ly.call(factory, [ts_str(name), "METHODS"])
        out.append(render(ly.export_const_value(name, made)))
    return out


def domain_declarations(d: DomainView) -> list[str]:
    """The declarations of a domain module: its event union, option types and two classes."""
    union = ly.TsType.union([ly.TsType.simple(f"events.{e.name}") for e in d.events])
    about = jsdoc_lines(f"Any event of the {d.name} domain.")
    blocks = ["\n".join([*about, render(ly.type_alias(d.union, union))])]
    for e in d.events:
        if e.params:
            blocks.append(_options(e.publish_options, "rt.CreateOptions", e.params, False))
            blocks.append(
                _options(e.subscribe_options, "rt.DomainSubscribeOptions", e.params, True)
            )
    return blocks


def _options(name: str, base: str, params: tuple[tuple[str, str], ...], optional: bool) -> str:
    members: list[Doc] = []
    for option, parameter in params:
        members += jsdoc_lines(
            f"Subject parameter `{parameter}`" + (" (all when left out)." if optional else ".")
        )
        members.append(
            ly.property_signature(
                option, ly.TsType.simple("string"), optional=optional, readonly=True
            )
        )
    return render([ly.interface_heading(name, base), ly.block(members), HARD, "}"])


_PUBLISHED = ly.TsType.generic("Promise", ly.TsType.simple("rt.PublishResult"))


def publisher_members(d: DomainView) -> str:
    members: list[Doc] = []
    for e in d.events:
        options = f"options: {e.publish_options}" if e.params else "options?: rt.CreateOptions"
        members += e.method_doc
        params = [f"data: models.{e.data_type}", options]
        members.append(ly.method_signature(e.method, params, _PUBLISHED))
    members += jsdoc_lines(
        "Publish an event built before (for example re-sending one with its original id)."
    )
    params = [f"event: {d.union}", "subject: string"]
    members.append(ly.method_signature("publish", params, _PUBLISHED))
    return ly.body(members)


def subscriber_members(d: DomainView) -> str:
    members: list[Doc] = []
    for e in d.events:
        options = e.subscribe_options or "rt.DomainSubscribeOptions"
        data = ly.TsType.simple(f"models.{e.data_type}")
        returns = ly.TsType.generic("Promise", ly.TsType.generic("rt.Subscription", data))
        members += e.subscribe_doc
        members.append(ly.method_signature(e.method, [f"options?: {options}"], returns))
    return ly.body(members)


def class_headings(d: DomainView) -> tuple[str, str]:
    return (
        render(ly.class_heading(d.publisher, "rt.DomainPublisher")),
        render(ly.class_heading(d.subscriber, "rt.DomainSubscriber")),
    )
