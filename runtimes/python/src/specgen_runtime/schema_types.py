"""JSON Schema (draft 7) semantics for generated pydantic models.

Generated payload models annotate their fields with these markers so that a model accepts
exactly what the JSON Schema it came from accepts::

    order_id: Annotated[str, st.JsonString(pattern=r"^ord-[0-9]+$")]
    quantity: Annotated[int, st.JsonInteger(minimum=1, maximum=1000)]
    amount: Annotated[float, st.JsonNumber(multiple_of=0.01)]

Where plain pydantic differs from JSON Schema, the markers follow JSON Schema: ``1.0`` is an
integer, ``true`` is never a number, strings are never coerced, ``enum``/``const`` and
``uniqueItems`` compare with JSON equality, ``pattern`` searches (unanchored) with ECMA-262
meaning, ``multipleOf`` is exact for decimals, ``oneOf`` needs exactly one matching branch,
the schema ``false`` (an empty ``json_literal``) accepts nothing. The markers of the other
keywords (``not_``, ``if_then_else``, ``key_rules``...) live in ``schema_checks`` and are
re-exported here, so generated code imports one module. Patterns run on Rust's linear-time
engine, translated by ``ecma_regex`` (a pattern outside its dialect, e.g. with a lookahead,
raises :class:`~specgen_runtime.ecma_regex.PatternError` when the model is built).

The markers build pydantic-core schemas directly, so the common checks (types, bounds,
lengths, patterns, uuid) run natively; only what pydantic-core cannot say (calendar dates,
exact decimal multiples, JSON equality) calls back into Python.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

from pydantic import (
    AfterValidator,
    BeforeValidator,
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
)
from pydantic.functional_validators import PlainValidator
from pydantic_core import CoreSchema, core_schema

from specgen_runtime.ecma_regex import to_rust
from specgen_runtime.formats import CHECKS as FORMAT_CHECKS
from specgen_runtime.formats import FORMATS
from specgen_runtime.formats import PATTERNS as FORMAT_PATTERNS
from specgen_runtime.json_semantics import canonical, is_multiple_of, json_equal
from specgen_runtime.schema_checks import (
    all_of,
    contains,
    if_then_else,
    key_rules,
    map_rules,
    not_,
    tuple_items,
    union,
)

__all__ = [
    "NOT_NULL",
    "JsonInteger",
    "JsonNumber",
    "JsonString",
    "all_of",
    "any_of",
    "contains",
    "if_then_else",
    "json_equal",
    "json_literal",
    "key_rules",
    "map_rules",
    "not_",
    "one_of",
    "tuple_items",
    "union",
    "unique_items",
]

Number = int | float


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out but must not be null")
    return value


NOT_NULL = BeforeValidator(_not_null)
"""For optional properties that are not nullable: absent is fine, an explicit null is not."""


def _bounds(marker: _Numeric) -> dict[str, Number]:
    pairs = {
        "ge": marker.minimum,
        "le": marker.maximum,
        "gt": marker.exclusive_minimum,
        "lt": marker.exclusive_maximum,
    }
    return {key: value for key, value in pairs.items() if value is not None}


def _integer_bounds(marker: _Numeric) -> dict[str, int]:
    """The same bounds as whole numbers: for an integer, ``> 1.1`` means ``>= 2``."""
    bounds: dict[str, int] = {}
    if marker.minimum is not None:
        bounds["ge"] = math.ceil(marker.minimum)
    if marker.exclusive_minimum is not None:
        bounds["gt"] = math.floor(marker.exclusive_minimum)
    if marker.maximum is not None:
        bounds["le"] = math.floor(marker.maximum)
    if marker.exclusive_maximum is not None:
        bounds["lt"] = math.ceil(marker.exclusive_maximum)
    return bounds


def _with_multiple(schema: CoreSchema, divisor: Number | None) -> CoreSchema:
    if divisor is None:
        return schema

    def check(value: Number) -> Number:
        if not is_multiple_of(value, divisor):
            raise ValueError(f"must be a multiple of {divisor}")
        return value

    return core_schema.no_info_after_validator_function(check, schema)


def _integral_float(value: Any) -> int:
    if type(value) is float and value.is_integer():
        return int(value)
    raise ValueError("must be an integer")


@dataclass(frozen=True)
class _Numeric:
    """JSON Schema's numeric keywords (draft 7: exclusive bounds are numbers)."""

    minimum: Number | None = None
    maximum: Number | None = None
    exclusive_minimum: Number | None = None
    exclusive_maximum: Number | None = None
    multiple_of: Number | None = None


@dataclass(frozen=True)
class JsonInteger(_Numeric):
    """An integer: an int, or a float with no fractional part (kept as int); never a bool."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        exact = core_schema.int_schema(strict=True, **_integer_bounds(self))  # type: ignore[arg-type]
        from_float = core_schema.chain_schema(
            [core_schema.no_info_plain_validator_function(_integral_float), exact]
        )
        union = core_schema.union_schema([exact, from_float], mode="left_to_right")
        return _with_multiple(union, self.multiple_of)


@dataclass(frozen=True)
class JsonNumber(_Numeric):
    """A number, kept as given (``1`` stays ``1``, ``1.5`` stays ``1.5``); never a bool."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        whole = core_schema.int_schema(strict=True, **_integer_bounds(self))  # type: ignore[arg-type]
        real = core_schema.float_schema(strict=True, allow_inf_nan=False, **_bounds(self))  # type: ignore[arg-type]
        union = core_schema.union_schema([whole, real], mode="left_to_right")
        return _with_multiple(union, self.multiple_of)


@cache
def _pattern_schema(pattern: str) -> CoreSchema:
    """An ECMA-262 pattern (in the dialect of ``ecma_regex``) run by Rust's linear-time engine."""
    return core_schema.str_schema(strict=True, pattern=to_rust(pattern), regex_engine="rust-regex")


@dataclass(frozen=True)
class JsonString:
    """A string; lengths count code points, ``pattern`` is ECMA-262 and unanchored."""

    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    format: str | None = None

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        steps: list[CoreSchema] = [
            core_schema.str_schema(
                strict=True, min_length=self.min_length, max_length=self.max_length
            )
        ]
        if self.pattern is not None:
            steps.append(_pattern_schema(self.pattern))
        schema = steps[0] if len(steps) == 1 else core_schema.chain_schema(steps)
        if self.format is None or self.format not in FORMATS:
            return schema
        if self.format in FORMAT_PATTERNS:
            return core_schema.chain_schema([schema, _pattern_schema(FORMAT_PATTERNS[self.format])])
        test, name = FORMAT_CHECKS[self.format], self.format

        def check(value: str) -> str:
            if not test(value):
                raise ValueError(f"must be a valid {name}")
            return value

        return core_schema.no_info_after_validator_function(check, schema)


# -- JSON equality -----------------------------------------------------------------------------
def json_literal(values: Sequence[Any]) -> PlainValidator:
    """``enum``/``const``: the value must equal one of ``values`` (JSON equality)."""
    allowed = frozenset(canonical(v) for v in values)
    shown = ", ".join(repr(v) for v in values)
    if not values:  # the schema `false`
        shown = "nothing (no value is allowed here)"

    def check(value: Any) -> Any:
        if canonical(value) not in allowed:
            raise ValueError(f"must be one of {shown}")
        return value

    return PlainValidator(check)


def unique_items() -> AfterValidator:
    def check(items: list[Any]) -> list[Any]:
        seen = set()
        for item in items:
            key = canonical(item)
            if key in seen:
                raise ValueError("items must be unique")
            seen.add(key)
        return items

    return AfterValidator(check)


# -- unions ------------------------------------------------------------------------------------
def _adapters(types: Callable[[], Sequence[Any]]) -> Callable[[], list[TypeAdapter[Any]]]:
    @cache
    def build() -> list[TypeAdapter[Any]]:
        return [TypeAdapter(t) for t in types()]

    return build


def one_of(types: Callable[[], Sequence[Any]]) -> PlainValidator:
    """Exactly one branch must accept the value; ``types`` is called lazily (forward refs)."""
    adapters = _adapters(types)

    def check(value: Any) -> Any:
        matches = []
        for adapter in adapters():
            try:
                matches.append(adapter.validate_python(value))
            except ValidationError:
                continue
        if len(matches) != 1:
            raise ValueError(f"must match exactly one oneOf branch, matched {len(matches)}")
        return matches[0]

    return PlainValidator(check)


def any_of(types: Callable[[], Sequence[Any]]) -> PlainValidator:
    """At least one branch must accept the value; the first that does wins."""
    adapters = _adapters(types)

    def check(value: Any) -> Any:
        for adapter in adapters():
            try:
                return adapter.validate_python(value)
            except ValidationError:
                continue
        raise ValueError("must match at least one anyOf branch")

    return PlainValidator(check)
