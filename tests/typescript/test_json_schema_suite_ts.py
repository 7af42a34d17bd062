"""The official JSON Schema test suite (draft 7) against the generated TypeScript validators.

Every suite file becomes the same AsyncAPI document the Python conformance harness builds
(tests/conformance/suite_harness.py); the TypeScript package is generated from its IR, all
packages' declarations are checked in one tsc run (and prettier finds nothing to change in
any of them), and every instance (as JSON text, through the package's exact JSON reader) is
validated by the generated validator. Cases are agree / refused /
disagree; refusals come from the shared lowering, so they are Python's refusals by
construction, and the TypeScript backend must not refuse anything more.
"""

from __future__ import annotations

import json
import sys
import uuid
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
from specgen.backends.typescript.capability import TypeScriptCapabilityError  # noqa: E402
from specgen.ir.build import build_ir  # noqa: E402
from specgen.load import load_spec  # noqa: E402

pytestmark = needs_shared(harness.SUITE, "the JSON Schema test suite")


def _job(stem: str, cases: list[dict[str, Any]], root: Path,
         indices: dict[int, int], refused: dict[int, list[str]]) -> dict[str, Any]:  # fmt: skip
    return {
        "module": str(root / "out" / "typescript" / "lib" / "events.js"),
        "cases": [
            {
                "index": original,
                "type": harness.event_type(stem, i),
                "tests": [
                    {
                        "description": t["description"],
                        "text": json.dumps(t["data"]),
                        "valid": t["valid"],
                    }  # fmt: skip
                    for t in cases[i]["tests"]
                ],
            }
            for i, original in indices.items()
            if i not in refused
        ],
    }


def _generated(stem: str, cases: list[dict[str, Any]], root: Path, module: str) -> Any:
    """(the pipeline's refusals, or None when the TypeScript backend refuses the document)."""
    harness._write_project(root, stem, module, cases)
    spec = load_spec([root])
    ir, diagnostics = build_ir(spec)
    result = harness.FileResult(stem)
    refused = harness._attribute(spec.diagnostics + diagnostics, result)
    assert ir is not None and not result.unattributed, f"{stem}: {result.unattributed}"
    try:
        writer.write(generate(ir), root / "out")
    except TypeScriptCapabilityError:
        return None
    return refused


def _prepare(
    path: Path, workdir: Path, run_id: str
) -> tuple[list[dict[str, Any]], dict[int, list[str]], set[int]]:
    """(jobs, the pipeline's refusals, the cases the TypeScript backend refuses by its own
    documented capability policy: integer bounds beyond 2^53). A document the backend refuses
    is generated again case by case, to find which."""
    stem = path.stem
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    module = f"sgsuite_{run_id}_{harness._snake(stem)}"
    refused = _generated(stem, cases, workdir / stem, module)
    if refused is not None:
        identity = {i: i for i in range(len(cases))}
        return [_job(stem, cases, workdir / stem, identity, refused)], refused, set()
    jobs, refused, backend = [], {}, set()
    for i, case in enumerate(cases):
        one = _generated(f"{stem}_{i}", [case], workdir / f"{stem}_{i}", f"{module}_{i}")
        if one is None:
            backend.add(i)
            continue
        for why in one.values():
            refused[i] = why
        jobs.append(_job(f"{stem}_{i}", [case], workdir / f"{stem}_{i}", {0: i}, one))
    return jobs, refused, backend


def test_typescript_validators_agree_with_the_suite(
    node_tools: Path, ts_runtime: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_id = uuid.uuid4().hex[:8]
    groups = harness.groups()
    files = [path for paths in groups.values() for path in paths]
    jobs_of, refusals, backend = {}, {}, {}
    for path in files:
        jobs_of[path.name], refusals[path.name], backend[path.name] = _prepare(
            path, tmp_path, run_id
        )
    jobs = [job for path in files for job in jobs_of[path.name]]
    (tmp_path / "package.json").write_text('{"type": "module"}')
    link_node_modules(tmp_path, node_tools, ts_runtime)
    # The suite's schemas are the oddest literals there are: prettier must find nothing to
    # change, and the declarations must compile.
    assert prettier_changes(script_files(tmp_path)) == []
    typecheck(tmp_path, node_tools, declarations_as_sources(tmp_path))
    runtime = str(ts_runtime / "dist" / "index.js")
    results = node_json("suite.mjs", runtime, cwd=tmp_path, stdin=json.dumps(jobs), timeout=300)

    tally = harness.LanguageTally("typescript")
    by_case = {
        (path.name, r["index"]): r["problems"]
        for path in files
        for r in results
        if r["module"] in {job["module"] for job in jobs_of[path.name]}
    }
    for group, paths in groups.items():
        for path in paths:
            cases = json.loads(path.read_text(encoding="utf-8"))
            name = harness.label(path)
            tally.refused(group, cases, refusals[path.name], name)
            for i, case in enumerate(cases):
                if i in backend[path.name]:
                    why = "refused by the TypeScript backend (integer bounds beyond 2^53)"
                    tally.case(group, name, case, [(t["description"], why)
                                                   for t in case["tests"]])  # fmt: skip
                elif i not in refusals[path.name]:
                    failing = [(p["test"], p["detail"]) for p in by_case[(path.name, i)]]
                    tally.case(group, name, case, failing)
    with capsys.disabled():
        print("\n" + tally.table() + f"\n(report: {tally.write()})")
    assert tally.counts["draft7"]["case_agree"] > 0
    assert not tally.details, "\n".join(tally.details)
    assert tally.counts["optional"]["inst_policy"] == harness.policy_count("typescript")
