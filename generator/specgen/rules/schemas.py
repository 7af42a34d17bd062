"""Payload and component schemas, read into the typed model: what JSON Schema refuses, and
what the generators cannot run.

- SG-SCHEMA-INVALID: a keyword whose value the draft-07 meta-schema (or the AsyncAPI Schema
  Object) refuses: ``minimum: true``, ``required: "x"``, an OpenAPI-style discriminator...
- SG-SCHEMA-UNKNOWN-KEYWORD (warning): a key that is no keyword and has no effect.
- SG-SCHEMA-PATTERN (generator): a pattern the linear-time regex dialect of the generated
  validators refuses (a lookahead, a backreference...), named.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from specgen.diagnostics import Diagnostic
from specgen.model.messages import json_schema
from specgen.rules.context import Context
from specgen.rules.registry import ASYNCAPI, GENERATOR, Rule
from specgen.schema import Schema, SchemaReader, schemas_of, walk
from specgen.schema.regex import dialect_error, outside_dialect


def _roots(ctx: Context) -> list[Any]:
    """Every component schema and every message's payload and headers schema (JSON Schema)."""
    roots: dict[int, Any] = {}
    for document in ctx.documents:
        components = document.api.components
        for schema in ((components.schemas if components else None) or {}).values():
            schema = json_schema(schema)
            if isinstance(schema, dict):
                roots.setdefault(id(schema), schema)
    for message in ctx.definitions():
        for part in ("payload", "headers"):
            schema = json_schema(getattr(message, part))
            if isinstance(schema, dict):
                roots.setdefault(id(schema), schema)
    return list(roots.values())


def read_all(ctx: Context) -> tuple[SchemaReader, list[Schema]]:
    """Every schema of the spec, read once (the reader is shared with the IR)."""
    reader = schemas_of(ctx.spec)
    schemas: list[Schema] = []
    seen: set[int] = set()
    for raw in _roots(ctx):
        for schema in walk(reader.read(raw)):
            if id(schema) not in seen:
                seen.add(id(schema))
                schemas.append(schema)
    return reader, schemas


def _reported(ctx: Context, rule: str) -> Iterator[Diagnostic]:
    reader, _ = read_all(ctx)
    return (d for d in reader.diagnostics if d.rule == rule)


def check_invalid(ctx: Context) -> Iterator[Diagnostic]:
    return _reported(ctx, "SG-SCHEMA-INVALID")


def check_unknown(ctx: Context) -> Iterator[Diagnostic]:
    return _reported(ctx, "SG-SCHEMA-UNKNOWN-KEYWORD")


def check_patterns(ctx: Context) -> Iterator[Diagnostic]:
    _, schemas = read_all(ctx)
    for schema in schemas:
        written = [("pattern", schema.pattern)] if schema.pattern is not None else []
        written += [("patternProperties", p) for p in schema.pattern_properties]
        for keyword, source in written:
            problem = outside_dialect(source)
            if problem is not None:
                yield dialect_error(keyword, source, problem, schema.at(keyword))


RULES = (
    Rule(
        "SG-SCHEMA-INVALID",
        ASYNCAPI,
        "every schema keyword has a value the JSON Schema draft-07 meta-schema accepts",
        check_invalid,
    ),
    Rule(
        "SG-SCHEMA-UNKNOWN-KEYWORD",
        ASYNCAPI,
        "a key in a schema that is no JSON Schema keyword has no effect (warning)",
        check_unknown,
    ),
    Rule(
        "SG-SCHEMA-PATTERN",
        GENERATOR,
        "patterns stay inside the linear-time regex dialect of the generated validators",
        check_patterns,
    ),
)
