"""The npm package @specgen/runtime (runtimes/typescript): its own tests, run with node --test.

The runtime's tests (runtimes/typescript/test, compiled to dist-test/) import it by its name,
as a consumer does; they cover the errors, event specifications, the codec and validation.
"""

from __future__ import annotations

from pathlib import Path

from ts_support import NODE, RUNTIME, prettier_changes, run


def test_node_test_of_the_runtime(ts_runtime: Path) -> None:
    assert NODE is not None
    tests = sorted(str(p) for p in (ts_runtime / "dist-test").glob("*.test.js"))
    assert tests, "no compiled runtime tests"
    out = run([NODE, "--test", "--test-reporter=tap", *tests], ts_runtime, timeout=120)
    summary = dict(
        line.removeprefix("# ").split(" ", 1) for line in out.splitlines() if line.startswith("# ")
    )
    assert summary.get("fail") == "0", out[-3000:]
    assert int(summary.get("pass", "0")) >= 15, out[-3000:]


def test_runtime_sources_are_in_prettier_layout(node_tools: Path) -> None:
    """The runtime's sources keep the pinned prettier's layout (its .prettierrc.json)."""
    files = sorted(RUNTIME.glob("src/*.ts")) + sorted(RUNTIME.glob("test/*.ts"))
    assert files and prettier_changes(files) == []
