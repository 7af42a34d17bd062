"""Fixtures of the TypeScript tests: the pinned Node tools and a compiled copy of the package.

``node_tools`` runs ``npm ci`` in tools/node once (skipped when node_modules already matches
package-lock.json). ``ts_package`` copies generated/typescript to a temporary folder, links
tools/node/node_modules into it and compiles it with the pinned tsc, once per session.
Everything is skipped, with the reason, when node or npm is missing.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools" / "node"
GENERATED = REPO / "generated" / "typescript"
SCRIPTS = Path(__file__).parent / "scripts"
NODE = shutil.which("node")
NPM = shutil.which("npm")

if NODE is None or NPM is None:
    pytest.skip("node and npm are needed for the TypeScript tests", allow_module_level=True)


def run(command: list[str], cwd: Path, timeout: float = 120, **kwargs: Any) -> str:
    result = subprocess.run(
        command, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
    if result.returncode != 0:
        raise AssertionError(
            f"{' '.join(command)} failed ({result.returncode}) in {cwd}:\n"
            f"{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
        )
    return result.stdout


def node_json(script: str, *args: str, cwd: Path, timeout: float = 120, stdin: str = "") -> Any:
    """Run a node script of tests/typescript/scripts and parse the JSON it prints last."""
    out = run([str(NODE), str(SCRIPTS / script), *args], cwd, timeout, input=stdin)
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture(scope="session")
def node_tools() -> Path:
    lock = (TOOLS / "package-lock.json").read_bytes()
    stamp = TOOLS / "node_modules" / ".specgen-lock-sha256"
    digest = hashlib.sha256(lock).hexdigest()
    if not stamp.is_file() or stamp.read_text() != digest:
        run([str(NPM), "ci", "--no-audit", "--no-fund"], TOOLS, timeout=300)
        stamp.write_text(digest)
    return TOOLS / "node_modules"


def compile_copy(source: Path, target: Path, node_modules: Path) -> Path:
    """Copy a generated package, link the pinned node_modules into it, compile it with tsc."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("node_modules", "dist"))
    (target / "node_modules").symlink_to(node_modules, target_is_directory=True)
    run([str(node_modules / ".bin" / "tsc"), "-p", "tsconfig.json"], target)
    return target


@pytest.fixture(scope="session")
def ts_package(node_tools: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A compiled copy of generated/typescript (``dist/`` next to ``src/``)."""
    return compile_copy(GENERATED, tmp_path_factory.mktemp("ts") / "package", node_tools)
