"""Every document of the public AsyncAPI examples corpus generates code that compiles.

The corpus (../shared/corpus/asyncapi-examples: ten single documents and the multi-document
``social-media`` folder) is not written for specgen: no x-delivery, MQTT/Kafka-style addresses
(mapped to NATS subjects), channels without parameters, one message shared by several services.
For each document ``specgen generate --lang python --lang typescript --lang rust`` must exit 0,
and the output must compile in every language, publishers and subscribers included:

- Python: every module of the package imports, and ``mypy --strict`` passes;
- TypeScript: ``tsc --strict --noEmit`` with the pinned tools (tools/node/node_modules) and
  the runtime package built from runtimes/typescript;
- Rust: ``cargo check`` (default features: the NATS publishers and subscribers too) against
  the runtime crate of runtimes/rust.

Each language compiles all documents in ONE run (one mypy, one tsc, one cargo workspace seeded
with the repository's Cargo.lock, in the shared CARGO_TARGET_DIR); each document's test then
looks at its own part of the output, so a failure names the document.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import needs_shared

REPO = Path(__file__).resolve().parents[2]
CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "asyncapi-examples"
SPECGEN = [sys.executable, "-m", "specgen"]

sys.path.insert(0, str(REPO / "tests" / "rust"))
sys.path.insert(0, str(REPO / "tests" / "typescript"))
from rust_support import CARGO, TARGET, write_workspace  # type: ignore[import-not-found]  # noqa: E402
from ts_support import NODE, built_runtime, link_node_modules, node_tools  # type: ignore[import-not-found]  # noqa: E402


def documents() -> list[Path]:
    """Single documents (yml/yaml/json) and folders of documents, sorted by name."""
    if not CORPUS.is_dir():
        return []
    found = [p for p in CORPUS.iterdir() if p.suffix in (".yml", ".yaml", ".json") or p.is_dir()]
    return sorted(found, key=lambda p: p.name)


def _id(path: Path) -> str:
    return path.stem if path.is_file() else path.name


DOCUMENTS = {_id(p): p for p in documents()}

pytestmark = needs_shared(CORPUS, "the AsyncAPI examples corpus")


@dataclass
class Generated:
    name: str
    out: Path
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0

    def python_package(self) -> str:
        (package,) = [p.name for p in (self.out / "python" / "src").iterdir() if p.is_dir()]
        return package

    def rust_crate(self) -> str:
        text = (self.out / "rust" / "Cargo.toml").read_text(encoding="utf-8")
        match = re.search(r'^name = "([^"]+)"', text, re.MULTILINE)
        assert match is not None, "no package name in Cargo.toml"
        return match.group(1)


def _generate(name: str, source: Path, work: Path) -> Generated:
    out = work / name
    command = [*SPECGEN, "generate", str(source), "--out", str(out)]
    command += ["--lang", "python", "--lang", "typescript", "--lang", "rust"]
    result = subprocess.run(
        command, cwd=work, capture_output=True, text=True, timeout=300, check=False
    )
    return Generated(name, out, result.returncode, result.stdout + result.stderr)


@pytest.fixture(scope="module")
def work(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("corpus")


@pytest.fixture(scope="module")
def generated(work: Path) -> dict[str, Generated]:
    with ThreadPoolExecutor(max_workers=max(2, os.cpu_count() or 1)) as pool:
        jobs = [pool.submit(_generate, n, p, work) for n, p in DOCUMENTS.items()]
        return {job.result().name: job.result() for job in jobs}


def _ok(generated: dict[str, Generated]) -> Iterator[Generated]:
    return (g for g in generated.values() if g.ok)


def _require(generated: dict[str, Generated], name: str) -> Generated:
    result = generated[name]
    if not result.ok:
        pytest.fail(f"{name}: generation failed, nothing to compile:\n{result.output[-3000:]}")
    return result


def _run(command: list[str], cwd: Path, timeout: float, **env: str) -> str:
    result = subprocess.run(
        command,
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **env},
    )
    return result.stdout + result.stderr


# -- generation --------------------------------------------------------------------------------
@pytest.mark.parametrize("name", DOCUMENTS)
def test_generate_exits_zero(generated: dict[str, Generated], name: str) -> None:
    result = generated[name]
    assert result.returncode == 0, f"exit {result.returncode}:\n{result.output[-4000:]}"
    for folder in ("python", "typescript", "rust"):
        assert (result.out / folder).is_dir(), f"no {folder}/ output"


# -- Python ------------------------------------------------------------------------------------
IMPORT_ALL = """
import importlib, json, pkgutil, sys, traceback
failures = {}
for package in sys.argv[1:]:
    try:
        root = importlib.import_module(package)
        for info in pkgutil.iter_modules(root.__path__):
            importlib.import_module(f"{package}.{info.name}")
    except Exception:
        failures[package] = traceback.format_exc()
print(json.dumps(failures))
"""


@pytest.fixture(scope="module")
def python_checks(generated: dict[str, Generated], work: Path) -> tuple[dict[str, str], str]:
    """(import failures by package, mypy --strict output) over every generated package."""
    done = list(_ok(generated))
    packages = [g.python_package() for g in done]
    path = os.pathsep.join(str(g.out / "python" / "src") for g in done)
    imports = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL, *packages],
        cwd=work,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={**os.environ, "PYTHONPATH": path},
    )
    assert imports.returncode == 0, imports.stderr[-3000:]
    failures: dict[str, str] = json.loads(imports.stdout.strip().splitlines()[-1])
    command = [sys.executable, "-m", "mypy", "--strict", f"--cache-dir={work / '.mypy_cache'}"]
    for package in packages:
        command += ["-p", package]
    mypy = _run(command, work, 600, MYPYPATH=path)
    return failures, mypy


@pytest.mark.parametrize("name", DOCUMENTS)
def test_python_imports_and_passes_mypy_strict(
    generated: dict[str, Generated], python_checks: tuple[dict[str, str], str], name: str
) -> None:
    result = _require(generated, name)
    failures, mypy = python_checks
    package = result.python_package()
    assert package not in failures, f"import {package} failed:\n{failures[package]}"
    prefix = f"{result.out.name}/python/"
    errors = [line for line in mypy.splitlines() if line.startswith(prefix)]
    assert not errors, "mypy --strict:\n" + "\n".join(errors)
    assert "Success: no issues found" in mypy or "Found " in mypy, f"mypy did not run:\n{mypy}"


# -- TypeScript --------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def tsc_output(
    generated: dict[str, Generated], work: Path, tmp_path_factory: pytest.TempPathFactory
) -> str:
    if NODE is None:
        pytest.skip("node and npm are needed for the TypeScript part")
    tools = node_tools()
    runtime = built_runtime(tools, tmp_path_factory.getbasetemp())
    tsc = tools / ".bin" / "tsc"
    tsconfig = json.loads((REPO / "generated" / "typescript" / "tsconfig.json").read_text())
    options = tsconfig["compilerOptions"]
    for key in ("outDir", "declaration", "declarationMap", "sourceMap"):
        options.pop(key, None)
    options.update({"rootDir": ".", "noEmit": True, "strict": True})
    tsconfig["include"] = [f"{g.name}/typescript/src/**/*.ts" for g in _ok(generated)]
    (work / "tsconfig.json").write_text(json.dumps(tsconfig, indent=1), encoding="utf-8")
    (work / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    if not (work / "node_modules").exists():
        link_node_modules(work, tools, runtime)
    return _run([str(tsc), "-p", "tsconfig.json", "--pretty", "false"], work, 600)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_typescript_compiles_strict(
    generated: dict[str, Generated], tsc_output: str, name: str
) -> None:
    result = _require(generated, name)
    prefix = f"{result.out.name}/typescript/"
    errors = [line for line in tsc_output.splitlines() if line.startswith(prefix)]
    assert not errors, "tsc --strict --noEmit:\n" + "\n".join(errors)
    elsewhere = [
        line
        for line in tsc_output.splitlines()
        if "error TS" in line and line.split("/")[0] not in generated
    ]
    assert not elsewhere, "tsc errors outside the generated packages:\n" + "\n".join(elsewhere)


# -- Rust --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def cargo_output(generated: dict[str, Generated], work: Path) -> str:
    if CARGO is None:
        pytest.skip("cargo is not installed (Rust toolchain)")
    # The versions the other Rust tests built (the repository's lock): reuse their artifacts.
    write_workspace(work, [f"{g.name}/rust" for g in _ok(generated)])
    command = [CARGO, "check", "--workspace", "--keep-going", "--message-format", "short"]
    return _run(command, work, 1800, CARGO_TARGET_DIR=str(TARGET), CARGO_TERM_COLOR="never")


@pytest.mark.parametrize("name", DOCUMENTS)
def test_rust_crate_compiles(generated: dict[str, Generated], cargo_output: str, name: str) -> None:
    result = _require(generated, name)
    crate = result.rust_crate()
    prefix = f"{result.out.name}/rust/"
    errors = [
        line
        for line in cargo_output.splitlines()
        if (line.startswith(prefix) and ": error" in line) or f"compile `{crate}`" in line
    ]
    assert not errors, "cargo check:\n" + "\n".join(errors)
    assert "Finished" in cargo_output or "could not compile" in cargo_output, cargo_output[-3000:]
