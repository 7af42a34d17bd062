"""The release build the release tests share (one per session: it takes a minute or two)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import REPO, run_specgen


@pytest.fixture(scope="session")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("release") / "dist"
    result = run_specgen("release", "build", "--runtimes", REPO / "runtimes", "--out", out)
    assert result.returncode == 0, result.stdout + result.stderr
    return out
