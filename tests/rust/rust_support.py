"""Helpers of the Rust tests: find cargo, share one target directory, run cargo commands."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CRATE = REPO / "generated" / "rust"
HARNESS = Path(__file__).resolve().parent / "harness"
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or Path.home() / ".cache" / "specgen-cargo-target")
CARGO = shutil.which("cargo")

needs_cargo = pytest.mark.skipif(CARGO is None, reason="cargo is not installed (Rust toolchain)")


def cargo(args: list[str], cwd: Path, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    """Run cargo with the shared target directory; fail the test with its output on error."""
    assert CARGO is not None
    env = {**os.environ, "CARGO_TARGET_DIR": str(TARGET), "CARGO_TERM_COLOR": "never"}
    result = subprocess.run(
        [CARGO, *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(f"cargo {' '.join(args)} failed in {cwd}:\n{result.stdout}\n{result.stderr}")
    return result


def binary(name: str) -> Path:
    return TARGET / "debug" / name
