"""``allOf`` folded into one schema, exactly: what merges is merged, the rest is left over.

Every JSON Schema keyword constrains the value on its own, so a conjunction of schemas is the
schema holding all their keywords, with two kinds of overlap: keywords that combine exactly
(bounds tighten, ``required`` lists and ``type`` sets combine, ``properties`` of one name
become an ``allOf`` of both, enums intersect) and keywords that do not (two different
patterns, two ``not``\\ s, ``additionalProperties`` against the other part's properties...).
The second kind is left over as a *residual* schema, which the lowering checks as a condition
on the value: ``fold_all_of`` never approximates and never fails.

``skip`` tells which parts are already being checked on this very value further up (a
recursive ``allOf``, such as a child that extends its parent while the parent lists the
child): such a part is satisfied by assumption (the greatest fixed point: see
docs/json-schema.md) and left out.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from specgen.schema import Schema, SchemaNode
from specgen.schema.regex import matches
from specgen.schema.vocabulary import json_equal

Skip = Callable[[SchemaNode], bool]
_ANNOTATIONS = ("title", "description", "default", "examples", "read_only", "write_only",
                "comment", "content_encoding", "content_media_type", "deprecated",
                "external_docs", "id", "schema_uri")  # fmt: skip
_TIGHTER = {"minimum": max, "exclusive_minimum": max, "min_length": max, "min_items": max,
            "min_properties": max, "maximum": min, "exclusive_maximum": min,
            "max_length": min, "max_items": min, "max_properties": min}  # fmt: skip
_SAME = ("multiple_of", "pattern", "format", "contains", "not_")
_GROUPS = {"one_of": ("one_of",), "any_of": ("any_of",), "if_": ("if_", "then", "else_")}


class Synthesis:
    """Makes the schemas a fold creates and keeps them alive (their ids key memo tables)."""

    def __init__(self) -> None:
        self.made: list[Schema] = []

    def schema(self, like: Schema, **fields: Any) -> Schema:
        made = Schema(like.location, dict(like.keyword_locations), **fields)
        self.made.append(made)
        return made

    def all_of(self, like: Schema, parts: list[SchemaNode]) -> SchemaNode:
        kept = [p for p in parts if p is not True]
        if not kept:
            return True
        if any(p is False for p in kept):
            return False
        return kept[0] if len(kept) == 1 else self.schema(like, all_of=tuple(kept))

    def copy(self, schema: Schema) -> Schema:
        made = dataclasses.replace(schema, keyword_locations=dict(schema.keyword_locations))
        self.made.append(made)
        return made


def _parts(schema: Schema, skip: Skip, seen: set[int], out: list[SchemaNode]) -> None:
    """The parts of ``schema``, nested ``allOf``\\ s flattened: branches first, then its own."""
    for branch in schema.all_of or ():
        if branch is True or skip(branch) or id(branch) in seen:
            continue
        if branch is False or not branch.all_of:
            out.append(branch)
            continue
        seen.add(id(branch))
        _parts(branch, skip, seen, out)
    out.append(schema)


def fold_all_of(
    schema: Schema, skip: Skip, synth: Synthesis
) -> tuple[SchemaNode, list[SchemaNode], list[SchemaNode]]:
    """(the schema with its ``allOf`` merged in, the parts left to check on the value, every
    part that was folded: all of them now being checked on this value)."""
    parts: list[SchemaNode] = []
    _parts(schema, skip, {id(schema)}, parts)
    if any(p is False for p in parts):
        return False, [], parts
    merged = synth.copy(parts[0])  # type: ignore[arg-type]
    merged.all_of = None
    residual: list[SchemaNode] = []
    for part in parts[1:]:
        assert isinstance(part, Schema)
        left = _merge(merged, part, synth)
        if left is False:
            return False, [], parts
        if left is not None:
            residual.append(left)
    return merged, residual, parts


# -- merging one part into the accumulated schema --------------------------------------------
def _merge(into: Schema, part: Schema, synth: Synthesis) -> SchemaNode | None:
    """Merge ``part`` into ``into`` (changed in place); returns what is left over, or False
    when no value can satisfy both."""
    left: dict[str, Any] = {}
    for name in _ANNOTATIONS:
        value = getattr(part, name)
        if value not in (None, False):
            setattr(into, name, value)
    into.keyword_locations.update(part.keyword_locations)
    into.definitions = {**into.definitions, **part.definitions}
    into.extensions = {**into.extensions, **part.extensions}
    into.discriminator = into.discriminator or part.discriminator
    if not _merge_types(into, part) or not _merge_values(into, part):
        return False
    for name, pick in _TIGHTER.items():
        a, b = getattr(into, name), getattr(part, name)
        setattr(into, name, b if a is None else a if b is None else pick(a, b))
    for name in _SAME:
        a, b = getattr(into, name), getattr(part, name)
        if a is None or b is None or a is b or a == b:
            setattr(into, name, b if a is None else a)
        else:
            left[name] = b
    into.unique_items = into.unique_items or part.unique_items
    into.required = tuple(dict.fromkeys(into.required + part.required))
    if part.property_names is not None:
        into.property_names = synth.all_of(into, [into.property_names or True, part.property_names])
    _merge_dependencies(into, part, synth)
    if not _merge_items(into, part, synth):
        left.update(items=part.items, additional_items=part.additional_items)
    if not _merge_shape(into, part, synth):
        left.update(properties=part.properties, pattern_properties=part.pattern_properties,
                    additional_properties=part.additional_properties)  # fmt: skip
    for group in _GROUPS.values():
        if all(getattr(part, name) is None for name in group):
            continue
        if all(getattr(into, name) is None for name in group):
            for name in group:
                setattr(into, name, getattr(part, name))
        else:
            left.update({name: getattr(part, name) for name in group})
    return synth.schema(part, **left) if left else None


def _merge_types(into: Schema, part: Schema) -> bool:
    a, b = into.types, part.types
    if a is None or b is None:
        into.types = b if a is None else a
        return True

    def within(name: str, other: tuple[str, ...]) -> bool:
        return name in other or (name == "integer" and "number" in other)

    both = [n for n in a if within(n, b)] + [n for n in b if n == "integer" and "number" in a]
    into.types = tuple(dict.fromkeys(both))
    return bool(into.types)


def _merge_values(into: Schema, part: Schema) -> bool:
    """``enum``/``const`` of both: the values both allow (JSON equality)."""
    a = into.enum if into.enum is not None else (into.const.value,) if into.const else None
    b = part.enum if part.enum is not None else (part.const.value,) if part.const else None
    if b is None:
        return True
    if a is None:
        into.enum, into.const = part.enum, part.const
        return True
    common = tuple(v for v in a if any(json_equal(v, w) for w in b))
    into.enum, into.const = common, None
    return bool(common)


def _merge_dependencies(into: Schema, part: Schema, synth: Synthesis) -> None:
    merged = dict(into.dependencies)
    for key, value in part.dependencies.items():
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = value
        elif isinstance(earlier, tuple) and isinstance(value, tuple):
            merged[key] = tuple(dict.fromkeys(earlier + value))
        else:
            as_schemas = [synth.schema(into, required=v) if isinstance(v, tuple) else v
                          for v in (earlier, value)]  # fmt: skip
            merged[key] = synth.all_of(into, as_schemas)
    into.dependencies = merged


def _merge_items(into: Schema, part: Schema, synth: Synthesis) -> bool:
    if part.items is None and part.additional_items is None:
        return True
    if into.items is None and into.additional_items is None:
        into.items, into.additional_items = part.items, part.additional_items
        return True
    if isinstance(into.items, tuple) or isinstance(part.items, tuple):
        return False
    into.items = synth.all_of(into, [into.items or True, part.items or True])
    return True


def _open(schema: Schema) -> bool:
    return schema.additional_properties in (None, True)


def _side(schema: Schema, key: str) -> list[SchemaNode]:
    """What ``schema`` says about the value of property ``key``."""
    if key in schema.properties:
        return [schema.properties[key]]
    patterns = [s for p, s in schema.pattern_properties.items() if matches(p, key)]
    if patterns:
        return []  # the patterns stay patterns of the merged schema and apply there
    return [] if _open(schema) else [schema.additional_properties]  # type: ignore[list-item]


def _merge_shape(into: Schema, part: Schema, synth: Synthesis) -> bool:
    """``properties``/``patternProperties``/``additionalProperties`` of both, if exact."""
    if not (part.properties or part.pattern_properties or not _open(part)):
        return True
    if (part.pattern_properties and not _open(into)) or (
        into.pattern_properties and not _open(part)
    ):
        return False
    names = list(dict.fromkeys([*into.properties, *part.properties]))
    properties = {k: synth.all_of(into, _side(into, k) + _side(part, k)) for k in names}
    patterns = dict(into.pattern_properties)
    for source, schema in part.pattern_properties.items():
        patterns[source] = synth.all_of(into, [patterns.get(source, True), schema])
    extra = [s for s in (into.additional_properties, part.additional_properties) if s is not None]
    into.properties, into.pattern_properties = properties, patterns
    into.additional_properties = synth.all_of(into, extra) if extra else None
    return True
