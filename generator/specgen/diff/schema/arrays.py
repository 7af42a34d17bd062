"""Provers for array keywords: items (single or tuple, with additionalItems), min/maxItems,
uniqueItems and contains."""

from __future__ import annotations

from typing import TYPE_CHECKING

from specgen.diff.schema import conj as cj
from specgen.diff.schema.conj import Conj, Part
from specgen.diff.schema.members import item, tuple_length
from specgen.diff.schema.reasons import Reason
from specgen.diff.schema.sample import NOTHING
from specgen.diff.schema.scalars import a_spot, b_spot, only

if TYPE_CHECKING:
    from specgen.diff.schema.subset import Walk


def _arrays(a: Conj) -> bool:
    return "array" in cj.atoms(a)


def _max_items(a: Conj) -> int | None:
    found = cj.int_facet(a, "maxItems", min)
    return found[0] if found else None


def prove_items(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    if not _arrays(a):
        return []
    single = Conj((bpart,), bpart.pointer)
    limit = _max_items(a)
    positions = max(tuple_length(a), tuple_length(single))
    reasons: list[Reason] = []
    for index in range(positions + 1):
        if limit is not None and index >= limit:
            break
        theirs = item(single, index, walk.deref)
        if all(cj.is_trivial(p.node) for p in theirs.parts):
            continue
        mine = item(a, index, walk.deref)
        if walk.is_empty(mine):
            break  # A has no instance this long
        with walk.below():
            inner = walk.sub(mine, theirs)
        if inner and any(p.node is False for p in theirs.parts):
            value = walk.sampler.sample(mine)
            longer = [] if value is NOTHING else [walk.sampler.with_item(a, index, value)]
            witness = walk.sampler.witness(a, single, [h for h in longer if h is not NOTHING])
            inner = [
                walk.reason(
                    "additionalItems",
                    a_spot(a, "items"),
                    b_spot(bpart, "additionalItems"),
                    f"allows {index + 1} items",
                    f"allows at most {index}",
                    witness,
                )
            ]
        reasons += [_lift(walk, a, single, index, r) for r in inner]
    return reasons


def _lift(walk: Walk, a: Conj, single: Conj, index: int, reason: Reason) -> Reason:
    if not reason.has_witness or reason.facet == "additionalItems":
        return reason
    candidate = walk.sampler.with_item(a, index, reason.witness)
    if candidate is NOTHING or not walk.sampler.rejects(single, candidate):
        return reason.lifted(NOTHING, index)
    return reason.lifted(candidate, index)


def prove_count(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    value = bpart.get(keyword)
    if not _arrays(a) or not isinstance(value, int) or isinstance(value, bool):
        return []
    low = keyword == "minItems"
    found = cj.int_facet(a, keyword, max if low else min)
    if found and (found[0] >= value if low else found[0] <= value):
        return []
    if not low and tuple_length(a) and _closed_tuple(a) <= value:
        return []
    value_at = walk.sampler.sample(item(a, 0, walk.deref))
    size = value - 1 if low else value + 1
    hints = [] if value_at is NOTHING or size < 0 or size > 64 else [[value_at] * size]
    witness = walk.sampler.witness(a, only(bpart, keyword), hints)
    says = f"{keyword} {found[0]}" if found else f"no {keyword}"
    return [
        walk.reason(
            "item-count",
            a_spot(a, keyword),
            b_spot(bpart, keyword),
            says,
            f"{keyword} {value}",
            witness,
        )
    ]


def _closed_tuple(a: Conj) -> int:
    """The longest array a closed tuple of A allows (a large number when none is closed)."""
    for part in a.parts:
        if isinstance(part.get("items"), list) and part.get("additionalItems") is False:
            return len(part.get("items"))
    return 1 << 30


def prove_unique(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    if not _arrays(a) or bpart.get("uniqueItems") is not True or cj.flag(a, "uniqueItems"):
        return []
    limit = _max_items(a)
    if limit is not None and limit <= 1:
        return []
    value = walk.sampler.sample(item(a, 0, walk.deref))
    hints = [] if value is NOTHING else [[value, value]]
    witness = walk.sampler.witness(a, only(bpart, "uniqueItems"), hints)
    return [
        walk.reason(
            "uniqueItems",
            a_spot(a, "uniqueItems"),
            b_spot(bpart, "uniqueItems"),
            "allows repeated items",
            "requires unique items",
            witness,
        )
    ]


def prove_contains(walk: Walk, a: Conj, bpart: Part, keyword: str) -> list[Reason]:
    if not _arrays(a) or not bpart.has("contains"):
        return []
    theirs = cj.conj_of(bpart.get("contains"), bpart.at("contains"), walk.deref)
    for part in a.parts:
        if part.has("contains"):
            mine = cj.conj_of(part.get("contains"), part.at("contains"), walk.deref)
            if not walk.sub(mine, theirs):
                return []
    low = cj.int_facet(a, "minItems", max)
    if low and low[0] >= 1 and not tuple_length(a):
        with walk.below():
            if not walk.sub(item(a, 0, walk.deref), theirs):
                return []
    witness = walk.sampler.witness(a, only(bpart, "contains"), [[]])
    return [
        walk.reason(
            "contains",
            a_spot(a, "contains"),
            b_spot(bpart, "contains"),
            "does not require such an item",
            "requires an item like it",
            witness,
        )
    ]
