"""Names that must be unique: message names, channel addresses, operation ids, schema
component keys and stream names.

In the ``specgen`` ruleset the scope is the whole project (generated code puts every event of
every domain side by side). In the ``asyncapi`` ruleset each document is its own scope: plain
documents describe separate applications, which may well share a channel or a message name.
One object reached through several ``$ref``s is one definition, not a duplicate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.rules.context import Context, Document, as_mapping, entries
from specgen.rules.nats_subjects import normalized
from specgen.rules.registry import BOTH, Rule

RULE = "SG-NAME-DUPLICATE"


@dataclass(frozen=True)
class Named:
    """One definition: its name, the object (for identity) and where the name is written."""

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


def _messages(ctx: Context, scope: list[Document]) -> list[Named]:
    return [
        Named(message["name"], message, ctx.locate(message, "name"))
        for document in scope
        for message in document.messages
        if isinstance(message.get("name"), str)
    ]


def _channels(ctx: Context, scope: list[Document]) -> list[Named]:
    return [
        Named(normalized(channel.address), channel.data, ctx.locate(channel.data, "address"))
        for document in scope
        for channel in document.channels
        if channel.address is not None
    ]


def _operations(ctx: Context, scope: list[Document]) -> list[Named]:
    return [
        Named(key, op, ctx.locate(document.data["operations"], key))
        for document in scope
        for key, op in document.operations
    ]


def _streams(ctx: Context, scope: list[Document]) -> list[Named]:
    named = []
    for document in scope:
        stream = document.stream
        if stream is not None and isinstance(stream.get("name"), str):
            named.append(Named(stream["name"], stream, ctx.locate(stream, "name")))
    return named


def _schemas(ctx: Context) -> list[Named]:
    """Component schemas of every loaded file (documents and the files they reference)."""
    named = []
    for source in sorted(ctx.spec.files.values(), key=lambda s: s.display):
        components = (
            as_mapping(source.data.get("components")) if isinstance(source.data, dict) else None
        )
        schemas = as_mapping(components.get("schemas")) if components else None
        for key, schema in entries(schemas):
            named.append(Named(key, schema, ctx.locate(schemas, key)))
    return named


def check_names(ctx: Context) -> Iterator[Diagnostic]:
    for scope in ctx.scopes():
        yield from _duplicates(
            "message name",
            _messages(ctx, scope),
            "rename one message, or $ref the one definition from both places",
        )
        yield from _duplicates(
            "channel address",
            _channels(ctx, scope),
            "two channels publish on the same subjects; merge them or change one address",
        )
        yield from _duplicates(
            "operation id",
            _operations(ctx, scope),
            "operation ids become function names; rename one of them",
        )
        yield from _duplicates(
            "stream name",
            _streams(ctx, scope),
            "every domain stream needs its own name",
        )
    if ctx.specgen:
        yield from _duplicates(
            "schema",
            _schemas(ctx),
            "generated types are named after component keys; rename one schema, or $ref the "
            "one definition instead of copying it",
        )


RULES = (
    Rule(
        RULE,
        BOTH,
        "message names, channel addresses, operation ids, stream names and schema component "
        "keys are unique (across the project in the specgen ruleset, per document otherwise)",
        check_names,
    ),
)
