"""Fixtures of the TypeScript tests: the pinned Node tools, the runtime and the package, built.

``node_tools`` runs ``npm ci`` in tools/node once (skipped when node_modules already matches
package-lock.json). ``ts_runtime`` is runtimes/typescript compiled once per session;
``ts_package`` a copy of generated/typescript with that runtime wired in (see ts_support).
Everything is skipped, with the reason, when node or npm is missing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ts_support import GENERATED, NODE, NPM, built_runtime, linked_copy
from ts_support import node_tools as install_node_tools

if NODE is None or NPM is None:
    pytest.skip("node and npm are needed for the TypeScript tests", allow_module_level=True)


@pytest.fixture(scope="session")
def node_tools() -> Path:
    return install_node_tools()


@pytest.fixture(scope="session")
def ts_runtime(node_tools: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """runtimes/typescript compiled (``dist/``, ``dist-test/``), once per session."""
    return built_runtime(node_tools, tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def ts_package(
    node_tools: Path, ts_runtime: Path, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """A copy of generated/typescript with the runtime wired in (no build step: ESM + d.ts)."""
    return linked_copy(GENERATED, tmp_path_factory.mktemp("ts") / "package", node_tools, ts_runtime)
