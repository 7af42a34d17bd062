"""Typed model of AsyncAPI 3.0/3.1 documents and the structural check built on it."""

from __future__ import annotations

from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec


def check_structure(spec: LoadedSpec) -> list[Diagnostic]:
    """Structural diagnostics for every document of ``spec`` (placeholder until the model lands)."""
    return []
