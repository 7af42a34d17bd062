"""JSON Schema (draft 7) meaning, as plain predicates shared by the generated-model markers.

JSON equality (``1 == 1.0``, ``true != 1``, key order ignored), exact ``multipleOf`` for
decimals, ECMA-262 regular expressions translated for Python's ``re`` and for the Rust
``regex`` engine inside pydantic-core, and the string formats the generators check.
"""

from __future__ import annotations

import ipaddress
import math
import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

__all__ = [
    "FORMATS",
    "canonical",
    "ecma_regex",
    "is_multiple_of",
    "json_equal",
    "rust_regex",
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


# ECMA-262 `\s`: WhiteSpace and LineTerminator, wider than ASCII and narrower than Python's.
_ECMA_SPACE = r"\t\n\x0b\x0c\r \xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_ECMA_OUTSIDE = {"s": f"[{_ECMA_SPACE}]", "S": f"[^{_ECMA_SPACE}]"}
_ECMA_INSIDE = {"s": _ECMA_SPACE}


_RUST_WORD = "0-9A-Za-z_"
_RUST_OUTSIDE = {
    "d": "[0-9]",
    "D": "[^0-9]",
    "w": f"[{_RUST_WORD}]",
    "W": f"[^{_RUST_WORD}]",
    "s": f"[{_ECMA_SPACE}]",
    "S": f"[^{_ECMA_SPACE}]",
    "b": "(?-u:\\b)",
    "B": "(?-u:\\B)",
    "/": "/",
}
_RUST_INSIDE = {"d": "0-9", "w": _RUST_WORD, "s": _ECMA_SPACE, "/": "/"}


def _translate(source: str, outside: dict[str, str], inside: dict[str, str], end: str) -> str:
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            escaped = source[i + 1]
            out.append((inside if in_class else outside).get(escaped, char + escaped))
            i += 2
            continue
        if in_class and char == "]":
            in_class = False
        elif not in_class and char == "[":
            in_class = True
        elif not in_class and char == "$":
            char = end
        out.append(char)
        i += 1
    return "".join(out)


def ecma_regex(source: str) -> str:
    """Rewrite an ECMA-262 pattern (as JSON Schema has them) into Python ``re`` syntax.

    Compile it with ``re.ASCII`` (so ``\\d``, ``\\w`` and ``\\b`` are ASCII, as in ECMA-262);
    ``$`` becomes ``\\Z`` (Python's ``$`` also matches before a final newline) and ``\\s``
    gets ECMA-262's Unicode whitespace set.
    """
    return _translate(source, _ECMA_OUTSIDE, _ECMA_INSIDE, "\\Z")


def rust_regex(source: str) -> str:
    """Rewrite an ECMA-262 pattern for the Rust ``regex`` crate (pydantic-core, Rust backend).

    Rust's ``$`` already means the very end; its classes are Unicode, so ``\\d``, ``\\w``,
    ``\\s`` and ``\\b`` become their explicit ECMA-262 sets. Lookaround and backreferences
    do not exist there: such patterns fail to compile and callers fall back to ``re``.
    """
    return _translate(source, _RUST_OUTSIDE, _RUST_INSIDE, "$")


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
