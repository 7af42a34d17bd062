"""Message examples: every example payload (and headers) validates against the message's
schema; in our own spec every message has at least one example.

Examples are judged as the generated validators judge them (``specgen.schema.instances``:
draft 7 with the regex dialect, the formats of docs/formats.md and exact ``multipleOf``), over
the typed schemas the other rules read, compiled once per schema object. python-jsonschema is
imported only when that cannot answer alone:

- an example is refused: jsonschema words the findings (its messages, followed into unions by
  ``schema_errors.explain``); where it sees no problem (a pattern or format it reads
  differently), the refusal is reported in our own words;
- a schema the typed model cannot judge (a keyword the meta-schema refuses, an unresolved
  ``$ref``, a pattern outside the dialect): jsonschema checks the schema and the examples, as
  before, a recursive schema as its self-contained export (``ir.export_schema``).

Payloads in a non-JSON schema format (Avro, Protobuf, RAML) are not checked here; the
generator refuses them by name (SG-SCHEMA-FORMAT).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from specgen.diagnostics import Diagnostic, error, warning
from specgen.ir.export_schema import export_schema
from specgen.load import RecursiveRef
from specgen.model import Message
from specgen.model.messages import MessageExample, json_schema
from specgen.rules.context import Context
from specgen.rules.example_validators import Validators, short
from specgen.rules.registry import ASYNCAPI, GENERATOR, SPECGEN, Rule, includes
from specgen.rules.schema_errors import explain
from specgen.schema import schemas_of
from specgen.schema.instances import Check, Instances, Issue, usable

if TYPE_CHECKING:
    from jsonschema import Draft7Validator
    from jsonschema.exceptions import ValidationError


def _errors(validator: Draft7Validator, instance: Any) -> list[ValidationError] | str:
    try:
        errors = list(validator.iter_errors(instance))
    except Exception as exc:  # noqa: BLE001 - unresolved $refs, bad regexes: report, never crash
        return f"it could not be used: {short(str(exc) or type(exc).__name__)}"
    return sorted(errors, key=lambda e: ([str(p) for p in e.absolute_path], e.message))


def _example_label(example: MessageExample, index: int) -> str:
    return repr(example.name) if example.name is not None else f"#{index + 1}"


def _unchecked(ctx: Context, message: Message, part: str, reason: str) -> Diagnostic:
    return warning(
        "SG-EXAMPLE-UNCHECKED",
        f"message {ctx.label(message)}: examples not checked, the {part} schema is unusable: "
        + reason,
        ctx.locate(message, part),
        f"fix the {part} schema",
    )


def _recursive(schema: Any) -> bool:
    seen: set[int] = set()
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, RecursiveRef):
            return True
        if isinstance(node, dict | list) and id(node) not in seen:
            seen.add(id(node))
            stack.extend(node.values() if isinstance(node, dict) else node)
    return False


def _pointer(ctx: Context, schema: Any) -> str | None:
    origin = ctx.spec.origin_of(schema)
    return origin.pointer if origin else None


def _check_part(ctx: Context, judges: _Judges, message: Message, part: str) -> Iterator[Diagnostic]:
    raw = json_schema(getattr(message, part))
    examples = [(i, e) for i, e in enumerate(message.examples or []) if part in e.raw]
    if raw is None or not examples:
        return
    check = judges.fast(ctx, raw)
    if check is None:
        yield from _by_jsonschema(ctx, judges.validators, message, part, raw, examples)
        return
    for index, example in examples:
        try:
            issue = check(getattr(example, part))
        except RecursionError:  # a value nested deeper than Python's stack: jsonschema says
            yield from _by_jsonschema(
                ctx, judges.validators, message, part, raw, [(index, example)]
            )
            continue
        if issue is None:
            continue
        worded = list(
            _by_jsonschema(ctx, judges.validators, message, part, raw, [(index, example)])
        )
        found = [d for d in worded if d.rule == "SG-EXAMPLE-INVALID"]
        yield from found or [_own_words(ctx, example, index, part, issue)]


def _by_jsonschema(
    ctx: Context,
    validators: Validators,
    message: Message,
    part: str,
    schema: Any,
    examples: list[tuple[int, MessageExample]],
) -> Iterator[Diagnostic]:
    if _recursive(schema):
        # a recursive schema holds RecursiveRefs: hand jsonschema its finite export instead
        schema = export_schema(schema, lambda _: None, lambda node: _pointer(ctx, node))
    validator = validators.of(schema)
    if isinstance(validator, str):
        yield _unchecked(ctx, message, part, validator)
        return
    for index, example in examples:
        found = _errors(validator, getattr(example, part))
        if isinstance(found, str):
            yield _unchecked(ctx, message, part, found)
            return
        for top in found:
            deep, text = explain(top)
            yield _invalid(ctx, example, index, part, [*deep.absolute_path], deep.json_path, text)


def _own_words(
    ctx: Context, example: MessageExample, index: int, part: str, issue: Issue
) -> Diagnostic:
    shown = "$" + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in issue.path)
    return _invalid(ctx, example, index, part, list(issue.path), shown, issue.message)


def _invalid(
    ctx: Context,
    example: MessageExample,
    index: int,
    part: str,
    path: list[str | int],
    shown: str,
    text: str,
) -> Diagnostic:
    return error(
        "SG-EXAMPLE-INVALID",
        f"example {_example_label(example, index)}: {part} at {shown} does not match the "
        "schema: " + short(text),
        ctx.spec.locate_in(example.raw, [part, *path]),
        f"fix the example or the {part} schema",
    )


class _Judges:
    """The checks of one pass: ours, compiled per typed schema, and jsonschema's (lazily)."""

    def __init__(self, formats: bool) -> None:
        self.validators = Validators(formats)
        self._instances = Instances(formats)

    def fast(self, ctx: Context, raw: Any) -> Check | None:
        """Our check of the schema ``raw`` was read into, or None if it cannot judge it."""
        if not isinstance(raw, dict | bool):
            return None
        node = schemas_of(ctx.spec).read(raw)
        return self._instances.check(node) if usable(node) else None


def _check_all(ctx: Context) -> Iterator[Diagnostic]:
    # JSON Schema draft 7 makes ``format`` an annotation unless a tool opts in, so plain
    # AsyncAPI does not assert it (an example dated ``2024-01-01 10:00`` is valid AsyncAPI);
    # the generated validators do check formats, so the ``generator`` and ``specgen``
    # rulesets do.
    judges = _Judges(formats=includes(ctx.ruleset, GENERATOR))
    for message in ctx.definitions():
        yield from _check_part(ctx, judges, message, "payload")
        yield from _check_part(ctx, judges, message, "headers")


# The findings of the last context checked: both rules read one pass over the examples.
_last: list[tuple[Context, list[Diagnostic]]] = []


def _checked(ctx: Context) -> list[Diagnostic]:
    for seen, found in _last:
        if seen is ctx:
            return found
    found = list(_check_all(ctx))
    _last[:] = [(ctx, found)]
    return found


def check_invalid(ctx: Context) -> Iterator[Diagnostic]:
    return (d for d in _checked(ctx) if d.rule == "SG-EXAMPLE-INVALID")


def check_unchecked(ctx: Context) -> Iterator[Diagnostic]:
    return (d for d in _checked(ctx) if d.rule == "SG-EXAMPLE-UNCHECKED")


def check_missing(ctx: Context) -> Iterator[Diagnostic]:
    for _, message in ctx.messages():
        if message.examples or not ctx.known(message):
            continue
        yield error(
            "SG-EXAMPLE-MISSING",
            f"message {ctx.label(message)} has no example",
            ctx.locate(message, "examples")
            if message.examples is not None
            else ctx.locate(message),
            "add 'examples: [{name: ..., payload: {...}}]'; examples are checked against the "
            "schema and used by the generated tests",
        )


RULES = (
    Rule(
        "SG-EXAMPLE-INVALID",
        ASYNCAPI,
        "every message example's payload and headers validate against the message's schemas",
        check_invalid,
    ),
    Rule(
        "SG-EXAMPLE-UNCHECKED",
        ASYNCAPI,
        "a message schema that jsonschema cannot use leaves its examples unchecked (warning)",
        check_unchecked,
    ),
    Rule(
        "SG-EXAMPLE-MISSING",
        SPECGEN,
        "every message has at least one example",
        check_missing,
    ),
)
