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

import operator
from typing import Any

from specgen.schema import formats, regex
from specgen.schema.instance_steps import (
    Check,
    Issue,
    accept,
    bound_step,
    count_step,
    dependency_step,
    each_step,
    first,
    format_test,
    if_then_else,
    is_number,
    literal_step,
    members_step,
    multiple,
    names_step,
    only,
    pattern_step,
    reject,
    required_step,
    shown,
    tuple_step,
    type_step,
)
from specgen.schema.model import Schema, SchemaNode, walk
from specgen.schema.vocabulary import canonical

__all__ = ["Check", "Instances", "Issue", "usable"]


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


class Instances:
    """Compiled checks of one pass, one per schema object; ``formats``: assert ``format``."""

    def __init__(self, formats: bool) -> None:
        self._formats = formats
        self._checks: dict[int, Check] = {}
        self._keep: list[Schema] = []  # the compiled schemas, so that their ids stay theirs
        self._active: set[tuple[int, int]] = set()  # (schema, value) being checked right now

    def check(self, node: SchemaNode) -> Check:
        if isinstance(node, bool):
            return accept if node else reject
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
        steps = [*self._any(s), *only(is_number, self._numbers(s))]
        steps += only(lambda v: isinstance(v, str), self._strings(s))
        steps += only(lambda v: isinstance(v, list), self._arrays(s))
        steps += only(lambda v: isinstance(v, dict), self._objects(s))
        return first(steps + self._applicators(s))

    # -- any instance ----------------------------------------------------------------------
    def _any(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        if s.types is not None:
            steps.append(type_step(s.types))
        if s.enum is not None:
            steps.append(literal_step(s.enum, "one of the enum values"))
        if s.const is not None:
            steps.append(literal_step([s.const.value], shown(s.const.value)))
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
        steps += [bound_step(b, holds, what) for b, holds, what in bounds if b is not None]
        divisor = s.multiple_of
        if divisor is not None:
            steps.append(
                lambda v: (
                    None
                    if multiple(v, divisor)
                    else Issue((), f"{shown(v)} is not a multiple of {divisor}")
                )
            )
        return steps

    # -- strings ---------------------------------------------------------------------------
    def _strings(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        low, high = s.min_length, s.max_length
        if low is not None:
            steps.append(lambda v: None if len(v) >= low else Issue((), f"{shown(v)} is too short"))
        if high is not None:
            steps.append(lambda v: None if len(v) <= high else Issue((), f"{shown(v)} is too long"))
        if s.pattern is not None:
            steps.append(pattern_step(s.pattern))
        test = format_test(s.format) if self._formats and s.format is not None else None
        if test is not None:
            name = s.format
            steps.append(lambda v: None if test(v) else Issue((), f"{shown(v)} is not a {name!r}"))
        return steps

    # -- arrays ----------------------------------------------------------------------------
    def _arrays(self, s: Schema) -> list[Check]:
        steps: list[Check] = []
        if isinstance(s.items, tuple):
            steps.append(
                tuple_step([self.check(i) for i in s.items], self._maybe(s.additional_items))
            )
        elif s.items is not None:
            steps.append(each_step(self.check(s.items)))
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
            steps.append(required_step(required, "is a required property"))
        properties = {name: self.check(node) for name, node in s.properties.items()}
        patterns = [(p, self.check(node)) for p, node in s.pattern_properties.items()]
        additional = self._maybe(s.additional_properties)
        if properties or patterns or additional is not None:
            steps.append(members_step(properties, patterns, additional))
        for name, dependency in s.dependencies.items():
            if isinstance(dependency, tuple):
                need = required_step(dependency, f"is required where {name!r} is present")
            else:
                need = self.check(dependency)
            steps.append(dependency_step(name, need))
        if s.property_names is not None:
            names = self.check(s.property_names)
            steps.append(names_step(names))
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
            steps.append(count_step([self.check(p) for p in s.any_of], "anyOf", exactly_one=False))
        if s.one_of is not None:
            steps.append(count_step([self.check(p) for p in s.one_of], "oneOf", exactly_one=True))
        if s.not_ is not None:
            negated = self.check(s.not_)
            steps.append(
                lambda v: (
                    Issue((), f"{shown(v)} must not match the not schema")
                    if negated(v) is None
                    else None
                )
            )
        if s.if_ is not None and (s.then is not None or s.else_ is not None):
            condition, then, other = self.check(s.if_), self._maybe(s.then), self._maybe(s.else_)
            steps.append(lambda v: if_then_else(v, condition, then, other))
        return steps
