"""What a rule is: a stable id, a category, a one-line summary, a check.

Categories nest, like buf's: each ruleset is a category with everything below it.

- ``asyncapi``: what the AsyncAPI 3 specification itself requires (MUSTs the JSON Schema
  cannot express). A valid AsyncAPI document passes it.
- ``generator``: what ``specgen generate`` needs of any document: NATS-valid subjects, no
  publishing to wildcards, one subject per channel, unique names, payloads in JSON Schema.
- ``specgen``: the conventions of our own event spec (domains, CloudEvents, JetStream streams,
  the site in every subject, examples).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from specgen.diagnostics import Diagnostic
from specgen.rules.context import Context

ASYNCAPI = "asyncapi"
GENERATOR = "generator"
SPECGEN = "specgen"
RULESETS = (ASYNCAPI, GENERATOR, SPECGEN)
"""From loosest to strictest: a ruleset holds its own category and every one before it."""

Check = Callable[[Context], Iterable[Diagnostic]]


def categories_of(ruleset: str) -> tuple[str, ...]:
    return RULESETS[: RULESETS.index(ruleset) + 1]


def includes(ruleset: str, category: str) -> bool:
    return category in categories_of(ruleset)


@dataclass(frozen=True)
class Rule:
    """One rule. ``check`` only ever emits diagnostics whose rule id is ``id``."""

    id: str
    category: str
    summary: str
    check: Check

    def applies_to(self, ruleset: str) -> bool:
        return includes(ruleset, self.category)


def no_check(ctx: Context) -> Iterable[Diagnostic]:
    """For rules whose findings all come from reading the typed model (see ``run_rules``)."""
    return ()
