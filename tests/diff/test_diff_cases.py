"""The case-folder matrix of ``specgen diff``: one folder per rule (and the hard cases), each
with the old and new spec and the exact findings and verdicts in every mode. Regenerate with
``SPECGEN_UPDATE_GOLDEN=1 pytest tests/diff``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from diff_harness import EXPECTED, case_data, case_folders, diff_case
from specgen.diff.rules import RULES

UPDATE = os.environ.get("SPECGEN_UPDATE_GOLDEN") == "1"
FOLDERS = case_folders()
FINDING = re.compile(r"^\S+: (?:error|accepted|info)\[[A-Z]+/([A-Z_]+)\]", re.MULTILINE)


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_case(folder: Path, tmp_path: Path) -> None:
    actual, _ = diff_case(folder, tmp_path)
    expected_file = folder / EXPECTED
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} is missing; run with SPECGEN_UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_case_finds_its_rule(folder: Path) -> None:
    """A case is about one rule: that rule is found (or, for `none`, nothing is)."""
    rule = case_data(folder).get("rule")
    found = set(FINDING.findall((folder / EXPECTED).read_text(encoding="utf-8")))
    if rule == "none":
        assert not found - {"VERSION_TOO_LOW"} or found <= {
            "ENUM_VALUE_REMOVED",
            "ENUM_MEMBER_REMOVED",
        }
    else:
        assert rule in RULES, f"{folder.name}: unknown rule {rule}"
        assert rule in found, f"{folder.name}: {rule} not among {sorted(found)}"


def test_every_rule_is_documented() -> None:
    text = (Path(__file__).resolve().parents[2] / "docs" / "compatibility.md").read_text("utf-8")
    assert {rule for rule in RULES if f"`{rule}`" not in text} == set()


def test_every_rule_has_a_case() -> None:
    covered = {case_data(folder).get("rule") for folder in FOLDERS}
    assert set(RULES) - covered == set()
