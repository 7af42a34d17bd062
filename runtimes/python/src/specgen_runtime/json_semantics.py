"""JSON Schema (draft 7) meaning, as plain predicates shared by the generated-model markers.

JSON equality (``1 == 1.0``, ``true != 1``, key order ignored), exact ``multipleOf`` for
decimals (regular expressions: ``ecma_regex``; string formats: ``formats``).
"""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "canonical",
    "is_multiple_of",
    "json_equal",
]


def canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return (type(value).__name__, value)
    if isinstance(value, int | float):
        return ("number", Fraction(value) if math.isfinite(value) else value)
    if isinstance(value, list | tuple):
        return ("array", tuple(canonical(v) for v in value))
    if isinstance(value, dict):
        return ("object", frozenset((k, canonical(v)) for k, v in value.items()))
    dumped = getattr(value, "model_dump", None)
    if dumped is not None:
        return canonical(value.model_dump(mode="json", by_alias=True, exclude_unset=True))
    return ("other", repr(value))


def json_equal(a: Any, b: Any) -> bool:
    return bool(canonical(a) == canonical(b))


def is_multiple_of(value: int | float, divisor: int | float) -> bool:
    """Exact for decimals written in JSON: 0.0075 is a multiple of 0.0001."""
    if isinstance(value, float) and not math.isfinite(value):
        return False
    exact = Decimal(repr(divisor)) if isinstance(divisor, float) else Decimal(divisor)
    try:
        quotient = (Decimal(repr(value)) if isinstance(value, float) else Decimal(value)) / exact
    except InvalidOperation:
        return False
    return bool(quotient == quotient.to_integral_value())
