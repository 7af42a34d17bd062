"""Every document of the public AsyncAPI examples corpus generates code that compiles.

The corpus (../shared/corpus/asyncapi-examples: ten single documents and the multi-document
``social-media`` folder) is not written for specgen: no x-delivery, MQTT/Kafka-style addresses
(mapped to NATS subjects), channels without parameters, one message shared by several services.
For each document ``specgen generate --lang python --lang typescript --lang rust`` must exit 0,
and the output must compile in every language, publishers and subscribers included:

- Python: every module of the package imports, and ``mypy --strict`` passes;
- TypeScript: the package loads in node, its declarations pass ``tsc --strict`` (pinned tools
  in tools/node/node_modules, the runtime package built from runtimes/typescript) and the
  pinned prettier finds nothing to change;
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
from rust_support import CARGO, RUSTFMT, TARGET, rustfmt_changes, write_workspace  # type: ignore[import-not-found]  # noqa: E402
from ts_support import (  # type: ignore[import-not-found]  # noqa: E402
    NODE,
    STRICT,
    built_runtime,
    declarations_as_sources,
    link_node_modules,
    node_tools,
    prettier_changes,
    script_files,
)


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
IMPORT_ALL_JS = """
const failures = {};
for (const entry of process.argv.slice(1)) {
  try { await import(entry); } catch (error) { failures[entry] = String(error.stack ?? error); }
}
console.log(JSON.stringify(failures));
"""


@dataclass
class TypeScriptChecks:
    tsc: str  # tsc --strict output over every package's declarations
    unformatted: list[str]  # prettier's diffs (none expected)
    import_failures: dict[str, str]  # lib/index.js that did not load, by path


@pytest.fixture(scope="module")
def typescript_checks(
    generated: dict[str, Generated], work: Path, tmp_path_factory: pytest.TempPathFactory
) -> TypeScriptChecks:
    if NODE is None:
        pytest.skip("node and npm are needed for the TypeScript part")
    tools = node_tools()
    runtime = built_runtime(tools, tmp_path_factory.getbasetemp())
    packages = [g.out / "typescript" for g in _ok(generated)]
    unformatted = prettier_changes([f for p in packages for f in script_files(p)])
    (work / "package.json").write_text('{"type": "module"}', encoding="utf-8")
    if not (work / "node_modules").exists():
        link_node_modules(work, tools, runtime)
    entries = [(p / "lib" / "index.js").as_uri() for p in packages]
    loaded = _run([NODE, "--input-type=module", "-e", IMPORT_ALL_JS, *entries], work, 300)
    include = [str((p / s).relative_to(work)) for p in packages for s in declarations_as_sources(p)]
    config = {"compilerOptions": {**STRICT, "skipLibCheck": True}, "include": include}
    (work / "tsconfig.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    output = _run(
        [str(tools / ".bin" / "tsc"), "-p", "tsconfig.json", "--pretty", "false"], work, 600
    )
    return TypeScriptChecks(output, unformatted, json.loads(loaded.strip().splitlines()[-1]))


@pytest.mark.parametrize("name", DOCUMENTS)
def test_typescript_declarations_compile_strict(
    generated: dict[str, Generated], typescript_checks: TypeScriptChecks, name: str
) -> None:
    result = _require(generated, name)
    prefix = f"{result.out.name}/typescript/"
    output = typescript_checks.tsc
    errors = [line for line in output.splitlines() if line.startswith(prefix)]
    assert not errors, "tsc --strict --noEmit:\n" + "\n".join(errors)
    elsewhere = [
        line for line in output.splitlines()
        if "error TS" in line and line.split("/")[0] not in generated
    ]  # fmt: skip
    assert not elsewhere, "tsc errors outside the generated packages:\n" + "\n".join(elsewhere)


@pytest.mark.parametrize("name", DOCUMENTS)
def test_typescript_loads_and_prettier_changes_nothing(
    generated: dict[str, Generated], typescript_checks: TypeScriptChecks, name: str
) -> None:
    result = _require(generated, name)
    where = str(result.out / "typescript")
    assert [d for d in typescript_checks.unformatted if where in d] == []
    failures = {k: v for k, v in typescript_checks.import_failures.items() if where in k}
    assert failures == {}, "\n".join(failures.values())


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


@pytest.mark.parametrize("name", DOCUMENTS)
def test_rust_is_in_rustfmt_layout(generated: dict[str, Generated], name: str) -> None:
    if RUSTFMT is None:
        pytest.skip("rustfmt is not installed (rustup component add rustfmt)")
    result = _require(generated, name)
    assert rustfmt_changes(sorted((result.out / "rust" / "src").rglob("*.rs"))) == ""
