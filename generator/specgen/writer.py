"""The one writer: format generated files in memory, write them, or check them against disk.

Python is formatted by the pinned ruff (a dependency of specgen itself, so it is wherever
specgen is) with explicit options and no project configuration. TypeScript and Rust come out
of their backends already in the layout of prettier and rustfmt (the tests confirm it), so
no Node or Rust toolchain is asked: output is byte-for-byte the same on every machine.
"""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
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


class UnsafePath(ValueError):
    """A generated file would land outside the output folder: nothing is written."""


def _unsafe(path: str) -> str | None:
    """Why ``path`` (relative to the output folder) may not be written, or None."""
    if not path or "\x00" in path or "\\" in path:
        return "it is empty, or holds a NUL or a backslash"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "it is absolute"
    if any(part in ("", ".", "..") for part in path.split("/")):
        return "it has an empty, '.' or '..' segment"
    return None


def unsafe_paths(files: Iterable[GeneratedFile], out: Path) -> list[str]:
    """``path: reason`` for every file that would leave ``out`` (through '..', an absolute
    path, or a symlink inside ``out`` that points elsewhere)."""
    root = out.resolve()
    found = []
    for file in files:
        reason = _unsafe(file.path)
        if reason is None and not (out / file.path).resolve().is_relative_to(root):
            reason = "it resolves outside the output folder (a symlink?)"
        if reason is not None:
            found.append(f"{file.path!r}: {reason}")
    return found


def _refuse_unsafe(files: Sequence[GeneratedFile], out: Path) -> None:
    problems = unsafe_paths(files, out)
    if problems:
        raise UnsafePath(
            f"refusing to write outside {out}: " + "; ".join(problems) + " (nothing written)"
        )


def ir_file(ir: SpecIR, name: str) -> GeneratedFile:
    return GeneratedFile(name, dump_ir(ir))


def _ruff() -> str:
    from ruff.__main__ import find_ruff_bin  # type: ignore[import-untyped]

    return str(find_ruff_bin())


def _format_in_place(
    files: list[GeneratedFile], command: list[str], language: str
) -> list[GeneratedFile]:
    """Format ``files`` with one run of ``command`` on copies in a temporary folder.

    One process for the whole set, instead of one per file: starting the formatter costs
    more than formatting a file (about 40 files for a 500-event spec).
    """
    with tempfile.TemporaryDirectory(prefix="specgen-format-") as tmp:
        root = Path(tmp)
        paths = []
        for file in files:
            path = root / file.path
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(file.content, encoding="utf-8")
            paths.append(str(path))
        try:
            result = subprocess.run(
                [*command, *paths], capture_output=True, text=True, check=False, cwd=root
            )
        except FileNotFoundError as exc:
            raise FormatError(f"{command[0]} is not installed") from exc
        if result.returncode != 0:
            detail = (result.stderr or result.stdout).replace(f"{root}/", "")
            raise FormatError(f"generated {language} does not parse:\n{detail}")
        return [
            GeneratedFile(file.path, (root / file.path).read_text(encoding="utf-8"))
            for file in files
        ]


def _format_python(files: list[GeneratedFile]) -> list[GeneratedFile]:
    command = [_ruff(), "format", "--isolated", "--line-length", "100",
               "--target-version", "py311"]  # fmt: skip
    return _format_in_place(files, command, "Python")


# One run of each formatter per generate, over every file with its suffix.
# TypeScript and Rust need none: their backends write prettier's and rustfmt's layout.
FORMATTERS: dict[str, Callable[[list[GeneratedFile]], list[GeneratedFile]]] = {
    ".py": _format_python,
}


def format_files(files: Iterable[GeneratedFile]) -> list[GeneratedFile]:
    formatted = []
    batches: dict[str, list[GeneratedFile]] = {}
    for file in files:
        suffix = Path(file.path).suffix
        if suffix in FORMATTERS:
            batches.setdefault(suffix, []).append(file)
        else:
            formatted.append(file)
    for suffix, batch in batches.items():
        formatted += FORMATTERS[suffix](batch)
    return sorted(formatted, key=lambda f: f.path)


def _owned_files(files: Sequence[GeneratedFile], out: Path) -> set[Path]:
    """Files on disk in and below folders that hold generated files (build output excluded).

    Below, too: a folder a newer version no longer generates (say ``src/runtime/``) is stale.
    The output folder itself owns only its own files, not other folders beside the packages.
    """
    folders = {(out / f.path).parent for f in files if "/" in f.path}
    root = out.resolve()
    found = set()
    for folder in folders:
        if folder.is_dir() and folder.resolve().is_relative_to(root):
            found |= {
                p
                for p in folder.rglob("*")
                if p.is_file() and _owned(p, out) and p.resolve().is_relative_to(root)
            }
    return found


def _owned(path: Path, out: Path) -> bool:
    parts = path.relative_to(out).parts
    return not IGNORED_PARTS.intersection(parts) and not any(
        part.endswith(".egg-info") for part in parts
    )


def _orphans(files: Sequence[GeneratedFile], out: Path) -> list[Path]:
    expected = {out / f.path for f in files}
    return sorted(_owned_files(files, out) - expected)


def stale(files: Sequence[GeneratedFile], out: Path) -> list[str]:
    """Paths (relative to ``out``'s parent) that differ from, are missing from or extra on disk."""
    _refuse_unsafe(files, out)
    result = []
    for file in files:
        target = out / file.path
        if not target.is_file() or target.read_bytes() != file.content.encode():
            result.append(str(target))
    result += [f"{p} (no longer generated)" for p in _orphans(files, out)]
    return result


def write(files: Sequence[GeneratedFile], out: Path) -> int:
    """Write what changed and delete orphans; returns how many files changed.

    Every path is checked first: one that would leave ``out`` stops the write before any
    file is touched (UnsafePath).
    """
    _refuse_unsafe(files, out)
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
        _remove_empty_folders(orphan.parent, out)
        changed += 1
    return changed


def _remove_empty_folders(folder: Path, out: Path) -> None:
    """Remove ``folder`` and its parents below ``out`` while they are empty."""
    while folder != out and out in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent
