"""Semantic rules over the typed model: each has a stable id and returns diagnostics.

``RULES`` lists every rule (id, category, one-line summary); ``run_rules(model, ruleset)``
runs those of one ruleset. Categories nest (``registry``): ``asyncapi`` (what the AsyncAPI 3
specification requires), ``generator`` (+ what ``specgen generate`` needs of any document),
``specgen`` (+ the conventions of our event spec: domains, CloudEvents, streams, sites).

Some findings come from reading the typed model rather than from a check: a wrong value of
one of our extensions (``x-stream``, ``x-cloudevents``, ...) is reported while it is read,
under its rule's id, and shown when that rule is in the ruleset.

Modules, one concern each: ``context`` (the rules' view of the typed model), ``operations``,
``parameters``, ``examples`` (with ``schema_errors``), ``bindings``, ``subjects``, ``names``,
``schema_formats``, ``schemas`` (the typed JSON Schema model's findings), ``delivery``,
``streams``, ``cloudevents``, ``mqtt``, ``project``.
"""

from __future__ import annotations

import json

from specgen.diagnostics import Diagnostic
from specgen.load import LoadedSpec
from specgen.model.spec import SpecModel, read_spec
from specgen.rules import (
    cloudevents,
    delivery,
    examples,
    mqtt,
    names,
    operations,
    parameters,
    project,
    schema_formats,
    schemas,
    streams,
    subjects,
)
from specgen.rules.context import Context
from specgen.rules.registry import RULESETS, Rule

RULES: tuple[Rule, ...] = (
    *operations.RULES,
    *parameters.RULES,
    *examples.RULES,
    *subjects.RULES,
    *names.RULES,
    *schema_formats.RULES,
    *schemas.RULES,
    *delivery.RULES,
    *streams.RULES,
    *cloudevents.RULES,
    *mqtt.RULES,
    *project.RULES,
)

__all__ = ["RULES", "RULESETS", "Rule", "describe_rules", "run_rules"]


def run_rules(spec: SpecModel | LoadedSpec, ruleset: str = "specgen") -> list[Diagnostic]:
    """Diagnostics of every rule in ``ruleset``, in rule order (structure not included)."""
    if ruleset not in RULESETS:
        raise ValueError(f"unknown ruleset {ruleset!r}; choose one of {', '.join(RULESETS)}")
    model = spec if isinstance(spec, SpecModel) else read_spec(spec)
    ctx = Context.build(model, ruleset)
    chosen = [rule for rule in RULES if rule.applies_to(ruleset)]
    ids = {rule.id for rule in chosen}
    diagnostics = [d for d in model.extension_diagnostics if d.rule in ids]
    for rule in chosen:
        diagnostics.extend(rule.check(ctx))
    return diagnostics


def describe_rules(fmt: str = "text") -> str:
    """Every rule as ``specgen rules`` prints it: a table, or JSON."""
    if fmt == "json":
        rows = [{"id": r.id, "category": r.category, "summary": r.summary} for r in RULES]
        return json.dumps(rows, indent=2)
    width = max(len(r.id) for r in RULES)
    lines = [f"{'rule':{width}}  {'category':9}  checks", "-" * (width + 60)]
    lines += [f"{r.id:{width}}  {r.category:9}  {r.summary}" for r in RULES]
    lines.append("rulesets nest: " + " < ".join(RULESETS) + " (each holds the ones before it)")
    return "\n".join(lines)
