"""Helpers of the Rust tests: find cargo, share one target directory, run cargo commands.

The runtime crate (runtimes/rust), the generated crate and the harness are members of the
repository's Cargo workspace (Cargo.toml at the root), whose patch builds the generated
crate's ``specgen-runtime = "0.2"`` against the runtime in this tree. Crates the tests make
elsewhere (``crate_outside``) get the same patch and the workspace's Cargo.lock, so every
Rust build of a session resolves the same versions into one target directory.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CRATE = REPO / "generated" / "rust"
RUNTIME = REPO / "runtimes" / "rust"
LOCK = REPO / "Cargo.lock"
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


def workspace_manifest(members: list[str]) -> str:
    """A Cargo.toml for a workspace made by a test: its members, and the runtime patched in."""
    listed = ", ".join(json.dumps(m) for m in members)
    return (
        f'[workspace]\nresolver = "2"\nmembers = [{listed}]\n\n'
        f"[patch.crates-io]\nspecgen-runtime = {{ path = {json.dumps(str(RUNTIME))} }}\n"
    )


def write_workspace(root: Path, members: list[str]) -> None:
    """Make ``root`` a workspace of ``members`` seeded with the repository's Cargo.lock."""
    (root / "Cargo.toml").write_text(workspace_manifest(members), encoding="utf-8")
    shutil.copyfile(LOCK, root / "Cargo.lock")


RUSTFMT = shutil.which("rustfmt")


def rustfmt_changes(files: list[Path]) -> str:
    """What the installed rustfmt (edition 2021, default options) would change; "" if nothing."""
    assert RUSTFMT is not None, "rustfmt is not installed (rustup component add rustfmt)"
    command = [RUSTFMT, "--edition", "2021", "--check", "--color", "never", *map(str, files)]
    result = subprocess.run(command, capture_output=True, text=True, check=False, timeout=600)
    return result.stdout + (result.stderr if result.returncode not in (0, 1) else "")
