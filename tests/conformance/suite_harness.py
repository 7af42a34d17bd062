"""Run the official JSON Schema test suite (draft 7) through the real specgen pipeline.

Each suite file becomes one AsyncAPI 3.0 document on disk: every test case's schema is a
component schema (``Case<i>``), the payload of a message ``case<i>`` on a channel of its own.
The pipeline loads the document (``load_spec``), lowers it (``build_ir``), generates the Python
package (``backends.python.generate`` + ``writer.format_files``) and writes it to a temporary
folder, from where it is imported under a module name unique to the run. Every test instance
is then validated with the case's generated data model, in Python mode and in JSON mode; both
must agree with the suite's ``valid``.

A case is *refused* when the pipeline reports an error located in that case's schema; refused
cases are not validated. By policy only remote references are refused (never fetched).
"""

from __future__ import annotations

import importlib
import json
import re
import sys
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from specgen import writer
from specgen.backends.python import generate
from specgen.diagnostics import Diagnostic, Level
from specgen.ir.build import build_ir
from specgen.load import load_spec
from suite_report import (  # the per-language counts (re-exported for the suite tests)
    COLUMNS,
    POLICY,
    LanguageTally,
    policy_count,
    policy_for,
)

__all__ = ["COLUMNS", "POLICY", "LanguageTally", "policy_count", "policy_for"]

SUITE = Path(__file__).resolve().parents[2].parent / "shared" / "json-schema-test-suite" / "draft7"
DOCUMENT = "suite.json"
COMPONENT = "/components/schemas/Case"
_CASE_POINTER = re.compile(r"^/components/schemas/Case(\d+)(?:/|$)")


def suite_files() -> list[Path]:
    return sorted(SUITE.glob("*.json")) if SUITE.is_dir() else []


def optional_files() -> list[Path]:
    """The suite's ``optional/`` folder: bignum, ecmascript-regex and format/*."""
    return sorted((SUITE / "optional").rglob("*.json")) if SUITE.is_dir() else []


OWN_CASES = Path(__file__).resolve().parents[1] / "schema" / "cases" / "draft7_recursive.json"
"""Our own cases in the suite's format: recursion and polymorphism (tests/schema)."""


def label(path: Path) -> str:
    """A suite file as the reports name it: relative to the suite (``optional/bignum.json``)."""
    return str(path.relative_to(SUITE)) if path.is_relative_to(SUITE) else path.name


def groups() -> dict[str, list[Path]]:
    """Everything the three languages run: the draft-7 suite, its optional/ folder, ours."""
    return {"draft7": suite_files(), "optional": optional_files(), "own": [OWN_CASES]}


# -- building the document ---------------------------------------------------------------------
def embedded(schema: Any, index: int) -> Any:
    """``schema`` as an embedded schema resource: its root gets an ``$id`` (unless it has one),
    so that its document-local refs (``#...``) keep meaning the case's own root once the case
    sits at ``/components/schemas/Case<index>`` of a larger document (draft 7, section 8)."""
    if isinstance(schema, dict) and "$id" not in schema and "$ref" not in schema:
        return {"$id": f"urn:specgen-suite:case{index}", **schema}
    return schema


def event_type(stem: str, index: int) -> str:
    return f"suite.{_snake(stem)}.case{index}.v1"


def _snake(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def as_schema_object(schema: Any) -> Any:
    """AsyncAPI wants Schema Objects for payloads and component schemas, not ``true``/``false``:
    the same meaning as objects (``{}`` accepts everything, ``{"not": {}}`` nothing)."""
    if schema is True:
        return {}
    if schema is False:
        return {"not": {}}
    return schema


def asyncapi_document(stem: str, cases: list[dict[str, Any]]) -> dict[str, Any]:
    channels: dict[str, Any] = {}
    messages: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for i, case in enumerate(cases):
        key = f"case{i}"
        schemas[f"Case{i}"] = as_schema_object(embedded(case["schema"], i))
        messages[key] = {
            "name": f"Case{i}",
            "title": f"Case {i}",
            "contentType": "application/json",
            "payload": {"$ref": f"#{COMPONENT}{i}"},
            "x-cloudevents": {"type": event_type(stem, i)},
        }
        channels[key] = {
            # every channel has a parameter: the backend cannot render parameterless publishers
            "address": f"suite.{{site_id}}.{_snake(stem)}.case{i}",
            "parameters": {"site_id": {"description": "Site."}},
            "messages": {key: {"$ref": f"#/components/messages/{key}"}},
        }
    return {
        "asyncapi": "3.0.0",
        "info": {"title": f"JSON Schema suite {stem}", "version": "1.0.0"},
        "x-domain": f"suite_{_snake(stem)}",
        "defaultContentType": "application/json",
        "channels": channels,
        "components": {"schemas": schemas, "messages": messages},
    }


# -- results -----------------------------------------------------------------------------------
@dataclass
class CaseResult:
    description: str
    instances: int
    refused_by: list[str] = field(default_factory=list)
    disagreements: list[str] = field(default_factory=list)
    policy: list[str] = field(default_factory=list)  # verdicts a documented policy decides

    @property
    def status(self) -> str:
        if self.refused_by:
            return "refused"
        return "disagree" if self.disagreements else "agree"


@dataclass
class FileResult:
    name: str
    cases: list[CaseResult] = field(default_factory=list)
    unattributed: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        tally: Counter[str] = Counter()
        for case in self.cases:
            tally[f"case_{case.status}"] += 1
            if case.refused_by:
                tally["inst_refused"] += case.instances
            else:
                tally["inst_disagree"] += len(case.disagreements)
                tally["inst_policy"] += len(case.policy)
                tally["inst_agree"] += case.instances - len(case.disagreements) - len(case.policy)
        return {k: tally[k] for k in COLUMNS}


def refusal_keyword(diagnostic: Diagnostic) -> str:
    """The construct a refusal names: the keyword its pointer ends in, or the ref problem."""
    if diagnostic.rule.startswith("SG-REF-"):
        return f"$ref ({diagnostic.rule.removeprefix('SG-REF-').lower()})"
    last = diagnostic.location.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~")
    match = re.search(r"support (?:keyword )?'?`?([$\w]+)", diagnostic.message)
    if last.startswith("$") or last[:1].isalpha() and not last.startswith("Case"):
        return last
    return match.group(1) if match else diagnostic.message


# -- running -----------------------------------------------------------------------------------
def _write_project(root: Path, stem: str, module: str, cases: list[dict[str, Any]]) -> None:
    root.mkdir(parents=True)
    project = {
        "project": "sgsuite",
        "documents": [DOCUMENT],
        "version": "0.0.1",
        "packages": {"python": {"distribution": module.replace("_", "-"), "module": module}},
        "languages": ["python"],
    }
    (root / "specgen.yaml").write_text(json.dumps(project, indent=1), encoding="utf-8")
    document = asyncapi_document(stem, cases)
    (root / DOCUMENT).write_text(json.dumps(document, indent=1, ensure_ascii=False), "utf-8")


def _attribute(diagnostics: list[Diagnostic], result: FileResult) -> dict[int, list[str]]:
    refused: dict[int, list[str]] = {}
    for d in diagnostics:
        if d.level is not Level.ERROR:
            continue
        match = _CASE_POINTER.match(d.location.pointer)
        if match is None or not d.location.file.endswith(DOCUMENT):
            result.unattributed.append(f"{d.rule} {d.location}: {d.message}")
            continue
        refused.setdefault(int(match.group(1)), []).append(refusal_keyword(d))
    return refused


def _accepts(validate: Any, value: Any) -> bool | str:
    try:
        validate(value)
    except ValidationError:
        return False
    except Exception as exc:  # noqa: BLE001 - any other exception is a bug to report
        return f"raised {type(exc).__name__}: {exc}"
    return True


def check_instances(
    model: type[BaseModel], tests: list[dict[str, Any]], policy: dict[str, str] | None = None
) -> tuple[list[str], list[str]]:
    """(disagreements, verdicts decided by a documented policy) of one case's instances."""
    problems, decided = [], []
    for test in tests:
        instance, valid = test["data"], test["valid"]
        python = _accepts(model.model_validate, instance)
        as_json = _accepts(model.model_validate_json, json.dumps(instance))
        if test["description"] in (policy or {}) and python is as_json is (not valid):
            decided.append(f"{test['description']!r}: {(policy or {})[test['description']]}")
        elif python is not valid or as_json is not valid:
            problems.append(
                f"{test['description']!r}: {json.dumps(instance)[:80]} valid={valid} "
                f"python={python} json={as_json}"
            )
    return problems, decided


@dataclass
class _Imported:
    src: Path
    module: str

    def __enter__(self) -> Any:
        sys.path.insert(0, str(self.src))
        return importlib.import_module(f"{self.module}.events")

    def __exit__(self, *exc: object) -> None:
        sys.path.remove(str(self.src))
        for name in [m for m in sys.modules if m == self.module or m.startswith(self.module + ".")]:
            del sys.modules[name]


def run_file(path: Path, workdir: Path, run_id: str) -> FileResult:
    stem = path.stem
    cases: list[dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))
    module = f"sgsuite_{run_id}_{_snake(stem)}"
    root = workdir / stem
    _write_project(root, stem, module, cases)
    result = FileResult(path.name)
    spec = load_spec([root])
    ir, diagnostics = build_ir(spec)
    refused = _attribute(spec.diagnostics + diagnostics, result)
    assert ir is not None, f"{path.name}: no IR: {result.unattributed}"
    files = writer.format_files(generate(ir))
    writer.write(files, root / "out")
    with _Imported(root / "out" / "python" / "src", module) as events:
        for i, case in enumerate(cases):
            outcome = CaseResult(case["description"], len(case["tests"]))
            outcome.refused_by = sorted(set(refused.get(i, [])))
            if not outcome.refused_by:
                model = events.EVENT_TYPES[event_type(stem, i)].data_model()
                policy = policy_for(path.name, case["description"])
                outcome.disagreements, outcome.policy = check_instances(
                    model, case["tests"], policy
                )
            result.cases.append(outcome)
    return result


def run_suite(workdir: Path, files: list[Path] | None = None) -> Iterator[FileResult]:
    run_id = uuid.uuid4().hex[:8]
    for path in suite_files() if files is None else files:
        yield run_file(path, workdir, run_id)


# -- reporting ---------------------------------------------------------------------------------
def table(results: list[FileResult]) -> str:
    header = f"{'suite file':32}" + "".join(f"{c:>14}" for c in COLUMNS)
    lines = [header, "-" * len(header)]
    totals: Counter[str] = Counter()
    for r in results:
        counts = r.counts()
        totals.update(counts)
        lines.append(f"{r.name:32}" + "".join(f"{counts[c]:>14}" for c in COLUMNS))
    lines.append("-" * len(header))
    lines.append(f"{'TOTAL':32}" + "".join(f"{totals[c]:>14}" for c in COLUMNS))
    return "\n".join(lines)


def totals(results: list[FileResult]) -> dict[str, int]:
    tally: Counter[str] = Counter()
    for r in results:
        tally.update(r.counts())
    return {c: tally[c] for c in COLUMNS}


def details(results: list[FileResult]) -> str:
    lines = []
    for r in results:
        for u in r.unattributed:
            lines.append(f"{r.name}: UNATTRIBUTED {u}")
        for case in r.cases:
            if case.refused_by:
                lines.append(f"{r.name}: REFUSED {case.description!r} by {case.refused_by}")
            for d in case.disagreements:
                lines.append(f"{r.name}: DISAGREE {case.description!r}: {d}")
            for d in case.policy:
                lines.append(f"{r.name}: POLICY {case.description!r}: {d}")
    return "\n".join(lines)


def python_tally(results: dict[str, list[tuple[Path, FileResult]]]) -> LanguageTally:
    """The Python runs of every group, as the other languages count theirs."""
    tally = LanguageTally("python")
    for group, pairs in results.items():
        for path, result in pairs:
            name = label(path)
            for key, n in result.counts().items():
                tally.add(group, name, key, n)
            for case in result.cases:
                if case.refused_by:
                    tally.notes.append(f"REFUSED {name}: {case.description!r} {case.refused_by}")
                tally.notes += [f"POLICY {name}: {case.description!r}: {d}" for d in case.policy]
                tally.details += [f"{name}: {case.description!r}: {d}" for d in case.disagreements]
    return tally
