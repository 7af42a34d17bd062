"""Semantic rules on top of the structure: each has a stable id and returns diagnostics."""

from __future__ import annotations

from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec

RULESETS = ("specgen", "asyncapi")


def run_rules(spec: LoadedSpec, ruleset: str = "specgen") -> list[Diagnostic]:
    """Diagnostics of every rule in ``ruleset`` (placeholder until the rules land)."""
    return []
