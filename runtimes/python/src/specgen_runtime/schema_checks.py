"""JSON Schema (draft 7) checks on whole values, for the keywords no pydantic type states.

Generated models annotate types with these markers where the schema says more than what a
value *is*: conditions (``not``, ``if``/``then``/``else``, an ``allOf`` part, a ``oneOf``
beside other keywords), tuple items and ``contains``, and the rules on an object's keys
(``patternProperties``, ``propertyNames``, ``dependencies``, property counts)::

    Annotated[Order, st.if_then_else(lambda: Paid, lambda: WithInvoice, None)]
    Annotated[list[JsonValue], st.tuple_items(lambda: [int, str], lambda: None)]
    _keys = st.key_rules(declared=("id",), patterns=lambda: [("^x-", JsonValue)], ...)

Each marker calls back into Python (the common keywords stay on pydantic-core's native path,
see ``schema_types``) and checks the value as JSON data: what was written, not what pydantic
made of it. Types are given lazily (``lambda: ...``), so markers may refer to declarations
defined later or to the type they annotate (recursive schemas).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, TypeAdapter, ValidationError
from pydantic import model_validator as _model_validator
from pydantic_core import SchemaValidator, core_schema

from specgen_runtime.ecma_regex import to_rust

__all__ = [
    "all_of",
    "as_json",
    "contains",
    "if_then_else",
    "key_rules",
    "map_rules",
    "matcher",
    "matches",
    "not_",
    "tuple_items",
    "union",
]

Lazy = Callable[[], Any]


def as_json(value: Any) -> Any:
    """Input as JSON data: models (Python mode) become what they serialise to."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    return value


def _lazy_adapter(lazy: Lazy) -> Callable[[], TypeAdapter[Any]]:
    @cache
    def adapter() -> TypeAdapter[Any]:
        return TypeAdapter(lazy())

    return adapter


def _valid(adapter: TypeAdapter[Any], value: Any) -> bool:
    try:
        adapter.validate_python(value)
    except ValidationError:
        return False
    return True


def matches(source: str, key: str) -> bool:
    """Whether the ECMA-262 pattern ``source`` finds a match in ``key`` (Rust engine)."""
    return matcher(source)(key)


@cache
def matcher(source: str) -> Callable[[str], bool]:
    """A search for the ECMA-262 pattern ``source`` on Rust's linear-time engine."""
    validator = SchemaValidator(
        core_schema.str_schema(pattern=to_rust(source), regex_engine="rust-regex")
    )

    def test(key: str) -> bool:
        try:
            validator.validate_python(key)
        except ValidationError:
            return False
        return True

    return test


# -- conditions on the value -------------------------------------------------------------------
def not_(negated: Lazy) -> BeforeValidator:
    """``not``: the value must NOT be valid against ``negated``."""
    adapter = _lazy_adapter(negated)

    def check(value: Any) -> Any:
        if _valid(adapter(), as_json(value)):
            raise ValueError("must not be valid against the `not` schema")
        return value

    return BeforeValidator(check)


def all_of(part: Lazy) -> BeforeValidator:
    """An ``allOf`` part: the value must also be valid against ``part``."""
    adapter = _lazy_adapter(part)

    def check(value: Any) -> Any:
        adapter().validate_python(as_json(value))
        return value

    return BeforeValidator(check)


def union(variants: Callable[[], Sequence[Any]], exclusive: bool) -> BeforeValidator:
    """``oneOf`` (``exclusive``) or ``anyOf`` beside other keywords, as a check."""

    @cache
    def adapters() -> list[TypeAdapter[Any]]:
        return [TypeAdapter(v) for v in variants()]

    def check(value: Any) -> Any:
        data = as_json(value)
        count = sum(1 for adapter in adapters() if _valid(adapter, data))
        if exclusive and count != 1:
            raise ValueError(f"must match exactly one oneOf branch, matched {count}")
        if not exclusive and count == 0:
            raise ValueError("must match at least one anyOf branch")
        return value

    return BeforeValidator(check)


def if_then_else(test: Lazy, then: Lazy | None, otherwise: Lazy | None) -> BeforeValidator:
    """``if``/``then``/``else`` (a missing branch is no constraint)."""
    condition = _lazy_adapter(test)
    branches = {True: then and _lazy_adapter(then), False: otherwise and _lazy_adapter(otherwise)}

    def check(value: Any) -> Any:
        data = as_json(value)
        branch = branches[_valid(condition(), data)]
        if branch is not None:
            branch().validate_python(data)
        return value

    return BeforeValidator(check)


# -- arrays ------------------------------------------------------------------------------------
def tuple_items(prefix: Callable[[], Sequence[Any]], rest: Lazy | None) -> AfterValidator:
    """``items`` as a list: item ``i`` against ``prefix[i]``, later ones against ``rest``
    (``None``: no later item is allowed, i.e. ``additionalItems: false``)."""

    @cache
    def adapters() -> tuple[list[TypeAdapter[Any]], TypeAdapter[Any] | None]:
        tail = rest() if rest is not None else None
        return [TypeAdapter(p) for p in prefix()], TypeAdapter(tail) if rest is not None else None

    def check(items: list[Any]) -> list[Any]:
        heads, tail = adapters()
        for index, item in enumerate(items):
            if index < len(heads):
                heads[index].validate_python(as_json(item))
            elif tail is None:
                raise ValueError(f"must have at most {len(heads)} items")
            else:
                tail.validate_python(as_json(item))
        return items

    return AfterValidator(check)


def contains(part: Lazy) -> AfterValidator:
    """``contains``: at least one item must be valid against ``part``."""
    adapter = _lazy_adapter(part)

    def check(items: list[Any]) -> list[Any]:
        if not any(_valid(adapter(), as_json(item)) for item in items):
            raise ValueError("must contain an item valid against the `contains` schema")
        return items

    return AfterValidator(check)


# -- keys of objects ---------------------------------------------------------------------------
class _KeyRules:
    def __init__(
        self,
        declared: Sequence[str],
        patterns: Callable[[], Sequence[tuple[str, Any]]] | None,
        additional: Lazy | None,
        closed: bool,
        names: Lazy | None,
        counts: tuple[int | None, int | None],
        dependencies: Callable[[], Sequence[tuple[str, Sequence[str], Any]]] | None,
    ) -> None:
        self.declared = frozenset(declared)
        self._patterns, self._additional, self.closed = patterns, additional, closed
        self._names, self.counts, self._dependencies = names, counts, dependencies

    @cache  # noqa: B019 - one instance per generated class, alive as long as the class
    def built(self) -> tuple[Any, ...]:
        patterns = [(matcher(p), TypeAdapter(t)) for p, t in (self._patterns or list)()]
        additional = TypeAdapter(self._additional()) if self._additional else None
        names = TypeAdapter(self._names()) if self._names else None
        dependencies = [
            (key, tuple(required), TypeAdapter(t) if t is not None else None)
            for key, required, t in (self._dependencies or list)()
        ]
        return patterns, additional, names, dependencies

    def check(self, data: dict[str, Any]) -> None:
        patterns, additional, names, dependencies = self.built()
        low, high = self.counts
        if low is not None and len(data) < low:
            raise ValueError(f"must have at least {low} properties")
        if high is not None and len(data) > high:
            raise ValueError(f"must have at most {high} properties")
        for key, value in data.items():
            if names is not None:
                names.validate_python(key)
            if key in self.declared:
                continue
            matched = [adapter for test, adapter in patterns if test(key)]
            for adapter in matched:
                adapter.validate_python(value)
            if matched:
                continue
            if self.closed:
                raise ValueError(f"property {key!r} is not allowed")
            if additional is not None:
                additional.validate_python(value)
        for key, required, adapter in dependencies:
            if key not in data:
                continue
            missing = [r for r in required if r not in data]
            if missing:
                shown = ", ".join(map(repr, missing))
                raise ValueError(f"with {key!r} present, {shown} must be present too")
            if adapter is not None:
                adapter.validate_python(data)


Patterns = Callable[[], Sequence[tuple[str, Any]]]
Dependencies = Callable[[], Sequence[tuple[str, Sequence[str], Any]]]


def _rules(
    declared: Sequence[str] = (),
    patterns: Patterns | None = None,
    additional: Lazy | None = None,
    closed: bool = False,
    names: Lazy | None = None,
    min_properties: int | None = None,
    max_properties: int | None = None,
    dependencies: Dependencies | None = None,
) -> Callable[[Any], None]:
    rules = _KeyRules(declared, patterns, additional, closed, names,
                      (min_properties, max_properties), dependencies)  # fmt: skip

    def check(value: Any) -> None:
        json = as_json(value)
        if isinstance(json, dict):
            rules.check(json)

    return check


def key_rules(**rules: Any) -> Any:
    """The rules on an object's keys, as a model validator (assign it in the class body).

    Keywords: ``declared`` (the model's fields: their types already hold what patterns say
    of them), ``patterns`` (``(regex, type)`` pairs: any other key is checked against every
    pattern it matches), ``additional`` (the type of other keys) or ``closed`` (no other
    key), ``names`` (``propertyNames``), ``min_properties``, ``max_properties`` and
    ``dependencies`` (``(key, required names, type or None)``).
    """
    check = _rules(**rules)

    def validate(cls: type, data: Any) -> Any:
        check(data)
        return data

    return _model_validator(mode="before")(classmethod(validate))  # type: ignore[arg-type]


def map_rules(**rules: Any) -> BeforeValidator:
    """``key_rules`` for a map (a ``dict`` annotation), as a marker."""
    check = _rules(**rules)

    def validate(value: Any) -> Any:
        check(value)
        return value

    return BeforeValidator(validate)
