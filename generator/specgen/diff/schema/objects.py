"""Provers for object keywords: properties (with patternProperties and additionalProperties),
required, min/maxProperties, propertyNames and dependencies.

Open content: a property name that A only admits through the implicit
``additionalProperties: true`` may arrive with any value. In strict mode that counts (an old
producer may already send that name with another type); in lenient mode such undeclared
properties are assumed never to be sent.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Conj, Part
from specgen.diff.schema.members import (
    declared_names,
    member,
    other_members,
    part_member,
    pattern_keys,
)
from specgen.diff.schema.reasons import Reason, Spot
from specgen.diff.schema.regex_sample import pattern_samples
from specgen.diff.schema.sample import NOTHING
from specgen.diff.schema.scalars import a_spot, b_spot, only
from specgen.diff.schema.values import show

if TYPE_CHECKING:
    from specgen.diff.schema.subset import Walk

FRESH_NAME = "undeclared_property"


def _objects(a: Conj) -> bool:
    return "object" in cj.atoms(a)


def _forbids(c: Conj) -> bool:
    return any(p.node is False for p in c.parts)


def _lift(walk: Walk, a: Conj, bpart: Part, name: str, reasons: list[Reason]) -> list[Reason]:
    lifted = []
    for reason in reasons:
        witness = NOTHING
        if reason.has_witness:
            candidate = walk.sampler.with_member(a, name, reason.witness)
            single = Conj((bpart,), bpart.pointer)
            if candidate is not NOTHING and walk.sampler.rejects(single, candidate):
                witness = candidate
        lifted.append(reason.lifted(witness, name))
    return lifted


def _member_spot(part: Part, member_conj: Conj, keyword: str) -> Spot:
    """Where a property's schema is written: its own node, else the object's keyword."""
    first = member_conj.parts[0].node if member_conj.parts else None
    if isinstance(first, dict) and first:
        return Spot(first, None, member_conj.pointer)
    if part.has(keyword):
        return Spot(part.node, keyword, part.at(keyword))
    return Spot(part.node, None, part.pointer)


def _name_spot(c: Conj, bpart: Part | None = None) -> Spot:
    if bpart is not None:
        return Spot(bpart.node, "properties", bpart.at("properties"))
    first = c.parts[0] if c.parts else None
    return Spot(first.node if first else None, None, first.pointer if first else c.pointer)


def prove_members(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    if not _objects(a):
        return []
    reasons: list[Reason] = []
    names = declared_names(Conj((bpart,))) + [n for n in declared_names(a)]
    for name in dict.fromkeys(names):
        reasons += _one_name(walk, a, bpart, name)
    reasons += _patterns(walk, a, bpart)
    reasons += _others(walk, a, bpart)
    return reasons


def _one_name(walk: Walk, a: Conj, bpart: Part, name: str) -> list[Reason]:
    theirs = part_member(bpart, name, walk.deref)
    if all(cj.is_trivial(p.node) for p in theirs.conj.parts):
        return []
    mine, declared, implicit = member(a, name, walk.deref)
    if walk.is_empty(mine):
        return []
    b_at = _member_spot(
        bpart, theirs.conj, "properties" if theirs.declared else "additionalProperties"
    )
    if implicit:
        value = walk.sampler.non_member(theirs.conj)
        facet = "open-property" if theirs.declared else "additionalProperties"
        witness = NOTHING if value is NOTHING else walk.sampler.with_member(a, name, value)
        found = [
            walk.reason(
                facet,
                _member_spot(a.parts[0], mine, "properties") if a.parts else b_at,
                b_at,
                f"may carry {name!r} with any value (open object)",
                f"declares {name!r}" if theirs.declared else "closes the object",
                witness,
            ).lifted(witness, name)
        ]
        if walk.lenient:
            return [replace(r, assumed=True, certain=False, witness=NOTHING) for r in found]
        return found
    if _forbids(theirs.conj):
        value = walk.sampler.sample(mine)
        witness = NOTHING if value is NOTHING else walk.sampler.with_member(a, name, value)
        facet = "property-forbidden" if declared else "additionalProperties"
        return [
            walk.reason(
                facet,
                Spot(mine.parts[0].node if mine.parts else None, None, mine.pointer),
                b_at,
                f"allows {name!r}",
                f"does not allow {name!r}",
                witness,
            ).lifted(witness, name)
        ]
    with walk.below():
        inner = walk.sub(mine, theirs.conj)
    return _lift(walk, a, bpart, name, inner)


def _patterns(walk: Walk, a: Conj, bpart: Part) -> list[Reason]:
    reasons: list[Reason] = []
    single = Conj((bpart,), bpart.pointer)
    mine_keys = pattern_keys(a)
    for pattern in pattern_keys(single):
        schema = bpart.get("patternProperties", {})[pattern]
        theirs = cj.conj_of(schema, f"{bpart.at('patternProperties')}/{pattern}", walk.deref)
        if all(cj.is_trivial(p.node) for p in theirs.parts):
            continue
        if pattern in mine_keys:
            parts = [
                q
                for part in a.parts
                if isinstance(part.get("patternProperties"), dict)
                and pattern in part.get("patternProperties")
                for q in cj.conj_of(
                    part.get("patternProperties")[pattern],
                    f"{part.at('patternProperties')}/{pattern}",
                    walk.deref,
                ).parts
            ]
            mine = Conj(tuple(parts), parts[0].pointer)
            if len(mine_keys) > 1:
                mine = Conj(())  # other patterns of A may also match: cannot split the names
        else:
            mine, implicit = other_members(a, walk.deref)
            if implicit and walk.lenient:
                continue
        with walk.below():
            why = "other patterns of A may match the same names"
            inner = walk.sub(mine, theirs) if mine.parts else [walk._unknown(a, theirs, why)]
        if inner:
            value = next((r.witness for r in inner if r.has_witness), NOTHING)
            witness = NOTHING
            for name in pattern_samples(pattern) if value is not NOTHING else ():
                candidate = walk.sampler.with_member(a, name, value)
                if candidate is not NOTHING and walk.sampler.rejects(single, candidate):
                    witness = candidate
                    break
            reason = walk.reason(
                "patternProperties",
                a_spot(a, "patternProperties"),
                b_spot(bpart, "patternProperties"),
                f"names matching {show(pattern)} with other values",
                "restricts them",
                witness,
            )
            reasons.append(reason)
    return reasons


def _others(walk: Walk, a: Conj, bpart: Part) -> list[Reason]:
    if not bpart.has("additionalProperties"):
        return []
    single = Conj((bpart,), bpart.pointer)
    theirs, _ = other_members(single, walk.deref)
    if all(cj.is_trivial(p.node) for p in theirs.parts):
        return []
    mine, implicit = other_members(a, walk.deref)
    if walk.is_empty(mine):
        return []
    if implicit and walk.lenient:
        reason = walk.reason(
            "additionalProperties",
            a_spot(a, "additionalProperties"),
            b_spot(bpart, "additionalProperties"),
            "allows undeclared properties",
            "restricts undeclared properties",
        )
        return [replace(reason, assumed=True)]
    with walk.below():
        inner = walk.sub(mine, theirs)
    if not inner:
        return []
    value = next((r.witness for r in inner if r.has_witness), NOTHING)
    if value is NOTHING and _forbids(theirs):
        value = walk.sampler.sample(mine)
    witness = NOTHING if value is NOTHING else walk.sampler.with_member(a, FRESH_NAME, value)
    says = "allows undeclared properties" + ("" if implicit else " of its own schema")
    return [
        walk.reason(
            "additionalProperties",
            a_spot(a, "additionalProperties"),
            b_spot(bpart, "additionalProperties"),
            says,
            "restricts undeclared properties",
            witness,
        )
    ]


def prove_required(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    wanted = bpart.get("required")
    if not _objects(a) or not isinstance(wanted, list):
        return []
    have = cj.required(a)
    reasons = []
    for name in wanted:
        if not isinstance(name, str) or name in have:
            continue
        target = Conj((Part({"required": [name]}, bpart.at("required")),))
        witness = walk.sampler.witness(a, target)
        reasons.append(
            walk.reason(
                "required",
                a_spot(a, "required"),
                b_spot(bpart, "required"),
                f"{name!r} optional",
                f"{name!r} required",
                witness,
            )
        )
    return reasons


def _closed_names(walk: Walk, a: Conj) -> list[str] | None:
    """Every name an instance of A can hold, when A is closed; None when it is open."""
    others, _ = other_members(a, walk.deref)
    if not _forbids(others) or pattern_keys(a):
        return None
    return [n for n in declared_names(a) if not walk.is_empty(member(a, n, walk.deref)[0])]


def prove_count(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    value = bpart.get(keyword)
    if not _objects(a) or not isinstance(value, int) or isinstance(value, bool):
        return []
    low = keyword == "minProperties"
    found = cj.int_facet(a, keyword, max if low else min)
    if low and (len(cj.required(a)) >= value or (found and found[0] >= value)):
        return []
    if not low:
        names = _closed_names(walk, a)
        if (found and found[0] <= value) or (names is not None and len(names) <= value):
            return []
    witness = walk.sampler.witness(a, only(bpart, keyword))
    says = f"{keyword} {found[0]}" if found else f"no {keyword}"
    return [
        walk.reason(
            "property-count",
            a_spot(a, keyword),
            b_spot(bpart, keyword),
            says,
            f"{keyword} {value}",
            witness,
        )
    ]


def prove_names(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    rule = bpart.get("propertyNames")
    if not _objects(a) or cj.is_trivial(rule):
        return []
    names = _closed_names(walk, a)
    target = only(bpart, "propertyNames")
    if names is not None:
        bad = [n for n in names if walk.sampler.rejects(target, {n: None})]
        if not bad:
            return []
        value = walk.sampler.sample(member(a, bad[0], walk.deref)[0])
        witness = NOTHING if value is NOTHING else walk.sampler.with_member(a, bad[0], value)
        return [
            walk.reason(
                "propertyNames",
                _name_spot(a),
                b_spot(bpart, "propertyNames"),
                f"allows {bad[0]!r}",
                "rejects that name",
                witness,
            )
        ]
    mine = [p for p in a.parts if p.has("propertyNames")]
    if mine:
        names_a = Conj(
            tuple(
                cj.conj_of(p.get("propertyNames"), p.at("propertyNames"), walk.deref).parts[0]
                for p in mine
            )
        ).with_parts(Part({"type": "string"}, a.pointer))
        theirs = cj.conj_of(rule, bpart.at("propertyNames"), walk.deref)
        if not walk.sub(names_a, theirs):
            return []
    hints: list[Any] = [{n: 0} for n in ("", "A", "0", "-", "x" * 65, "a b")]
    witness = walk.sampler.witness(a, target, hints)
    return [
        walk.reason(
            "propertyNames",
            a_spot(a, "propertyNames"),
            b_spot(bpart, "propertyNames"),
            "allows other names",
            "restricts property names",
            witness,
        )
    ]


def prove_dependencies(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    table = bpart.get("dependencies")
    if not _objects(a) or not isinstance(table, dict):
        return []
    reasons = []
    have = cj.required(a)
    for name, needs in table.items():
        if walk.is_empty(member(a, name, walk.deref)[0]) or _same_dependency(walk, a, name, needs):
            continue
        if isinstance(needs, list) and all(n in have or _implied(a, name, n) for n in needs):
            continue
        if not isinstance(needs, list):
            present = a.with_parts(Part({"required": [name]}, a.pointer))
            theirs = cj.conj_of(needs, f"{bpart.at('dependencies')}/{name}", walk.deref)
            if not walk.sub(present, theirs):
                continue
        target = Conj((Part({"dependencies": {name: needs}}, bpart.at("dependencies")),))
        value = walk.sampler.sample(member(a, name, walk.deref)[0])
        hints = [] if value is NOTHING else [walk.sampler.with_member(a, name, value)]
        witness = walk.sampler.witness(a, target, [h for h in hints if h is not NOTHING])
        reasons.append(
            walk.reason(
                "dependencies",
                a_spot(a, "dependencies"),
                b_spot(bpart, "dependencies"),
                f"{name!r} alone",
                f"{name!r} needs {show(needs)}",
                witness,
            )
        )
    return reasons


def _same_dependency(walk: Walk, a: Conj, name: str, needs: Any) -> bool:
    for part in a.parts:
        table = part.get("dependencies")
        if isinstance(table, dict) and name in table:
            if walk.identity.same(table[name], needs) or table[name] == needs:
                return True
    return False


def _implied(a: Conj, name: str, needed: str) -> bool:
    for part in a.parts:
        table = part.get("dependencies")
        if isinstance(table, dict) and isinstance(table.get(name), list):
            if needed in table[name]:
                return True
    return False
