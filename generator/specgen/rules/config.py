"""Rule configuration from the project file, as buf does it: pick a category, turn a rule off
(``except``) or drop its findings in some files (``ignore``), each with a written reason that
``validate`` shows::

    rules:
      use: specgen                    # asyncapi | generator | specgen (the default)
      except:
        - rule: SG-CE-EVENT
          reason: our event names predate the subject convention
      ignore:
        - rule: SG-EXAMPLE-MISSING
          paths: [telemetry.asyncapi.yaml]
          reason: telemetry samples are recorded, not written

Findings that mean the spec cannot be read (SG-LOAD-*, SG-REF-*, SG-STRUCT-*, the project
file's own SG-PROJECT) and those that mean ``generate`` cannot produce correct code (a
schema keyword, format or type a backend cannot express, an invalid NATS subject) cannot be
turned off: the configuration naming them is an error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from specgen.diagnostics import Diagnostic, Level, Location, error
from specgen.load import LoadedSpec
from specgen.model.errors import did_you_mean
from specgen.model.project import Rules

RULE = "SG-RULES"
LOCKED_PREFIXES = ("SG-LOAD-", "SG-REF-", "SG-STRUCT-", "SG-PROJECT", "SG-SCHEMA-")
LOCKED = frozenset({"SG-PAYLOAD-FORMAT", "SG-BACKEND", "SG-SUBJECT-TOKEN", "SG-SUBJECT-WILDCARD"})
"""Rules whose findings generate could not work around: they stay on."""
SCHEMA_WARNINGS = frozenset({"SG-SCHEMA-UNKNOWN-KEYWORD", "SG-SCHEMA-UNTYPED", "SG-SCHEMA-FORMAT"})
"""The schema lowering's warnings: about the generated code's precision, so they may go."""


def locked(rule: str) -> bool:
    if rule in SCHEMA_WARNINGS:
        return False
    return rule in LOCKED or rule.startswith(LOCKED_PREFIXES)


@dataclass(frozen=True)
class _Entry:
    rule: str
    reason: str
    paths: tuple[Path, ...]
    written: tuple[str, ...]
    pointer: str
    """Where the entry is written in the project file."""


def _entries(rules: Rules, root: Path) -> list[_Entry]:
    found = [
        _Entry(e.rule, e.reason, (), (), f"/rules/except/{i}") for i, e in enumerate(rules.except_)
    ]
    for i, e in enumerate(rules.ignore):
        paths = tuple((root / p).resolve() for p in e.paths)
        found.append(_Entry(e.rule, e.reason, paths, tuple(e.paths), f"/rules/ignore/{i}"))
    return found


def _covers(entry: _Entry, diagnostic: Diagnostic) -> bool:
    if diagnostic.rule != entry.rule:
        return False
    if not entry.paths:
        return True
    file = Path(diagnostic.location.file).resolve()
    return any(file == p or file.is_relative_to(p) for p in entry.paths)


def _problem(entry: _Entry, known: Sequence[str]) -> str | None:
    if entry.rule not in known:
        return f"unknown rule {entry.rule!r}"
    if locked(entry.rule):
        return f"{entry.rule} cannot be turned off: generate could not produce correct code"
    return None


def apply_config(
    spec: LoadedSpec, rules: Rules, diagnostics: list[Diagnostic], known: Sequence[str]
) -> list[Diagnostic]:
    """``diagnostics`` with the configured findings dropped, plus one line per entry."""
    source = spec.project
    if source is None:
        return diagnostics
    kept = list(diagnostics)
    notes = []
    for entry in _entries(rules, source.path.parent):
        where = source.value_location(entry.pointer)
        problem = _problem(entry, known)
        if problem is not None:
            hint = "fix what it reports instead" if locked(entry.rule) else ""
            hint = hint or did_you_mean(entry.rule, list(known)) or "`specgen rules` lists them"
            at = source.value_location(entry.pointer + "/rule")
            notes.append(error(RULE, f"rules: {problem}", at, hint))
            continue
        dropped = [d for d in kept if _covers(entry, d)]
        kept = [d for d in kept if not _covers(entry, d)]
        notes.append(_note(entry, len(dropped), where))
    return kept + notes


def _note(entry: _Entry, count: int, where: Location) -> Diagnostic:
    scope = "ignored in " + ", ".join(entry.written) if entry.paths else "turned off"
    findings = f"{count} finding{'s' if count != 1 else ''}"
    return Diagnostic(
        RULE, Level.INFO, f"{entry.rule} {scope} ({findings} dropped): {entry.reason}", where
    )
