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


_IN_PLACE_VALUES = frozenset({"not", "if", "then", "else"})
_IN_PLACE_LISTS = frozenset({"allOf", "anyOf", "oneOf"})
Same = tuple[int, ...]


def _target(node: Any) -> Any:
    return node.target if isinstance(node, RecursiveRef) else node


class _Exporter:
    """Exports one payload schema. A schema met again while it is being checked on the same
    value (polymorphism: a child that extends its parent while the parent lists the child)
    is satisfied there (docs/json-schema.md, "Recursion"): it is written ``true``, so the
    export means what the generated code checks, and reference validators terminate on it."""

    def __init__(self, component_name: NameOf, pointer_of: NameOf, recursive: dict[int, Any]):
        self.component_name = component_name
        self.pointer_of = pointer_of
        self.recursive = recursive
        self.definitions: dict[str, Any] = {}
        self.root: Any = None
        self._closures: dict[int, frozenset[int]] = {}

    def name(self, node: Any) -> str | None:
        name = self.component_name(node)
        if name is None and id(node) in self.recursive:
            pointer = self.pointer_of(node) or f"schema{len(self.definitions) + 1}"
            name = pointer.strip("/").replace("components/schemas/", "", 1)
        return name

    def closure(self, node: Any) -> frozenset[int]:
        """The schemas ``node`` reaches without leaving its value."""
        done = self._closures.get(id(node))
        if done is not None:
            return done
        seen: set[int] = set()
        stack = [node]
        while stack:
            current = _target(stack.pop())
            if not isinstance(current, dict) or id(current) in seen:
                continue
            seen.add(id(current))
            for key, value in current.items():
                if key in _IN_PLACE_VALUES:
                    stack.append(value)
                elif key in _IN_PLACE_LISTS and isinstance(value, list):
                    stack.extend(value)
                elif key == "dependencies" and isinstance(value, dict):
                    stack.extend(v for v in value.values() if isinstance(v, dict))
        self._closures[id(node)] = frozenset(seen)
        return self._closures[id(node)]

    def reference(self, node: Any, same: Same) -> Any:
        if id(node) in same:
            return True  # already being checked on this value: satisfied
        if self.closure(node) & set(same):
            return self.walk(node, same, inline=True)  # its meaning depends on the context
        if node is self.root:
            return {"$ref": "#"}
        name = self.name(node)
        assert name is not None
        if name not in self.definitions:
            self.definitions[name] = {}  # reserve first: keeps the order stable
            self.definitions[name] = self.walk(node, (), inline=True)
        return {"$ref": f"#/definitions/{escape_token(name)}"}

    def walk(self, node: Any, same: Same, inline: bool = False) -> Any:
        if isinstance(node, RecursiveRef):
            return self.reference(node.target, same)
        if not isinstance(node, dict):
            return node
        if id(node) in same:
            return True
        if not inline and self.name(node) is not None:
            return self.reference(node, same)
        result: dict[str, Any] = {}
        for key, value in node.items():
            if key.startswith("x-") or key in _DROPPED:
                continue
            result[key] = self.child(key, value, (*same, id(node)))
        return result

    def child(self, key: str, value: Any, same: Same) -> Any:
        """``same`` goes on to keywords that apply to this very value, not below it."""
        if key in SCHEMA_MAPS and isinstance(value, dict):
            return {name: self.walk(sub, ()) for name, sub in value.items()}
        if key == "dependencies" and isinstance(value, dict):
            return {k: v if isinstance(v, list) else self.walk(v, same) for k, v in value.items()}
        if key in SCHEMA_LISTS and isinstance(value, list):
            inner = same if key in _IN_PLACE_LISTS else ()
            return [self.walk(sub, inner) for sub in value]
        if key in SCHEMA_VALUED:
            return self.walk(value, same if key in _IN_PLACE_VALUES else ())
        return value


def export_schema(schema: Any, component_name: NameOf, pointer_of: NameOf = lambda _: None) -> Any:
    """``schema`` as one JSON Schema; ``component_name`` names the shared definitions and
    ``pointer_of`` tells where a schema is written (to name recursion targets)."""
    if not isinstance(schema, dict):
        return schema
    exporter = _Exporter(component_name, pointer_of, _recursion_targets(schema))
    exporter.root = schema
    root = exporter.walk(schema, (), inline=True)
    result = {"$schema": DRAFT7, **root}
    if exporter.definitions:
        result["definitions"] = dict(sorted(exporter.definitions.items()))
    return result
