"""Backends: one per language, each a pure function ``generate(ir) -> list[GeneratedFile]``.

A backend module is imported only when its language is generated, so one language's
dependencies never slow down or break another's.
"""

from __future__ import annotations

import importlib
import importlib.util
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


def _lazy(module: str) -> Backend:
    def generate(ir: SpecIR) -> list[GeneratedFile]:
        backend = importlib.import_module(module)
        return cast(list[GeneratedFile], backend.generate(ir))

    return generate


_MODULES = {
    "python": "specgen.backends.python",
    "typescript": "specgen.backends.typescript",
    "rust": "specgen.backends.rust",
}

BACKENDS: dict[str, Backend] = {
    language: _lazy(module)
    for language, module in _MODULES.items()
    if importlib.util.find_spec(module) is not None
}
