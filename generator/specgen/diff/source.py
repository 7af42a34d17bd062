"""Bring the version to compare with onto disk: a folder or file as it is, or a git ref or tag
extracted into a temporary folder.

For a git ref the project folder (the one holding ``specgen.yaml``, or the folder given) is
taken at the same place in the repository at that ref; ``$ref``s cannot leave it, so nothing
else is needed. Failures are ``SourceError`` with a message that says what to do.
"""

from __future__ import annotations

import io
import os
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

GIT_TIMEOUT = 60


class SourceError(Exception):
    pass


@dataclass(frozen=True)
class Against:
    paths: list[Path]
    label: str
    shown_as: tuple[str, str] | None  # (temporary folder, repository path shown instead)


def _git(folder: Path, *args: str) -> bytes:
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args], capture_output=True, timeout=GIT_TIMEOUT, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise SourceError(f"git {' '.join(args)}: {exc}") from exc
    if done.returncode != 0:
        message = done.stderr.decode(errors="replace").strip().splitlines()
        raise SourceError(message[-1] if message else f"git {args[0]} failed")
    return done.stdout


def _project_folder(paths: list[Path]) -> Path:
    first = paths[0].resolve()
    return first if first.is_dir() else first.parent


def is_git_ref(folder: Path, ref: str) -> bool:
    try:
        _git(folder, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except SourceError:
        return False
    return True


@contextmanager
def materialize(against: str, new_paths: list[Path]) -> Iterator[Against]:
    """The old version on disk for as long as the context lasts."""
    given = Path(against)
    if given.exists():
        yield Against([given], against, None)
        return
    folder = _project_folder(new_paths)
    try:
        top = Path(_git(folder, "rev-parse", "--show-toplevel").decode().strip())
    except SourceError as exc:
        raise SourceError(
            f"{against!r} is not a folder or file, and {folder} is not in a git "
            f"repository to look it up as a ref ({exc})"
        ) from exc
    if not is_git_ref(top, against):
        raise SourceError(
            f"{against!r} is neither a path nor a git ref or tag; fetch it first "
            "(for example `git fetch origin main`) or give a folder"
        )
    relative = os.path.relpath(folder, top)
    archive = _git(top, "archive", "--format=tar", against, "--", relative)
    with tempfile.TemporaryDirectory(prefix="specgen-diff-") as temporary:
        _extract(archive, Path(temporary))
        old_folder = Path(temporary) / relative
        if not old_folder.is_dir():
            raise SourceError(f"{against} has no {relative}/: nothing to compare with")
        shown = os.path.relpath(folder) if folder.is_relative_to(Path.cwd()) else str(folder)
        paths = [_old_path(old_folder, folder, p) for p in new_paths]
        yield Against(paths, against, (str(old_folder.resolve()), shown))


def _old_path(old_folder: Path, folder: Path, path: Path) -> Path:
    """Where ``path`` was in the old version; the folder itself when the file did not exist
    yet (a project file added since: the old version is then read as plain documents)."""
    if path.resolve() == folder:
        return old_folder
    candidate = old_folder / path.resolve().relative_to(folder)
    return candidate if candidate.exists() else old_folder


def _extract(archive: bytes, target: Path) -> None:
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(target, filter="data")


def release_tags(new_paths: list[Path], pattern: str) -> list[str]:
    """Released tags matching ``pattern``, newest first (empty outside a git repository)."""
    try:
        listed = _git(_project_folder(new_paths), "tag", "--list", pattern, "--sort=-v:refname")
    except SourceError:
        return []
    return [line for line in listed.decode().splitlines() if line.strip()]
