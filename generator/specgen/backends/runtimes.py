"""The runtime packages generated code depends on: one version shared by all three languages.

``runtimes/python`` (PyPI ``specgen-runtime``), ``runtimes/typescript`` (npm
``@specgen/runtime``) and ``runtimes/rust`` (crate ``specgen-runtime``) are released together
under ``RUNTIME_VERSION``. Generated packages depend on them with a compatible range: any
release with the same minor version (0.x versions break at the minor, per SemVer practice).
"""

from __future__ import annotations

RUNTIME_VERSION = "0.2.0"
_MAJOR, _MINOR, _PATCH = (int(part) for part in RUNTIME_VERSION.split("."))

PYTHON_DISTRIBUTION = "specgen-runtime"
NPM_PACKAGE = "@specgen/runtime"
CRATE = "specgen-runtime"


def python_requirement() -> str:
    """``specgen-runtime>=0.2,<0.3``."""
    return f"{PYTHON_DISTRIBUTION}>={_MAJOR}.{_MINOR},<{_MAJOR}.{_MINOR + 1}"


def npm_range() -> str:
    """``^0.2.0`` (for 0.x, npm's caret already stops below the next minor)."""
    return f"^{RUNTIME_VERSION}"


def cargo_requirement() -> str:
    """``0.2`` (Cargo's default caret requirement: >=0.2.0, <0.3.0)."""
    return f"{_MAJOR}.{_MINOR}"
