"""The one writer: format generated files in memory, write them, or check them against disk.

Formatting uses pinned formatters (ruff for Python) with explicit options and no project
configuration, so output is byte-for-byte the same on every machine.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

from specgen.backends import GeneratedFile
from specgen.ir import SpecIR
from specgen.ir.serialize import dump_ir

# Build and tool output that may sit next to generated files and is never ours to judge.
IGNORED_PARTS = frozenset(
    {"__pycache__", "node_modules", "target", "dist", "build", ".mypy_cache", ".ruff_cache",
     "Cargo.lock", "package-lock.json"}
)  # fmt: skip


class FormatError(RuntimeError):
    """A formatter rejected generated code: a bug in a backend, reported with the file name."""


def ir_file(ir: SpecIR, name: str) -> GeneratedFile:
    return GeneratedFile(name, dump_ir(ir))


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def _format_python(file: GeneratedFile) -> GeneratedFile:
    command = [_ruff(), "format", "--isolated", "--line-length", "100", "--target-version",
               "py311", "--stdin-filename", file.path, "-"]  # fmt: skip
    result = subprocess.run(
        command, input=file.content, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise FormatError(f"{file.path}: generated Python does not parse:\n{result.stderr}")
    return GeneratedFile(file.path, result.stdout)


FORMATTERS = {".py": _format_python}


def format_files(files: Iterable[GeneratedFile]) -> list[GeneratedFile]:
    formatted = []
    for file in files:
        formatter = FORMATTERS.get(Path(file.path).suffix)
        formatted.append(formatter(file) if formatter else file)
    return sorted(formatted, key=lambda f: f.path)


def _owned_files(files: Sequence[GeneratedFile], out: Path) -> set[Path]:
    """Files on disk in folders that hold generated files (build output excluded)."""
    folders = {(out / f.path).parent for f in files if "/" in f.path}
    found = set()
    for folder in folders:
        if folder.is_dir():
            found |= {
                p
                for p in folder.iterdir()
                if p.is_file()
                and not IGNORED_PARTS.intersection(p.relative_to(out).parts)
                and not p.name.endswith(".egg-info")
            }
    return found


def _orphans(files: Sequence[GeneratedFile], out: Path) -> list[Path]:
    expected = {out / f.path for f in files}
    return sorted(_owned_files(files, out) - expected)


def stale(files: Sequence[GeneratedFile], out: Path) -> list[str]:
    """Paths (relative to ``out``'s parent) that differ from, are missing from or extra on disk."""
    result = []
    for file in files:
        target = out / file.path
        if not target.is_file() or target.read_bytes() != file.content.encode():
            result.append(str(target))
    result += [f"{p} (no longer generated)" for p in _orphans(files, out)]
    return result


def write(files: Sequence[GeneratedFile], out: Path) -> int:
    """Write what changed and delete orphans; returns how many files changed."""
    changed = 0
    for file in files:
        target = out / file.path
        data = file.content.encode()
        if target.is_file() and target.read_bytes() == data:
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        changed += 1
    for orphan in _orphans(files, out):
        orphan.unlink()
        changed += 1
    return changed
