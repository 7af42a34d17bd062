"""``allOf`` as one schema: the branches' keywords merged, when that keeps the meaning exactly.

Every JSON Schema keyword constrains the value on its own, so a conjunction of schemas whose
keywords do not overlap is the schema holding all those keywords. Overlaps are merged where
the result is exact (``properties`` of different names, ``required`` lists, equal values,
annotations); anything else is refused by name rather than approximated. The common case is
``allOf: [{$ref: X}, {description: ...}]``: a reference with a description of its own.
"""

from __future__ import annotations

from typing import Any

from specgen.ir.schema_vocabulary import ANNOTATIONS

Merged = tuple[dict[str, Any] | None, str]


def _parts(schema: dict[str, Any]) -> list[Any]:
    own = {key: value for key, value in schema.items() if key != "allOf"}
    branches = schema["allOf"]
    return [*branches, own] if isinstance(branches, list) else [None]


def _merge_part(merged: dict[str, Any], part: dict[str, Any]) -> str:
    for key, value in part.items():
        if key in ANNOTATIONS or key.startswith("x-"):
            merged[key] = value  # later branches (and the schema's own keywords) win
        elif key == "properties" and isinstance(value, dict):
            properties = dict(merged.get("properties", {}))
            for name, sub in value.items():
                if name in properties and properties[name] is not sub and properties[name] != sub:
                    return f"two allOf branches define property {name!r} differently"
                properties[name] = sub
            merged["properties"] = properties
        elif key == "required" and isinstance(value, list):
            merged["required"] = list(dict.fromkeys([*merged.get("required", []), *value]))
        elif key in merged and merged[key] is not value and merged[key] != value:
            return f"allOf branches with different {key!r}"
        else:
            merged[key] = value
    return ""


def merge_all_of(schema: dict[str, Any]) -> Merged:
    """(the merged schema, "") or (None, why it cannot be merged exactly)."""
    merged: dict[str, Any] = {}
    shaping = 0  # parts that say which properties an object may have
    closed = False
    for part in _parts(schema):
        if part is True:
            continue
        if not isinstance(part, dict):
            return None, "an allOf branch that is `false` or not a schema"
        if "allOf" in part:
            part, problem = merge_all_of(part)
            if part is None:
                return None, problem
        if "properties" in part or "additionalProperties" in part:
            shaping += 1
        closed = closed or part.get("additionalProperties", True) is not True
        problem = _merge_part(merged, part)
        if problem:
            return None, problem
    if closed and shaping > 1:
        return None, "additionalProperties in one allOf branch and properties in another"
    return merged, ""
