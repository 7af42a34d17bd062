"""The official JSON Schema test suite (draft 7) against the generated TypeScript validators.

Every suite file becomes the same AsyncAPI document the Python conformance harness builds
(tests/conformance/suite_harness.py); the TypeScript package is generated from its IR, all
packages' declarations are checked in one tsc run (and prettier finds nothing to change in
any of them), and every instance (as JSON text, through the package's
exact JSON reader) is validated by the generated validator. Cases are agree / refused /
disagree; refusals come from the shared lowering, so they are Python's refusals by
construction, and the TypeScript backend must not refuse anything more.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from ts_support import (
    REPO,
    declarations_as_sources,
    link_node_modules,
    node_json,
    prettier_changes,
    script_files,
    typecheck,
)

from tests.helpers import needs_shared

sys.path.insert(0, str(REPO / "tests" / "conformance"))
import suite_harness as harness  # type: ignore[import-not-found]  # noqa: E402
from specgen import writer  # noqa: E402
from specgen.backends.typescript import generate  # noqa: E402
from specgen.ir.build import build_ir  # noqa: E402
from specgen.load import load_spec  # noqa: E402

pytestmark = needs_shared(harness.SUITE, "the JSON Schema test suite")


def _prepare(path: Path, workdir: Path, run_id: str) -> tuple[dict[str, Any], dict[int, list[str]]]:
    stem = path.stem
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    module = f"sgsuite_{run_id}_{harness._snake(stem)}"
    root = workdir / stem
    harness._write_project(root, stem, module, cases)
    spec = load_spec([root])
    ir, diagnostics = build_ir(spec)
    result = harness.FileResult(path.name)
    refused = harness._attribute(spec.diagnostics + diagnostics, result)
    assert ir is not None and not result.unattributed, f"{path.name}: {result.unattributed}"
    writer.write(generate(ir), root / "out")  # TypeScript capability errors would raise here
    job = {
        "module": str(root / "out" / "typescript" / "lib" / "events.js"),
        "cases": [
            {
                "index": i,
                "type": harness.event_type(stem, i),
                "tests": [
                    {
                        "description": t["description"],
                        "text": json.dumps(t["data"]),
                        "valid": t["valid"],
                    }
                    for t in case["tests"]
                ],
            }
            for i, case in enumerate(cases)
            if i not in refused
        ],
    }
    return job, refused


def test_typescript_validators_agree_with_the_suite(
    node_tools: Path, ts_runtime: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = uuid.uuid4().hex[:8]
    jobs, refusals, files = [], {}, harness.suite_files()
    for path in files:
        job, refused = _prepare(path, tmp_path, run_id)
        jobs.append(job)
        refusals[path.name] = refused
    (tmp_path / "package.json").write_text('{"type": "module"}')
    link_node_modules(tmp_path, node_tools, ts_runtime)
    # The suite's schemas are the oddest literals there are: prettier must find nothing to
    # change, and the declarations must compile.
    assert prettier_changes(script_files(tmp_path)) == []
    typecheck(tmp_path, node_tools, declarations_as_sources(tmp_path))
    runtime = str(ts_runtime / "dist" / "index.js")
    results = node_json("suite.mjs", runtime, cwd=tmp_path, stdin=json.dumps(jobs), timeout=300)

    tally: Counter[str] = Counter()
    details = []
    for path, job in zip(files, jobs, strict=True):
        cases = json.loads(path.read_text(encoding="utf-8"))
        tally["case_refused"] += len(refusals[path.name])
        tally["inst_refused"] += sum(len(cases[i]["tests"]) for i in refusals[path.name])
        for result in (r for r in results if r["module"] == job["module"]):
            case = cases[result["index"]]
            tally["case_disagree" if result["problems"] else "case_agree"] += 1
            tally["inst_disagree"] += len(result["problems"])
            tally["inst_agree"] += len(case["tests"]) - len(result["problems"])
            details += [f"{path.name}: {case['description']!r}: {p}" for p in result["problems"]]
    with capsys.disabled():
        print("\nTypeScript JSON Schema suite:", dict(sorted(tally.items())))
    assert tally["case_agree"] > 0
    assert tally["case_disagree"] == 0 and tally["inst_disagree"] == 0, "\n".join(details)
