"""Provers for the keywords of single values: type, enum/const, numbers and strings.

Each prover answers "does every instance of A satisfy this one keyword of B?". A rejection is
confirmed with a witness the checker accepts in A and rejects under that keyword alone.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING, Any

from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Bound, Conj, Part
from specgen.diff.schema.reasons import Reason, Spot
from specgen.diff.schema.values import ATOMS, TYPE_ATOMS, show

if TYPE_CHECKING:
    from specgen.diff.schema.subset import Walk

FACET_OF_KEYWORD = {
    "exclusiveMinimum": "minimum",
    "exclusiveMaximum": "maximum",
    "minLength": "length",
    "maxLength": "length",
    "minProperties": "property-count",
    "maxProperties": "property-count",
    "minItems": "item-count",
    "maxItems": "item-count",
    "anyOf": "branch",
    "oneOf": "branch",
    "if": "conditional",
    "then": "conditional",
    "else": "conditional",
    "False": "type",
}
KNOWN_FORMATS = frozenset({"date-time", "date", "time", "uuid", "uri", "email", "ipv4", "ipv6"})
FORMAT_LENGTHS = {"uuid": (36, 36), "date": (10, 10)}
ATOM_NAMES = {
    "null": "null",
    "boolean": "boolean",
    "int": "integer",
    "frac": "number",
    "string": "string",
    "array": "array",
    "object": "object",
}


def only(bpart: Part, *keywords: str) -> Conj:
    """B reduced to some of its keywords: a rejection here is a rejection by B."""
    node = {k: bpart.node[k] for k in keywords if k in bpart.node}
    return Conj((Part(node, bpart.pointer),), bpart.pointer, (node,))


def a_spot(a: Conj, keyword: str) -> Spot:
    for part in a.parts:
        if part.has(keyword):
            return Spot(part.node, keyword, part.at(keyword))
    first = a.parts[0].node if a.parts else None
    return Spot(first, None, a.pointer)


def b_spot(bpart: Part, keyword: str) -> Spot:
    return Spot(bpart.node, keyword, bpart.at(keyword))


def type_names(kinds: set[str]) -> list[str]:
    names = {ATOM_NAMES[k] for k in kinds}
    if {"integer", "number"} <= names:
        names.discard("integer")
    return sorted(names)


def _says_types(kinds: set[str]) -> str:
    return "type " + "/".join(type_names(kinds))


# -- type ------------------------------------------------------------------------------------
def prove_type(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    declared = bpart.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list):
        return []
    allowed = {atom for n in names if isinstance(n, str) for atom in TYPE_ATOMS.get(n, ())}
    have = cj.atoms(a)
    missing = have - allowed
    storage = _storage(walk, a, bpart) if "int" in have else []
    if not missing:
        return storage
    reasons: list[Reason] = []
    target = only(bpart, "type")
    if "null" in missing:
        witness = None if walk.sampler.accepts(a, None) else walk.sampler.witness(a, target, [None])
        reasons.append(
            walk.reason(
                "null",
                a_spot(a, "type"),
                b_spot(bpart, "type"),
                "accepts null",
                "does not accept null",
                witness,
            )
        )
    rest = missing - {"null"}
    if rest:
        steer: dict[str, Any] = {"type": type_names(rest)}
        if rest == {"frac"}:
            steer = {"type": "number", "not": {"type": "integer"}}
        steered = a.with_parts(Part(steer, a.pointer))
        witness = walk.sampler.witness(steered, target, _fraction_hints(a))
        reasons.append(
            walk.reason(
                "type",
                a_spot(a, "type"),
                b_spot(bpart, "type"),
                _says_types(have),
                _says_types(allowed & set(ATOMS)),
                witness,
            )
        )
    return reasons if any(r.facet == "type" for r in reasons) else reasons + storage


def _storage(walk: Walk, a: Conj, bpart: Part) -> list[Reason]:
    """B holds its integers in 64 bits: A's integers must fit."""
    held = cj.part_storage(bpart)
    if held is None:
        return []
    low, high = cj.lower_bound(a), cj.upper_bound(a)
    ints_only = cj.atoms(a) & {"int", "frac"} == {"int"}
    if ints_only and low is not None and high is not None:
        if low.value >= held[0] and high.value <= held[1]:
            return []
    outside = [held[1] + 1, held[0] - 1]
    hints: list[Any] = list(outside)
    for step in cj.multiples(a):
        if step.denominator == 1:
            hints += [int(-(-Fraction(h) // step) * step) for h in outside]
            hints += [int((Fraction(h) // step) * step) for h in outside]
    keys = ("type", "minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum")
    witness = walk.sampler.witness(a, only(bpart, *keys), hints)
    return [
        walk.reason(
            "type",
            a_spot(a, "type"),
            b_spot(bpart, "type"),
            "integers of any size",
            f"64-bit integers {held[0]}..{held[1]}",
            witness,
        )
    ]


def _fraction_hints(a: Conj) -> list[Any]:
    hints: list[Any] = [0.5, -0.5, 1.5]
    for bound in (cj.lower_bound(a), cj.upper_bound(a)):
        if bound is not None:
            hints += [float(bound.value + Fraction(1, 2)), float(bound.value - Fraction(1, 2))]
    return hints


# -- enum and const --------------------------------------------------------------------------
def prove_enum(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    """Only reached when A is not finite: B's finite set cannot hold it unless A is, in fact."""
    values = [bpart.get("const")] if keyword == "const" else bpart.get("enum")
    if not isinstance(values, list):
        return []
    witness = walk.sampler.witness(a, only(bpart, keyword))
    facet = "const" if keyword == "const" else "enum-introduced"
    says = f"const {show(values[0])}" if keyword == "const" else f"only {show(values)}"
    return [
        walk.reason(
            facet,
            a_spot(a, keyword),
            b_spot(bpart, keyword),
            "accepts any value of its type",
            says,
            witness,
        )
    ]


# -- numbers ---------------------------------------------------------------------------------
def _numbers(a: Conj) -> set[str]:
    return cj.atoms(a) & {"int", "frac"}


def _holds(bound: Bound | None, value: Any, exclusive: bool, ints: bool, low: bool) -> bool:
    """Does A's bound imply B's (``x >= value`` / ``x > value``, or the upper versions)?"""
    if bound is None:
        return False
    limit = Fraction(value)
    have, strict = bound.value, bound.exclusive
    if ints:
        if low:
            whole = have.__floor__() + 1 if strict else have.__ceil__()
        else:
            whole = have.__ceil__() - 1 if strict else have.__floor__()
        have, strict = Fraction(whole), False
    if low:
        return have > limit or (have == limit and (strict or not exclusive))
    return have < limit or (have == limit and (strict or not exclusive))


def _says_bound(bound: Bound | None, kind: str) -> str:
    if bound is None:
        return f"no {kind}"
    keyword = bound.pointer.rsplit("/", 1)[-1]
    return f"{keyword} {show(_plain(bound.value))}"


def _plain(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


def _bound_spot(a: Conj, bound: Bound | None, keyword: str) -> Spot:
    if bound is None:
        return a_spot(a, keyword)
    return Spot(bound.node, bound.pointer.rsplit("/", 1)[-1], bound.pointer)


def _bound(walk: Walk, a: Conj, bpart: Part, keyword: str, low: bool) -> list[Reason]:
    value = bpart.get(keyword)
    if not _numbers(a) or not isinstance(value, int | float) or isinstance(value, bool):
        return []
    exclusive = keyword.startswith("exclusive")
    have = cj.lower_bound(a) if low else cj.upper_bound(a)
    if _holds(have, value, exclusive, _numbers(a) == {"int"}, low):
        return []
    step = -1 if low else 1
    hints = [value + step, value + step / 2, value, value + step * 10]
    witness = walk.sampler.witness(a, only(bpart, keyword), hints)
    kind = "minimum" if low else "maximum"
    return [
        walk.reason(
            kind,
            _bound_spot(a, have, keyword),
            b_spot(bpart, keyword),
            _says_bound(have, kind),
            f"{keyword} {show(value)}",
            witness,
        )
    ]


def prove_lower(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    return _bound(walk, a, bpart, keyword, low=True)


def prove_upper(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    return _bound(walk, a, bpart, keyword, low=False)


def prove_multiple_of(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    step = bpart.get("multipleOf")
    if not _numbers(a) or not isinstance(step, int | float) or isinstance(step, bool) or step <= 0:
        return []
    want = Fraction(step)
    steps = cj.multiples(a)
    if any((s / want).denominator == 1 for s in steps):
        return []
    if _numbers(a) == {"int"} and (1 / want).denominator == 1:
        return []
    hints = [float(want / 2), 1, 0.5] + [_plain(s) for s in steps]
    witness = walk.sampler.witness(a, only(bpart, "multipleOf"), hints)
    says = "multipleOf " + "/".join(show(_plain(s)) for s in steps) if steps else "any number"
    return [
        walk.reason(
            "multipleOf",
            a_spot(a, "multipleOf"),
            b_spot(bpart, "multipleOf"),
            says,
            f"multipleOf {show(step)}",
            witness,
        )
    ]


# -- strings ---------------------------------------------------------------------------------
def _length_of(a: Conj, keyword: str) -> int | None:
    low = keyword == "minLength"
    found = cj.int_facet(a, keyword, max if low else min)
    values = [found[0]] if found else []
    for fmt in cj.strings_of(a, "format"):
        if fmt in FORMAT_LENGTHS:
            values.append(FORMAT_LENGTHS[fmt][0 if low else 1])
    if not values:
        return None
    return max(values) if low else min(values)


def prove_length(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    value = bpart.get(keyword)
    if "string" not in cj.atoms(a) or not isinstance(value, int) or isinstance(value, bool):
        return []
    have = _length_of(a, keyword)
    low = keyword == "minLength"
    if have is not None and (have >= value if low else have <= value):
        return []
    hints = ["a" * max(value - 1, 0)] if low else ["a" * (value + 1)]
    witness = walk.sampler.witness(a, only(bpart, keyword), hints)
    says = f"{keyword} {have}" if have is not None else f"no {keyword}"
    return [
        walk.reason(
            "length",
            a_spot(a, keyword),
            b_spot(bpart, keyword),
            says,
            f"{keyword} {value}",
            witness,
        )
    ]


def prove_pattern(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    pattern = bpart.get("pattern")
    if "string" not in cj.atoms(a) or not isinstance(pattern, str):
        return []
    have = cj.strings_of(a, "pattern")
    if pattern in have:
        return []
    witness = walk.sampler.witness(a, only(bpart, "pattern"), ["", "a", " ", "-"])
    says = "pattern " + " and ".join(show(p) for p in have) if have else "no pattern"
    return [
        walk.reason(
            "pattern",
            a_spot(a, "pattern"),
            b_spot(bpart, "pattern"),
            says,
            f"pattern {show(pattern)}",
            witness,
        )
    ]


def prove_format(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    fmt = bpart.get("format")
    if "string" not in cj.atoms(a) or fmt not in KNOWN_FORMATS:
        return []
    have = cj.strings_of(a, "format")
    if fmt in have:
        return []
    witness = walk.sampler.witness(a, only(bpart, "format"), ["a", ""])
    says = "format " + "/".join(have) if have else "no format"
    return [
        walk.reason(
            "format", a_spot(a, "format"), b_spot(bpart, "format"), says, f"format {fmt}", witness
        )
    ]
