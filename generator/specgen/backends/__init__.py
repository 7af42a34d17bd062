"""Backends: one per language, each a pure function ``generate(ir) -> list[GeneratedFile]``."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from specgen.ir import SpecIR


@dataclass(frozen=True)
class GeneratedFile:
    """A file to write, relative to the output folder (e.g. ``python/src/pkg/models.py``)."""

    path: str
    content: str


Backend = Callable[[SpecIR], list[GeneratedFile]]


def _python(ir: SpecIR) -> list[GeneratedFile]:
    from specgen.backends.python import generate

    return generate(ir)


def _typescript(ir: SpecIR) -> list[GeneratedFile]:
    from specgen.backends.typescript import generate

    return generate(ir)


def _rust(ir: SpecIR) -> list[GeneratedFile]:
    from specgen.backends.rust import generate

    return generate(ir)


BACKENDS: dict[str, Backend] = {"python": _python, "typescript": _typescript, "rust": _rust}
