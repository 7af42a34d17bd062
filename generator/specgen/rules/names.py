"""Names unique across a specgen project: message names, channel addresses (one subject per
channel), operation ids, stream names and the keys of the component schemas that become type
names.

AsyncAPI itself asks none of this (a WebSocket API may well have many channels on one address
``/``, and two messages may share a name), and the generators cope (each document is its own
domain), so this is a rule of our own conventions (``specgen``). One object reached through
several ``$ref``s is one definition, not a duplicate.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.nats_subjects import normalized
from specgen.rules.context import Context
from specgen.rules.registry import SPECGEN, Rule
from specgen.rules.streams import streams

RULE = "SG-NAME-DUPLICATE"
_COMPONENT_SCHEMA = re.compile(r"^/components/schemas/([^/]+)$")


@dataclass(frozen=True)
class Named:
    """One definition: its name, the object it is (for identity) and where the name is."""

    name: str
    obj: Any
    location: Location


def _duplicates(kind: str, named: list[Named], hint: str) -> Iterator[Diagnostic]:
    first: dict[str, Named] = {}
    for item in named:
        seen = first.setdefault(item.name, item)
        if seen.obj is item.obj:
            continue
        yield error(
            RULE,
            f"{kind} {item.name!r} is also defined at {seen.location.file}:{seen.location.line}",
            item.location,
            hint,
        )


def _messages(ctx: Context) -> list[Named]:
    return [
        Named(message.name, message.raw, ctx.locate(message, "name"))
        for document in ctx.documents
        for message in document.messages
        if message.name is not None
    ]


def _channels(ctx: Context) -> list[Named]:
    return [
        Named(normalized(channel.address), channel.node.raw, ctx.locate(channel.node, "address"))
        for channel in ctx.channels()
        if channel.address is not None
    ]


def _operations(ctx: Context) -> list[Named]:
    return [
        Named(key, op.raw, ctx.spec.locate(document.api.raw["operations"], key))
        for document in ctx.documents
        for key, op in document.operations
    ]


def _streams(ctx: Context) -> list[Named]:
    """Every stream: the documents' x-streams and the project file's."""
    return [Named(s.settings.name, s.settings, s.where("name")) for s in streams(ctx)]


def _schema_values(ctx: Context) -> Iterator[Any]:
    for document in ctx.documents:
        components = document.api.components
        yield from ((components.schemas if components else None) or {}).values()
        for message in document.messages:
            yield message.payload
            yield message.headers


def _schemas(ctx: Context) -> list[Named]:
    """Component schemas reachable from the documents, in whichever file they are defined."""
    found: dict[int, Named] = {}
    stack = list(_schema_values(ctx))
    seen: set[int] = set()
    while stack:
        value = stack.pop()
        if not isinstance(value, dict | list) or id(value) in seen:
            continue
        seen.add(id(value))
        origin = ctx.spec.origin_of(value)
        match = _COMPONENT_SCHEMA.match(origin.pointer) if origin else None
        if origin is not None and match is not None:
            where = origin.file.location(origin.pointer)
            found[id(value)] = Named(match.group(1), value, where)
        stack.extend(value.values() if isinstance(value, dict) else value)
    return sorted(found.values(), key=lambda n: (n.location.file, n.location.line, n.name))


def check_names(ctx: Context) -> Iterator[Diagnostic]:
    yield from _duplicates(
        "message name",
        _messages(ctx),
        "rename one message, or $ref the one definition from both places",
    )
    yield from _duplicates(
        "channel address",
        _channels(ctx),
        "two channels would publish on the same subjects; merge them or change one address",
    )
    yield from _duplicates(
        "operation id",
        _operations(ctx),
        "operation ids must be unique across the project; rename one",
    )
    yield from _duplicates(
        "stream name", _streams(ctx), "every stream of a site and of the hub needs its own name"
    )
    yield from _duplicates(
        "schema",
        _schemas(ctx),
        "generated types are named after component keys; rename one schema, or $ref the "
        "one definition instead of copying it",
    )


RULES = (
    Rule(
        RULE,
        SPECGEN,
        "message names, channel addresses, operation ids, stream names and schema component "
        "keys are unique across the project",
        check_names,
    ),
)
