"""The example checker (``specgen.schema.instances``) against the JSON Schema test suite.

``specgen validate`` judges message examples with it, as the generated validators judge them.
Every instance of the draft-7 suite, its ``optional/`` folder (formats asserted for
``optional/format``) and our recursion cases must get the suite's verdict; the suite
harness proves the same of the generated validators, so the two agree on all of them.
``refRemote.json`` is left out: remote references are refused when the spec is loaded.

Run with ``-s`` for the table. It also counts the instances where python-jsonschema, the
checker before this one, gives another verdict or none (its patterns are Python's ``re``, its
formats other definitions; it runs out of stack on a child that extends its parent), and writes
it all to ``test-output/json-schema-suite/examples.txt``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import suite_harness as harness
from jsonschema import Draft7Validator
from specgen.load import load_spec
from specgen.model.messages import json_schema
from specgen.model.spec import read_spec
from specgen.schema import schemas_of
from specgen.schema.instances import Instances, usable
from suite_report import REPORTS

from tests.helpers import needs_shared

pytestmark = needs_shared(harness.SUITE, "the JSON Schema test suite")


def _files() -> list[Path]:
    files = [p for p in harness.suite_files() if p.name != "refRemote.json"]
    return files + harness.optional_files() + [harness.OWN_CASES]


def _jsonschema_verdict(schema: Any, data: Any, formats: bool) -> bool | str:
    checker = Draft7Validator.FORMAT_CHECKER if formats else None
    try:
        return bool(Draft7Validator(schema, format_checker=checker).is_valid(data))
    except Exception as exc:  # noqa: BLE001 - out of stack, a pattern Python's re refuses...
        return f"raised {type(exc).__name__}"


def _judge(path: Path, workdir: Path) -> dict[str, Any]:
    cases = json.loads(path.read_text(encoding="utf-8"))
    root = workdir / path.stem
    harness._write_project(root, path.stem, "unused", cases)
    spec = load_spec([root])
    schemas = read_spec(spec).documents[0].api.components.schemas or {}
    formats = "format" in path.parts
    instances, reader = Instances(formats), schemas_of(spec)
    out: dict[str, Any] = {"agree": 0, "disagree": [], "unusable": [], "jsonschema_differs": 0}
    for index, case in enumerate(cases):
        node = reader.read(json_schema(schemas[f"Case{index}"]))
        if not usable(node):
            out["unusable"].append(case["description"])
            continue
        check = instances.check(node)
        for test in case["tests"]:
            ours = check(test["data"]) is None
            if ours is test["valid"]:
                out["agree"] += 1
            else:
                out["disagree"].append(f"{case['description']!r} / {test['description']!r}")
            if _jsonschema_verdict(case["schema"], test["data"], formats) is not ours:
                out["jsonschema_differs"] += 1
    return out


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    workdir = tmp_path_factory.mktemp("example-semantics")
    found = {harness.label(p): _judge(p, workdir) for p in _files()}
    rows = [
        "| file | agree | disagree | unusable | python-jsonschema differs |",
        "| --- " * 5 + "|",
    ]
    for name, v in found.items():
        rows.append(f"| {name} | {v['agree']} | {len(v['disagree'])} | {len(v['unusable'])} | "
                    f"{v['jsonschema_differs']} |")  # fmt: skip
    total = {k: sum(v[k] if isinstance(v[k], int) else len(v[k]) for v in found.values())
             for k in ("agree", "disagree", "unusable", "jsonschema_differs")}  # fmt: skip
    rows.append(f"| total | {total['agree']} | {total['disagree']} | {total['unusable']} | "
                f"{total['jsonschema_differs']} |")  # fmt: skip
    text = (
        "Example checker (specgen.schema.instances) on the draft-7 suite\n"
        "pytest -s tests/conformance/test_example_semantics.py\n\n" + "\n".join(rows) + "\n"
    )
    REPORTS.mkdir(parents=True, exist_ok=True)
    (REPORTS / "examples.txt").write_text(text, encoding="utf-8")
    print("\n" + text)
    return found


@pytest.mark.parametrize("name", [harness.label(p) for p in _files()])
def test_every_instance_gets_the_suites_verdict(
    verdicts: dict[str, dict[str, Any]], name: str
) -> None:
    found = verdicts[name]
    assert found["agree"] > 0
    assert found["disagree"] == [], "\n".join(found["disagree"])
    assert found["unusable"] == [], f"not judged: {found['unusable']}"


def test_the_suite_tells_the_checkers_apart(verdicts: dict[str, dict[str, Any]]) -> None:
    """The suite holds instances on which python-jsonschema's verdict is not the generated
    validators': where this checker was needed (ECMA-262 patterns, formats, recursion)."""
    differs = {name for name, v in verdicts.items() if v["jsonschema_differs"]}
    assert {"optional/ecmascript-regex.json", "draft7_recursive.json"} <= differs
