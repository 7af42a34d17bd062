"""The official JSON Schema test suite (draft 7) against the Rust validators specgen generates.

Every suite file becomes an AsyncAPI document with the colleague's builder
(tests/conformance/suite_harness.py) and goes through the real pipeline. The Rust backend's
payload modules of all files are assembled into ONE crate (one module per suite file), built
once against the runtime crate (runtimes/rust); a small binary then deserialises and validates
every instance (deserialisation failure means invalid). Refused cases are the pipeline's
refusals, the same as for Python.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from rust_support import REPO, TARGET, cargo, needs_cargo, rustfmt_changes, write_workspace

from tests.helpers import needs_shared

sys.path.insert(0, str(REPO / "tests" / "conformance"))
import suite_harness as harness  # noqa: E402
from specgen.backends.rust import payload_modules  # noqa: E402
from specgen.ir.build import build_ir  # noqa: E402
from specgen.load import load_spec  # noqa: E402

pytestmark = [
    needs_cargo,
    needs_shared(harness.SUITE, "the JSON Schema test suite"),
]

MAIN = r"""
use std::io::BufRead;

fn main() {
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.expect("line");
        let (module, rest) = line.split_once(' ').expect("module");
        let (event_type, data) = rest.split_once(' ').expect("type");
        let verdict = match suite::validate(module, event_type, data.as_bytes()) {
            None => "unknown".to_owned(),
            Some(Ok(())) => "valid".to_owned(),
            Some(Err(e)) => format!("invalid {}", e.replace(|c: char| c.is_control(), " ")),
        };
        println!("{verdict}");
    }
}
"""

CARGO_TOML = """[package]
name = "suite"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
specgen-runtime = "0.2"
indexmap = { version = "2", features = ["serde"] }
serde = { version = "1", features = ["derive"] }
serde_json = { version = "1", features = ["preserve_order"] }
"""


def _build_crate(root: Path, work: Path) -> tuple[dict[str, Any], dict[str, dict[int, list[str]]]]:
    src = root / "src"
    (src / "bin").mkdir(parents=True)
    cases_of: dict[str, Any] = {}
    refused_of: dict[str, dict[int, list[str]]] = {}
    modules = []
    for path in (p for files in harness.groups().values() for p in files):
        stem = path.stem
        cases = json.loads(path.read_text(encoding="utf-8"))
        module = "s_" + harness._snake(stem)
        project = work / stem
        harness._write_project(project, stem, module, cases)
        spec = load_spec([project])
        ir, diagnostics = build_ir(spec)
        result = harness.FileResult(path.name)
        refused_of[stem] = harness._attribute(spec.diagnostics + diagnostics, result)
        assert ir is not None and not result.unattributed, result.unattributed
        for name, text in payload_modules(ir).items():
            (src / module / name).parent.mkdir(parents=True, exist_ok=True)
            (src / module / name).write_text(text, encoding="utf-8")
        (src / module / "mod.rs").write_text("pub mod events;\npub mod models;\n", "utf-8")
        cases_of[stem] = (module, cases)
        modules.append(module)
    arms = "\n".join(
        f'        "{m}" => {m}::events::validate_data(event_type, data),' for m in modules
    )
    (src / "lib.rs").write_text(
        "#![allow(clippy::all, dead_code)]\n"
        + "".join(f"pub mod {m};\n" for m in modules)
        + "pub fn validate(module: &str, event_type: &str, data: &[u8]) -> "
        "Option<Result<(), String>> {\n    match module {\n"
        + arms
        + "\n        _ => None,\n    }\n}\n",
        encoding="utf-8",
    )
    (src / "bin" / "suite.rs").write_text(MAIN, encoding="utf-8")
    (root / "Cargo.toml").write_text(CARGO_TOML, encoding="utf-8")
    return cases_of, refused_of


def _verdicts(root: Path, lines: list[str]) -> list[str]:
    run = subprocess.run(
        [str(TARGET / "debug" / "suite")],
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    verdicts = run.stdout.split("\n")[:-1]
    assert len(verdicts) == len(lines), run.stderr[-2000:]
    return verdicts


@pytest.fixture(scope="module")
def outcome(tmp_path_factory: pytest.TempPathFactory) -> harness.LanguageTally:
    work = tmp_path_factory.mktemp("rust-suite")
    root = work / "crate"
    cases_of, refused_of = _build_crate(root, work / "projects")
    # The suite's schemas are the oddest there are: what the backend wrote is rustfmt's layout.
    src = root / "src"
    generated = [p for p in src.rglob("*.rs") if p.relative_to(src).parts[0].startswith("s_")]
    assert rustfmt_changes(generated) == ""
    write_workspace(work, ["crate"])
    cargo(["build", "--quiet", "--bin", "suite"], root)
    lines, expected = [], []
    for stem, (module, cases) in cases_of.items():
        for i, case in enumerate(cases):
            if i not in refused_of[stem]:
                for test in case["tests"]:
                    lines.append(
                        f"{module} {harness.event_type(stem, i)} {json.dumps(test['data'])}"
                    )
                    expected.append((stem, i, test))
    failing: dict[tuple[str, int], list[tuple[str, str]]] = {}
    for (stem, i, test), verdict in zip(expected, _verdicts(root, lines), strict=True):
        if verdict == "unknown" or (verdict == "valid") is not test["valid"]:
            what = f"{json.dumps(test['data'])[:80]} valid={test['valid']} rust={verdict}"
            failing.setdefault((stem, i), []).append((test["description"], what))
    tally = harness.LanguageTally("rust")
    for group, files in harness.groups().items():
        for path in files:
            _, cases = cases_of[path.stem]
            name = harness.label(path)
            tally.refused(group, cases, refused_of[path.stem], name)
            for i, case in enumerate(cases):
                if i not in refused_of[path.stem]:
                    tally.case(group, name, case, failing.get((path.stem, i), []))
    print("\n" + tally.table() + f"\n(report: {tally.write()})")
    return tally


def test_no_disagreement(outcome: harness.LanguageTally) -> None:
    assert not outcome.details, "\n".join(outcome.details)
    assert outcome.counts["draft7"]["case_agree"] > 0
    assert outcome.counts["optional"]["inst_policy"] == harness.policy_count("rust")


def test_refusals_are_the_pipelines(outcome: harness.LanguageTally) -> None:
    """Rust refuses nothing on its own: refused cases are exactly the pipeline's (as Python)."""
    python = harness.totals(
        list(harness.run_suite(Path(pytest.importorskip("tempfile").mkdtemp())))
    )
    assert outcome.counts["draft7"]["case_refused"] == python["case_refused"]
