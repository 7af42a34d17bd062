"""Views of the overview pages: domains with their event families, packages, types, streams."""

from __future__ import annotations

from dataclasses import dataclass

from specgen.docs.schema_view import DeclView, SchemaView
from specgen.docs.site import Family, SiteMap
from specgen.docs.streams_view import keeps
from specgen.docs.text import humanize, safe_id
from specgen.ir import DomainIR, SpecIR
from specgen.ir import types as t

LANGUAGE_NAMES = {
    "python": "Python (pip)",
    "typescript": "TypeScript (npm)",
    "rust": "Rust (cargo)",
}


@dataclass(frozen=True)
class VersionLink:
    version: int
    type: str
    href: str
    deprecated: bool


@dataclass(frozen=True)
class FamilyRow:
    key: str
    title: str
    href: str
    versions: tuple[VersionLink, ...]
    subject: str
    summary: str


@dataclass(frozen=True)
class DomainView:
    name: str
    anchor: str
    title: str
    href: str
    description: str
    summary: str
    event_count: int
    delivery: str
    stream: str
    stream_href: str
    retention: str
    subjects: tuple[str, ...]
    dead_letter: str
    families: tuple[FamilyRow, ...]


@dataclass(frozen=True)
class Package:
    language: str
    name: str


@dataclass(frozen=True)
class EventLink:
    type: str
    href: str


@dataclass(frozen=True)
class TypeUse:
    decl: DeclView
    used_by: tuple[EventLink, ...]


@dataclass(frozen=True)
class TypeGroup:
    anchor: str
    title: str
    decls: tuple[TypeUse, ...]


def _family_row(site: SiteMap, family: Family) -> FamilyRow:
    latest = family.latest
    return FamilyRow(
        key=family.key,
        title=family.title,
        href=family.href,
        versions=tuple(
            VersionLink(e.version, e.type, site.event_href(e), e.deprecated) for e in family.events
        ),
        subject=latest.subject_template,
        summary=latest.summary or latest.title,
    )


def _first_sentence(text: str) -> str:
    flat = " ".join(text.split())
    end = flat.find(". ")
    return flat if end < 0 else flat[: end + 1]


def domain_view(site: SiteMap, domain: DomainIR) -> DomainView:
    stream = domain.stream
    durable = any(e.delivery == "jetstream" for e in domain.events)
    return DomainView(
        name=domain.name,
        anchor=safe_id(domain.name),
        title=domain.title or humanize(domain.name),
        href=site.domain_href(domain.name),
        description=domain.description,
        summary=_first_sentence(domain.description),
        event_count=len(domain.events),
        delivery="JetStream (stored)" if durable else "core NATS (not stored)",
        stream=stream.name if stream else "",
        stream_href=site.stream_href(stream.name) if stream else "",
        retention=keeps(stream) if stream else "",
        subjects=stream.subjects if stream else (),
        dead_letter=domain.dead_letter_template,
        families=tuple(_family_row(site, f) for f in site.families[domain.name]),
    )


def packages(ir: SpecIR) -> list[Package]:
    names = {
        "python": ir.project.packages.python_distribution,
        "typescript": ir.project.packages.typescript_name,
        "rust": ir.project.packages.rust_crate,
    }
    return [
        Package(LANGUAGE_NAMES.get(lang, lang), names[lang])
        for lang in ir.project.languages
        if lang in names
    ]


_GROUPS = (("object", "Objects"), ("enum", "Enumerations"), ("alias", "Other named types"))


def type_groups(ir: SpecIR, site: SiteMap) -> list[TypeGroup]:
    schema = SchemaView(ir, site.type_href)
    users: dict[str, list[EventLink]] = {}
    for event in ir.events():
        for name in schema.reachable(event.payload):
            users.setdefault(name, []).append(EventLink(event.type, site.event_href(event)))
    groups = []
    for kind, title in _GROUPS:
        decls: list[t.TypeDecl] = [d for d in ir.types if d.kind == kind]
        if decls:
            uses = tuple(
                TypeUse(schema.decl_view(d, site.type_anchor(d.name)), tuple(users.get(d.name, ())))
                for d in decls
            )
            groups.append(TypeGroup(f"group-{kind}", title, uses))
    return groups
