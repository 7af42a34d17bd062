"""The data schema each event publishes (``payload_schema``, one self-contained draft-7 schema
exported from the resolved spec) means what the spec's schema means: python-jsonschema, the
reference validator, agrees with the JSON Schema suite on it for every case the pipeline
accepts, and with our own recursive and polymorphic cases (their export makes the
fixed-point reading of docs/json-schema.md explicit, so any validator terminates on it).
The TypeScript validators compile exactly this schema."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import suite_harness as harness
from jsonschema import Draft7Validator
from specgen.ir.build import build_ir
from specgen.load import load_spec

pytestmark = pytest.mark.skipif(not harness.SUITE.is_dir(), reason="JSON Schema suite not found")


@pytest.mark.parametrize("path", [*harness.suite_files(), harness.OWN_CASES], ids=lambda p: p.name)
def test_exported_schema_agrees_with_the_suite(path: Path, tmp_path: Path) -> None:
    cases = json.loads(path.read_text(encoding="utf-8"))
    harness._write_project(tmp_path / "p", path.stem, "m", cases)
    spec = load_spec([tmp_path / "p"])
    ir, diagnostics = build_ir(spec)
    result = harness.FileResult(path.name)
    refused = harness._attribute(spec.diagnostics + diagnostics, result)
    assert ir is not None
    events = {e.type: e for e in ir.events()}
    problems = []
    for i, case in enumerate(cases):
        if i in refused:
            continue
        schema = events[harness.event_type(path.stem, i)].payload_schema
        Draft7Validator.check_schema(schema)
        validator = Draft7Validator(schema, format_checker=None)
        for test in case["tests"]:
            if validator.is_valid(test["data"]) is not test["valid"]:
                problems.append(f"{case['description']!r} {test['description']!r}: {schema}")
    assert not problems, "\n".join(problems)
