"""Run the rules on one case folder and render the diagnostics like the CLI does."""

from __future__ import annotations

import os
from pathlib import Path

from specgen.diagnostics import Diagnostic, render_text, sorted_unique
from specgen.load import load_spec
from specgen.rules import run_rules

CASES = Path(__file__).resolve().parent / "cases"
EXPECTED = "expected.txt"


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def diagnose(folder: Path) -> list[Diagnostic]:
    """Loader and rule diagnostics of ``folder``, run from inside it so paths are relative.

    The ruleset is chosen as the pipeline does: ``specgen`` when there is a project file.
    """
    previous = Path.cwd()
    os.chdir(folder)
    try:
        spec = load_spec([Path(".")])
        ruleset = "specgen" if spec.project is not None else "asyncapi"
        return sorted_unique(spec.diagnostics + run_rules(spec, ruleset))
    finally:
        os.chdir(previous)


def render(diagnostics: list[Diagnostic]) -> str:
    text = render_text(diagnostics)
    return text + "\n" if text else ""
