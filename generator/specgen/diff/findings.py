"""A finding: one change between two versions of a spec, named by its rule.

Findings are values, like diagnostics: the rule (and so its category), what changed in words,
where it is written in the old and in the new version, which readers it can break, whether
that is certain (a confirmed example instance) or only not provable, and what it concerns
(an event type, a domain or the project), which decides the compatibility mode that judges it.
The verdict (error, warning, info) is decided later by ``modes``; an ``x-specgen-breaking``
annotation that accepts the finding is attached by ``annotations``.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from specgen.diagnostics import Location
from specgen.diff.rules import RULES, Rule


@dataclass(frozen=True)
class Acceptance:
    """An ``x-specgen-breaking`` entry that accepts a finding: the rule, why, and where."""

    rule: str
    reason: str
    version: str
    location: Location


@dataclass(frozen=True)
class Finding:
    rule: str
    message: str
    old: Location | None
    new: Location | None
    breaks: frozenset[str]
    subject: str  # the CloudEvent type, "domain:<name>" or "project"
    domain: str = ""
    certain: bool = True
    example: str = ""  # JSON of an instance that shows the break
    against: str = ""  # the version compared with, e.g. "main" or "v1.2.0"
    hint: str = ""
    accepted: Acceptance | None = field(default=None, compare=False)

    @property
    def definition(self) -> Rule:
        return RULES[self.rule]

    @property
    def category(self) -> str:
        return RULES[self.rule].category

    @property
    def breaking(self) -> bool:
        return bool(self.breaks)

    def sort_key(self) -> tuple[str, str, int, str, str]:
        where = self.new or self.old or Location("")
        return (self.subject, where.file, where.line, self.rule, self.message)

    def accept(self, acceptance: Acceptance) -> Finding:
        return replace(self, accepted=acceptance)


def sorted_findings(findings: list[Finding]) -> list[Finding]:
    unique = {(f.rule, f.subject, f.message, f.against): f for f in findings}
    return sorted(unique.values(), key=Finding.sort_key)


def found(
    rule: str,
    message: str,
    old: Location | None,
    new: Location | None,
    subject: str,
    domain: str = "",
    *,
    breaks: frozenset[str] | None = None,
    hint: str = "",
) -> Finding:
    """A finding that breaks what its rule says it breaks (unless told otherwise)."""
    if domain == "" and subject.startswith("domain:"):
        domain = subject.removeprefix("domain:")
    chosen = RULES[rule].breaks if breaks is None else breaks
    return Finding(rule, message, old, new, chosen, subject, domain, hint=hint)
