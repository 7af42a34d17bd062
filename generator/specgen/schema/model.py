"""The typed JSON Schema model: draft 7, plus the AsyncAPI Schema Object's own keywords.

One :class:`Schema` per schema object of the resolved spec (``read.SchemaReader`` builds it
once per object, by identity). Every draft-7 keyword is a field, typed as the meta-schema
says, ``None`` (or empty) when absent; a keyword written with the wrong type was reported
when reading, is absent here and is named in ``refused``. A boolean schema is the Python
``True`` or ``False``.

The graph is the spec's graph: two references to one schema give one :class:`Schema`, and a
recursive schema (a tree whose children are trees) is a cycle of Python references. Compare
schemas by identity; walkers must keep a set of visited schemas (``walk`` does).

AsyncAPI adds ``discriminator`` (the name of the property that tells variants apart, a
string), ``externalDocs`` and ``deprecated``. ``x-`` extensions are kept as written; keys
that are no keyword are listed in ``unknown`` (they have no effect).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, TypeAlias

from specgen.diagnostics import Location

JsonValue: TypeAlias = Any
Number: TypeAlias = int | float


@dataclass(frozen=True)
class Literal:
    """A JSON value written in a schema (``const``, ``default``), so that ``null`` is present."""

    value: JsonValue


@dataclass(frozen=True)
class ExternalDocs:
    url: str
    description: str | None = None


@dataclass(eq=False)
class Schema:
    """One schema object. Treat as immutable once read (fields are filled while reading)."""

    location: Location
    keyword_locations: dict[str, Location] = field(default_factory=dict, repr=False)
    # -- any instance
    types: tuple[str, ...] | None = None
    enum: tuple[JsonValue, ...] | None = None
    const: Literal | None = None
    # -- numbers
    multiple_of: Number | None = None
    maximum: Number | None = None
    exclusive_maximum: Number | None = None
    minimum: Number | None = None
    exclusive_minimum: Number | None = None
    # -- strings
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    format: str | None = None
    # -- arrays
    items: SchemaNode | tuple[SchemaNode, ...] | None = None
    additional_items: SchemaNode | None = None
    max_items: int | None = None
    min_items: int | None = None
    unique_items: bool = False
    contains: SchemaNode | None = None
    # -- objects
    max_properties: int | None = None
    min_properties: int | None = None
    required: tuple[str, ...] = ()
    properties: dict[str, SchemaNode] = field(default_factory=dict)
    pattern_properties: dict[str, SchemaNode] = field(default_factory=dict)
    additional_properties: SchemaNode | None = None
    dependencies: dict[str, SchemaNode | tuple[str, ...]] = field(default_factory=dict)
    property_names: SchemaNode | None = None
    # -- applicators on the same instance
    if_: SchemaNode | None = None
    then: SchemaNode | None = None
    else_: SchemaNode | None = None
    all_of: tuple[SchemaNode, ...] | None = None
    any_of: tuple[SchemaNode, ...] | None = None
    one_of: tuple[SchemaNode, ...] | None = None
    not_: SchemaNode | None = None
    # -- identification and reuse
    id: str | None = None
    schema_uri: str | None = None
    definitions: dict[str, SchemaNode] = field(default_factory=dict)
    # -- annotations
    title: str | None = None
    description: str | None = None
    default: Literal | None = None
    examples: tuple[JsonValue, ...] | None = None
    read_only: bool = False
    write_only: bool = False
    comment: str | None = None
    content_encoding: str | None = None
    content_media_type: str | None = None
    # -- AsyncAPI
    discriminator: str | None = None
    external_docs: ExternalDocs | None = None
    deprecated: bool = False
    extensions: dict[str, JsonValue] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    """Keywords written with a value the meta-schema refuses (reported, left out above)."""

    def __repr__(self) -> str:
        where = self.location
        return f"Schema({where.file}:{where.line}:{where.column} {where.pointer})"

    def at(self, keyword: str) -> Location:
        """Where ``keyword`` is written in this schema (the schema itself if it is not)."""
        return self.keyword_locations.get(keyword, self.location)

    def subschemas(self) -> Iterator[SchemaNode]:
        """Every schema this one holds directly, in keyword order (``definitions`` included)."""
        for child in (self.additional_items, self.contains, self.additional_properties,
                      self.property_names, self.if_, self.then, self.else_, self.not_):  # fmt: skip
            if child is not None:
                yield child
        if isinstance(self.items, tuple):
            yield from self.items
        elif self.items is not None:
            yield self.items
        for group in (self.all_of, self.any_of, self.one_of):
            yield from group or ()
        for mapping in (self.properties, self.pattern_properties, self.definitions):
            yield from mapping.values()
        for dependency in self.dependencies.values():
            if not isinstance(dependency, tuple):
                yield dependency


SchemaNode: TypeAlias = Schema | bool
"""A schema: an object, or ``True`` (anything is valid) / ``False`` (nothing is)."""


def walk(root: SchemaNode) -> Iterator[Schema]:
    """Every schema object reachable from ``root``, each once (safe on recursive schemas)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, bool) or id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        stack.extend(reversed(list(node.subschemas())))
