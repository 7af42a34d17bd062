"""JSON values as JSON Schema sees them, and checking one value against one schema node.

The checker is the engine's ground truth for single values: a witness (an instance one
version accepts and the other rejects) only counts once the checker has confirmed it on both
sides. It follows the generated validators: draft 7, JSON equality (``1 == 1.0``, ``true`` is
never ``1``), ECMA-262 patterns (``$`` is the very end, ``\\d`` is ASCII) and the formats the
generators check.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from datetime import date, datetime
from typing import Any

from jsonschema import Draft7Validator, FormatChecker
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend

ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "default",
        "examples",
        "deprecated",
        "readOnly",
        "writeOnly",
        "$comment",
        "$schema",
        "$id",
        "definitions",
        "discriminator",
        "externalDocs",
        "contentEncoding",
        "contentMediaType",
    }
)
ATOMS = ("null", "boolean", "int", "frac", "string", "array", "object")
TYPE_ATOMS = {
    "null": {"null"},
    "boolean": {"boolean"},
    "integer": {"int"},
    "number": {"int", "frac"},
    "string": {"string"},
    "array": {"array"},
    "object": {"object"},
}


def atom_of(value: Any) -> str:
    """The atom of a JSON value: ``int`` for numbers without a fraction (``1.0`` too)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "int" if value.is_integer() else "frac"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def show(value: Any, limit: int = 60) -> str:
    """A short JSON rendering for messages."""
    import json

    text = json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= limit else text[: limit - 3] + "..."


# -- ECMA-262 patterns and formats, as the generated validators check them -------------------
def _ecma(source: str) -> str:
    out, in_class, i = [], False, 0
    while i < len(source):
        char = source[i]
        if char == "\\" and i + 1 < len(source):
            out.append(source[i : i + 2])
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


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


def compiled(pattern: str) -> re.Pattern[str] | None:
    if pattern not in _PATTERNS:
        try:
            _PATTERNS[pattern] = re.compile(_ecma(pattern), re.ASCII)
        except re.error:
            _PATTERNS[pattern] = None
    return _PATTERNS[pattern]


def _pattern(validator: Any, pattern: Any, instance: Any, schema: Any) -> Any:
    if not isinstance(instance, str) or not isinstance(pattern, str):
        return
    regex = compiled(pattern)
    if regex is None:  # an ECMA-262 construct Python cannot run: the value cannot be checked
        raise ValueError(f"cannot evaluate pattern {pattern!r}")
    if regex.search(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    shape = r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"
    if re.fullmatch(shape, value, re.ASCII) is None:
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00").replace(":60", ":59"))
    except ValueError:
        return False
    return True


def _date(value: object) -> bool:
    if not isinstance(value, str) or re.fullmatch(r"\d{4}-\d{2}-\d{2}", value, re.ASCII) is None:
        return not isinstance(value, str)
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return len(value) == 36 and str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _ip(version: int) -> Any:
    def check(value: object) -> bool:
        if not isinstance(value, str):
            return True
        try:
            return ipaddress.ip_address(value).version == version and "%" not in value
        except ValueError:
            return False

    return check


def _matches(shape: str) -> Any:
    return lambda v: not isinstance(v, str) or re.fullmatch(shape, v) is not None


_FORMATS = FormatChecker(formats=())
for _name, _check in {
    "date-time": _date_time,
    "date": _date,
    "time": _matches(r"\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})"),
    "uuid": _uuid,
    "uri": _matches(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s<>\"{}|\\^`]*"),
    "email": _matches(r"[^@\s]+@[^@\s]+"),
    "ipv4": _ip(4),
    "ipv6": _ip(6),
}.items():
    _FORMATS.checks(_name)(_check)


def _type(validator: Any, types: Any, instance: Any, schema: Any) -> Any:
    yield from _DRAFT7_TYPE(validator, types, instance, schema)
    names = [types] if isinstance(types, str) else types
    if not isinstance(names, list) or "integer" not in names or "number" in names:
        return
    if isinstance(instance, bool) or not isinstance(instance, int | float):
        return
    if isinstance(instance, float) and not instance.is_integer():
        return
    value = int(instance)
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    unsigned = isinstance(low, int | float) and not isinstance(low, bool) and low >= 0
    bottom, top = (0, 2**64 - 1) if unsigned else (-(2**63), 2**63 - 1)
    if not bottom <= value <= top:
        yield ValidationError(f"{instance} does not fit the 64-bit integer the code holds")


_DRAFT7_TYPE = Draft7Validator.VALIDATORS["type"]
_Validator: Any = extend(Draft7Validator, {"pattern": _pattern, "type": _type})  # type: ignore[no-untyped-call]


class Checker:
    """Does one schema node accept one value? Validators are built once per node."""

    def __init__(self) -> None:
        self._validators: dict[int, tuple[Any, Any]] = {}

    def _validator(self, schema: Any) -> Any:
        entry = self._validators.get(id(schema))
        if entry is None or entry[0] is not schema:
            entry = (schema, _Validator(schema, format_checker=_FORMATS))
            self._validators[id(schema)] = entry
        return entry[1]

    def accepts(self, schema: Any, value: Any) -> bool | None:
        """True or False; None when the node cannot be checked on its own (an unresolved ref)."""
        if schema is True or schema is False:
            return bool(schema)
        try:
            return bool(self._validator(schema).is_valid(value))
        except (RecursionError, ValueError, TypeError, LookupError, AttributeError):
            return None
        except Exception:  # noqa: BLE001 - referencing errors and the like: cannot tell
            return None

    def first_error(self, schema: Any, value: Any) -> tuple[str, tuple[str | int, ...]] | None:
        """The keyword that rejects ``value`` first and the schema path to it."""
        if not isinstance(schema, dict):
            return None
        try:
            errors = list(self._validator(schema).iter_errors(value))
        except Exception:  # noqa: BLE001 - see accepts
            return None
        if not errors:
            return None
        error = min(errors, key=lambda e: len(e.schema_path))
        return str(error.validator), tuple(error.schema_path)
