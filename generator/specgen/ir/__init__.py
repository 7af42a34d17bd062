"""The language-neutral intermediate representation (IR) every backend generates from.

::

    SpecIR
    +-- project: ProjectIR            names and version of the packages, languages
    +-- types: (TypeDecl, ...)        every named payload type (see ir.types), sorted by name
    +-- domains: (DomainIR, ...)      one per AsyncAPI document
    |   +-- stream: StreamIR | None   the JetStream stream every site creates for the domain
    |   +-- events: (EventIR, ...)    one per CloudEvent type
    |       +-- parameters, subject/source templates, delivery, payload TypeRef,
    |           payload_schema (self-contained JSON Schema), examples
    |       +-- mqtt: MqttIR | None       the MQTT topic, QoS and device publishing
    +-- topology: TopologyIR          the per-site upload stream, the cloud streams, dead letters

Everything is a frozen dataclass of plain values, tuples and other IR nodes, so it compares by
value and serialises to JSON (``specgen.ir.serialize``). Nothing here is specific to a
language: names are PascalCase/snake_case words that each backend makes safe for itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.ir.types import JsonValue, TypeDecl, TypeRef


@dataclass(frozen=True)
class PackageNames:
    python_distribution: str
    python_module: str
    typescript_name: str
    rust_crate: str


@dataclass(frozen=True)
class ProjectIR:
    name: str
    version: str
    dataschema_base: str
    packages: PackageNames
    languages: tuple[str, ...]
    site_id_pattern: str
    example_site_ids: tuple[str, ...]
    license: str | None = None  # SPDX expression of every generated package


@dataclass(frozen=True)
class StreamIR:
    """A JetStream stream. ``subjects`` are templates over ``{site_id}``; durations are whole
    milliseconds (``max_age_ms == 0``: unlimited)."""

    name: str
    subjects: tuple[str, ...]
    retention: str
    max_age_ms: int
    storage: str
    replicas: int
    duplicate_window_ms: int


@dataclass(frozen=True)
class Parameter:
    name: str
    description: str = ""
    pattern: str | None = None


@dataclass(frozen=True)
class Example:
    name: str
    summary: str
    payload: JsonValue


@dataclass(frozen=True)
class MqttIR:
    """How a site's MQTT listener serves one event type (``x-mqtt`` of its channel).

    ``topic`` is the subject template mapped by the server's rules (``.`` to ``/``), e.g.
    ``pf/{site_id}/site_operations/charger_status_changed/v1``. ``qos`` is the QoS the events
    reach QoS-1 subscriptions at (1 only for stored events). ``device_publish``: devices may
    publish these events over MQTT.
    """

    topic: str
    qos: int
    device_publish: bool


@dataclass(frozen=True)
class EventIR:
    """One CloudEvent type: its attributes, where it travels and what its data holds."""

    name: str  # PascalCase, unique: the event class name, e.g. OrderCreatedV1
    method: str  # snake_case publisher/subscriber method name, e.g. order_created_v1
    type: str  # CloudEvents type, e.g. com.powerflex.orders.order_created.v1
    version: int
    source_template: str
    subject_template: str
    parameters: tuple[Parameter, ...]
    delivery: str  # "jetstream" or "core"
    stream: str | None
    dataschema: str
    payload: TypeRef
    payload_schema: JsonValue
    examples: tuple[Example, ...]
    title: str = ""
    summary: str = ""
    description: str = ""
    deprecated: bool = False
    mqtt: MqttIR | None = None


@dataclass(frozen=True)
class DomainIR:
    name: str  # snake_case, e.g. load_management
    title: str
    description: str
    stream: StreamIR | None
    dead_letter_template: str
    events: tuple[EventIR, ...]


@dataclass(frozen=True)
class UploadStreamIR:
    stream: StreamIR
    domains: tuple[str, ...]


@dataclass(frozen=True)
class TopologyIR:
    upload: UploadStreamIR | None
    cloud_domain: str
    cloud_streams: tuple[StreamIR, ...]
    dead_letter_stream: StreamIR | None


@dataclass(frozen=True)
class SpecIR:
    project: ProjectIR
    types: tuple[TypeDecl, ...]
    domains: tuple[DomainIR, ...]
    topology: TopologyIR

    def type_named(self, name: str) -> TypeDecl:
        for decl in self.types:
            if decl.name == name:
                return decl
        raise KeyError(name)

    def events(self) -> tuple[EventIR, ...]:
        return tuple(event for domain in self.domains for event in domain.events)


__all__ = [
    "DomainIR",
    "EventIR",
    "Example",
    "MqttIR",
    "PackageNames",
    "Parameter",
    "ProjectIR",
    "SpecIR",
    "StreamIR",
    "TopologyIR",
    "TypeDecl",
    "TypeRef",
    "UploadStreamIR",
]
