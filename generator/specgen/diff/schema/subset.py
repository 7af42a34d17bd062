"""Is every instance of A also an instance of B?  ``Walk.sub(a, b)`` answers with reasons.

No reasons: proven (A is a subset of B). Otherwise each reason names the facet of B that
rejects something of A, with a confirmed witness (certain) or without one (cannot prove).

How the proof goes, in this order:

1. A is empty, or B accepts everything: proven. A part of A identical to a part of B proves
   that part of B.
2. A's own cases are split: ``anyOf``/``oneOf`` branches (each with the rest of A), and
   ``if``/``then``/``else`` as (A, if, then) and (A, not if, else). A is the union of its
   cases, so A is a subset of B when every case is.
3. A with finitely many instances (``enum``, ``const``, only booleans or null, a small integer
   range) is decided exactly: every value is checked against B.
4. Otherwise B is an intersection of independent keyword constraints, and A is a subset of B
   exactly when it is a subset of each: one prover per keyword (``type``, ``minimum``,
   ``properties``...). Provers only read facts A's parts imply; ignoring a part of A can
   only make a proof harder, never wrong.

Recursive schemas are compared co-inductively: a pair met again below an object property or
array item is assumed proven (the instances are finite trees); met again without such a step,
it cannot be proven.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from specgen.diff.schema import arrays, logic, objects, scalars
from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Conj, Deref, Part
from specgen.diff.schema.identity import Identity
from specgen.diff.schema.reasons import Reason, Spot, unique
from specgen.diff.schema.sample import NOTHING, Sampler
from specgen.diff.schema.values import Checker, show
from specgen.schema.vocabulary import canonical

Prover = Callable[["Walk", Conj, Part, str], list[Reason]]
PROVERS: dict[str, Prover] = {
    "type": scalars.prove_type,
    "enum": scalars.prove_enum,
    "const": scalars.prove_enum,
    "minimum": scalars.prove_lower,
    "exclusiveMinimum": scalars.prove_lower,
    "maximum": scalars.prove_upper,
    "exclusiveMaximum": scalars.prove_upper,
    "multipleOf": scalars.prove_multiple_of,
    "minLength": scalars.prove_length,
    "maxLength": scalars.prove_length,
    "pattern": scalars.prove_pattern,
    "format": scalars.prove_format,
    "properties": objects.prove_members,
    "required": objects.prove_required,
    "minProperties": objects.prove_count,
    "maxProperties": objects.prove_count,
    "propertyNames": objects.prove_names,
    "dependencies": objects.prove_dependencies,
    "items": arrays.prove_items,
    "minItems": arrays.prove_count,
    "maxItems": arrays.prove_count,
    "uniqueItems": arrays.prove_unique,
    "contains": arrays.prove_contains,
    "anyOf": logic.prove_any_of,
    "oneOf": logic.prove_one_of,
    "not": logic.prove_not,
    "if": logic.prove_conditional,
}
# keywords proven together with another one (their meaning depends on it)
GROUPED = {
    "patternProperties": "properties",
    "additionalProperties": "properties",
    "additionalItems": "items",
}
FINITE_INTEGERS = 64
MAX_STEPS = 20_000


class Walk:
    def __init__(self, checker: Checker, deref: Deref, *, lenient: bool = False) -> None:
        self.checker = checker
        self.deref = deref
        self.lenient = lenient
        self.sampler = Sampler(checker, deref)
        self.identity = Identity(deref)
        self.exact = True
        self.depth = 0
        self.steps = 0
        self._active: dict[Any, int] = {}

    # -- context ---------------------------------------------------------------------------
    @contextmanager
    def below(self) -> Iterator[None]:
        """One structural step down (an object property or an array item)."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1

    @contextmanager
    def guessing(self) -> Iterator[None]:
        """Inside a branch of B: a rejection there is not yet a rejection by B."""
        before, self.exact = self.exact, False
        try:
            yield
        finally:
            self.exact = before

    def reason(
        self, facet: str, a: Spot, b: Spot, a_says: str, b_says: str, witness: Any = NOTHING
    ) -> Reason:
        certain = witness is not NOTHING and self.exact
        return Reason(facet, a, b, a_says, b_says, witness, certain)

    # -- the proof -------------------------------------------------------------------------
    def sub(self, a: Conj, b: Conj) -> list[Reason]:
        self.steps += 1
        if self.steps > MAX_STEPS:
            return [self._unknown(a, b, "the schemas are too large to compare completely")]
        if self.is_empty(a) or all(cj.is_trivial(p.node) for p in b.parts):
            return []
        key = (tuple((id(p.node), p.expanded) for p in a.parts), tuple(id(p.node) for p in b.parts))
        if key in self._active:
            if self._active[key] < self.depth:
                return []  # co-inductive step through a recursive schema
            return [self._unknown(a, b, "a $ref cycle without an object or array step")]
        self._active[key] = self.depth
        try:
            return unique(self._sub(a, b))
        finally:
            del self._active[key]

    def _sub(self, a: Conj, b: Conj) -> list[Reason]:
        cases = self.cases(a)
        if cases is not None:
            return [r for case in cases for r in self.sub(case, b)]
        values = self.finite_values(a)
        if values is not None:
            return self._finite(a, values, b)
        reasons: list[Reason] = []
        for bpart in b.parts:
            if bpart.node is False:
                reasons.append(self._nothing(a, bpart))
            elif not any(self.identity.same(ap.node, bpart.node) for ap in a.parts):
                reasons += self._keywords(a, bpart)
        return reasons

    def _keywords(self, a: Conj, bpart: Part) -> list[Reason]:
        reasons: list[Reason] = []
        ran: set[str] = set()
        if not isinstance(bpart.node, dict):
            return reasons
        for keyword in bpart.node:
            group: str = GROUPED.get(keyword) or str(keyword)
            prover = PROVERS.get(group)
            if prover is None or group in ran or keyword in bpart.expanded:
                continue
            ran.add(group)
            reasons += prover(self, a, bpart, group)
        return reasons

    # -- A's cases ---------------------------------------------------------------------------
    def cases(self, a: Conj) -> list[Conj] | None:
        for index, part in enumerate(a.parts):
            for keyword in ("anyOf", "oneOf"):
                branches = part.get(keyword)
                if isinstance(branches, list):
                    done = Part(part.node, part.pointer, part.expanded | {keyword})
                    rest = a.parts[:index] + (done,) + a.parts[index + 1 :]
                    return [
                        Conj(rest, a.pointer).with_parts(
                            *cj.conj_of(sub, f"{part.at(keyword)}/{i}", self.deref).parts
                        )
                        for i, sub in enumerate(branches)
                    ]
            if part.has("if"):
                done = Part(part.node, part.pointer, part.expanded | {"if", "then", "else"})
                kept = Conj(a.parts[:index] + (done,) + a.parts[index + 1 :], a.pointer)
                condition = part.get("if")
                negated = {"not": condition}
                then = cj.conj_of(part.get("then", True), part.at("then"), self.deref)
                other = cj.conj_of(part.get("else", True), part.at("else"), self.deref)
                yes = cj.conj_of(condition, part.at("if"), self.deref)
                no = Conj((Part(negated, part.at("if")),), part.at("if"), (negated,))
                return [
                    Conj(kept.parts + yes.parts + then.parts, a.pointer),
                    Conj(kept.parts + no.parts + other.parts, a.pointer, no.extra),
                ]
        return None

    def is_empty(self, a: Conj) -> bool:
        if any(p.node is False for p in a.parts) or not cj.atoms(a):
            return True
        values = self.finite_values(a)
        return values is not None and not values

    def finite_values(self, a: Conj) -> list[Any] | None:
        """Every instance of A when there are few (exactly), or None."""
        candidates = self._enumerable(a)
        if candidates is None:
            return None
        kept: list[Any] = []
        seen: set[Any] = set()
        for value in candidates:
            verdicts = [self.checker.accepts(node, value) for node in a.nodes()]
            if None in verdicts:
                return None
            if all(verdicts) and canonical(value) not in seen:
                seen.add(canonical(value))
                kept.append(value)
        return kept

    def _enumerable(self, a: Conj) -> list[Any] | None:
        listed: list[Any] | None = None
        for part in a.parts:
            values = [part.get("const")] if part.has("const") else part.get("enum")
            if isinstance(values, list):
                listed = values if listed is None else listed + values
        if listed is not None:
            return listed
        kinds = cj.atoms(a)
        if kinds <= {"null", "boolean"}:
            return ([None] if "null" in kinds else []) + (
                [True, False] if "boolean" in kinds else []
            )
        low, high = cj.lower_bound(a), cj.upper_bound(a)
        if kinds == {"int"} and low is not None and high is not None:
            if high.value - low.value <= FINITE_INTEGERS:
                start = int(low.value) - 1
                return list(range(start, int(high.value) + 2))
        return None

    def _finite(self, a: Conj, values: list[Any], b: Conj) -> list[Reason]:
        reasons = []
        source = next((p for p in a.parts if p.has("enum") or p.has("const")), None)
        if source is None:
            a_spot = Spot(a.parts[0].node if a.parts else None, None, a.pointer)
        else:
            keyword = "enum" if source.has("enum") else "const"
            a_spot = Spot(source.node, keyword, source.at(keyword))
        for value in values:
            for bpart in b.parts:
                verdict = self.checker.accepts(bpart.node, value)
                if verdict is True:
                    continue
                if verdict is None:
                    reasons.append(self._unknown(a, b, f"cannot check {show(value)}"))
                    break
                facet, b_spot = self._rejection(bpart, value)
                says = f"rejects {show(value)}" + (f" ({facet})" if facet != "enum" else "")
                reasons.append(
                    self.reason(facet, a_spot, b_spot, f"accepts {show(value)}", says, value)
                )
                break
        return reasons

    def _rejection(self, bpart: Part, value: Any) -> tuple[str, Spot]:
        found = self.checker.first_error(bpart.node, value)
        if found is None:
            return "type", Spot(bpart.node, None, bpart.pointer)
        keyword, path = found
        node = bpart.node
        for token in path[:-1]:
            if isinstance(node, dict) and token in node:
                node = node[token]
            elif isinstance(node, list) and isinstance(token, int) and token < len(node):
                node = node[token]
        pointer = "/".join([bpart.pointer, *(str(t) for t in path)])
        facet = scalars.FACET_OF_KEYWORD.get(keyword, keyword)
        if facet == "type" and value is None:
            facet = "null"
        return facet, Spot(node, str(path[-1]) if path else keyword, pointer)

    def _nothing(self, a: Conj, bpart: Part) -> Reason:
        witness = self.sampler.sample(a)
        return self.reason(
            "type",
            Spot(None, None, a.pointer),
            Spot(bpart.node, None, bpart.pointer),
            "accepts values",
            "accepts nothing (false)",
            witness,
        )

    def _unknown(self, a: Conj, b: Conj, why: str) -> Reason:
        return Reason("unknown", Spot(None, None, a.pointer), Spot(None, None, b.pointer), "", why)
