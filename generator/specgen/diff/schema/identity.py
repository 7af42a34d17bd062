"""Two schema nodes that mean the same thing by construction: equal keyword for keyword.

Annotations (``title``, ``description``, ``x-*``...) do not count; ``$ref`` is followed.
Cycles are compared co-inductively (a pair met again is assumed equal), so two copies of the
same recursive schema are identical. Results are remembered per pair of nodes.
"""

from __future__ import annotations

from typing import Any

from specgen.diff.schema.conj import Deref
from specgen.diff.schema.values import ANNOTATIONS
from specgen.schema.vocabulary import canonical

# keywords whose values are data, not schemas: compared as JSON values
DATA_KEYWORDS = frozenset({"enum", "const", "required", "type"})
MAP_KEYWORDS = frozenset({"properties", "patternProperties", "dependencies", "definitions"})


def _meaningful(node: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in node.items() if k not in ANNOTATIONS and not k.startswith("x-")}


class Identity:
    def __init__(self, deref: Deref) -> None:
        self.deref = deref
        self._known: dict[tuple[int, int], bool] = {}
        self._keep: list[Any] = []

    def same(self, x: Any, y: Any) -> bool:
        return self._same(x, y, set())

    def _same(self, x: Any, y: Any, assumed: set[tuple[int, int]]) -> bool:
        x, y = self.deref(x), self.deref(y)
        if x is y:
            return True
        if not isinstance(x, dict) or not isinstance(y, dict):
            return isinstance(x, bool) and isinstance(y, bool) and x == y
        key = (id(x), id(y))
        if key in self._known:
            return self._known[key]
        if key in assumed:
            return True
        assumed.add(key)
        result = self._fields(_meaningful(x), _meaningful(y), assumed)
        assumed.discard(key)
        self._known[key] = result
        self._keep.append((x, y))
        return result

    def _fields(self, x: dict[str, Any], y: dict[str, Any], assumed: set[tuple[int, int]]) -> bool:
        if x.keys() != y.keys():
            return False
        for keyword, value in x.items():
            other = y[keyword]
            if keyword in DATA_KEYWORDS or not isinstance(value, dict | list | bool):
                if not _data_equal(keyword, value, other):
                    return False
            elif keyword in MAP_KEYWORDS and isinstance(value, dict):
                if not isinstance(other, dict) or value.keys() != other.keys():
                    return False
                if not all(self._map_entry(value[k], other[k], assumed) for k in value):
                    return False
            elif not self._value(value, other, assumed):
                return False
        return True

    def _value(self, x: Any, y: Any, assumed: set[tuple[int, int]]) -> bool:
        if isinstance(x, list) and isinstance(y, list):
            return len(x) == len(y) and all(
                self._same(a, b, assumed) for a, b in zip(x, y, strict=True)
            )
        return self._same(x, y, assumed)

    def _map_entry(self, x: Any, y: Any, assumed: set[tuple[int, int]]) -> bool:
        if isinstance(x, list) and isinstance(y, list):  # dependencies: a list of names
            return bool(canonical(x) == canonical(y))
        return self._same(x, y, assumed)


def _data_equal(keyword: str, x: Any, y: Any) -> bool:
    if keyword in ("required", "enum") and isinstance(x, list) and isinstance(y, list):
        return {canonical(v) for v in x} == {canonical(v) for v in y}
    if keyword == "type" and isinstance(x, list) and isinstance(y, list):
        return set(map(str, x)) == set(map(str, y))
    return bool(canonical(x) == canonical(y))
