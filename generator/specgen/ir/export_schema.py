"""Turn a resolved payload schema back into one self-contained JSON Schema (draft 7).

Named component schemas become ``definitions`` referenced by ``$ref``, and so does every
schema a recursive reference points back to (named after where it is written when it is no
component), so recursive schemas stay finite. Specification extensions (``x-*``), AsyncAPI's
``discriminator``, the spec's own ``definitions`` and ``$id`` (every reference is resolved
already; an ``$id`` would change what ``#/definitions/...`` means) are dropped. The result is
what the generated code publishes as its data schema, what the TypeScript validators compile
and what tests hand to reference validators.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from specgen.load import RecursiveRef
from specgen.load.roles import SCHEMA_LISTS, SCHEMA_MAPS, SCHEMA_VALUED
from specgen.load.source import escape_token

DRAFT7 = "http://json-schema.org/draft-07/schema#"
_DROPPED = frozenset({"discriminator", "definitions", "$id"})
_MAPS = SCHEMA_MAPS | {"dependencies"}

NameOf = Callable[[Any], str | None]


def _recursion_targets(schema: Any) -> dict[int, Any]:
    """Every schema a recursive reference under ``schema`` points back to, by identity."""
    targets: dict[int, Any] = {}
    seen: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, RecursiveRef):
            targets.setdefault(id(node.target), node.target)
            continue
        if not isinstance(node, dict) or id(node) in seen:
            continue
        seen.add(id(node))
        for key, value in node.items():
            if key in _MAPS and isinstance(value, dict):
                stack.extend(value.values())
            elif key in SCHEMA_LISTS and isinstance(value, list):
                stack.extend(value)
            elif key in SCHEMA_VALUED:
                stack.append(value)
    return targets


class _Exporter:
    def __init__(self, component_name: NameOf, pointer_of: NameOf, recursive: dict[int, Any]):
        self.component_name = component_name
        self.pointer_of = pointer_of
        self.recursive = recursive
        self.definitions: dict[str, Any] = {}
        self.root: Any = None

    def name(self, node: Any) -> str | None:
        name = self.component_name(node)
        if name is None and id(node) in self.recursive:
            pointer = self.pointer_of(node) or f"schema{len(self.definitions) + 1}"
            name = pointer.strip("/").replace("components/schemas/", "", 1)
        return name

    def reference(self, node: Any) -> dict[str, Any]:
        if node is self.root:
            return {"$ref": "#"}
        name = self.name(node)
        assert name is not None
        if name not in self.definitions:
            self.definitions[name] = {}  # reserve first: keeps the order stable
            self.definitions[name] = self.walk(node, is_root=True)
        return {"$ref": f"#/definitions/{escape_token(name)}"}

    def walk(self, node: Any, is_root: bool = False) -> Any:
        if isinstance(node, RecursiveRef):
            return self.reference(node.target)
        if not isinstance(node, dict):
            return node
        if not is_root and self.name(node) is not None:
            return self.reference(node)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key.startswith("x-") or key in _DROPPED:
                continue
            result[key] = self.child(key, value)
        return result

    def child(self, key: str, value: Any) -> Any:
        if key in SCHEMA_MAPS and isinstance(value, dict):
            return {name: self.walk(sub) for name, sub in value.items()}
        if key == "dependencies" and isinstance(value, dict):
            return {k: v if isinstance(v, list) else self.walk(v) for k, v in value.items()}
        if key in SCHEMA_LISTS and isinstance(value, list):
            return [self.walk(sub) for sub in value]
        if key in SCHEMA_VALUED:
            return self.walk(value)
        return value


def export_schema(schema: Any, component_name: NameOf, pointer_of: NameOf = lambda _: None) -> Any:
    """``schema`` as one JSON Schema; ``component_name`` names the shared definitions and
    ``pointer_of`` tells where a schema is written (to name recursion targets)."""
    if not isinstance(schema, dict):
        return schema
    exporter = _Exporter(component_name, pointer_of, _recursion_targets(schema))
    exporter.root = schema
    root = exporter.walk(schema, is_root=True)
    result = {"$schema": DRAFT7, **root}
    if exporter.definitions:
        result["definitions"] = dict(sorted(exporter.definitions.items()))
    return result
