"""The case-folder matrix: each folder under cases/ holds a small spec and the exact
diagnostics it must produce. Regenerate with ``SPECGEN_UPDATE_GOLDEN=1 pytest tests/rules``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from rules_harness import EXPECTED, case_folders, diagnose, render, ruleset_of
from specgen.rules import RULES

UPDATE = os.environ.get("SPECGEN_UPDATE_GOLDEN") == "1"
FOLDERS = case_folders()


@pytest.mark.parametrize("folder", FOLDERS, ids=[f.name for f in FOLDERS])
def test_case(folder: Path) -> None:
    actual = render(diagnose(folder))
    expected_file = folder / EXPECTED
    if UPDATE:
        expected_file.write_text(actual, encoding="utf-8")
    assert expected_file.is_file(), f"{expected_file} is missing; run with SPECGEN_UPDATE_GOLDEN=1"
    assert actual == expected_file.read_text(encoding="utf-8")


def test_clean_cases_are_clean() -> None:
    for name in ("clean-specgen", "clean-asyncapi"):
        assert diagnose(Path(FOLDERS[0].parent / name)) == []


def test_every_rule_has_a_case() -> None:
    seen = set()
    for folder in FOLDERS:
        text = (folder / EXPECTED).read_text(encoding="utf-8")
        seen |= set(re.findall(r"^\S+: \w+\[([A-Z0-9-]+)\]", text, flags=re.MULTILINE))
    assert {rule.id for rule in RULES} - seen == set()


def test_rules_emit_only_their_own_id() -> None:
    from specgen.load import load_spec
    from specgen.model.spec import read_spec
    from specgen.rules.context import Context

    for folder in FOLDERS:
        cwd = Path.cwd()
        os.chdir(folder)
        try:
            spec = load_spec([Path(".")])
            ruleset = ruleset_of(folder, spec.project is not None)
            ctx = Context.build(read_spec(spec), ruleset)
            for rule in RULES:
                if rule.applies_to(ruleset):
                    assert {d.rule for d in rule.check(ctx)} <= {rule.id}, (folder.name, rule.id)
        finally:
            os.chdir(cwd)


PENDING = {
    "example-unchecked": "a payload schema with `type: integr`: keyword values are checked by "
    "the typed JSON Schema model (SG-SCHEMA-INVALID), which has not landed yet",
}


def test_what_the_asyncapi_ruleset_accepts_the_official_schema_accepts() -> None:
    """Our plain verdicts are at least as strict as the official AsyncAPI JSON Schema (the
    cases in PENDING still disagree; the test says so when one no longer does)."""
    from tests.model.corpus import SCHEMAS, official_errors, raw_document

    if not SCHEMAS.is_dir():
        pytest.skip(f"the official AsyncAPI schemas are not at {SCHEMAS}")
    checked = 0
    for folder in FOLDERS:
        if (folder / "specgen.yaml").exists() or (folder / "ruleset").exists():
            continue
        if any(d.level.value == "error" for d in diagnose(folder)):
            continue
        for path in sorted(folder.glob("*.yaml")):
            raw = raw_document(path)
            if "asyncapi" in raw:
                agrees = official_errors(raw, raw["asyncapi"]) == []
                assert agrees != (folder.name in PENDING), (path, PENDING.get(folder.name))
                checked += 1
    assert checked >= 5
