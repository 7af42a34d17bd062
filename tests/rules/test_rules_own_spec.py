"""The project's own spec passes the ``specgen`` ruleset: no errors and no warnings."""

from __future__ import annotations

from pathlib import Path

import pytest
from specgen.diagnostics import render_text, sorted_unique
from specgen.load import load_spec
from specgen.rules import run_rules

SPEC = Path(__file__).resolve().parents[2] / "spec"


@pytest.mark.skipif(
    not (SPEC / "specgen.yaml").is_file(), reason="spec/specgen.yaml not written yet"
)
def test_own_spec_is_clean() -> None:
    spec = load_spec([SPEC])
    assert spec.project is not None and len(spec.documents) >= 1
    diagnostics = sorted_unique(spec.diagnostics + run_rules(spec, "specgen"))
    assert render_text(diagnostics) == ""
