"""Backends: one per language, each a pure function ``generate(ir) -> list[GeneratedFile]``.

A backend module is imported only when its language is generated, so one language's
dependencies never slow down or break another's.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from specgen.ir import SpecIR


@dataclass(frozen=True)
class GeneratedFile:
    """A file to write, relative to the output folder (e.g. ``python/src/pkg/models.py``)."""

    path: str
    content: str


Backend = Callable[[SpecIR], list[GeneratedFile]]


class BackendRefusal(ValueError):
    """A backend cannot express part of the spec in its language (its capability table says no).

    The pipeline turns it into an SG-BACKEND error diagnostic instead of a traceback.
    """


class BackendMissing(RuntimeError):
    """A backend module of this specgen installation cannot be imported: a packaging error.

    Every language is always offered; an installation that lacks one fails loudly with this
    error instead of quietly offering a smaller menu.
    """


def _lazy(language: str, module: str) -> Backend:
    def generate(ir: SpecIR) -> list[GeneratedFile]:
        try:
            backend = importlib.import_module(module)
        except ImportError as exc:
            raise BackendMissing(
                f"this specgen installation is broken: the {language} backend ({module}) "
                f"cannot be imported ({exc}); reinstall specgen "
                "(pip install --force-reinstall specgen)"
            ) from exc
        return cast(list[GeneratedFile], backend.generate(ir))

    return generate


_MODULES = {
    "python": "specgen.backends.python",
    "typescript": "specgen.backends.typescript",
    "rust": "specgen.backends.rust",
}

BACKENDS: dict[str, Backend] = {
    language: _lazy(language, module) for language, module in _MODULES.items()
}
