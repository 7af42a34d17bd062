"""Helpers of the TypeScript tests: the pinned Node tools and the runtime package wired in.

Generated packages depend on ``@specgen/runtime`` (runtimes/typescript) by version range, as
they would from the registry. The tests build the runtime from this tree once per session
(a copy in the session's temporary folder, compiled with the pinned tsc) and give every test
project a ``node_modules`` folder of links: the pinned tools' packages plus
``@specgen/runtime`` pointing at that build. Node resolves links to real paths, so every
package in a test process shares one copy of the runtime and of nats.js.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
TOOLS = REPO / "tools" / "node"
RUNTIME = REPO / "runtimes" / "typescript"
GENERATED = REPO / "generated" / "typescript"
SCRIPTS = Path(__file__).parent / "scripts"
NODE = shutil.which("node")
NPM = shutil.which("npm")
BUILD_OUTPUT = ("node_modules", "dist", "dist-test")


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


def node_tools() -> Path:
    """tools/node/node_modules, installed with ``npm ci`` unless it matches the lock file."""
    assert NPM is not None, "npm is needed"
    lock = (TOOLS / "package-lock.json").read_bytes()
    stamp = TOOLS / "node_modules" / ".specgen-lock-sha256"
    digest = hashlib.sha256(lock).hexdigest()
    if not stamp.is_file() or stamp.read_text() != digest:
        run([NPM, "ci", "--no-audit", "--no-fund"], TOOLS, timeout=300)
        stamp.write_text(digest)
    return TOOLS / "node_modules"


def tsc(node_modules: Path, *args: str, cwd: Path, timeout: float = 300) -> str:
    return run([str(node_modules / ".bin" / "tsc"), *args], cwd, timeout)


def built_runtime(tools: Path, base: Path) -> Path:
    """The runtime package compiled (``dist/`` and ``dist-test/``) in ``base``, built once."""
    target = base / "specgen-runtime-ts"
    stamp = target / ".built"
    if stamp.is_file():
        return target
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(RUNTIME, target, ignore=shutil.ignore_patterns(*BUILD_OUTPUT))
    (target / "node_modules").symlink_to(tools, target_is_directory=True)
    tsc(tools, "-p", "tsconfig.json", cwd=target)
    tsc(tools, "-p", "test/tsconfig.json", cwd=target)
    stamp.write_text("")
    return target


def link_node_modules(project: Path, tools: Path, runtime: Path) -> Path:
    """``project/node_modules``: links to the pinned tools' packages and to the runtime."""
    modules = project / "node_modules"
    modules.mkdir(parents=True)
    for entry in tools.iterdir():
        if not entry.name.startswith(".") or entry.name == ".bin":
            (modules / entry.name).symlink_to(entry, target_is_directory=entry.is_dir())
    (modules / "@specgen").mkdir()
    (modules / "@specgen" / "runtime").symlink_to(runtime, target_is_directory=True)
    return modules


def linked_copy(source: Path, target: Path, tools: Path, runtime: Path) -> Path:
    """Copy a generated package and wire the runtime in (it needs no build step)."""
    shutil.copytree(source, target, ignore=shutil.ignore_patterns(*BUILD_OUTPUT))
    link_node_modules(target, tools, runtime)
    return target


STRICT = {
    "target": "ES2022",
    "lib": ["ES2024"],
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "types": ["node"],
    "strict": True,
    "noUncheckedIndexedAccess": True,
    "noEmit": True,
}


def typecheck(project: Path, tools: Path, include: list[str]) -> str:
    """``tsc --strict --noEmit`` over ``include`` in ``project``.

    Libraries' declarations are not checked (``skipLibCheck``: third-party ones do not all
    check with every TypeScript version); to check generated declarations, include them as
    sources (``declarations_as_sources``).
    """
    config = {"compilerOptions": {**STRICT, "skipLibCheck": True}, "include": include}
    (project / "tsconfig.json").write_text(json.dumps(config, indent=1), encoding="utf-8")
    return tsc(tools, "-p", "tsconfig.json", "--pretty", "false", cwd=project)


def declarations_as_sources(root: Path) -> list[str]:
    """Copy every ``*.d.ts`` below ``root`` to a ``*.ts`` beside it (declarations are valid
    sources, so tsc checks them); the copies' paths relative to ``root``, for ``include``
    (so ``root`` is the project to check: do this in a copy of the package)."""
    copies = []
    for declaration in sorted(root.rglob("*.d.ts")):
        if "node_modules" in declaration.parts:
            continue
        source = declaration.with_name(declaration.name.removesuffix(".d.ts") + ".ts")
        source.write_text(declaration.read_text(encoding="utf-8"), encoding="utf-8")
        copies.append(str(source.relative_to(root)))
    return copies


def npm_pack(package: Path, destination: Path) -> Path:
    """``npm pack`` of a built package (scripts off: it is built already)."""
    assert NPM is not None
    packed = run([NPM, "pack", "--ignore-scripts", "--pack-destination", str(destination)], package)
    tarball = destination / packed.strip().splitlines()[-1]
    assert tarball.is_file(), packed
    return tarball


def prettier_changes(files: list[Path]) -> list[str]:
    """What the pinned prettier (tools/node/format.mjs, fixed options) would change, as diffs."""
    assert NODE is not None
    payload = [{"path": str(p), "content": p.read_text(encoding="utf-8")} for p in files]
    out = run([NODE, str(TOOLS / "format.mjs")], TOOLS, 300, input=json.dumps(payload))
    changes = []
    for original, formatted in zip(payload, json.loads(out), strict=True):
        if original["content"] != formatted["content"]:
            diff = difflib.unified_diff(
                original["content"].splitlines(keepends=True),
                formatted["content"].splitlines(keepends=True),
                original["path"],
                "prettier",
                n=1,
            )
            changes.append("".join(list(diff)[:40]))
    return changes


def script_files(root: Path) -> list[Path]:
    """The JavaScript and TypeScript files below ``root`` (dependencies left out)."""
    return sorted(
        p for p in root.rglob("*") if p.suffix in (".js", ".ts") and "node_modules" not in p.parts
    )


def node_json(script: str, *args: str, cwd: Path, timeout: float = 120, stdin: str = "") -> Any:
    """Run a node script of tests/typescript/scripts and parse the JSON it prints last."""
    assert NODE is not None
    out = run([NODE, str(SCRIPTS / script), *args], cwd, timeout, input=stdin)
    return json.loads(out.strip().splitlines()[-1])
