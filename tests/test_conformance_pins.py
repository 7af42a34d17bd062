"""The conformance data: ../shared matches the pins the public CI fetches, and CI never skips it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tests.helpers import REPO, SHARED, needs_shared

PINS = json.loads((REPO / ".ci" / "conformance.json").read_text(encoding="utf-8"))
FILES = [(s["repository"], f) for s in PINS["sources"] for f in s["files"]]


@needs_shared(SHARED / "json-schema-test-suite", "the conformance data")
@pytest.mark.parametrize(("repository", "item"), FILES, ids=[f["to"] for _, f in FILES])
def test_shared_file_is_the_pinned_one(repository: str, item: dict[str, str]) -> None:
    data = (SHARED / item["to"]).read_bytes()
    assert hashlib.sha256(data).hexdigest() == item["sha256"], f"{repository}: {item['from']}"


def test_every_shared_file_is_pinned() -> None:
    if not SHARED.is_dir():
        pytest.skip(f"no {SHARED}")
    pinned = {f["to"] for _, f in FILES}
    roots = {Path(t).parts[0] for t in pinned}
    present = {
        str(p.relative_to(SHARED))
        for root in roots
        for p in (SHARED / root).rglob("*")
        if p.is_file()
    }
    assert present == pinned


PROBE = textwrap.dedent(
    """
    from pathlib import Path

    from tests.helpers import needs_shared


    import pytest

    from tests.helpers import needs_shared

    pytestmark = needs_shared(Path("/nonexistent/suite"), "the probe suite")
    CASES = sorted(Path("/nonexistent/suite").glob("*.json"))  # empty: the suite is missing


    def test_reads_the_suite() -> None:
        assert Path("/nonexistent/suite").is_dir()


    @pytest.mark.parametrize("case", CASES)
    def test_each_case(case: Path) -> None:
        assert case.is_file()
    """
)


@pytest.mark.parametrize(("ci", "outcome"), [("", "2 skipped"), ("true", "2 errors")])
def test_missing_suite_skips_locally_and_fails_in_ci(tmp_path: Path, ci: str, outcome: str) -> None:
    (tmp_path / "conftest.py").write_text(
        "from tests.conftest import pytest_configure, pytest_runtest_setup  # noqa: F401\n"
    )
    (tmp_path / "test_probe.py").write_text(PROBE)
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    env.update({"PYTHONPATH": str(REPO), **({"CI": ci} if ci else {})})
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip
    assert outcome in result.stdout, result.stdout + result.stderr
    reason = "CI must run every conformance suite" if ci else "the probe suite not found"
    assert reason in result.stdout
