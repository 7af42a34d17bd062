"""Validate one case folder as ``specgen validate`` does and render the diagnostics like it."""

from __future__ import annotations

import os
from pathlib import Path

from specgen.diagnostics import Diagnostic, render_text, sorted_unique
from specgen.pipeline import validate

CASES = Path(__file__).resolve().parent / "cases"
EXPECTED = "expected.txt"
RULESET = "ruleset"
"""A case folder may name its ruleset in this file; else as the pipeline chooses."""


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def ruleset_of(folder: Path, has_project: bool) -> str:
    """The folder's ``ruleset`` file, else as the pipeline chooses: ``specgen`` in a project."""
    named = folder / RULESET
    if named.is_file():
        return named.read_text(encoding="utf-8").strip()
    return "specgen" if has_project else "asyncapi"


def diagnose(folder: Path) -> list[Diagnostic]:
    """Everything ``specgen validate`` reports for ``folder``, run from inside it so paths are
    relative (the ruleset from the folder's ``ruleset`` file, else the pipeline's choice)."""
    previous = Path.cwd()
    os.chdir(folder)
    try:
        named = folder / RULESET
        ruleset = named.read_text(encoding="utf-8").strip() if named.is_file() else None
        return sorted_unique(validate([Path(".")], ruleset=ruleset).diagnostics)
    finally:
        os.chdir(previous)


def render(diagnostics: list[Diagnostic]) -> str:
    text = render_text(diagnostics)
    return text + "\n" if text else ""
