"""The keyword checks that ``instances.Instances`` compiles a schema into.

Each builder returns a :data:`Check`: a function of one JSON value that returns None when the
keyword accepts it, else the first :class:`Issue` (its ``path`` leads from the value to the
refused part). Number, string, array and object keywords see only values of their kind
(``only``), as draft 7 says; the meaning of each is the generated validators'
(:mod:`specgen.schema.instances`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from specgen.schema import formats, regex
from specgen.schema.vocabulary import canonical

MAX_SHOWN = 60


@dataclass(frozen=True)
class Issue:
    """Why a value is refused: ``path`` leads from the checked value to the refused part."""

    path: tuple[str | int, ...]
    message: str

    def within(self, step: str | int) -> Issue:
        return Issue((step, *self.path), self.message)


Check = Callable[[Any], Issue | None]


def shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: is_number(v) and (isinstance(v, int) or float(v).is_integer()),
    "number": is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def multiple(value: int | float, divisor: int | float) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return (Fraction(repr(value)) / Fraction(repr(divisor))).denominator == 1


def accept(value: Any) -> Issue | None:
    return None


def reject(value: Any) -> Issue | None:
    return Issue((), "no value is allowed here (the schema is false)")


def first(steps: Sequence[Check]) -> Check:
    if not steps:
        return accept
    if len(steps) == 1:
        return steps[0]

    def run(value: Any) -> Issue | None:
        for step in steps:
            issue = step(value)
            if issue is not None:
                return issue
        return None

    return run


def only(kind: Callable[[Any], bool], steps: list[Check]) -> list[Check]:
    """``steps`` applied only to values of one kind (draft 7: a number keyword ignores text)."""
    if not steps:
        return []
    inner = first(steps)
    return [lambda value: inner(value) if kind(value) else None]


def type_step(types: Sequence[str]) -> Check:
    tests, names = [TYPES[t] for t in types], ", ".join(repr(t) for t in types)

    def run(value: Any) -> Issue | None:
        if any(test(value) for test in tests):
            return None
        return Issue((), f"{shown(value)} is not of type {names}")

    return run


def literal_step(values: Sequence[Any], what: str) -> Check:
    allowed = frozenset(canonical(v) for v in values)
    return lambda v: None if canonical(v) in allowed else Issue((), f"{shown(v)} is not {what}")


def bound_step(bound: float, holds: Callable[[Any, Any], bool], what: str) -> Check:
    return lambda v: None if holds(v, bound) else Issue((), f"{shown(v)} is {what} {bound}")


def dependency_step(name: str, need: Check) -> Check:
    return lambda v: need(v) if name in v else None


def pattern_step(source: str) -> Check:
    def run(value: str) -> Issue | None:
        if regex.matches(source, value):
            return None
        return Issue((), f"{shown(value)} does not match {source!r}")

    return run


def format_test(name: str) -> Callable[[str], bool] | None:
    if name in formats.PATTERNS:
        source = formats.PATTERNS[name]
        return lambda v: regex.matches(source, v)
    return formats.CHECKS.get(name)


def each_step(item: Check) -> Check:
    def run(value: list[Any]) -> Issue | None:
        for index, element in enumerate(value):
            issue = item(element)
            if issue is not None:
                return issue.within(index)
        return None

    return run


def tuple_step(positions: list[Check], rest: Check | None) -> Check:
    def run(value: list[Any]) -> Issue | None:
        for index, element in enumerate(value):
            check = positions[index] if index < len(positions) else rest
            issue = check(element) if check is not None else None
            if issue is not None:
                return issue.within(index)
        return None

    return run


def required_step(names: Sequence[str], why: str) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for name in names:
            if name not in value:
                return Issue((), f"{name!r} {why}")
        return None

    return run


def members_step(
    properties: dict[str, Check], patterns: list[tuple[str, Check]], additional: Check | None
) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for key, member in value.items():
            declared = properties.get(key)
            checks = [declared] if declared is not None else []
            checks += [check for source, check in patterns if regex.matches(source, key)]
            if not checks and additional is not None:
                if additional is reject:
                    return Issue((), f"additional property {key!r} is not allowed")
                checks = [additional]
            for check in checks:
                issue = check(member)
                if issue is not None:
                    return issue.within(key)
        return None

    return run


def names_step(names: Check) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for key in value:
            issue = names(key)
            if issue is not None:
                return Issue((), f"property name {key!r}: {issue.message}")
        return None

    return run


def count_step(parts: list[Check], keyword: str, exactly_one: bool) -> Check:
    def run(value: Any) -> Issue | None:
        matched = sum(1 for part in parts if part(value) is None)
        if matched == 1 or (matched > 1 and not exactly_one):
            return None
        if matched == 0:
            return Issue((), f"it matches none of the {len(parts)} {keyword} variants")
        return Issue((), f"it matches {matched} of the {keyword} variants, not exactly one")

    return run


def if_then_else(
    value: Any, condition: Check, then: Check | None, other: Check | None
) -> Issue | None:
    branch = then if condition(value) is None else other
    return branch(value) if branch is not None else None
