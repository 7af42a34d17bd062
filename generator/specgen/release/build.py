"""``specgen release build``: every package of the release into ``dist/``, with a manifest.

The event packages are generated from the spec in memory (exactly what ``specgen generate``
writes) into a staging folder, where each ``build-info.json`` is stamped with the git commit
(``+dirty`` with uncommitted changes); ``generated/`` itself is never touched, so it stays
deterministic. A ``CHANGELOG.md`` next to the project file is copied into every event package
(the hook for changelog entries). Runtimes (``--runtimes DIR``: ``DIR/python``,
``DIR/typescript``, ``DIR/rust``) are built from copies of their folders.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Sequence
from pathlib import Path
from tempfile import TemporaryDirectory

from specgen import pipeline
from specgen.backends import GeneratedFile, buildinfo
from specgen.discover import Project, project_for
from specgen.release import artifacts
from specgen.release.manifest import Manifest, Package, ReleaseError
from specgen.release.registries import link_runtime

CHANGELOG = "CHANGELOG.md"
LANGUAGE_ORDER = ("python", "typescript", "rust")


def git_commit(folder: Path) -> tuple[str | None, bool]:
    """HEAD's commit and whether the work tree has changes; (None, False) outside git."""

    def git(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, check=False)  # fmt: skip

    head = git("rev-parse", "HEAD")
    if head.returncode != 0:
        return None, False
    return head.stdout.strip(), bool(git("status", "--porcelain").stdout.strip())


def _stamped(
    files: Sequence[GeneratedFile], commit: str | None, dirty: bool
) -> list[GeneratedFile]:
    return [
        GeneratedFile(f.path, buildinfo.stamp(f.content, commit, dirty=dirty))
        if f.path.rsplit("/", 1)[-1] == buildinfo.FILE_NAME
        else f
        for f in files
    ]


def _events(paths: Sequence[Path], stage: Path, commit: str | None, dirty: bool) -> tuple[str, str]:
    """Generate the event packages into ``stage``; (project name, spec version)."""
    result = pipeline.generate(paths, out=stage)
    if result.files is None or result.ir is None:
        raise ReleaseError("the spec has errors: run `specgen validate` and fix them first")
    pipeline.write_files(_stamped(result.files, commit, dirty), stage)
    return result.ir.project.name, result.ir.project.version


def _changelog(project: Project | None, stage: Path) -> None:
    """Hook: the project's CHANGELOG.md ships in every event package."""
    source = project.folder / CHANGELOG if project else None
    if source is None or not source.is_file():
        return
    for language in LANGUAGE_ORDER:
        package = stage / language
        if package.is_dir() and not (package / CHANGELOG).exists():  # generate may ship one
            shutil.copyfile(source, package / CHANGELOG)


def _link_rust_runtime(events: Path, runtime: Path) -> None:
    """Let ``cargo package`` see the runtime crate built beside the event crate."""
    link_runtime(events / "Cargo.toml", runtime.name)
    workspace = events.parent / "Cargo.toml"
    workspace.write_text(
        f'[workspace]\nresolver = "2"\nmembers = ["{events.name}", "{runtime.name}"]\n',
        encoding="utf-8",
    )


def build_release(paths: Sequence[Path], out: Path, *, runtimes: Path | None = None) -> Manifest:
    project = project_for(paths)
    folder = project.folder if project else Path.cwd()
    commit, dirty = git_commit(folder)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    packages: list[Package] = []
    with TemporaryDirectory(prefix="specgen-release-") as tmp:
        work = Path(tmp)
        stage = work / "events"
        name, spec_version = _events(paths or ([project.file] if project else []), stage,
                                     commit, dirty)  # fmt: skip
        _changelog(project, stage)
        staged_runtimes = work / "runtimes"
        for language in LANGUAGE_ORDER:
            builder = artifacts.BUILDERS[language]
            runtime = runtimes / language if runtimes else None
            staged = None
            if runtime is not None and (runtime / artifacts.MARKERS[language]).is_file():
                staged = artifacts.stage(runtime, staged_runtimes / f"runtime-{language}")
                packages.append(builder(staged, out, work, "runtime", None))
            events = stage / language
            if not (events / artifacts.MARKERS[language]).is_file():
                continue
            if language == "rust" and staged is not None:
                events = artifacts.stage(events, staged_runtimes / "events-rust")
                _link_rust_runtime(events, staged)
            packages.append(builder(events, out, work, "events", spec_version))
    manifest = Manifest(name, commit, dirty, tuple(packages))
    manifest.write(out)
    return manifest
