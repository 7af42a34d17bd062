"""Why one schema does not (provably) contain another: reasons, each tied to one facet.

A reason says which facet of the containing side (B) rejects something the contained side
(A) allows, where each facet is written (``Spot``: the node, the keyword and the JSON pointer
from the payload root), what each side says in words, and a witness when one was found: an
instance A accepts and B rejects, confirmed by the checker. ``certain`` is true only with such
a witness; without one the reason means "cannot prove compatible".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from specgen.diff.schema.sample import NOTHING


@dataclass(frozen=True)
class Spot:
    node: Any
    keyword: str | None
    pointer: str


@dataclass(frozen=True)
class Reason:
    facet: str
    a: Spot
    b: Spot
    a_says: str
    b_says: str
    witness: Any = field(default=NOTHING, compare=False)
    certain: bool = False
    path: tuple[str | int, ...] = ()
    assumed: bool = False  # lenient open content: assumed never sent, so not a break

    @property
    def has_witness(self) -> bool:
        return self.witness is not NOTHING

    def key(self) -> tuple[str, str, str]:
        return (self.facet, self.a.pointer, self.b.pointer)

    def lifted(self, witness: Any, step: str | int | None) -> Reason:
        """The same reason with its witness one level up (or lost, as NOTHING)."""
        path = self.path if step is None else (step, *self.path)
        return replace(self, witness=witness, path=path if witness is not NOTHING else ())

    def doubted(self) -> Reason:
        return replace(self, certain=False, witness=NOTHING, path=())

    def confirmed(self) -> Reason:
        return replace(self, certain=True)


def unique(reasons: list[Reason]) -> list[Reason]:
    """One reason per (facet, A pointer, B pointer); a certain one wins over a doubtful one."""
    best: dict[tuple[str, str, str], Reason] = {}
    for reason in reasons:
        key = reason.key()
        held = best.get(key)
        if held is None or (reason.certain and not held.certain):
            best[key] = reason
    return list(best.values())
