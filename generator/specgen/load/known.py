"""Well-known schemas a ``$ref`` may name without anything being fetched.

The JSON Schema draft-07 meta-schema (``http://json-schema.org/draft-07/schema``) is read from
the copy that python-jsonschema installs with specgen (the ``jsonschema-specifications``
distribution), as validators conventionally ship it: a schema that says "a JSON Schema" by
referring to it means exactly that. Every other remote URL is refused unless it is pinned
and vendored (``remote``).
"""

from __future__ import annotations

from functools import cache, lru_cache
from importlib.util import find_spec
from pathlib import Path

_SCHEMAS = {"http://json-schema.org/draft-07/schema": ("draft7", "metaschema.json")}


@cache
def _installed(folder: str, name: str) -> Path | None:
    # found, not imported: importing jsonschema_specifications imports `referencing` (~50 ms
    # of every validate run, which needs one file of it)
    package = find_spec("jsonschema_specifications")
    for where in (package.submodule_search_locations or []) if package else []:
        path = Path(where) / "schemas" / folder / name
        if path.is_file():
            return path
    return None


def known_path(url: str) -> Path | None:
    """The installed copy of the well-known schema at ``url`` (without fragment), if any."""
    where = _SCHEMAS.get(url.removesuffix("#"))
    return _installed(*where) if where is not None else None


def resolved(path: Path) -> Path:
    """``path.resolve()``, remembered for absolute paths: a load asks for the same few files
    thousands of times (files do not move while specgen runs; a relative path depends on the
    working directory, so it is resolved anew)."""
    return _resolved(path) if path.is_absolute() else path.resolve()


@lru_cache(maxsize=16384)
def _resolved(path: Path) -> Path:
    return path.resolve()


@cache
def _installed_urls() -> dict[Path, str]:
    out: dict[Path, str] = {}
    for url, where in _SCHEMAS.items():
        installed = _installed(*where)
        if installed is not None:
            out.setdefault(installed.resolve(), url)
    return out


def known_url(path: Path) -> str | None:
    """The URL of the well-known schema whose installed copy is ``path``."""
    return _installed_urls().get(resolved(path))
