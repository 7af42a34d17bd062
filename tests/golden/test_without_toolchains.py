"""Generating needs no Node and no Rust toolchain, and gives the same bytes without them.

The TypeScript and Rust backends write prettier's and rustfmt's layout themselves (the
TypeScript and Rust tests confirm the formatters change nothing), so a machine with only
Python generates exactly the committed generated/. Run with a PATH on which node, npm,
cargo and rustfmt cannot be found.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from tests.helpers import GENERATED, REPO, run_specgen

TOOLS = ("node", "npm", "npx", "cargo", "rustc", "rustfmt", "tsc", "prettier")
BUILD_OUTPUT = {"node_modules", "target", "dist", "__pycache__", "Cargo.lock", "package-lock.json"}


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes()
        for p in root.rglob("*")
        if p.is_file()
        and not BUILD_OUTPUT.intersection(p.relative_to(root).parts)
        and not any(part.endswith(".egg-info") for part in p.parts)
    }


def test_generate_with_no_node_and_no_cargo_gives_the_committed_bytes(tmp_path: Path) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    assert all(shutil.which(tool, path=str(empty)) is None for tool in TOOLS)
    out = tmp_path / "generated"
    result = run_specgen("generate", REPO / "spec", "--out", out, env={"PATH": str(empty)})
    assert result.returncode == 0, result.stderr
    generated, committed = _tree(out), _tree(GENERATED)
    assert sorted(generated) == sorted(committed)
    differing = [path for path in generated if generated[path] != committed[path]]
    assert differing == []
    assert any(path.endswith(".d.ts") for path in generated)
    assert any(path.endswith(".rs") for path in generated)
