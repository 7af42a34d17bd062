"""Which schema applies to one property name, or to one array position, in each part.

A property ``name`` of an object is checked, per part, against ``properties[name]`` if listed;
otherwise against every ``patternProperties`` entry whose pattern matches it; only when neither
applies, against ``additionalProperties``. Array positions work the same way with a tuple
``items`` and ``additionalItems``. The result is again a conjunction (``Conj``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specgen.diff.schema.conj import Conj, Deref, Part, conj_of
from specgen.diff.schema.values import compiled


@dataclass(frozen=True)
class Member:
    """What one part says about one property name."""

    conj: Conj
    declared: bool  # listed in properties or matched by a patternProperties entry
    implicit_open: bool  # only the default `additionalProperties: true` applies


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def part_member(part: Part, name: str, deref: Deref) -> Member:
    properties = part.get("properties")
    if isinstance(properties, dict) and name in properties:
        sub = conj_of(properties[name], f"{part.at('properties')}/{_escape(name)}", deref)
        return Member(sub, True, False)
    patterns = part.get("patternProperties")
    matched: list[Part] = []
    if isinstance(patterns, dict):
        for pattern, schema in patterns.items():
            regex = compiled(pattern)
            if regex is not None and regex.search(name):
                pointer = f"{part.at('patternProperties')}/{_escape(pattern)}"
                matched.extend(conj_of(schema, pointer, deref).parts)
    if matched:
        return Member(Conj(tuple(matched), matched[0].pointer), True, False)
    if part.has("additionalProperties"):
        extra = part.get("additionalProperties")
        sub = conj_of(extra, part.at("additionalProperties"), deref)
        return Member(sub, False, extra is True)
    return Member(Conj((), part.pointer), False, True)


def member(c: Conj, name: str, deref: Deref) -> tuple[Conj, bool, bool]:
    """The conjunction of every part's schema for ``name``; whether any part declares it;
    whether every part leaves it to implicit open content."""
    parts: list[Part] = []
    declared = False
    implicit = True
    for part in c.parts:
        if part.node is False:
            parts.append(part)
            continue
        found = part_member(part, name, deref)
        parts.extend(found.conj.parts)
        declared = declared or found.declared
        implicit = implicit and found.implicit_open
    pointer = parts[0].pointer if parts else f"{c.pointer}/properties/{_escape(name)}"
    return Conj(tuple(parts), pointer), declared, implicit


def other_members(c: Conj, deref: Deref) -> tuple[Conj, bool]:
    """The schema for a property name no part lists and no pattern matches."""
    parts: list[Part] = []
    implicit = True
    for part in c.parts:
        if part.has("additionalProperties"):
            extra = part.get("additionalProperties")
            parts.extend(conj_of(extra, part.at("additionalProperties"), deref).parts)
            implicit = implicit and extra is True
    return Conj(tuple(parts), f"{c.pointer}/additionalProperties"), implicit


def declared_names(c: Conj) -> list[str]:
    names: list[str] = []
    for part in c.parts:
        properties = part.get("properties")
        if isinstance(properties, dict):
            names.extend(n for n in properties if n not in names)
    return names


def pattern_keys(c: Conj) -> list[str]:
    keys: list[str] = []
    for part in c.parts:
        patterns = part.get("patternProperties")
        if isinstance(patterns, dict):
            keys.extend(p for p in patterns if p not in keys)
    return keys


def item(c: Conj, index: int, deref: Deref) -> Conj:
    """The conjunction of every part's schema for array position ``index``."""
    parts: list[Part] = []
    for part in c.parts:
        items = part.get("items")
        if isinstance(items, list):
            if index < len(items):
                parts.extend(conj_of(items[index], f"{part.at('items')}/{index}", deref).parts)
            elif part.has("additionalItems"):
                extra = part.get("additionalItems")
                parts.extend(conj_of(extra, part.at("additionalItems"), deref).parts)
        elif part.has("items"):
            parts.extend(conj_of(items, part.at("items"), deref).parts)
    return Conj(tuple(parts), f"{c.pointer}/items/{index}")


def tuple_length(c: Conj) -> int:
    """Positions before which some part has a tuple ``items`` entry (0 when none)."""
    longest = 0
    for part in c.parts:
        items = part.get("items")
        if isinstance(items, list):
            longest = max(longest, len(items))
    return longest


def schema_items(node: Any) -> Any:
    return node.get("items") if isinstance(node, dict) else None
