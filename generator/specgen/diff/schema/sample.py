"""Witnesses: small instances that one schema accepts and the other rejects.

Candidates are built from what a conjunction says (bounds, lengths, formats, patterns,
required names) plus hints from the proof that failed (the threshold that moved). The checker
keeps only candidates every part accepts; a witness must also be rejected by the other side.
Nothing here decides a verdict: a missing witness only makes a finding "cannot prove".
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from fractions import Fraction
from typing import Any

from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Conj, Deref
from specgen.diff.schema.members import declared_names, item, member
from specgen.diff.schema.regex_sample import pattern_samples
from specgen.diff.schema.values import Checker
from specgen.schema.vocabulary import canonical

NOTHING: Any = object()
MAX_DEPTH = 6
FORMAT_SAMPLES = {
    "date-time": "2025-01-01T00:00:00Z",
    "date": "2025-01-01",
    "time": "00:00:00Z",
    "uuid": "00000000-0000-4000-8000-000000000000",
    "uri": "urn:example:x",
    "email": "a@example.com",
    "ipv4": "127.0.0.1",
    "ipv6": "::1",
}
_NON_MEMBERS: tuple[Any, ...] = (None, True, 0, 0.5, -1, "", "x", [], {}, [None], {"": None})


def _number(value: Fraction) -> int | float:
    return int(value) if value.denominator == 1 else float(value)


class Sampler:
    def __init__(self, checker: Checker, deref: Deref) -> None:
        self.checker = checker
        self.deref = deref

    # -- acceptance ------------------------------------------------------------------------
    def accepts(self, c: Conj, value: Any) -> bool:
        return all(self.checker.accepts(node, value) is True for node in c.nodes())

    def rejects(self, c: Conj, value: Any) -> bool:
        return any(self.checker.accepts(node, value) is False for node in c.nodes())

    def sample(self, c: Conj, depth: int = 0, hints: Iterable[Any] = ()) -> Any:
        for value in self.candidates(c, depth, hints):
            if self.accepts(c, value):
                return value
        return NOTHING

    def witness(self, a: Conj, b: Conj, hints: Iterable[Any] = (), depth: int = 0) -> Any:
        """A value ``a`` accepts and ``b`` rejects, or NOTHING."""
        for value in self.candidates(a, depth, hints):
            if self.accepts(a, value) and self.rejects(b, value):
                return value
        return NOTHING

    def non_member(self, b: Conj) -> Any:
        """Any JSON value ``b`` rejects (for open content: an old producer may send it)."""
        for value in _NON_MEMBERS:
            if self.rejects(b, value):
                return value
        return NOTHING

    # -- candidates ------------------------------------------------------------------------
    def candidates(self, c: Conj, depth: int = 0, hints: Iterable[Any] = ()) -> Iterator[Any]:
        seen: set[Any] = set()
        for value in self._raw(c, depth, list(hints)):
            try:
                key = canonical(value)
            except TypeError:
                continue
            if key not in seen:
                seen.add(key)
                yield value

    def _raw(self, c: Conj, depth: int, hints: list[Any]) -> Iterator[Any]:
        yield from hints
        for part in c.parts:
            if part.has("const"):
                yield part.get("const")
            enum = part.get("enum")
            if isinstance(enum, list):
                yield from enum
        kinds = cj.atoms(c)
        if "null" in kinds:
            yield None
        if "boolean" in kinds:
            yield from (True, False)
        if kinds & {"int", "frac"}:
            yield from self._numbers(c, "frac" in kinds)
        if "string" in kinds:
            yield from self._strings(c)
        if depth < MAX_DEPTH and "array" in kinds:
            yield from self._arrays(c, depth)
        if depth < MAX_DEPTH and "object" in kinds:
            yield from self._objects(c, depth)

    def _numbers(self, c: Conj, fractions: bool) -> Iterator[Any]:
        low, high = cj.lower_bound(c), cj.upper_bound(c)
        points = [Fraction(p) for p in (0, 1, -1, 2, 10, 1000)]
        for bound in (low, high):
            if bound is not None:
                points += [bound.value, bound.value + 1, bound.value - 1]
                if fractions:
                    points += [bound.value + Fraction(1, 2), bound.value - Fraction(1, 2)]
        if fractions:
            points += [Fraction(1, 2), Fraction(-1, 2)]
        steps = cj.multiples(c)
        for point in points:
            yield _number(point)
            for step in steps:
                for k in (math.floor(point / step), math.ceil(point / step)):
                    yield _number(k * step)
                    yield _number((k + 1) * step)

    def _strings(self, c: Conj) -> Iterator[Any]:
        for fmt in cj.strings_of(c, "format"):
            if fmt in FORMAT_SAMPLES:
                yield FORMAT_SAMPLES[fmt]
        for pattern in cj.strings_of(c, "pattern"):
            yield from pattern_samples(pattern)
        lengths = [0, 1, 2]
        for keyword in ("minLength", "maxLength"):
            found = cj.int_facet(c, keyword, max if keyword == "minLength" else min)
            if found is not None:
                lengths += [found[0], found[0] + 1, max(found[0] - 1, 0)]
        for n in lengths:
            if n <= 4096:
                yield "a" * n

    def _arrays(self, c: Conj, depth: int) -> Iterator[Any]:
        low = cj.int_facet(c, "minItems", max)
        high = cj.int_facet(c, "maxItems", min)
        counts = [0, 1, 2]
        if low is not None:
            counts.insert(0, low[0])
        if high is not None:
            counts.append(high[0] + 1)
        for n in counts:
            if n > 16:
                continue
            values = [self.sample(item(c, i, self.deref), depth + 1) for i in range(n)]
            if any(v is NOTHING for v in values):
                continue
            yield values
            if n >= 2 and cj.flag(c, "uniqueItems"):
                distinct = self.distinct(item(c, 0, self.deref), n, depth + 1)
                if distinct is not None:
                    yield distinct

    def distinct(self, c: Conj, n: int, depth: int) -> list[Any] | None:
        found: list[Any] = []
        keys: set[Any] = set()
        for value in self.candidates(c, depth):
            if self.accepts(c, value) and canonical(value) not in keys:
                keys.add(canonical(value))
                found.append(value)
                if len(found) == n:
                    return found
        return None

    def _objects(self, c: Conj, depth: int) -> Iterator[Any]:
        base: dict[str, Any] = {}
        for name in cj.required(c):
            value = self.sample(member(c, name, self.deref)[0], depth + 1)
            if value is NOTHING:
                return
            base[name] = value
        yield base
        optional = [n for n in declared_names(c) if n not in base]
        fuller = dict(base)
        for name in optional:
            value = self.sample(member(c, name, self.deref)[0], depth + 1)
            if value is not NOTHING:
                fuller[name] = value
                yield dict(fuller)
        for k in range(1, 4):
            yield {**base, **{f"x{i}": 0 for i in range(k)}}

    # -- lifting a witness into its parent ---------------------------------------------------
    def with_member(self, a: Conj, name: str, value: Any, depth: int = 0) -> Any:
        for base in self._objects(a, depth):
            candidate = {**base, name: value}
            if self.accepts(a, candidate):
                return candidate
        return NOTHING

    def with_item(self, a: Conj, index: int, value: Any, depth: int = 0) -> Any:
        low = cj.int_facet(a, "minItems", max)
        size = max(index + 1, low[0] if low else 0)
        if size > 16:
            return NOTHING
        values = [
            value if i == index else self.sample(item(a, i, self.deref), depth + 1)
            for i in range(size)
        ]
        if any(v is NOTHING for v in values):
            return NOTHING
        return values if self.accepts(a, values) else NOTHING
