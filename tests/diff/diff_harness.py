"""Build the two versions of a diff case and render what ``specgen diff`` says about them.

A case folder holds ``case.yaml`` (the rule it is for, a note, and optionally the ``old`` and
``new`` payload schema of the template's one event) and/or ``old/`` and ``new/`` folders
whose files replace the template's. ``expected.txt`` records the findings under the default
mode (full, strict open content) and the verdict of every mode, with both open-content
settings. Regenerate with ``SPECGEN_UPDATE_GOLDEN=1 pytest tests/diff``.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

import yaml
from specgen.diff.modes import MODES, Mode
from specgen.diff.render import render_text_report
from specgen.diff.run import ERROR, Options, Report, run_diff

HERE = Path(__file__).resolve().parent
CASES = HERE / "cases"
TEMPLATE = HERE / "template"
EXPECTED = "expected.txt"
CASE_FILE = "case.yaml"


def case_folders() -> list[Path]:
    return sorted(p for p in CASES.iterdir() if p.is_dir())


def case_data(folder: Path) -> dict[str, Any]:
    path = folder / CASE_FILE
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return data if isinstance(data, dict) else {}


def build(folder: Path, side: str, into: Path) -> Path:
    target = into / side
    shutil.copytree(TEMPLATE, target)
    data = case_data(folder)
    if side in data:
        text = yaml.safe_dump(data[side], sort_keys=False, allow_unicode=True)
        (target / "payload.yaml").write_text(text, encoding="utf-8")
    overlay = folder / side
    if overlay.is_dir():
        shutil.copytree(overlay, target, dirs_exist_ok=True)
    for name in (data.get("remove") or {}).get(side, []):
        (target / name).unlink()
    return target


def _verdict(report: Report, mode: Mode) -> str:
    errors = sorted({f.rule for f, level in report.under(mode) if level == ERROR})
    return "pass" if not errors else "fail: " + ", ".join(errors)


def diff_case(folder: Path, workdir: Path) -> tuple[str, dict[str, Report]]:
    check_version = bool(case_data(folder).get("check_version", False))
    build(folder, "old", workdir)
    build(folder, "new", workdir)
    previous = Path.cwd()
    os.chdir(workdir)
    try:
        reports = {
            oc: run_diff(
                [Path("new")],
                "old",
                Options(open_content=oc, transitive=False, check_version=check_version),
            )
            for oc in ("strict", "lenient")
        }
    finally:
        os.chdir(previous)
    lines = ["# findings (mode full, open content strict)"]
    lines += [
        ln
        for ln in render_text_report(reports["strict"]).splitlines()
        if not ln.startswith(("specgen diff against", "events:", "version:"))
    ]
    lines.append("# verdicts")
    for name in MODES:
        for oc, report in reports.items():
            lines.append(f"{name} {oc}: {_verdict(report, Mode(name, False, oc))}")
    return "\n".join(lines) + "\n", reports
