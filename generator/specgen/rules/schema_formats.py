"""Payloads and headers the generators can read: JSON Schema (draft 7) or AsyncAPI schemas.

AsyncAPI allows any schema format (Avro, Protobuf, RAML, OpenAPI); specgen generates types from
JSON Schema only, so a schema in another format is refused by name, at its ``schemaFormat``,
instead of being generated as an untyped value.
"""

from __future__ import annotations

from collections.abc import Iterator

from specgen.diagnostics import Diagnostic, error
from specgen.model.messages import foreign_format
from specgen.rules.context import Context
from specgen.rules.registry import GENERATOR, Rule

RULE = "SG-PAYLOAD-FORMAT"


def check_formats(ctx: Context) -> Iterator[Diagnostic]:
    for message in ctx.definitions():
        for part in ("payload", "headers"):
            name = foreign_format(getattr(message, part))
            if name is None:
                continue
            yield error(
                RULE,
                f"message {ctx.label(message)}: the {part} schema is written in {name}; "
                "specgen generates code from JSON Schema (draft 7) and AsyncAPI schemas only",
                ctx.locate(message, part, "schemaFormat", value=True),
                "write the schema in JSON Schema (schemaFormat "
                "'application/schema+json;version=draft-07', or leave schemaFormat out)",
            )


RULES = (
    Rule(
        RULE,
        GENERATOR,
        "payload and headers schemas are JSON Schema or AsyncAPI schemas (Avro, Protobuf, "
        "RAML and OpenAPI schemas are refused by name)",
        check_formats,
    ),
)
