"""Turn a resolved payload schema back into one self-contained JSON Schema (draft 7).

Named component schemas become ``definitions`` referenced by ``$ref``; specification
extensions (``x-*``) and AsyncAPI's ``discriminator`` are dropped. The result is what the
generated code publishes as its data schema and what tests hand to reference validators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_DROPPED = frozenset({"discriminator", "definitions"})
_SCHEMA_LISTS = frozenset({"oneOf", "anyOf", "allOf"})
_SCHEMA_VALUES = frozenset({"items", "additionalProperties", "not", "additionalItems"})


def export_schema(schema: Any, component_name: Callable[[Any], str | None]) -> Any:
    definitions: dict[str, Any] = {}

    def walk(node: Any, is_root: bool = False) -> Any:
        if not isinstance(node, dict):
            return node
        name = None if is_root else component_name(node)
        if name is not None:
            if name not in definitions:
                definitions[name] = {}  # reserve first: keeps the order stable
                definitions[name] = walk(node, is_root=True)
            return {"$ref": f"#/definitions/{name}"}
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key.startswith("x-") or key in _DROPPED:
                continue
            if key == "properties" and isinstance(value, dict):
                result[key] = {prop: walk(sub) for prop, sub in value.items()}
            elif key in _SCHEMA_LISTS and isinstance(value, list):
                result[key] = [walk(sub) for sub in value]
            elif key in _SCHEMA_VALUES:
                result[key] = [walk(v) for v in value] if isinstance(value, list) else walk(value)
            else:
                result[key] = value
        return result

    if not isinstance(schema, dict):
        return schema
    root = walk(schema, is_root=True)
    result = {"$schema": DRAFT7, **root}
    if definitions:
        result["definitions"] = dict(sorted(definitions.items()))
    return result
