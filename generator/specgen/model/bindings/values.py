"""Value types of binding objects, with JSON Schema's meaning of the words.

An ``integer`` is a number without a fractional part (``3`` and ``3.0``, never ``true``); a
``number`` is any number but not a boolean; a schema is a JSON Schema (an object or a boolean;
its keywords are the payload schema model's business, not the binding's).
"""

from __future__ import annotations

import copy
from functools import cache
from typing import Annotated, Any

from pydantic import PlainValidator
from pydantic_core import PydanticCustomError


def _fail(expected: str) -> PydanticCustomError:
    return PydanticCustomError("binding_value", "expected {expected}", {"expected": expected})


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


def integer(low: int | None = None, high: int | None = None) -> PlainValidator:
    """Annotate ``int`` with this: an integer in ``[low, high]`` (either bound optional)."""
    if low is not None and high is not None:
        expected = f"an integer from {low} to {high}"
    elif low is not None:
        expected = f"an integer >= {low}"
    elif high is not None:
        expected = f"an integer <= {high}"
    else:
        expected = "an integer"

    def check(value: Any) -> int:
        if _in_range(value, low, high):
            return int(value)
        raise _fail(expected)

    return PlainValidator(check)


def _in_range(value: Any, low: int | None, high: int | None) -> bool:
    return _is_integer(value) and (low is None or value >= low) and (high is None or value <= high)


def one_of(*values: int) -> PlainValidator:
    """Annotate ``int`` with this: one of the integers ``values`` (not a boolean)."""
    expected = " or ".join(str(v) for v in values)

    def check(value: Any) -> int:
        if _is_integer(value) and int(value) in values:
            return int(value)
        raise _fail(expected)

    return PlainValidator(check)


def _number(value: Any) -> float | int:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise _fail("a number")


def schema_value(value: Any) -> Any:
    """``value`` if it is a schema, else the binding error saying so."""
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise _fail("a schema (an object or a boolean)")
    problem = schema_problem(value)
    if problem is not None:
        raise _fail(f"a valid JSON Schema ({problem})")
    return value


def schema_problem(schema: dict[str, Any]) -> str | None:
    """Why ``schema`` is not a draft-07 JSON Schema (the AsyncAPI Schema Object adds a string
    ``discriminator``), or None. jsonschema is imported only when a binding holds a schema."""
    from jsonschema.exceptions import best_match

    if "discriminator" in schema and not isinstance(schema["discriminator"], str):
        return "discriminator must be a property name"
    found = best_match(_meta_schema_validator().iter_errors(schema))
    return None if found is None else f"{found.json_path}: {found.message[:120]}"


@cache
def _meta_schema_validator() -> Any:
    """The draft-07 meta-schema as the AsyncAPI Schema Object reads it: ``enum`` has at least
    one item and no repeats, ``writeOnly`` is a boolean."""
    from specgen.jsonschema_import import load

    Draft7Validator = load().Draft7Validator  # noqa: N806 - the class, as jsonschema names it
    meta = copy.deepcopy(Draft7Validator.META_SCHEMA)
    meta["properties"]["enum"].update({"minItems": 1, "uniqueItems": True})
    meta["properties"]["writeOnly"] = {"type": "boolean"}
    return Draft7Validator(meta)


def _schema_or_integer(low: int, high: int | None) -> PlainValidator:
    upper = f" to {high}" if high is not None else " or more"

    def check(value: Any) -> Any:
        if isinstance(value, dict | bool) or _in_range(value, low, high):
            return value
        raise _fail(f"an integer from {low}{upper}, or a schema")

    return PlainValidator(check)


def _text_or_texts(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise _fail("a string or a list of strings")


def _topic_or_schema(value: Any) -> Any:
    if (isinstance(value, str) and value) or isinstance(value, dict | bool):
        return value
    raise _fail("a non-empty topic or a schema")


def _filter_value(value: Any) -> Any:
    if isinstance(value, str | dict):
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    raise _fail("a string, a list of strings or an object")


Integer = Annotated[int, integer()]
FilterValue = Annotated[Any, PlainValidator(_filter_value)]
TopicOrSchema = Annotated[Any, PlainValidator(_topic_or_schema)]
Number = Annotated[float, PlainValidator(_number)]
Schema = Annotated[Any, PlainValidator(schema_value)]
"""A JSON Schema: an object or a boolean."""
TextOrTexts = Annotated[Any, PlainValidator(_text_or_texts)]


def schema_or_integer(low: int, high: int | None = None) -> PlainValidator:
    """Annotate ``Any`` with this: a schema, or an integer in ``[low, high]`` (MQTT's
    intervals and sizes)."""
    return _schema_or_integer(low, high)
