"""Results computed once per IR object, for work that ``validate`` and the backends share.

The IR is frozen, so a result computed from one IR object never goes stale. ``per_ir(f)``
remembers ``f(ir)`` for as long as that IR object lives and forgets it when the IR is
collected: entries are keyed by identity (an IR holds dicts, so it has no hash) and each
holds a weak reference whose callback removes the entry. A long-running process or a test
session that builds many IRs keeps none of the old results, and two equal but distinct IRs
never share one. A result must not refer to its IR (that would keep the IR alive), and
callers must not change a result they are given (the next caller gets the same object).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Generic, TypeVar

from specgen.ir import SpecIR

T = TypeVar("T")

__all__ = ["PerIR", "per_ir"]


class PerIR(Generic[T]):
    """``compute`` with one remembered result per living IR object."""

    def __init__(self, compute: Callable[[SpecIR], T]) -> None:
        self._compute = compute
        self._entries: dict[int, tuple[weakref.ref[SpecIR], T]] = {}
        self.__doc__ = compute.__doc__
        self.__wrapped__ = compute

    def __call__(self, ir: SpecIR) -> T:
        key = id(ir)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is ir:
            return entry[1]
        result = self._compute(ir)
        self._entries[key] = (weakref.ref(ir, self._forget(key)), result)
        return result

    def _forget(self, key: int) -> Callable[[weakref.ref[SpecIR]], None]:
        entries = self._entries

        def forget(ref: weakref.ref[SpecIR]) -> None:
            entry = entries.get(key)
            if entry is not None and entry[0] is ref:
                del entries[key]

        return forget

    def __len__(self) -> int:
        """How many results are remembered (the IR objects still alive that were asked)."""
        return len(self._entries)


def per_ir(compute: Callable[[SpecIR], T]) -> PerIR[T]:
    """Decorator: ``compute(ir)`` runs once per IR object while that object lives."""
    return PerIR(compute)
