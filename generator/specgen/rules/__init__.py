"""Semantic rules on top of the structure: each has a stable id and returns diagnostics.

``RULES`` lists every rule (id, rulesets, one-line summary); ``run_rules(spec, ruleset)`` runs
those of one ruleset:

- ``asyncapi``: rules that hold for any AsyncAPI 3 document (operations point into their
  document, channel parameters, unique names per document, examples match their schemas,
  NATS subject validity for channels served over ``nats``);
- ``specgen``: all of those, project-wide, plus the conventions of our event spec (domains,
  CloudEvents attributes, subjects that carry the site, explicit JetStream streams).

Modules, one concern each: ``context`` (the shared, shape-tolerant view of the documents),
``nats_subjects`` (subject tokens and matching), ``parameters``, ``subjects``, ``delivery``,
``streams``, ``cloudevents``, ``names``, ``operations``, ``examples`` (with
``schema_errors``, which explains a failed validation in one message).
"""

from __future__ import annotations

from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec
from specgen.rules import (
    cloudevents,
    delivery,
    examples,
    names,
    operations,
    parameters,
    streams,
    subjects,
)
from specgen.rules.context import Context
from specgen.rules.registry import RULESETS, Rule

RULES: tuple[Rule, ...] = (
    *operations.RULES,
    *parameters.RULES,
    *subjects.RULES,
    *delivery.RULES,
    *streams.RULES,
    *cloudevents.RULES,
    *names.RULES,
    *examples.RULES,
)

__all__ = ["RULES", "RULESETS", "Rule", "run_rules"]


def run_rules(spec: LoadedSpec, ruleset: str = "specgen") -> list[Diagnostic]:
    """Diagnostics of every rule in ``ruleset``, in rule order."""
    if ruleset not in RULESETS:
        raise ValueError(f"unknown ruleset {ruleset!r}; choose one of {', '.join(RULESETS)}")
    ctx = Context.build(spec, ruleset)
    diagnostics: list[Diagnostic] = []
    for rule in RULES:
        if rule.applies_to(ruleset):
            diagnostics.extend(rule.check(ctx))
    return diagnostics
