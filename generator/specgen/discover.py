"""Find the project a command works on, the way buf and sqlc find their configuration.

The project file ``specgen.yaml`` is looked for in the starting folder and then in each parent:

- with no paths on the command line the start is the current folder, and at each folder both
  ``specgen.yaml`` and ``spec/specgen.yaml`` count (so every command works from anywhere in a
  spec repository, whose project file conventionally sits in ``spec/``);
- with paths, the start is the first path (its folder, for a file), and only ``specgen.yaml``
  counts, so a plain folder of documents never borrows the output of a project around it.

Paths inside the project file are relative to the project file, never to the current folder:
``documents`` (read by the loader) and ``output`` (read here; default ``generated``), where
``specgen generate`` writes and what ``--check`` compares against.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from specgen.load import PROJECT_FILE
from specgen.load.source import read_source
from specgen.model.project import read_project

DEFAULT_OUTPUT = "generated"
CONVENTIONAL_FOLDER = "spec"

__all__ = ["DEFAULT_OUTPUT", "Project", "find_project", "project_for"]


@dataclass(frozen=True)
class Project:
    """A discovered project: its file, and the output folder the file names (absolute)."""

    file: Path
    output: Path

    @property
    def folder(self) -> Path:
        return self.file.parent


def _candidates(folder: Path, conventional: bool) -> list[Path]:
    names = [folder / PROJECT_FILE]
    if conventional:
        names.append(folder / CONVENTIONAL_FOLDER / PROJECT_FILE)
    return names


def find_project(start: Path, *, conventional: bool = False) -> Project | None:
    """The project whose file is in ``start`` or the nearest parent (see the module doc)."""
    start = start.resolve()
    if start.is_file() and start.name == PROJECT_FILE:
        return _read(start)
    folder = start if start.is_dir() else start.parent
    for candidate_folder in (folder, *folder.parents):
        for candidate in _candidates(candidate_folder, conventional):
            if candidate.is_file():
                return _read(candidate)
    return None


def project_for(paths: Sequence[Path]) -> Project | None:
    """The project of a command's paths, or of the current folder when none are given."""
    if paths:
        return find_project(paths[0])
    return find_project(Path.cwd(), conventional=True)


def _read(file: Path) -> Project:
    """Read ``output``; a broken project file keeps the default (the loader reports it)."""
    source, _ = read_source(file, str(file))
    settings = read_project(source)[0] if source is not None else None
    relative = settings.output if settings is not None else DEFAULT_OUTPUT
    return Project(file=file, output=(file.parent / relative).resolve())
