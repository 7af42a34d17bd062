"""JSON Schema (draft 7) semantics for generated pydantic models.

Generated payload models annotate their fields with these markers so that a model accepts
exactly what the JSON Schema it came from accepts::

    order_id: Annotated[str, STRING, pattern(r"^ord-[0-9]+$")]
    quantity: Annotated[int, INTEGER, Ge(1), Le(1000)]
    amount: Annotated[int | float, NUMBER, multiple_of(0.01)]

Where plain pydantic differs from JSON Schema, the marker follows JSON Schema: ``1.0`` is an
integer, ``true`` is never a number, strings are never coerced, ``enum``/``const`` and
``uniqueItems`` compare with JSON equality (``1 == 1.0``, ``true != 1``, key order ignored),
``pattern`` searches (unanchored) with ECMA-262 meaning (``$`` is the very end, ``\\d`` is
ASCII), ``multipleOf`` is exact for decimals, ``oneOf`` needs exactly one matching branch and
the schema ``false`` (an empty ``json_literal``) accepts nothing.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache
from typing import Any, TypeVar

from pydantic import AfterValidator, BeforeValidator, Strict, TypeAdapter, ValidationError
from pydantic.functional_validators import PlainValidator

T = TypeVar("T")

__all__ = [
    "BOOLEAN",
    "INTEGER",
    "NOT_NULL",
    "NUMBER",
    "STRING",
    "any_of",
    "ecma_regex",
    "format_check",
    "json_equal",
    "json_literal",
    "multiple_of",
    "one_of",
    "pattern",
    "unique_items",
]


# -- primitive types ---------------------------------------------------------------------------
def _integer(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _number(value: Any) -> int | float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError("must be a number")
    return value


def _not_null(value: Any) -> Any:
    if value is None:
        raise ValueError("may be left out but must not be null")
    return value


INTEGER = BeforeValidator(_integer)
"""With ``Strict()`` after it: an int, or a float with no fractional part; never a bool."""
NUMBER = PlainValidator(_number)
"""An int or a float, kept as given (``1`` stays ``1``); never a bool."""
STRING = Strict()
BOOLEAN = Strict()
NOT_NULL = BeforeValidator(_not_null)
"""For optional properties that are not nullable: absent is fine, an explicit null is not."""


# -- JSON equality -----------------------------------------------------------------------------
def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", Fraction(value) if math.isfinite(value) else value)
    if isinstance(value, list | tuple):
        return ("array", tuple(_canonical(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, _canonical(v)) for k, v in value.items()))
    dumped = getattr(value, "model_dump", None)
    if dumped is not None:
        return _canonical(value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    return ("other", repr(value))


def json_equal(a: Any, b: Any) -> bool:
    return bool(_canonical(a) == _canonical(b))


def json_literal(values: Sequence[Any]) -> PlainValidator:
    """``enum``/``const``: the value must equal one of ``values`` (JSON equality)."""
    allowed = frozenset(_canonical(v) for v in values)
    shown = ", ".join(repr(v) for v in values)
    if not values:  # the schema `false`
        shown = "nothing (no value is allowed here)"

    def check(value: Any) -> Any:
        if _canonical(value) not in allowed:
            raise ValueError(f"must be one of {shown}")
        return value

    return PlainValidator(check)


def unique_items() -> AfterValidator:
    def check(items: list[Any]) -> list[Any]:
        seen = set()
        for item in items:
            key = _canonical(item)
            if key in seen:
                raise ValueError("items must be unique")
            seen.add(key)
        return items

    return AfterValidator(check)


# -- numbers and strings -----------------------------------------------------------------------
def multiple_of(divisor: int | float) -> AfterValidator:
    exact = Decimal(repr(divisor)) if isinstance(divisor, float) else Decimal(divisor)

    def check(value: int | float) -> int | float:
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError(f"must be a multiple of {divisor}")
        try:
            quotient = (
                Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
            ) / exact
        except InvalidOperation as exc:
            raise ValueError(f"must be a multiple of {divisor}") from exc
        if quotient != quotient.to_integral_value():
            raise ValueError(f"must be a multiple of {divisor}")
        return value

    return AfterValidator(check)


# ECMA-262 `\s`: WhiteSpace and LineTerminator, wider than ASCII and narrower than Python's.
_ECMA_SPACE = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ECMA_OUTSIDE = {"s": f"[{_ECMA_SPACE}]", "S": f"[^{_ECMA_SPACE}]"}
_ECMA_INSIDE = {"s": _ECMA_SPACE}


def ecma_regex(source: str) -> str:
    """Rewrite an ECMA-262 pattern (as JSON Schema has them) into Python ``re`` syntax.

    Compiled with ``re.ASCII`` (so ``\\d``, ``\\w`` and ``\\b`` are ASCII, as in ECMA-262);
    ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline) and ``\\s``
    gets ECMA-262's Unicode whitespace set.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            escaped = source[i + 1]
            table = _ECMA_INSIDE if in_class else _ECMA_OUTSIDE
            out.append(table.get(escaped, char + escaped))
            i += 2
            continue
        if in_class and char == "]":
            in_class = False
        elif not in_class and char == "[":
            in_class = True
        elif not in_class and char == "$":
            char = "\\Z"
        out.append(char)
        i += 1
    return "".join(out)


@cache
def _compiled(regex: str) -> re.Pattern[str]:
    return re.compile(ecma_regex(regex), re.ASCII)


def pattern(regex: str) -> AfterValidator:
    """The string must contain a match of ``regex`` (JSON Schema patterns are not anchored)."""
    compiled = _compiled(regex)

    def check(value: str) -> str:
        if compiled.search(value) is None:
            raise ValueError(f"must match the pattern {regex!r}")
        return value

    return AfterValidator(check)


_DATE_TIME = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$"
)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$")
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_URI = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+$")


def _is_date_time(value: str) -> bool:
    match = _DATE_TIME.match(value)
    if match is None:
        return False
    second = int(match.group(6))
    text = value[:17] + ("59" if second == 60 else match.group(6)) + value[19:]
    try:
        datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return int(match.group(4)) < 24 and second <= 60


def _is_date(value: str) -> bool:
    try:
        return bool(_DATE.match(value)) and date.fromisoformat(value) is not None
    except ValueError:
        return False


def _is_time(value: str) -> bool:
    match = _TIME.match(value)
    if match is None:
        return False
    hour, minute, second = (int(match.group(n)) for n in (1, 2, 3))
    return hour < 24 and minute < 60 and second <= 60


def _is_ip(version: int) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            address = ipaddress.ip_address(value)
        except ValueError:
            return False
        return address.version == version and "%" not in value

    return check


FORMATS: dict[str, Callable[[str], bool]] = {
    "date-time": _is_date_time,
    "date": _is_date,
    "time": _is_time,
    "uuid": lambda v: bool(_UUID.match(v)),
    "uri": lambda v: bool(_URI.match(v)),
    "email": lambda v: bool(_EMAIL.match(v)),
    "ipv4": _is_ip(4),
    "ipv6": _is_ip(6),
}


def format_check(name: str) -> AfterValidator:
    test = FORMATS[name]

    def check(value: str) -> str:
        if not test(value):
            raise ValueError(f"must be a valid {name}")
        return value

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
