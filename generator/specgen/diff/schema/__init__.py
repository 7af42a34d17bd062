"""Compare two JSON Schemas as the sets of instances they accept.

``compare(old, new)`` answers, for one payload schema in two versions of a spec:

- backward: does every instance the old schema allows pass the new one (new consumers read
  what old producers send)?
- forward: does every instance the new schema allows pass the old one (old consumers read
  what new producers send)?

Each answer is a list of reasons (see ``reasons``): empty means proven; a reason with a
confirmed witness means broken; a reason without one means "cannot prove compatible". The
engine works on schema graphs whose local ``$ref``s are resolved (``inline_refs``), as the
loader hands them over; it knows nothing of AsyncAPI or of any generator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from specgen.diff.schema.conj import conj_of
from specgen.diff.schema.inline import Graph, inline_refs, to_graph
from specgen.diff.schema.reasons import Reason, Spot
from specgen.diff.schema.subset import Walk
from specgen.diff.schema.values import Checker

__all__ = ["Comparison", "Graph", "Reason", "Spot", "compare", "inline_refs", "subset", "to_graph"]

COMPATIBLE, BREAKING, UNPROVEN = "compatible", "breaking", "unproven"


@dataclass(frozen=True)
class Comparison:
    backward: tuple[Reason, ...]  # why some old instance may fail the new schema
    forward: tuple[Reason, ...]  # why some new instance may fail the old schema

    @staticmethod
    def verdict_of(reasons: tuple[Reason, ...]) -> str:
        reasons = tuple(r for r in reasons if not r.assumed)
        if not reasons:
            return COMPATIBLE
        return BREAKING if any(r.certain for r in reasons) else UNPROVEN

    @property
    def backward_verdict(self) -> str:
        return self.verdict_of(self.backward)

    @property
    def forward_verdict(self) -> str:
        return self.verdict_of(self.forward)


def subset(
    a: Any, b: Any, *, lenient: bool = False, checker: Checker | None = None
) -> list[Reason]:
    """Why ``a`` may not be a subset of ``b`` (empty: it is); witnesses confirmed at the root."""
    checker = checker or Checker()
    walk = Walk(checker, _deref, lenient=lenient)
    reasons = walk.sub(conj_of(a, ""), conj_of(b, ""))
    return [_confirm(checker, a, b, r) for r in reasons]


def _confirm(checker: Checker, a: Any, b: Any, reason: Reason) -> Reason:
    """Breaking only with a whole instance the checker accepts in A and rejects in B."""
    if not reason.has_witness:
        return reason.doubted() if reason.certain else reason
    inside = checker.accepts(a, reason.witness)
    outside = checker.accepts(b, reason.witness)
    if inside is True and outside is False:
        return reason.confirmed()
    return reason.doubted()


def compare(old: Any, new: Any, *, lenient: bool = False) -> Comparison:
    checker = Checker()
    backward = subset(old, new, lenient=lenient, checker=checker)
    forward = subset(new, old, lenient=lenient, checker=checker)
    return Comparison(tuple(backward), tuple(forward))


def _deref(node: Any) -> Any:
    return node
