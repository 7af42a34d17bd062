"""The views of ``events.py`` and of one module per domain (publisher and subscriber)."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.backends.python.literals import docstring, py_str
from specgen.backends.python.models import NameMap, payload_class
from specgen.backends.python.names import class_name, method_name, module_name
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir.naming import NameAllocator


@dataclass(frozen=True)
class EventView:
    name: str
    method: str
    data_class: str
    docstring: str
    method_docstring: str
    type_literal: str
    source_literal: str
    subject_literal: str
    dataschema_literal: str
    delivery: str  # JETSTREAM or CORE
    stream_literal: str  # a literal or None
    dead_letter_literal: str
    patterns_literal: str  # a tuple of (parameter, pattern) pairs, or ""
    mqtt_literal: str  # MqttSpec(...) when the event is served over MQTT, or ""
    params: tuple[str, ...]  # parameter names, e.g. ("site_id",)
    params_call: str  # "site_id=site_id"
    params_dict: str  # '{"site_id": site_id}'
    params_mapping: str  # '{"site_id": site_id}', or "{}"
    returns: str  # result type of the publish method


@dataclass(frozen=True)
class DomainView:
    name: str
    module: str
    publisher: str
    subscriber: str
    union: str
    docstring: str
    events: tuple[EventView, ...]
    common_params: tuple[str, ...]  # parameters every event of the domain has
    common_params_dict: str
    all_method: str  # the subscriber method taking every event type of the domain


def _event_doc(event: EventIR) -> str:
    parts = [event.title or event.name, event.summary, event.description]
    parts.append(f"CloudEvents type ``{event.type}``, subject ``{event.subject_template}``.")
    return "\n\n".join(p.strip() for p in parts if p.strip())


def _call(names: list[str], params: list[str]) -> str:
    """Keyword arguments passing parameters on: ``site_id=site_id`` or ``**{"my-id": my_id}``."""
    if names == params:
        return ", ".join(f"{p}={p}" for p in params)
    return "**{" + ", ".join(f"{py_str(n)}: {p}" for n, p in zip(names, params, strict=True)) + "}"


def _params_dict(names: list[str], params: list[str]) -> str:
    """The parameters as a dict expression; typed when empty, so ``mypy --strict`` can infer it."""
    if not names:
        return "dict[str, str | None]()"
    pairs = ", ".join(f"{py_str(n)}: {p}" for n, p in zip(names, params, strict=True))
    return "{" + pairs + "}"


def _patterns(event: EventIR) -> str:
    """``((name, pattern), ...)`` of the parameters that have a pattern, or "" when none do."""
    pairs = [(p.name, p.pattern) for p in event.parameters if p.pattern]
    if not pairs:
        return ""
    return "(" + "".join(f"({py_str(n)}, {py_str(pat)})," for n, pat in pairs) + ")"


def _mqtt(event: EventIR) -> str:
    """``MqttSpec(...)`` of an event served over MQTT, or "" when it is not."""
    if event.mqtt is None:
        return ""
    m = event.mqtt
    return f"MqttSpec({py_str(m.topic)}, qos={m.qos}, device_publish={m.device_publish})"


def event_view(
    ir: SpecIR, domain: DomainIR, event: EventIR, name_of: NameMap, name: str
) -> EventView:
    """The view of one event; ``name`` is its class name, unique in the package."""
    names = [p.name for p in event.parameters]
    params = [method_name(p) for p in names]
    durable = event.delivery == "jetstream"
    return EventView(
        name=name,
        method=method_name(event.method),
        data_class=payload_class(ir, event.payload.name, name_of),  # type: ignore[union-attr]
        docstring=docstring(_event_doc(event)),
        method_docstring=docstring(
            f"Publish ``{event.type}`` to ``{event.subject_template}``"
            + (
                " and wait for the stream's acknowledgement (with an outbox: until the event"
                " is durably enqueued)."
                if durable
                else " (core NATS)."
            )
        ),
        type_literal=py_str(event.type),
        source_literal=py_str(event.source_template),
        subject_literal=py_str(event.subject_template),
        dataschema_literal=py_str(event.dataschema),
        delivery="JETSTREAM" if durable else "CORE",
        stream_literal=py_str(event.stream) if event.stream else "None",
        dead_letter_literal=py_str(domain.dead_letter_template),
        patterns_literal=_patterns(event),
        mqtt_literal=_mqtt(event),
        params=tuple(params),
        params_call=_call(names, params),
        params_dict=_params_dict(names, params),
        params_mapping=_params_dict(names, params) if names else "{}",
        returns="PublishResult",
    )


def domain_views(ir: SpecIR, name_of: NameMap) -> list[DomainView]:
    views = []
    taken = NameAllocator()  # one events module: an event name used by two domains is numbered
    for domain in ir.domains:
        events = tuple(
            event_view(ir, domain, e, name_of, taken.allocate(class_name(e.name)))
            for e in domain.events
        )
        base = class_name(domain.name)
        doc = domain.description or domain.title or f"Events of the {domain.name} domain."
        names = [p.name for p in domain.events[0].parameters] if domain.events else []
        common = [
            n for n in names if all(n in {p.name for p in e.parameters} for e in domain.events)
        ]
        methods = NameAllocator()
        for event in events:
            methods.allocate(event.method)
        views.append(
            DomainView(
                name=domain.name,
                module=module_name(domain.name),
                publisher=f"{base}Publisher",
                subscriber=f"{base}Subscriber",
                union=f"{base}Event",
                docstring=docstring(doc),
                events=events,
                common_params=tuple(method_name(n) for n in common),
                common_params_dict=_params_dict(common, [method_name(n) for n in common]),
                all_method=methods.allocate("all_events"),
            )
        )
    return views
