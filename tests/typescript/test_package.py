"""The generated TypeScript package: strict compile, determinism, dependencies, escaping, npm
pack and install into a fresh project, and the golden CloudEvents vectors byte for byte."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from specgen import writer
from specgen.backends.runtimes import RUNTIME_VERSION
from specgen.backends.typescript import DEV_DEPENDENCIES, generate
from specgen.backends.typescript.literals import jsdoc, ts_str
from specgen.backends.typescript.types import TypeScriptCapabilityError, check_capabilities
from specgen.ir import SpecIR
from specgen.ir import types as t
from specgen.pipeline import build
from ts_support import (
    GENERATED,
    NPM,
    REPO,
    RUNTIME,
    TOOLS,
    link_node_modules,
    node_json,
    npm_pack,
    run,
)


def spec_ir() -> SpecIR:
    result = build([REPO / "spec"])
    assert result.ir is not None
    return result.ir


def test_tsc_strict_no_emit(node_tools: Path, ts_runtime: Path, tmp_path: Path) -> None:
    shutil.copytree(
        GENERATED, tmp_path / "p", ignore=shutil.ignore_patterns("node_modules", "dist")
    )
    link_node_modules(tmp_path / "p", node_tools, ts_runtime)
    run(
        [str(node_tools / ".bin" / "tsc"), "--strict", "--noEmit", "-p", "tsconfig.json"],
        tmp_path / "p",
    )


def test_generated_is_up_to_date_and_deterministic(node_tools: Path) -> None:
    ir = spec_ir()
    first = writer.format_files(generate(ir))
    second = writer.format_files(generate(ir))
    assert first == second
    for file in first:
        assert (REPO / "generated" / file.path).read_text(encoding="utf-8") == file.content, (
            file.path
        )


def _caret_allows(requirement: str, version: str) -> bool:
    """npm's ``^X.Y.Z``: the same leftmost non-zero part, and not older."""
    assert requirement.startswith("^"), requirement
    want = [int(p) for p in requirement[1:].split(".")]
    have = [int(p) for p in version.split(".")]
    fixed = next((i for i, p in enumerate(want) if p != 0), len(want) - 1) + 1
    return have[:fixed] == want[:fixed] and have >= want


def test_dependencies_are_ranges_the_pinned_tools_satisfy() -> None:
    tools = json.loads((TOOLS / "package.json").read_text())
    runtime = json.loads((RUNTIME / "package.json").read_text())
    assert runtime["name"] == "@specgen/runtime" and runtime["version"] == RUNTIME_VERSION
    for name, requirement in runtime["dependencies"].items():
        assert _caret_allows(requirement, tools["dependencies"][name]), (name, requirement)
    for name, version in runtime["devDependencies"].items():
        assert tools["devDependencies"][name] == version, name
    package = json.loads((GENERATED / "package.json").read_text())
    assert package["name"] == "@powerflex/events" and package["type"] == "module"
    # The generated package holds only what the spec decides: all else is the runtime's.
    assert package["dependencies"] == {"@specgen/runtime": "^0.2.0"}
    assert _caret_allows(package["dependencies"]["@specgen/runtime"], RUNTIME_VERSION)
    assert not _caret_allows("^0.2.0", "0.3.0") and _caret_allows("^0.2.0", "0.2.7")
    for name, version in DEV_DEPENDENCIES.items():
        assert tools["devDependencies"][name] == version


def test_literals_and_comments_cannot_break_out() -> None:
    hostile = 'a */ b "c" \\ d \u2028 e \u2029 ${x} `y`\n*/'
    assert json.loads(ts_str(hostile)) == hostile
    assert "\u2028" not in ts_str(hostile) and "\u2029" not in ts_str(hostile)
    doc = jsdoc(hostile)
    assert doc.count("*/") == 1 and doc.endswith("*/")


def test_integers_beyond_2_53_are_refused() -> None:
    ir = spec_ir()
    check_capabilities(ir)  # the spec's u64 fields are bounded by 2^53 - 1
    wide = t.AliasDecl(
        "Big", t.IntegerType(t.NumericBounds(minimum=0, maximum=2**64 - 1), False, 64)
    )
    with pytest.raises(
        TypeScriptCapabilityError, match=r"Big: integer maximum 18446744073709551615"
    ):
        check_capabilities(type(ir)(ir.project, (*ir.types, wide), ir.domains, ir.topology))


def test_golden_vectors(ts_package: Path) -> None:
    report = node_json(
        "vectors.mjs",
        str(ts_package),
        str(REPO / "tests" / "vectors" / "vectors.json"),
        cwd=ts_package,
    )
    assert report["total"] == 84
    assert report["failures"] == []


@pytest.mark.slow
def test_npm_pack_and_install_into_a_fresh_project(
    ts_package: Path, ts_runtime: Path, tmp_path: Path
) -> None:
    tarball = npm_pack(ts_package, tmp_path)
    runtime_tarball = npm_pack(ts_runtime, tmp_path)
    project = tmp_path / "consumer"
    project.mkdir()
    (project / "package.json").write_text(
        json.dumps({"name": "consumer", "private": True, "type": "module"})
    )
    run(
        [
            str(NPM),
            "install",
            "--no-audit",
            "--no-fund",
            "--prefer-offline",
            str(runtime_tarball),
            str(tarball),
        ],  # fmt: skip
        project,
        timeout=240,
    )
    (project / "main.mjs").write_text(
        "import { PACKAGE_NAME, OrderCreatedV1, OrdersPublisher, EVENT_TYPES }\n"
        '  from "@powerflex/events";\n'
        "console.log(JSON.stringify({ name: PACKAGE_NAME, type: OrderCreatedV1.type,\n"
        "  publisher: typeof OrdersPublisher, events: Object.keys(EVENT_TYPES).length }));\n"
    )
    out = subprocess.run(
        ["node", "main.mjs"], cwd=project, capture_output=True, text=True, check=True
    )
    result = json.loads(out.stdout)
    assert result == {"name": "@powerflex/events", "type": "com.powerflex.orders.order_created.v1",
                      "publisher": "function", "events": 21}  # fmt: skip
