"""What a rule is: a stable id, the rulesets it belongs to, a one-line summary, a check."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic
from specgen.rules.context import Context

SPECGEN = "specgen"
ASYNCAPI = "asyncapi"
RULESETS = (SPECGEN, ASYNCAPI)

BOTH = frozenset(RULESETS)
SPECGEN_ONLY = frozenset({SPECGEN})

Check = Callable[[Context], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One rule. ``check`` only ever emits diagnostics whose rule id is ``id``."""

    id: str
    rulesets: frozenset[str]
    summary: str
    check: Check

    def applies_to(self, ruleset: str) -> bool:
        return ruleset in self.rulesets
