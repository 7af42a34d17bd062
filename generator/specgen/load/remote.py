"""Remote ``$ref``s, pinned by content and vendored: never fetched by validate or generate.

A project pins each remote document it references, with its SHA-256::

    refs:
      vendor: vendor                      # inside the project folder (the default)
      pinned:
        - url: https://schemas.example.org/money/1.0.json
          sha256: 3b1f0c...

``specgen refs vendor`` downloads every pinned URL once into ``<vendor>/<host>/<path>``
(``specgen.refs``). From then on a ``$ref`` to a pinned URL reads the vendored copy, whose
digest is checked every time it is read; relative references inside a vendored document
resolve to the vendored copies of their URLs, which must be pinned too. A ``$ref`` to any
other remote URL is refused.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.known import resolved

PIN_HINT = (
    "pin it in specgen.yaml (refs.pinned: [{url: ..., sha256: ...}]) and run "
    "`specgen refs vendor` once; validate never fetches"
)


@dataclass(frozen=True)
class Pin:
    url: str
    sha256: str
    path: Path
    """Where the vendored copy lives."""
    where: Location
    """Where the pin is written in the project file."""


def local_path(folder: Path, url: str) -> Path | None:
    """``<folder>/<host>[_<port>]/<path...>`` for an http(s) URL, or None if it has none.

    A URL with a query, an empty or dot segment, or no file name has no vendored place.
    """
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query:
        return None
    segments = [unquote(s) for s in parts.path.split("/")[1:]]
    if not segments or any(s in ("", ".", "..") or "/" in s or "\\" in s for s in segments):
        return None
    host = parts.hostname + (f"_{parts.port}" if parts.port else "")
    return folder.joinpath(host, *segments)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def pins_of(
    project_folder: Path, vendor: str, pinned: list[tuple[str, str, Location]]
) -> tuple[Vendored, list[Diagnostic]]:
    """The project's vendored documents: ``(url, sha256, where the pin is)`` each."""
    folder = project_folder / vendor
    pins, problems = [], []
    for url, sha256, where in pinned:
        path = local_path(folder, url)
        if path is None:
            problems.append(
                error(
                    "SG-PROJECT",
                    f"refs.pinned url {url!r} cannot be vendored: it needs an http(s) host and "
                    "a file path, without a query or '.'/'..' segments",
                    where,
                    "pin the URL of the document itself, e.g. https://host/schemas/money.json",
                )
            )
            continue
        pins.append(Pin(url, sha256, path, where))
    return Vendored(folder, pins), problems


class Vendored:
    """The pinned remote documents of a project and their vendored copies."""

    def __init__(self, folder: Path, pins: list[Pin]) -> None:
        self.folder = folder.resolve()
        self.by_url = {pin.url: pin for pin in pins}
        self.by_path = {pin.path.resolve(): pin for pin in pins}

    def local(self, url: str) -> Path | None:
        """The vendored copy of ``url`` if it is pinned."""
        pin = self.by_url.get(url)
        return pin.path if pin is not None else None

    def url_of(self, path: Path) -> str | None:
        """The pinned URL whose vendored copy is ``path``."""
        pin = self.by_path.get(resolved(path))
        return pin.url if pin is not None else None

    def holds(self, path: Path) -> bool:
        return resolved(path).is_relative_to(self.folder)

    def check(self, path: Path, data: bytes) -> Diagnostic | None:
        """Why the vendored file at ``path`` with content ``data`` may not be read."""
        pin = self.by_path.get(resolved(path))
        shown = Location(str(path), 1, 1, "")
        if pin is None:
            return error(
                "SG-REF-REMOTE",
                f"{path} is in the vendored folder but no pinned URL names it",
                shown,
                PIN_HINT,
            )
        found = digest(data)
        if found != pin.sha256:
            return error(
                "SG-REF-HASH",
                f"the vendored copy of {pin.url} has SHA-256 {found}, but the project pins "
                f"{pin.sha256}",
                pin.where,
                "restore the file with `specgen refs vendor`, or pin the new digest if you "
                "trust the new content",
            )
        return None
