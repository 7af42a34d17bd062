"""Message examples: every example payload (and headers) validates against the message's
schema; in our own spec every message has at least one example.

Schemas are already resolved in place, so they are handed to ``jsonschema`` as they are.
Payloads in a non-JSON schema format (Avro, Protobuf, RAML) are not checked.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import jsonschema
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from specgen.diagnostics import Diagnostic, Location, error, warning
from specgen.rules.context import Context, Mapping
from specgen.rules.registry import BOTH, SPECGEN_ONLY, Rule
from specgen.rules.schema_errors import explain

JSON_SCHEMA_FORMATS = (
    "application/vnd.aai.asyncapi",
    "application/schema+json",
    "application/schema+yaml",
)
MAX_MESSAGE = 240


def _schema_of(value: Any) -> Any:
    """The JSON Schema inside a payload/headers value, or None if it is in another format."""
    if isinstance(value, dict) and "schemaFormat" in value and "schema" in value:
        fmt = value["schemaFormat"]
        if not isinstance(fmt, str) or not fmt.startswith(JSON_SCHEMA_FORMATS):
            return None
        value = value["schema"]
    return value if isinstance(value, dict | bool) else None


def _locate_in(ctx: Context, root: Any, path: Sequence[str | int]) -> Location:
    """Location of ``root[path...]``, following containers that were defined elsewhere."""
    base, rest = root, list(path)
    walked: list[str | int] = []
    node = root
    for token in path:
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            break
        walked.append(token)
        if isinstance(node, dict | list) and ctx.known(node):
            base, rest = node, list(path)[len(walked) :]
    return ctx.locate(base, *rest)


def _short(text: str) -> str:
    return text if len(text) <= MAX_MESSAGE else text[: MAX_MESSAGE - 3] + "..."


def _validator(schema: Any) -> Draft7Validator | str:
    """A validator for ``schema``, or why the schema cannot be used."""
    try:
        Draft7Validator.check_schema(schema)
    except jsonschema.SchemaError as exc:
        deep = (best_match(exc.context) if exc.context else None) or exc
        return f"it is not valid JSON Schema at {deep.json_path}: {_short(deep.message)}"
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def _errors(validator: Draft7Validator, instance: Any) -> list[ValidationError] | str:
    try:
        errors = list(validator.iter_errors(instance))
    except Exception as exc:  # noqa: BLE001 - unresolved $refs, bad regexes: report, never crash
        return f"it could not be used: {_short(str(exc) or type(exc).__name__)}"
    return sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message))


def _example_label(example: Mapping, index: int) -> str:
    name = example.get("name")
    return repr(name) if isinstance(name, str) else f"#{index + 1}"


def _unchecked(ctx: Context, message: Mapping, part: str, reason: str) -> Diagnostic:
    return warning(
        "SG-EXAMPLE-UNCHECKED",
        f"message {ctx.label(message)}: examples not checked, the {part} schema is unusable: "
        + reason,
        ctx.locate(message, part),
        f"fix the {part} schema",
    )


def _check_part(ctx: Context, message: Mapping, part: str) -> Iterator[Diagnostic]:
    schema = _schema_of(message.get(part))
    examples = [(i, e) for i, e in _examples(message) if part in e]
    if schema is None or not examples:
        return
    validator = _validator(schema)
    if isinstance(validator, str):
        yield _unchecked(ctx, message, part, validator)
        return
    for index, example in examples:
        found = _errors(validator, example[part])
        if isinstance(found, str):
            yield _unchecked(ctx, message, part, found)
            return
        for top in found:
            deep, text = explain(top)
            yield error(
                "SG-EXAMPLE-INVALID",
                f"example {_example_label(example, index)}: {part} at {deep.json_path} does "
                "not match the schema: " + _short(text),
                _locate_in(ctx, example, [part, *deep.absolute_path]),
                f"fix the example or the {part} schema",
            )


def _examples(message: Mapping) -> list[tuple[int, Mapping]]:
    examples = message.get("examples")
    if not isinstance(examples, list):
        return []
    return [(i, e) for i, e in enumerate(examples) if isinstance(e, dict)]


def _check_all(ctx: Context) -> Iterator[Diagnostic]:
    seen: set[int] = set()
    for _, message in ctx.messages():
        if id(message) in seen:
            continue
        seen.add(id(message))
        yield from _check_part(ctx, message, "payload")
        yield from _check_part(ctx, message, "headers")


def check_invalid(ctx: Context) -> Iterator[Diagnostic]:
    return (d for d in _check_all(ctx) if d.rule == "SG-EXAMPLE-INVALID")


def check_unchecked(ctx: Context) -> Iterator[Diagnostic]:
    return (d for d in _check_all(ctx) if d.rule == "SG-EXAMPLE-UNCHECKED")


def check_missing(ctx: Context) -> Iterator[Diagnostic]:
    for _, message in ctx.messages():
        if _examples(message) or not ctx.known(message):
            continue
        yield error(
            "SG-EXAMPLE-MISSING",
            f"message {ctx.label(message)} has no example",
            ctx.locate(message, "examples") if "examples" in message else ctx.locate(message),
            "add 'examples: [{name: ..., payload: {...}}]'; examples are checked against the "
            "schema and used by the generated tests",
        )


RULES = (
    Rule(
        "SG-EXAMPLE-INVALID",
        BOTH,
        "every message example's payload and headers validate against the message's schemas",
        check_invalid,
    ),
    Rule(
        "SG-EXAMPLE-UNCHECKED",
        BOTH,
        "a message schema that jsonschema cannot use leaves its examples unchecked (warning)",
        check_unchecked,
    ),
    Rule(
        "SG-EXAMPLE-MISSING",
        SPECGEN_ONLY,
        "every message has at least one example",
        check_missing,
    ),
)
