"""A schema as the engine sees it: a conjunction of parts, and the facts all parts imply.

``Conj`` is the intersection of its parts (schema nodes). ``allOf`` is flattened into parts and
``$ref`` is followed (in draft 7 a ``$ref`` replaces its siblings), so every keyword of every
part is one independent constraint. Parts keep their node (for locations) and their JSON
pointer from the payload root (for messages). A part whose ``anyOf``/``oneOf``/``if`` has been
split into cases lists those keywords in ``expanded``; the chosen case is a part of its own.

The ``facts`` helpers read what the parts imply together: the JSON types (atoms) that remain,
numeric bounds, lengths, required names. They may know less than the parts say (that only
makes proofs harder, never wrong).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from specgen.diff.schema.values import ANNOTATIONS, ATOMS, TYPE_ATOMS, atom_of

Deref = Callable[[Any], Any]


@dataclass(frozen=True)
class Part:
    node: Any  # a dict or a bool
    pointer: str
    expanded: frozenset[str] = frozenset()

    def get(self, keyword: str, default: Any = None) -> Any:
        if not isinstance(self.node, dict) or keyword in self.expanded:
            return default
        return self.node.get(keyword, default)

    def has(self, keyword: str) -> bool:
        return isinstance(self.node, dict) and keyword in self.node and keyword not in self.expanded

    def at(self, keyword: str) -> str:
        return f"{self.pointer}/{keyword}"


@dataclass(frozen=True)
class Conj:
    parts: tuple[Part, ...]
    pointer: str = ""
    extra: tuple[Any, ...] = field(default=(), compare=False)  # synthetic parts kept alive

    def nodes(self) -> Iterator[Any]:
        for part in self.parts:
            yield part.node

    def with_parts(self, *parts: Part) -> Conj:
        return Conj(self.parts + parts, self.pointer)


def no_deref(node: Any) -> Any:
    return node


def conj_of(node: Any, pointer: str, deref: Deref = no_deref) -> Conj:
    parts: list[Part] = []
    _flatten(node, pointer, deref, parts, set())
    return Conj(tuple(parts), pointer)


def _flatten(node: Any, pointer: str, deref: Deref, out: list[Part], seen: set[int]) -> None:
    node = deref(node)
    if id(node) in seen and isinstance(node, dict):
        return
    if isinstance(node, dict):
        seen.add(id(node))
    out.append(Part(node, pointer))
    all_of = node.get("allOf") if isinstance(node, dict) else None
    if isinstance(all_of, list):
        for i, sub in enumerate(all_of):
            _flatten(sub, f"{pointer}/allOf/{i}", deref, out, seen)


def joined(a: Conj, b: Conj) -> Conj:
    return Conj(a.parts + b.parts, a.pointer)


def is_trivial(node: Any) -> bool:
    """A node that accepts everything: ``true``, ``{}`` or only annotations."""
    if node is True:
        return True
    return isinstance(node, dict) and all(k in ANNOTATIONS or k.startswith("x-") for k in node)


# -- facts the parts imply together -------------------------------------------------------------
def part_atoms(part: Part) -> set[str]:
    if part.node is False:
        return set()
    declared = part.get("type")
    atoms = set(ATOMS)
    if isinstance(declared, str):
        atoms = set(TYPE_ATOMS.get(declared, ATOMS))
    elif isinstance(declared, list):
        atoms = {a for t in declared if isinstance(t, str) for a in TYPE_ATOMS.get(t, ())}
    if part.has("const"):
        atoms &= {atom_of(part.get("const"))}
    enum = part.get("enum")
    if isinstance(enum, list):
        atoms &= {atom_of(v) for v in enum}
    if atoms & {"int", "frac"} and _integral_multiple(part):
        atoms.discard("frac")
    return atoms


def _integral_multiple(part: Part) -> bool:
    step = part.get("multipleOf")
    return _is_number(step) and float(step).is_integer()


def atoms(c: Conj) -> set[str]:
    result = set(ATOMS)
    for part in c.parts:
        result &= part_atoms(part)
    return result


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


@dataclass(frozen=True)
class Bound:
    value: Fraction
    exclusive: bool
    pointer: str
    node: Any = None


# Integers are held in 64 bits by every generated validator (a larger one is refused, never
# rounded): signed, or unsigned when the schema's lower bound is at least 0.
INT64 = (-(2**63), 2**63 - 1)
UINT64 = (0, 2**64 - 1)


def _own_bound(part: Part, keys: tuple[str, str]) -> Any:
    values = [part.get(k) for k in keys if _is_number(part.get(k))]
    return values[0] if values else None


def part_storage(part: Part) -> tuple[int, int] | None:
    """The integer range a part's ``type: integer`` holds in the generated code, if limited."""
    declared = part.get("type")
    names = [declared] if isinstance(declared, str) else declared
    if not isinstance(names, list) or "integer" not in names or "number" in names:
        return None
    low = _own_bound(part, ("minimum", "exclusiveMinimum"))
    high = _own_bound(part, ("maximum", "exclusiveMaximum"))
    if (low is not None and low > UINT64[1]) or (high is not None and high < INT64[0]):
        return None  # arbitrary precision: no 64-bit value fits the bounds
    return UINT64 if low is not None and low >= 0 else INT64


def storage(c: Conj) -> tuple[int, int] | None:
    ranges = [r for r in (part_storage(p) for p in c.parts) if r is not None]
    if not ranges:
        return None
    return max(r[0] for r in ranges), min(r[1] for r in ranges)


def _with_storage(c: Conj, best: Bound | None, low: bool) -> Bound | None:
    held = storage(c) if atoms(c) == {"int"} else None
    if held is None:
        return best
    part = next(p for p in c.parts if part_storage(p) is not None)
    limit = Bound(Fraction(held[0] if low else held[1]), False, part.at("type"), part.node)
    if best is None:
        return limit
    return (
        max(best, limit, key=lambda b: b.value) if low else min(best, limit, key=lambda b: b.value)
    )


def lower_bound(c: Conj) -> Bound | None:
    return _with_storage(c, _lower_bound(c), low=True)


def upper_bound(c: Conj) -> Bound | None:
    return _with_storage(c, _upper_bound(c), low=False)


def _lower_bound(c: Conj) -> Bound | None:
    best: Bound | None = None
    for part in c.parts:
        for key, exclusive in (("minimum", False), ("exclusiveMinimum", True)):
            value = part.get(key)
            if _is_number(value):
                bound = Bound(Fraction(value), exclusive, part.at(key), part.node)
                if best is None or (bound.value, bound.exclusive) > (best.value, best.exclusive):
                    best = bound
    return best


def _upper_bound(c: Conj) -> Bound | None:
    best: Bound | None = None
    for part in c.parts:
        for key, exclusive in (("maximum", False), ("exclusiveMaximum", True)):
            value = part.get(key)
            if _is_number(value):
                bound = Bound(Fraction(value), exclusive, part.at(key), part.node)
                if best is None or (bound.value, not bound.exclusive) < (
                    best.value,
                    not best.exclusive,
                ):
                    best = bound
    return best


def multiples(c: Conj) -> list[Fraction]:
    found = []
    for part in c.parts:
        step = part.get("multipleOf")
        if _is_number(step) and step > 0:
            found.append(Fraction(step))
    return found


def int_facet(c: Conj, keyword: str, pick: Callable[[list[int]], int]) -> tuple[int, Part] | None:
    """The tightest value of an integer keyword (minLength, maxItems...) and its part."""
    found = [(p.get(keyword), p) for p in c.parts if isinstance(p.get(keyword), int)]
    found = [(v, p) for v, p in found if not isinstance(v, bool)]
    if not found:
        return None
    value = pick([v for v, _ in found])
    return next((v, p) for v, p in found if v == value)


def required(c: Conj) -> dict[str, Part]:
    names: dict[str, Part] = {}
    for part in c.parts:
        listed = part.get("required")
        if isinstance(listed, list):
            for name in listed:
                if isinstance(name, str):
                    names.setdefault(name, part)
    return names


def strings_of(c: Conj, keyword: str) -> dict[str, Part]:
    found: dict[str, Part] = {}
    for part in c.parts:
        value = part.get(keyword)
        if isinstance(value, str):
            found.setdefault(value, part)
    return found


def flag(c: Conj, keyword: str) -> bool:
    return any(part.get(keyword) is True for part in c.parts)
