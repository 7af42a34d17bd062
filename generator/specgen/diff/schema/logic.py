"""Provers for B's logic: anyOf, oneOf, not and if/then/else, and a disjointness test.

A is a subset of ``anyOf`` when one branch holds it, or when each of A's pieces (one per JSON
type) fits some branch. ``oneOf`` also needs every other branch provably disjoint from the
piece, or an instance could match two branches and be rejected. ``not N`` holds when A and N
are disjoint. Disjointness is only claimed when it is certain: different types, finite sets
the other side rejects, separate numeric ranges, or a required property whose values cannot
meet (a discriminator).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Conj, Part
from specgen.diff.schema.members import member
from specgen.diff.schema.reasons import Reason, Spot
from specgen.diff.schema.scalars import a_spot, b_spot, type_names

if TYPE_CHECKING:
    from specgen.diff.schema.subset import Walk

MAX_DISJOINT_DEPTH = 4


def _branches(walk: Walk, bpart: Part, keyword: str) -> list[Conj]:
    listed = bpart.get(keyword)
    if not isinstance(listed, list):
        return []
    return [cj.conj_of(b, f"{bpart.at(keyword)}/{i}", walk.deref) for i, b in enumerate(listed)]


def _pieces(a: Conj) -> list[Conj]:
    kinds = cj.atoms(a)
    names = type_names(kinds)
    if len(names) <= 1:
        return [a]
    return [a.with_parts(Part({"type": n}, a.pointer)) for n in names]


def _covered(walk: Walk, piece: Conj, branches: list[Conj]) -> list[int]:
    return [i for i, branch in enumerate(branches) if not walk.sub(piece, branch)]


def _miss(
    walk: Walk, a: Conj, piece: Conj, bpart: Part, keyword: str, branches: list[Conj]
) -> list[Reason]:
    """Why no branch holds ``piece``: the closest branch's reasons, or "no branch matches"."""
    scored = []
    with walk.guessing():
        for branch in branches:
            scored.append(walk.sub(piece, branch))
    best = min(scored, key=len) if scored else []
    whole = Conj((bpart,), bpart.pointer)
    # a discriminator that no branch has (a const one level down), or another kind of value
    shallow = any(
        (r.facet in ("const", "type", "null") and len(r.path) <= 1)
        or (r.facet == "enum" and not r.path)
        for r in best
    )
    if not best or shallow or len(best) > 3:
        witness = walk.sampler.witness(piece, whole)
        return [
            walk.reason(
                "branch",
                a_spot(piece, keyword),
                b_spot(bpart, keyword),
                "accepts it",
                f"no {keyword} branch accepts it",
                witness,
            )
        ]
    confirmed = []
    for reason in best:
        if (
            reason.has_witness
            and walk.sampler.accepts(a, reason.witness)
            and walk.sampler.rejects(whole, reason.witness)
        ):
            confirmed.append(reason.confirmed() if walk.exact else reason)
        else:
            confirmed.append(reason.doubted())
    return confirmed


def prove_any_of(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    branches = _branches(walk, bpart, "anyOf")
    if not branches or _covered(walk, a, branches):
        return []
    reasons: list[Reason] = []
    for piece in _pieces(a):
        if not _covered(walk, piece, branches):
            reasons += _miss(walk, a, piece, bpart, "anyOf", branches)
    return reasons


def prove_one_of(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    branches = _branches(walk, bpart, "oneOf")
    if not branches:
        return []
    reasons: list[Reason] = []
    for piece in _pieces(a) if len(_pieces(a)) > 1 and not _exclusive(walk, a, branches) else [a]:
        if _exclusive(walk, piece, branches):
            continue
        holding = _covered(walk, piece, branches)
        if not holding:
            reasons += _miss(walk, a, piece, bpart, "oneOf", branches)
            continue
        whole = Conj((bpart,), bpart.pointer)
        witness = walk.sampler.witness(piece, whole)
        reasons.append(
            walk.reason(
                "oneOf-overlap",
                a_spot(piece, "oneOf"),
                b_spot(bpart, "oneOf"),
                "matches one branch",
                "may match more than one branch",
                witness,
            )
        )
    return reasons


def _exclusive(walk: Walk, piece: Conj, branches: list[Conj]) -> bool:
    for i in _covered(walk, piece, branches):
        if all(disjoint(walk, piece, other) for j, other in enumerate(branches) if j != i):
            return True
    return False


def prove_not(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    banned = cj.conj_of(bpart.get("not"), bpart.at("not"), walk.deref)
    if disjoint(walk, a, banned):
        return []
    for part in a.parts:
        if part.has("not"):
            mine = cj.conj_of(part.get("not"), part.at("not"), walk.deref)
            if not walk.sub(banned, mine):  # A excludes at least what B excludes
                return []
    hints = walk.finite_values(banned) or []
    target = Conj((Part({"not": bpart.get("not")}, bpart.at("not")),))
    witness = walk.sampler.witness(a, target, hints)
    return [
        walk.reason(
            "not",
            a_spot(a, "not"),
            b_spot(bpart, "not"),
            "allows such values",
            "excludes some of them",
            witness,
        )
    ]


def prove_conditional(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    condition = cj.conj_of(bpart.get("if"), bpart.at("if"), walk.deref)
    then = cj.conj_of(bpart.get("then", True), bpart.at("then"), walk.deref)
    other = cj.conj_of(bpart.get("else", True), bpart.at("else"), walk.deref)
    if not walk.sub(a, condition):
        inner = walk.sub(a, then)
    elif disjoint(walk, a, condition):
        inner = walk.sub(a, other)
    else:
        negated = {"not": bpart.get("if")}
        inner = walk.sub(Conj(a.parts + condition.parts, a.pointer), then) + walk.sub(
            Conj(a.parts + (Part(negated, bpart.at("if")),), a.pointer, (negated,)), other
        )
    if not inner:
        return []
    whole = Conj(
        (
            Part(
                {k: bpart.node[k] for k in ("if", "then", "else") if k in bpart.node}, bpart.pointer
            ),
        )
    )
    witness = walk.sampler.witness(a, whole)
    return [
        walk.reason(
            "conditional",
            a_spot(a, "if"),
            b_spot(bpart, "if"),
            "allows values the condition constrains",
            "if/then/else rejects some of them",
            witness,
        )
    ]


# -- disjointness --------------------------------------------------------------------------------
def disjoint(walk: Walk, x: Conj, y: Conj, depth: int = 0) -> bool:
    """True only when no instance can be in both."""
    if walk.is_empty(x) or walk.is_empty(y):
        return True
    common = cj.atoms(x) & cj.atoms(y)
    if not common:
        return True
    for first, second in ((x, y), (y, x)):
        values = walk.finite_values(first)
        if values is not None and all(walk.sampler.rejects(second, v) for v in values):
            return True
    return all(_disjoint_at(walk, x, y, atom, depth) for atom in common)


def _disjoint_at(walk: Walk, x: Conj, y: Conj, atom: str, depth: int) -> bool:
    if atom in ("int", "frac"):
        return _ranges_apart(x, y) or _ranges_apart(y, x)
    if atom == "string":
        return _lengths_apart(x, y, "minLength", "maxLength")
    if atom == "array":
        return _lengths_apart(x, y, "minItems", "maxItems")
    if atom == "object" and depth < MAX_DISJOINT_DEPTH:
        return _objects_apart(walk, x, y, depth)
    return False


def _ranges_apart(x: Conj, y: Conj) -> bool:
    high, low = cj.upper_bound(x), cj.lower_bound(y)
    if high is None or low is None:
        return False
    return high.value < low.value or (high.value == low.value and (high.exclusive or low.exclusive))


def _lengths_apart(x: Conj, y: Conj, low_key: str, high_key: str) -> bool:
    for first, second in ((x, y), (y, x)):
        high = cj.int_facet(first, high_key, min)
        low = cj.int_facet(second, low_key, max)
        if high is not None and low is not None and high[0] < low[0]:
            return True
    return False


def _objects_apart(walk: Walk, x: Conj, y: Conj, depth: int) -> bool:
    for first, second in ((x, y), (y, x)):
        for name in cj.required(first):
            theirs = member(second, name, walk.deref)[0]
            if walk.is_empty(theirs):
                return True
            if name in cj.required(second):
                mine = member(first, name, walk.deref)[0]
                if disjoint(walk, mine, theirs, depth + 1):
                    return True
    return False


__all__ = ["Spot", "disjoint"]
