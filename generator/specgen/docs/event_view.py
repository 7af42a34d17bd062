"""An event family's page: its versions side by side, then each version in full.

The comparison lists the CloudEvents attributes and the payload's top-level fields of every
version in columns; a cell is marked ``changed`` when it differs from the version before.
"""

from __future__ import annotations

from dataclasses import dataclass

from specgen.docs.mqtt_view import direction, qos_text
from specgen.docs.schema_view import DeclView, Piece, SchemaView
from specgen.docs.site import Family, SiteMap
from specgen.docs.streams_view import Hop, delivery_text, hops
from specgen.docs.text import count, humanize, json_block
from specgen.ir import EventIR, SpecIR
from specgen.ir import types as t


@dataclass(frozen=True)
class ExampleView:
    name: str
    summary: str
    json: str


@dataclass(frozen=True)
class ParameterView:
    name: str
    description: str
    pattern: str


@dataclass(frozen=True)
class VersionView:
    anchor: str
    name: str
    type: str
    version: int
    title: str
    summary: str
    description: str
    deprecated: bool
    subject: str
    source: str
    parameters: tuple[ParameterView, ...]
    delivery: str
    delivery_text: str
    dataschema: str
    schema_href: str
    payload: tuple[Piece, ...]
    decls: tuple[DeclView, ...]  # the payload declaration first, then every type it uses
    examples: tuple[ExampleView, ...]
    hops: tuple[Hop, ...]
    dead_letter: str
    mqtt: MqttFact | None  # served over MQTT (x-mqtt)


@dataclass(frozen=True)
class MqttFact:
    topic: str
    qos: int
    qos_text: str
    direction: str


@dataclass(frozen=True)
class Cell:
    pieces: tuple[Piece, ...]  # empty: absent in this version
    note: str  # "required", "optional", ""
    changed: bool


@dataclass(frozen=True)
class Row:
    label: str
    code: bool  # show the values as code (names, subjects), not as words
    cells: tuple[Cell, ...]


@dataclass(frozen=True)
class FamilyView:
    key: str
    title: str
    versions_text: str  # "2 versions"
    side_by_side: bool  # more than one version
    domain: str
    domain_title: str
    domain_href: str
    versions: tuple[VersionView, ...]
    attributes: tuple[Row, ...]
    fields: tuple[Row, ...]


def family_view(ir: SpecIR, site: SiteMap, family: Family) -> FamilyView:
    versions = tuple(_version_view(ir, site, family, e) for e in family.events)
    return FamilyView(
        key=family.key,
        title=family.title,
        versions_text=count(len(family.events), "version"),
        side_by_side=len(family.events) > 1,
        domain=family.domain.name,
        domain_title=family.domain.title or humanize(family.domain.name),
        domain_href=site.domain_href(family.domain.name),
        versions=versions,
        attributes=tuple(_attribute_rows(versions)),
        fields=tuple(_field_rows(ir, family)),
    )


def _version_view(ir: SpecIR, site: SiteMap, family: Family, event: EventIR) -> VersionView:
    anchor = site.event_anchor(event)
    names = SchemaView(ir, site.type_href).reachable(event.payload)
    local = {name: f"{family.href}#{anchor}-{site.type_anchor(name)}" for name in names}
    schema = SchemaView(ir, lambda name: local.get(name, site.type_href(name)))
    decls = tuple(
        schema.decl_view(ir.type_named(n), f"{anchor}-{site.type_anchor(n)}") for n in names
    )
    return VersionView(
        anchor=anchor,
        name=event.name,
        type=event.type,
        version=event.version,
        title=event.title,
        summary=event.summary,
        description=event.description,
        deprecated=event.deprecated,
        subject=event.subject_template,
        source=event.source_template,
        parameters=tuple(
            ParameterView(p.name, p.description, p.pattern or "") for p in event.parameters
        ),
        delivery=event.delivery,
        delivery_text=delivery_text(event.delivery),
        dataschema=event.dataschema,
        schema_href=site.schema_href(event),
        payload=schema.type_text(event.payload),
        decls=decls,
        examples=tuple(
            ExampleView(x.name, x.summary, json_block(x.payload)) for x in event.examples
        ),
        hops=tuple(hops(ir, site, family.domain, event.delivery)),
        dead_letter=family.domain.dead_letter_template,
        mqtt=_mqtt_fact(event),
    )


def _mqtt_fact(event: EventIR) -> MqttFact | None:
    mqtt = event.mqtt
    if mqtt is None:
        return None
    return MqttFact(mqtt.topic, mqtt.qos, qos_text(mqtt), direction(mqtt))


def _cells(values: list[tuple[tuple[Piece, ...], str]]) -> tuple[Cell, ...]:
    cells = []
    for i, (pieces, note) in enumerate(values):
        changed = i > 0 and (pieces, note) != values[i - 1]
        cells.append(Cell(pieces, note, changed))
    return tuple(cells)


def _attribute_rows(versions: tuple[VersionView, ...]) -> list[Row]:
    def row(label: str, values: list[str], code: bool = True) -> Row:
        return Row(label, code, _cells([((Piece(v),) if v else (), "") for v in values]))

    return [
        row("CloudEvents type", [v.type for v in versions]),
        row("NATS subject", [v.subject for v in versions]),
        row("source", [v.source for v in versions]),
        row("delivery", [v.delivery for v in versions]),
        row("stream", [v.hops[0].stream if v.hops else "" for v in versions]),
        row("payload", ["".join(p.text for p in v.payload) for v in versions]),
        row("status", ["deprecated" if v.deprecated else "current" for v in versions], False),
    ]


def _field_rows(ir: SpecIR, family: Family) -> list[Row]:
    """The payload's top-level fields across versions, in order of first appearance."""
    schema = SchemaView(ir, lambda name: "")  # plain text: the full tables carry the links
    per_version: list[dict[str, t.Field]] = []
    order: list[str] = []
    for event in family.events:
        fields = _top_fields(ir, event)
        per_version.append(fields)
        order += [name for name in fields if name not in order]
    rows = []
    for name in order:
        values: list[tuple[tuple[Piece, ...], str]] = []
        for fields in per_version:
            field = fields.get(name)
            if field is None:
                values.append(((), ""))
            else:
                text = "".join(p.text for p in schema.type_text(field.type))
                values.append(((Piece(text),), "required" if field.required else "optional"))
        rows.append(Row(name, True, _cells(values)))
    return rows


def _top_fields(ir: SpecIR, event: EventIR) -> dict[str, t.Field]:
    decl = ir.type_named(event.payload.name) if isinstance(event.payload, t.Named) else None
    if not isinstance(decl, t.ObjectDecl):
        return {}
    return {field.json_name: field for field in decl.fields}
