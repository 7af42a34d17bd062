"""The one explicit way to accept a breaking change: ``x-specgen-breaking`` in the new spec.

Written on the message or channel of the event it concerns, on a domain document (its
channels, operations and stream), or in the project file (anything, streams and topology
included)::

    x-specgen-breaking:
      - rule: ENUM_VALUE_REMOVED
        version: 2.0.0
        reason: no site has sent "legacy" since the 1.4 firmware (fleet report 2025-03)

An entry accepts the findings of its rule in its scope, for the release it names: it must
equal the new project version, so an old entry never silences a later change. The diff output
shows every accepted finding with its reason. Nothing else silences a finding (a new major
event type, ``.v2`` beside ``.v1``, breaks nothing and needs no entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.diff.findings import Acceptance, Finding
from specgen.diff.rules import RULES
from specgen.diff.side import Side
from specgen.diff.versions import parse

KEY = "x-specgen-breaking"
HINT = "write a list of {rule: RULE_ID, version: X.Y.Z, reason: why} (see docs/compatibility.md)"


@dataclass
class Annotations:
    by_scope: dict[str, list[Acceptance]] = field(default_factory=dict)
    problems: list[Diagnostic] = field(default_factory=list)
    stale: list[Acceptance] = field(default_factory=list)

    older: dict[str, list[Acceptance]] = field(default_factory=dict)

    def accepting(
        self, finding: Finding, after: tuple[int, int, int] | None = None
    ) -> Acceptance | None:
        """The entry accepting ``finding``. Compared with an older release (``after``, its
        version), entries of any later release count too: they made the break since then."""
        scopes = [f"event:{finding.subject}", f"domain:{finding.domain}", "project"]
        if finding.subject.startswith("domain:"):
            scopes[0] = finding.subject
        for scope in scopes:
            candidates = list(self.by_scope.get(scope, []))
            if after is not None:
                candidates += [e for e in self.older.get(scope, []) if _newer(e.version, after)]
            for entry in candidates:
                if entry.rule == finding.rule:
                    return entry
        return None


def _newer(version: str, than: tuple[int, int, int]) -> bool:
    parsed = parse(version)
    return parsed is not None and parsed > than


def _entries(
    side: Side, obj: Any, where: Location | None, version: str, found: Annotations, scope: str
) -> None:
    value = obj.get(KEY) if isinstance(obj, dict) else None
    if value is None:
        return
    here = where or Location("<spec>")
    if not isinstance(value, list):
        found.problems.append(error("SG-DIFF-ANNOTATION", f"{KEY} must be a list", here, HINT))
        return
    for index, entry in enumerate(value):
        at = side.locate(value, index) or here
        rule = entry.get("rule") if isinstance(entry, dict) else None
        reason = entry.get("reason") if isinstance(entry, dict) else None
        release = entry.get("version") if isinstance(entry, dict) else None
        if rule not in RULES:
            close = [r for r in RULES if isinstance(rule, str) and rule.upper() in r]
            found.problems.append(
                error(
                    "SG-DIFF-ANNOTATION",
                    f"{KEY}: unknown rule {rule!r}",
                    at,
                    f"did you mean {close[0]}?" if close else HINT,
                )
            )
            continue
        if not isinstance(reason, str) or not reason.strip():
            found.problems.append(
                error(
                    "SG-DIFF-ANNOTATION",
                    f"{KEY}: {rule} needs a reason",
                    at,
                    "say why the break is safe or accepted",
                )
            )
            continue
        if not isinstance(release, str):
            found.problems.append(
                error(
                    "SG-DIFF-ANNOTATION",
                    f"{KEY}: {rule} needs the version that makes the break",
                    at,
                    f"add version: {version}",
                )
            )
            continue
        acceptance = Acceptance(str(rule), reason.strip(), release, at)
        if release != version:
            found.stale.append(acceptance)
            found.older.setdefault(scope, []).append(acceptance)
            continue
        found.by_scope.setdefault(scope, []).append(acceptance)


def collect(side: Side) -> Annotations:
    found = Annotations()
    version = side.ir.project.version
    if side.spec.project is not None:
        _entries(
            side, side.spec.project.data, side.at_project(f"/{KEY}"), version, found, "project"
        )
    for domain, document in side.documents.items():
        _entries(
            side,
            document.data,
            side.at_document(domain, f"/{KEY}"),
            version,
            found,
            f"domain:{domain}",
        )
    for event_type, anchor in side.events.items():
        for obj in (anchor.message, anchor.channel):
            _entries(side, obj, side.locate(obj, KEY), version, found, f"event:{event_type}")
    return found
