"""Build one package folder into its registry artifact with the ecosystem's own tool.

Python: ``python -m build`` (sdist, then the wheel from the sdist); npm: ``npm pack``
(after ``npm install`` when the package builds itself in a ``prepare``/``prepack`` script);
Cargo: ``cargo package``. Each works on a copy in a staging folder, so no build output lands
in the source tree.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from specgen.release.manifest import Package, ReleaseError

IGNORED = shutil.ignore_patterns(
    "__pycache__", "*.egg-info", "build", "dist-test", "node_modules", "target", ".mypy_cache"
)
TIMEOUT = 900


def run(command: list[str], cwd: Path, what: str, env: dict[str, str] | None = None) -> str:
    """Run a tool; a failure is a ReleaseError naming the package, the command and its output."""
    try:
        done = subprocess.run(
            command, cwd=cwd, capture_output=True, text=True, timeout=TIMEOUT, check=False,
            env={**os.environ, **(env or {})},
        )  # fmt: skip
    except FileNotFoundError as exc:
        raise ReleaseError(f"{what}: {command[0]} is not installed ({exc})") from exc
    except subprocess.TimeoutExpired as exc:
        raise ReleaseError(f"{what}: `{' '.join(command)}` took over {TIMEOUT}s") from exc
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise ReleaseError(
            f"{what}: `{' '.join(command)}` failed (exit {done.returncode}):\n{tail}"
        )
    return done.stdout


def stage(source: Path, into: Path) -> Path:
    shutil.copytree(source, into, ignore=IGNORED, dirs_exist_ok=True)
    return into


def _collect(found: list[Path], dist: Path, ecosystem: str) -> tuple[str, ...]:
    target = dist / ecosystem
    target.mkdir(parents=True, exist_ok=True)
    names = []
    for path in sorted(found):
        shutil.move(str(path), target / path.name)
        names.append(f"{ecosystem}/{path.name}")
    return tuple(names)


def python(folder: Path, dist: Path, work: Path, kind: str, spec: str | None) -> Package:
    meta = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    out = work / "python-out"
    run([sys.executable, "-m", "build", "--outdir", str(out), str(folder)], folder,
        f"{meta['name']} (python -m build)")  # fmt: skip
    files = _collect(list(out.iterdir()), dist, "python")
    return Package("python", meta["name"], meta["version"], kind, spec, files)


def npm(folder: Path, dist: Path, work: Path, kind: str, spec: str | None) -> Package:
    meta = json.loads((folder / "package.json").read_text(encoding="utf-8"))
    what = f"{meta['name']} (npm pack)"
    scripts = meta.get("scripts", {})
    if "prepare" in scripts or "prepack" in scripts:
        # A package that compiles itself when packed needs its dependencies; the runtimes of
        # this same release (not yet on any registry) come from their tarballs.
        local = (
            sorted(str(p) for p in (dist / "npm").glob("*.tgz")) if (dist / "npm").is_dir() else []
        )
        command = ["npm", "install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error"]
        run([*command, *local], folder, what)
    out = work / "npm-out"
    out.mkdir(parents=True, exist_ok=True)
    run(["npm", "pack", "--pack-destination", str(out), "--loglevel=error"], folder, what)
    files = _collect(list(out.glob("*.tgz")), dist, "npm")
    return Package("npm", meta["name"], meta["version"], kind, spec, files)


def cargo(folder: Path, dist: Path, work: Path, kind: str, spec: str | None) -> Package:
    meta = tomllib.loads((folder / "Cargo.toml").read_text(encoding="utf-8"))["package"]
    target = work / "cargo-target"
    command = ["cargo", "package", "--no-verify", "--allow-dirty", "--quiet"]
    where = folder
    if (folder.parent / "Cargo.toml").is_file():  # staged beside the runtime it depends on
        command, where = [*command, "--workspace"], folder.parent
    run(command, where, f"{meta['name']} (cargo package)", env={"CARGO_TARGET_DIR": str(target)})
    crate = target / "package" / f"{meta['name']}-{meta['version']}.crate"
    if not crate.is_file():
        raise ReleaseError(f"{meta['name']}: cargo package wrote no {crate.name}")
    files = _collect([crate], dist, "cargo")
    return Package("cargo", meta["name"], meta["version"], kind, spec, files)


BUILDERS = {"python": python, "typescript": npm, "rust": cargo}
MARKERS = {"python": "pyproject.toml", "typescript": "package.json", "rust": "Cargo.toml"}
