"""Fuzzing the reader: mutated corpus documents and our own spec never crash specgen.

Each example takes a seed document (``fuzz_support``), applies up to three random mutations
(delete, retype, duplicate, nest, random Unicode) and runs ``validate`` in process. It must
return diagnostics, never raise, and finish within a generous per-example deadline (a bound
on pathological behaviour, not a benchmark). Mutants that validate without errors are
generated; a few of them are compiled in all three languages (``test_clean_mutants_compile``).

``-m long`` runs the long variant: many thousands of examples. What the examples met (how
many validated clean, which rules refused the others) is written to
test-output/fuzz/validate.txt.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fuzz_support import TEXT_INSERTS, Seed, load, mutated, seeds, write_case
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from specgen import pipeline
from specgen.diagnostics import Level, has_errors

from tests.helpers import REPO

sys.path.insert(0, str(REPO / "tests" / "rust"))
sys.path.insert(0, str(REPO / "tests" / "typescript"))

SEEDS = seeds()
DEADLINE = timedelta(seconds=60)
"""Per example: validate of a whole project on a busy two-core machine takes a few seconds."""
COMPILE_SAMPLE = 2
CLEAN: list[tuple[Seed, Any]] = []
"""Mutants that validated without errors (filled by the validate property, sampled later)."""

_documents: dict[tuple[str, str], Any] = {}
OUTCOMES: Counter[str] = Counter()
"""Per validated example: clean or refused, and each error rule it was refused by."""


@pytest.fixture(scope="module", autouse=True)
def outcome_summary() -> Iterator[None]:
    yield
    if OUTCOMES:
        folder = REPO / "test-output" / "fuzz"
        folder.mkdir(parents=True, exist_ok=True)
        lines = [f"{n:6}  {what}" for what, n in OUTCOMES.most_common()]
        (folder / "validate.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _document(seed: Seed) -> Any:
    key = (seed.name, seed.file)
    if key not in _documents:
        _documents[key] = load(seed.folder / seed.file)
    return _documents[key]


Case = tuple[Seed, Any, list[str], tuple[float, str] | None]


@st.composite
def cases(draw: st.DrawFn) -> Case:
    seed = draw(st.sampled_from(SEEDS))
    document, done = draw(mutated(_document(seed)))
    return seed, document, done, draw(TEXT_INSERTS)


def _check(tmp_path: Path, case: Case) -> None:
    seed, document, done, insert = case
    work = tmp_path / "case"
    target = write_case(seed, document, work, insert)
    try:
        result = pipeline.validate([target])
    except Exception as exc:  # the property: nothing but diagnostics comes out
        raise AssertionError(f"{seed.name}/{seed.file} after {done}, {insert}: {exc!r}") from exc
    assert all(d.location.file and d.message for d in result.diagnostics), done
    errors = sorted({d.rule for d in result.diagnostics if d.level is Level.ERROR})
    OUTCOMES.update(["examples", "refused" if errors else "clean", *(f"rule {r}" for r in errors)])
    if not errors and len(CLEAN) < 50:
        CLEAN.append((seed, document))


def fuzz(examples: str, default: int) -> settings:
    """Settings of one fuzzing property; SPECGEN_FUZZ_* variables change the example counts."""
    return settings(
        max_examples=int(os.environ.get(examples, str(default))),
        deadline=DEADLINE,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        database=None,
    )


@fuzz("SPECGEN_FUZZ_EXAMPLES", 120)
@given(case=cases())
def test_validate_never_crashes(tmp_path: Path, case: Case) -> None:
    _check(tmp_path, case)


@pytest.mark.long
@fuzz("SPECGEN_FUZZ_LONG_EXAMPLES", 5000)
@given(case=cases())
def test_validate_never_crashes_long(tmp_path: Path, case: Case) -> None:
    _check(tmp_path, case)


# -- generate: refuse with a diagnostic, or produce code that compiles -------------------------
LANGUAGES = ["python", "typescript", "rust"]


@pytest.fixture(scope="module")
def compiled_sample(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Up to COMPILE_SAMPLE mutants that generate, each written to its own output folder."""
    base = tmp_path_factory.mktemp("fuzz-generate")
    outputs: list[Path] = []

    @fuzz("SPECGEN_FUZZ_GENERATE_EXAMPLES", 40)
    @given(case=cases())
    def generate_one(case: Case) -> None:
        seed, document, done, insert = case
        target = write_case(seed, document, base / "case", insert)
        checked = pipeline.validate([target], at_least="generator")
        if has_errors(checked.diagnostics) or len(outputs) >= COMPILE_SAMPLE:
            return
        out = base / f"out{len(outputs)}"
        result = pipeline.generate([target], languages=LANGUAGES, out=out)
        assert result.files is not None or has_errors(result.diagnostics), done
        if result.files is not None:
            pipeline.write_files(result.files, out)
            outputs.append(out)

    generate_one()
    return outputs


def _run(
    command: list[str], cwd: Path, timeout: float, **env: str
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False,
        env={**os.environ, **env},
    )  # fmt: skip


def test_clean_mutants_compile_in_python(compiled_sample: list[Path]) -> None:
    if not compiled_sample:
        pytest.skip("no mutant of this run validated without errors")
    for out in compiled_sample:
        src = out / "python" / "src"
        (package,) = [p.name for p in src.iterdir() if p.is_dir() and not p.name.endswith("info")]
        mypy = _run([sys.executable, "-m", "mypy", "--strict", "-p", package], src, 600,
                    MYPYPATH=str(src))  # fmt: skip
        assert mypy.returncode == 0, mypy.stdout[-3000:]


def test_clean_mutants_compile_in_typescript(
    compiled_sample: list[Path], tmp_path_factory: pytest.TempPathFactory
) -> None:
    from ts_support import (
        NODE,
        built_runtime,
        declarations_as_sources,
        link_node_modules,
        node_tools,
        typecheck,
    )

    if not compiled_sample or NODE is None:
        pytest.skip("no mutant validated without errors" if NODE else "node is not installed")
    tools = node_tools()
    runtime = built_runtime(tools, tmp_path_factory.getbasetemp())
    for out in compiled_sample:
        package = out / "typescript"
        link_node_modules(package, tools, runtime)
        typecheck(package, tools, declarations_as_sources(package))  # raises with tsc's output


def test_clean_mutants_compile_in_rust(compiled_sample: list[Path]) -> None:
    from rust_support import CARGO, TARGET, write_workspace

    if not compiled_sample or CARGO is None:
        pytest.skip("no mutant validated without errors" if CARGO else "cargo is not installed")
    for out in compiled_sample:  # one workspace each: two mutants of one spec share a crate name
        write_workspace(out, ["rust"])
        check = _run([CARGO, "check", "--workspace", "--message-format", "short"], out, 1800,
                     CARGO_TARGET_DIR=str(TARGET), CARGO_TERM_COLOR="never")  # fmt: skip
        assert check.returncode == 0, check.stdout[-3000:] + check.stderr[-3000:]
