"""The schema graph the engine compares: every ``$ref`` replaced by the node it points to.

Two inputs are handled. Schemas from the loader are resolved in place, except references back
to an enclosing schema (recursive types), which the loader keeps as ``{"$ref": ...}`` mappings
that carry their ``target``. Plain JSON Schema documents (tests, other tools) use local
``#/...`` pointers into their root. Either way the result is a copy in which a recursive
schema is a cycle and a definition used twice is one shared node; ``originals`` maps each copy
back to the node it was made from, so findings can still be located in the spec files. Refs
that point nowhere are kept as they are (the engine then cannot prove anything across them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Graph:
    root: Any
    originals: dict[int, Any] = field(default_factory=dict)

    def original(self, node: Any) -> Any:
        return self.originals.get(id(node), node)


def _unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def _pointer_target(root: Any, ref: str) -> Any:
    if ref == "#":
        return root
    if not ref.startswith("#/"):
        return None
    node = root
    for token in ref[2:].split("/"):
        token = _unescape(token)
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node


def _target(node: dict[str, Any], root: Any) -> Any:
    carried = getattr(node, "target", None)
    if carried is not None:
        return carried
    ref = node.get("$ref")
    return _pointer_target(root, ref) if isinstance(ref, str) and root is not None else None


def to_graph(schema: Any, *, pointers: bool = False) -> Graph:
    """Copy ``schema`` with its refs followed (``pointers``: also ``#/...`` into the root)."""
    graph = Graph(None)
    copies: dict[int, Any] = {}
    root = schema if pointers else None

    def copy(node: Any, chain: tuple[int, ...] = ()) -> Any:
        if isinstance(node, dict):
            target = _target(node, root) if "$ref" in node else None
            if isinstance(target, dict | bool) and id(node) not in chain:
                return copy(target, (*chain, id(node)))
            if id(node) in copies:
                return copies[id(node)]
            out: dict[str, Any] = {}
            copies[id(node)] = out
            graph.originals[id(out)] = node
            for key, value in node.items():
                out[key] = copy(value)
            return out
        if isinstance(node, list):
            return [copy(v) for v in node]
        return node

    graph.root = copy(schema)
    graph.originals[-1] = copies  # keep the copies' ids valid as long as the graph lives
    return graph


def inline_refs(root: Any) -> Any:
    """A plain JSON Schema document with its local refs followed (see ``to_graph``)."""
    return to_graph(root, pointers=True).root
