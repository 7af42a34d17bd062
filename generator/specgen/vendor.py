"""``specgen refs vendor``: download every pinned remote document once, check its digest,
keep it in the project's vendored folder (``load.remote`` reads it from there).

The only command of specgen that reaches the network, and only for the URLs the project file
pins. A copy already in place with the pinned digest is not downloaded again (``--refresh``
downloads every one). A download whose digest differs from the pin is not written: the
command names both digests and exits 1.
"""

from __future__ import annotations

import os
import tempfile
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.load.remote import Pin, Vendored, digest, pins_of
from specgen.load.source import MAX_FILE_BYTES, read_source
from specgen.model.project import read_project

TIMEOUT_SECONDS = 30.0


@dataclass
class Outcome:
    fetched: int = 0
    unchanged: int = 0
    diagnostics: list[Diagnostic] = field(default_factory=list)


def _download(url: str, timeout: float) -> bytes:
    request = urllib.request.Request(url, headers={"User-Agent": "specgen-refs-vendor"})
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - pinned URL
        data: bytes = response.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise ValueError(f"larger than {MAX_FILE_BYTES} bytes")
    return data


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".vendor-")
    with os.fdopen(handle, "wb") as file:
        file.write(data)
    os.replace(temporary, path)


def _vendor_one(pin: Pin, refresh: bool, timeout: float) -> Diagnostic | bool:
    """True if downloaded, False if the copy in place was right, or why it failed."""
    if not refresh and pin.path.is_file() and digest(pin.path.read_bytes()) == pin.sha256:
        return False
    try:
        data = _download(pin.url, timeout)
    except (OSError, ValueError, urllib.error.URLError) as exc:
        return error("SG-REFS-FETCH", f"cannot download {pin.url}: {exc}", pin.where)
    found = digest(data)
    if found != pin.sha256:
        return error(
            "SG-REF-HASH",
            f"{pin.url} has SHA-256 {found}, but the project pins {pin.sha256}; nothing written",
            pin.where,
            "if you trust the new content, pin the new digest; else find out why it changed",
        )
    _write(pin.path, data)
    return True


def vendored_of(project_file: Path) -> tuple[Vendored | None, list[Diagnostic]]:
    """The pins of the project file (read typed), or the reasons it cannot be read."""
    source, diagnostics = read_source(project_file, str(project_file))
    if source is None:
        return None, diagnostics
    project, problems = read_project(source)
    if project is None:
        return None, problems
    pinned = [
        (pin.url, pin.sha256, source.value_location(f"/refs/pinned/{i}/url"))
        for i, pin in enumerate(project.refs.pinned)
    ]
    vendored, invalid = pins_of(project_file.parent, project.refs.vendor, pinned)
    return vendored, problems + invalid


def vendor(
    project_file: Path, *, refresh: bool = False, timeout: float = TIMEOUT_SECONDS
) -> Outcome:
    """Download what is missing or changed; the outcome names every failure."""
    vendored, diagnostics = vendored_of(project_file)
    outcome = Outcome(diagnostics=list(diagnostics))
    if vendored is None:
        return outcome
    for pin in vendored.by_url.values():
        done = _vendor_one(pin, refresh, timeout)
        if isinstance(done, Diagnostic):
            outcome.diagnostics.append(done)
        elif done:
            outcome.fetched += 1
        else:
            outcome.unchanged += 1
    known = {path for path in vendored.by_path}
    if vendored.folder.is_dir():
        for path in sorted(vendored.folder.rglob("*")):
            if path.is_file() and path.resolve() not in known:
                outcome.diagnostics.append(
                    warning(
                        "SG-REFS-UNPINNED",
                        f"{path} is in the vendored folder but no pin names it",
                        Location(str(path), 1, 1, ""),
                        "remove it, or pin its URL in refs.pinned",
                    )
                )
    return outcome
