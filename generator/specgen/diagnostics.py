"""Diagnostics are values: every check returns them, the CLI renders them once.

A diagnostic names a rule id, a level, where it happened (file, line, column and the JSON
pointer inside that file) and what to do about it (the hint).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, order=True)
class Location:
    """A place in a spec file. Lines and columns are 1-based; 0 means unknown."""

    file: str
    line: int = 0
    column: int = 0
    pointer: str = ""


@dataclass(frozen=True)
class Diagnostic:
    rule: str
    level: Level
    message: str
    location: Location
    hint: str = ""

    def sort_key(self) -> tuple[str, int, int, str, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.rule, self.message)


def error(rule: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    return Diagnostic(rule, Level.ERROR, message, location, hint)


def warning(rule: str, message: str, location: Location, hint: str = "") -> Diagnostic:
    return Diagnostic(rule, Level.WARNING, message, location, hint)


def has_errors(diagnostics: Iterable[Diagnostic]) -> bool:
    return any(d.level is Level.ERROR for d in diagnostics)


def sorted_unique(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    return sorted(set(diagnostics), key=Diagnostic.sort_key)


def render_text(diagnostics: Sequence[Diagnostic]) -> str:
    """``path:line:col: level[RULE-ID] message``, like a compiler, with the hint below."""
    lines = []
    for d in diagnostics:
        loc = d.location
        lines.append(f"{loc.file}:{loc.line}:{loc.column}: {d.level.value}[{d.rule}] {d.message}")
        if d.hint:
            lines.append(f"    hint: {d.hint}")
    return "\n".join(lines)


def render_json(diagnostics: Sequence[Diagnostic]) -> str:
    rows = []
    for d in diagnostics:
        row = asdict(d)
        row["level"] = d.level.value
        rows.append(row)
    return json.dumps(rows, indent=2, sort_keys=True)


def _github_escape(value: str, *, property_value: bool = False) -> str:
    value = value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        value = value.replace(":", "%3A").replace(",", "%2C")
    return value


def render_github(diagnostics: Sequence[Diagnostic]) -> str:
    """GitHub workflow commands: ``::error file=..,line=..,col=..,title=..::message``."""
    kinds = {Level.ERROR: "error", Level.WARNING: "warning", Level.INFO: "notice"}
    lines = []
    for d in diagnostics:
        loc = d.location
        props = ",".join(
            [
                f"file={_github_escape(loc.file, property_value=True)}",
                f"line={loc.line}",
                f"col={loc.column}",
                f"title={_github_escape(d.rule, property_value=True)}",
            ]
        )
        message = d.message + (f"\nhint: {d.hint}" if d.hint else "")
        lines.append(f"::{kinds[d.level]} {props}::{_github_escape(message)}")
    return "\n".join(lines)


RENDERERS = {"text": render_text, "json": render_json, "github": render_github}
