"""Which JSON values a schema accepts, judged as the generated validators judge them.

``Instances(formats)`` compiles a typed schema (:mod:`specgen.schema.model`) into a check,
once per schema object: ``instances.check(schema)(value)`` is None when the schema accepts
``value``, else the first :class:`Issue` found (where in the value, and why). The meaning is
draft 7 with the choices every generated validator makes (docs/json-schema.md):

- ``pattern`` and ``patternProperties`` are ECMA-262 in the regex dialect, run by the engine the
  Python validators run (:func:`specgen.schema.regex.matches`);
- ``format``, when ``formats`` is set, checks exactly the formats of docs/formats.md, with the
  runtime's own definitions (:mod:`specgen.schema.formats`); any other format is an
  annotation, as it is in the generated code;
- ``multipleOf`` is exact for decimals: 0.0075 is a multiple of 0.0001;
- JSON's data model: ``true`` is no number, ``1.0`` is an integer, equality ignores key order.

:func:`usable` says whether a schema can be judged this way at all: every keyword was read
(none refused by the meta-schema, no unresolved ``$ref``), every pattern is inside the dialect,
and ``$id`` and ``$schema`` are URIs. Recursive schemas (cycles in the model) are compiled
once and lazily, so any depth of value is checked; a schema re-entered on the value it is
checking counts as satisfied (the greatest fixed point of docs/json-schema.md).
"""

from __future__ import annotations

import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from specgen.schema import formats, regex
from specgen.schema.model import Schema, SchemaNode, walk
from specgen.schema.vocabulary import canonical

__all__ = ["Check", "Instances", "Issue", "usable"]

MAX_SHOWN = 60


@dataclass(frozen=True)
class Issue:
    """Why a value is refused: ``path`` leads from the checked value to the refused part."""

    path: tuple[str | int, ...]
    message: str

    def within(self, step: str | int) -> Issue:
        return Issue((step, *self.path), self.message)


Check = Callable[[Any], Issue | None]


def usable(root: SchemaNode) -> bool:
    """Whether every schema under ``root`` can be judged by :class:`Instances`."""
    for schema in walk(root):
        if schema.refused or "$ref" in schema.unknown or not _uris_valid(schema):
            return False
        sources = [schema.pattern] if schema.pattern is not None else []
        if any(regex.outside_dialect(s) for s in [*sources, *schema.pattern_properties]):
            return False
    return True


def _uris_valid(schema: Schema) -> bool:
    """``$id`` and ``$schema`` as the meta-schema's formats want them (uri-reference, uri)."""
    written = [(schema.id, "uri-reference"), (schema.schema_uri, "uri")]
    return all(regex.matches(formats.PATTERNS[f], v) for v, f in written if v is not None)


def _reenters(schema: Schema) -> bool:
    """Whether ``schema`` applies other schemas to the very same value: only such a schema can
    be re-entered on one value (every cycle that consumes nothing passes through one)."""
    parts = (schema.all_of, schema.any_of, schema.one_of, schema.not_, schema.if_)
    return any(part is not None for part in parts) or bool(schema.dependencies)


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 3] + "..."


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "null": lambda v: v is None,
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: _is_number(v) and (isinstance(v, int) or float(v).is_integer()),
    "number": _is_number,
    "string": lambda v: isinstance(v, str),
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}


def _multiple(value: int | float, divisor: int | float) -> bool:
    if isinstance(value, float) and not math.isfinite(value):
        return False
    return (Fraction(repr(value)) / Fraction(repr(divisor))).denominator == 1


def _accept(value: Any) -> Issue | None:
    return None


def _reject(value: Any) -> Issue | None:
    return Issue((), "no value is allowed here (the schema is false)")


def _first(steps: Sequence[Check]) -> Check:
    if not steps:
        return _accept
    if len(steps) == 1:
        return steps[0]

    def run(value: Any) -> Issue | None:
        for step in steps:
            issue = step(value)
            if issue is not None:
                return issue
        return None

    return run


def _only(kind: Callable[[Any], bool], steps: list[Check]) -> list[Check]:
    """``steps`` applied only to values of one kind (draft 7: a number keyword ignores text)."""
    if not steps:
        return []
    inner = _first(steps)
    return [lambda value: inner(value) if kind(value) else None]


class Instances:
    """Compiled checks of one pass, one per schema object; ``formats``: assert ``format``."""

    def __init__(self, formats: bool) -> None:
        self._formats = formats
        self._checks: dict[int, Check] = {}
        self._keep: list[Schema] = []  # the compiled schemas, so that their ids stay theirs
        self._active: set[tuple[int, int]] = set()  # (schema, value) being checked right now

    def check(self, node: SchemaNode) -> Check:
        if isinstance(node, bool):
            return _accept if node else _reject
        found = self._checks.get(id(node))
        if found is not None:
            return found
        compiled: list[Check] = []  # filled below; a recursive use calls through it

        def forward(value: Any) -> Issue | None:
            return compiled[0](value)

        self._checks[id(node)] = forward
        self._keep.append(node)
        compiled.append(self._compile(node))
        if _reenters(node):
            compiled[0] = self._guarded(node, compiled[0])
        self._checks[id(node)] = compiled[0]
        return compiled[0]

    def _guarded(self, node: Schema, inner: Check) -> Check:
        """``inner``, satisfied by assumption when re-entered on the value it is checking: the
        greatest fixed point of docs/json-schema.md (a child that extends its parent while
        the parent lists the child), where a literal reading never ends."""
        active = self._active

        def run(value: Any) -> Issue | None:
            key = (id(node), id(value))
            if key in active:
                return None
            active.add(key)
            try:
                return inner(value)
            finally:
                active.discard(key)

        return run

    def _compile(self, s: Schema) -> Check:
        steps = [*self._any(s), *_only(_is_number, self._numbers(s))]
        steps += _only(lambda v: isinstance(v, str), self._strings(s))
        steps += _only(lambda v: isinstance(v, list), self._arrays(s))
        steps += _only(lambda v: isinstance(v, dict), self._objects(s))
        return _first(steps + self._applicators(s))

    # -- any instance ----------------------------------------------------------------------
    def _any(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        if s.types is not None:
            steps.append(_type_step(s.types))
        if s.enum is not None:
            steps.append(_literal_step(s.enum, "one of the enum values"))
        if s.const is not None:
            steps.append(_literal_step([s.const.value], _shown(s.const.value)))
        return steps

    # -- numbers ---------------------------------------------------------------------------
    def _numbers(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        bounds = (
            (s.minimum, operator.ge, "less than the minimum of"),
            (s.exclusive_minimum, operator.gt, "not more than the exclusive minimum"),
            (s.maximum, operator.le, "more than the maximum of"),
            (s.exclusive_maximum, operator.lt, "not less than the exclusive maximum"),
        )
        steps += [_bound_step(b, holds, what) for b, holds, what in bounds if b is not None]
        divisor = s.multiple_of
        if divisor is not None:
            steps.append(
                lambda v: (
                    None
                    if _multiple(v, divisor)
                    else Issue((), f"{_shown(v)} is not a multiple of {divisor}")
                )
            )
        return steps

    # -- strings ---------------------------------------------------------------------------
    def _strings(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        low, high = s.min_length, s.max_length
        if low is not None:
            steps.append(
                lambda v: None if len(v) >= low else Issue((), f"{_shown(v)} is too short")
            )
        if high is not None:
            steps.append(
                lambda v: None if len(v) <= high else Issue((), f"{_shown(v)} is too long")
            )
        if s.pattern is not None:
            steps.append(_pattern_step(s.pattern))
        test = _format_test(s.format) if self._formats and s.format is not None else None
        if test is not None:
            name = s.format
            steps.append(lambda v: None if test(v) else Issue((), f"{_shown(v)} is not a {name!r}"))
        return steps

    # -- arrays ----------------------------------------------------------------------------
    def _arrays(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        if isinstance(s.items, tuple):
            steps.append(
                _tuple_step([self.check(i) for i in s.items], self._maybe(s.additional_items))
            )
        elif s.items is not None:
            steps.append(_each_step(self.check(s.items)))
        low, high = s.min_items, s.max_items
        if low is not None:
            steps.append(lambda v: None if len(v) >= low else Issue((), "the array is too short"))
        if high is not None:
            steps.append(lambda v: None if len(v) <= high else Issue((), "the array is too long"))
        if s.unique_items:
            steps.append(
                lambda v: (
                    None
                    if len({canonical(item) for item in v}) == len(v)
                    else Issue((), "the array has non-unique items")
                )
            )
        if s.contains is not None:
            has = self.check(s.contains)
            steps.append(
                lambda v: (
                    None
                    if any(has(item) is None for item in v)
                    else Issue((), "no item matches the contains schema")
                )
            )
        return steps

    def _maybe(self, node: SchemaNode | None) -> Check | None:
        return None if node is None else self.check(node)

    # -- objects ---------------------------------------------------------------------------
    def _objects(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        required = s.required
        if required:
            steps.append(_required_step(required, "is a required property"))
        properties = {name: self.check(node) for name, node in s.properties.items()}
        patterns = [(p, self.check(node)) for p, node in s.pattern_properties.items()]
        additional = self._maybe(s.additional_properties)
        if properties or patterns or additional is not None:
            steps.append(_members_step(properties, patterns, additional))
        for name, dependency in s.dependencies.items():
            if isinstance(dependency, tuple):
                need = _required_step(dependency, f"is required where {name!r} is present")
            else:
                need = self.check(dependency)
            steps.append(_dependency_step(name, need))
        if s.property_names is not None:
            names = self.check(s.property_names)
            steps.append(_names_step(names))
        low, high = s.min_properties, s.max_properties
        if low is not None:
            steps.append(lambda v: None if len(v) >= low else Issue((), "too few properties"))
        if high is not None:
            steps.append(lambda v: None if len(v) <= high else Issue((), "too many properties"))
        return steps

    # -- applicators -----------------------------------------------------------------------
    def _applicators(self, s: Schema) -> list[Check]:
        steps = [self.check(part) for part in s.all_of or ()]
        if s.any_of is not None:
            steps.append(_count_step([self.check(p) for p in s.any_of], "anyOf", exactly_one=False))
        if s.one_of is not None:
            steps.append(_count_step([self.check(p) for p in s.one_of], "oneOf", exactly_one=True))
        if s.not_ is not None:
            negated = self.check(s.not_)
            steps.append(
                lambda v: (
                    Issue((), f"{_shown(v)} must not match the not schema")
                    if negated(v) is None
                    else None
                )
            )
        if s.if_ is not None and (s.then is not None or s.else_ is not None):
            condition, then, other = self.check(s.if_), self._maybe(s.then), self._maybe(s.else_)
            steps.append(lambda v: _if_then_else(v, condition, then, other))
        return steps


def _type_step(types: Sequence[str]) -> Check:
    tests, names = [_TYPES[t] for t in types], ", ".join(repr(t) for t in types)

    def run(value: Any) -> Issue | None:
        if any(test(value) for test in tests):
            return None
        return Issue((), f"{_shown(value)} is not of type {names}")

    return run


def _literal_step(values: Sequence[Any], what: str) -> Check:
    allowed = frozenset(canonical(v) for v in values)
    return lambda v: None if canonical(v) in allowed else Issue((), f"{_shown(v)} is not {what}")


def _bound_step(bound: float, holds: Callable[[Any, Any], bool], what: str) -> Check:
    return lambda v: None if holds(v, bound) else Issue((), f"{_shown(v)} is {what} {bound}")


def _dependency_step(name: str, need: Check) -> Check:
    return lambda v: need(v) if name in v else None


def _pattern_step(source: str) -> Check:
    def run(value: str) -> Issue | None:
        if regex.matches(source, value):
            return None
        return Issue((), f"{_shown(value)} does not match {source!r}")

    return run


def _format_test(name: str) -> Callable[[str], bool] | None:
    if name in formats.PATTERNS:
        source = formats.PATTERNS[name]
        return lambda v: regex.matches(source, v)
    return formats.CHECKS.get(name)


def _each_step(item: Check) -> Check:
    def run(value: list[Any]) -> Issue | None:
        for index, element in enumerate(value):
            issue = item(element)
            if issue is not None:
                return issue.within(index)
        return None

    return run


def _tuple_step(positions: list[Check], rest: Check | None) -> Check:
    def run(value: list[Any]) -> Issue | None:
        for index, element in enumerate(value):
            check = positions[index] if index < len(positions) else rest
            issue = check(element) if check is not None else None
            if issue is not None:
                return issue.within(index)
        return None

    return run


def _required_step(names: Sequence[str], why: str) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for name in names:
            if name not in value:
                return Issue((), f"{name!r} {why}")
        return None

    return run


def _members_step(
    properties: dict[str, Check], patterns: list[tuple[str, Check]], additional: Check | None
) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for key, member in value.items():
            declared = properties.get(key)
            checks = [declared] if declared is not None else []
            checks += [check for source, check in patterns if regex.matches(source, key)]
            if not checks and additional is not None:
                if additional is _reject:
                    return Issue((), f"additional property {key!r} is not allowed")
                checks = [additional]
            for check in checks:
                issue = check(member)
                if issue is not None:
                    return issue.within(key)
        return None

    return run


def _names_step(names: Check) -> Check:
    def run(value: dict[str, Any]) -> Issue | None:
        for key in value:
            issue = names(key)
            if issue is not None:
                return Issue((), f"property name {key!r}: {issue.message}")
        return None

    return run


def _count_step(parts: list[Check], keyword: str, exactly_one: bool) -> Check:
    def run(value: Any) -> Issue | None:
        matched = sum(1 for part in parts if part(value) is None)
        if matched == 1 or (matched > 1 and not exactly_one):
            return None
        if matched == 0:
            return Issue((), f"it matches none of the {len(parts)} {keyword} variants")
        return Issue((), f"it matches {matched} of the {keyword} variants, not exactly one")

    return run


def _if_then_else(
    value: Any, condition: Check, then: Check | None, other: Check | None
) -> Issue | None:
    branch = then if condition(value) is None else other
    return branch(value) if branch is not None else None
