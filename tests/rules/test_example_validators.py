"""One pass of example validators answers exactly as ``check_schema`` + ``Draft7Validator``,
however the schemas share subschemas (the pass remembers subschemas found valid)."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft7Validator, SchemaError
from jsonschema.exceptions import best_match
from specgen.rules.example_validators import Validators, short


def _check_schema_answer(schema: Any) -> str | None:
    """What the examples rule said before one pass served all schemas."""
    try:
        Draft7Validator.check_schema(schema)
    except SchemaError as exc:
        deep = (best_match(exc.context) if exc.context else None) or exc
        return f"it is not valid JSON Schema at {deep.json_path}: {short(deep.message)}"
    return None


def _shared_schemas() -> list[Any]:
    good = {"type": "object", "properties": {"at": {"type": "string", "format": "date-time"}}}
    bad_type = {"type": "integr"}
    bad_regex = {"type": "string", "pattern": "(unclosed"}
    bad_deep = {"type": "array", "items": {"anyOf": [good, {"minimum": "zero"}]}}
    return [
        {"items": bad_type},  # the meta-schema's anyOf walks bad_type whole, no early stop
        {"properties": {"p": bad_type}},
        {"type": "object", "properties": {"a": good, "b": good}},
        {"type": "object", "properties": {"a": good, "b": bad_type}},
        {"type": "object", "properties": {"a": bad_type, "b": good}},
        {"allOf": [good, bad_regex]},
        {"properties": {"x": bad_deep, "y": good}},
        {"properties": {"x": bad_deep}},
        {"oneOf": [good, good], "definitions": {"g": good}},
        {"patternProperties": {"^(": good}},
        {"items": [good, bad_type], "additionalItems": good},
        good,
        bad_type,
    ]


def test_one_pass_answers_as_check_schema_for_shared_subschemas() -> None:
    schemas = _shared_schemas()
    validators = Validators(formats=True)
    answers = [validators.of(schema) for schema in schemas]
    expected = [_check_schema_answer(schema) for schema in schemas]
    assert [a if isinstance(a, str) else None for a in answers] == expected
    assert sum(answer is not None for answer in expected) >= 6


def test_the_same_schema_object_gets_the_same_validator() -> None:
    schema = {"type": "object", "required": ["id"]}
    validators = Validators(formats=False)
    first, again = validators.of(schema), validators.of(schema)
    assert isinstance(first, Draft7Validator)
    assert first is again
    assert first.format_checker is None
    assert not first.is_valid({})


def test_formats_are_asserted_only_when_asked() -> None:
    schema = {"type": "string", "format": "date-time"}
    asserted, annotated = Validators(formats=True).of(schema), Validators(formats=False).of(schema)
    assert isinstance(asserted, Draft7Validator) and isinstance(annotated, Draft7Validator)
    assert not asserted.is_valid("2024-01-01 10:00")
    assert annotated.is_valid("2024-01-01 10:00")
