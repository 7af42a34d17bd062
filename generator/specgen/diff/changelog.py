"""The changelog: one entry per version, written from the diff, copied into every package.

``CHANGELOG.md`` sits beside the project file. ``specgen changelog --against REF`` writes (or
rewrites) the entry of the project's current version from the diff against REF: breaking
changes with the reasons that accepted them, other changes, additions. The file has no dates
or machine paths, so ``specgen generate`` copies it into each generated package (``python/``,
``typescript/``, ``rust/``) deterministically, and the release workflow publishes the entry of
the version it releases as its notes (``release_notes``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from specgen.backends import GeneratedFile

if TYPE_CHECKING:  # `specgen generate` needs only package_files; the diff loads on demand
    from specgen.diff.run import Report

FILE = "CHANGELOG.md"
HEADER = "# Changelog\n\nEvery release of the event packages, written by `specgen changelog`.\n"
_ENTRY = re.compile(r"^## (\S+)", re.MULTILINE)


def entry(report: Report) -> str:
    from specgen.diff.render import render_markdown_report

    against = report.against
    heading = f"{report.new_version}"
    text = render_markdown_report(report, heading)
    first, rest = text.split("\n", 1)
    since = (
        f"Compared with {report.old_version} ({against})."
        if report.old_version
        else (f"Compared with {against}, which had no project file.")
    )
    return f"{first}\n\n{since}\n{rest}".rstrip() + "\n"


def _entries(text: str) -> list[tuple[str, str]]:
    marks = list(_ENTRY.finditer(text))
    found = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        found.append((mark.group(1), text[mark.start() : end].rstrip() + "\n"))
    return found


def updated(existing: str, version: str, new_entry: str) -> str:
    """The changelog with the entry of ``version`` replaced, or added on top."""
    entries = [(v, body) for v, body in _entries(existing) if v != version]
    body = "\n".join([new_entry, *(b for _, b in entries)])
    return f"{HEADER}\n{body}"


def write(project_folder: Path, report: Report) -> Path:
    path = project_folder / FILE
    existing = path.read_text(encoding="utf-8") if path.is_file() else ""
    path.write_text(updated(existing, report.new_version, entry(report)), encoding="utf-8")
    return path


def release_notes(project_folder: Path, version: str) -> str | None:
    """The entry of ``version`` (what the release workflow publishes), if there is one."""
    path = project_folder / FILE
    if not path.is_file():
        return None
    for found, body in _entries(path.read_text(encoding="utf-8")):
        if found == version:
            return body
    return None


def package_files(project_file: Path | None, languages: list[str]) -> list[GeneratedFile]:
    """The project's changelog as a file of every generated package (none without one)."""
    if project_file is None or not (project_file.parent / FILE).is_file():
        return []
    text = (project_file.parent / FILE).read_text(encoding="utf-8")
    return [GeneratedFile(f"{language}/{FILE}", text) for language in languages]
