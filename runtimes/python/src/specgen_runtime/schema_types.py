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
``not`` (``not_``) rejects what its schema accepts and the schema ``false`` (an empty
``json_literal``) accepts nothing.

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
    BaseModel,
    BeforeValidator,
    GetCoreSchemaHandler,
    TypeAdapter,
    ValidationError,
)
from pydantic.functional_validators import PlainValidator
from pydantic_core import CoreSchema, SchemaValidator, core_schema

from specgen_runtime.json_semantics import (
    FORMATS,
    canonical,
    ecma_regex,
    is_multiple_of,
    json_equal,
    rust_regex,
)

__all__ = [
    "NOT_NULL",
    "JsonInteger",
    "JsonNumber",
    "JsonString",
    "any_of",
    "json_equal",
    "json_literal",
    "not_",
    "one_of",
    "unique_items",
]

Number = int | float

# Formats whose whole meaning is a regular expression run natively; the others call Python.
_FORMAT_PATTERNS = {
    "uuid": r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$",
}


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
def _native_pattern(pattern: str) -> tuple[str, str]:
    """(regex, engine) for an ECMA-262 pattern: Rust's engine when it can express it."""
    translated = rust_regex(pattern)
    try:
        SchemaValidator(core_schema.str_schema(pattern=translated, regex_engine="rust-regex"))
    except Exception:  # pydantic-core reports compile errors as SchemaError
        return "(?a)" + ecma_regex(pattern), "python-re"
    return translated, "rust-regex"


def _pattern_schema(pattern: str) -> CoreSchema:
    regex, engine = _native_pattern(pattern)
    return core_schema.str_schema(strict=True, pattern=regex, regex_engine=engine)  # type: ignore[arg-type]


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
        if self.format is None:
            return schema
        if self.format in _FORMAT_PATTERNS:
            return core_schema.chain_schema(
                [schema, _pattern_schema(_FORMAT_PATTERNS[self.format])]
            )
        test, name = FORMATS[self.format], self.format

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


# -- not ---------------------------------------------------------------------------------------
def _as_json(value: Any) -> Any:
    """Input as JSON data: models (Python mode) become what they serialise to."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_unset=True)
    if isinstance(value, list | tuple):
        return [_as_json(v) for v in value]
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    return value


def not_(negated: Callable[[], Any]) -> BeforeValidator:
    """``not``: the value must NOT be valid against ``negated`` (a type, called lazily).

    The check runs on the input before the annotated type validates it, so it sees the value
    as written (``1.0`` stays a float, a model is checked as the JSON it serialises to).
    """

    @cache
    def adapter() -> TypeAdapter[Any]:
        return TypeAdapter(negated())

    def check(value: Any) -> Any:
        try:
            adapter().validate_python(_as_json(value))
        except ValidationError:
            return value
        raise ValueError("must not be valid against the `not` schema")

    return BeforeValidator(check)
