"""Typed values of our own: the project file and our ``x-`` extensions, read with located errors.

The AsyncAPI objects follow the official schema (``base.Node``). What specgen itself defines
(``specgen.yaml``, ``x-stream``, ``x-cloudevents``, ...) is declared with :class:`Settings`
models and the value types below, and read by :func:`read_value`, which turns every problem
into a diagnostic at the offending key or value: wrong types, unknown keys (with "did you
mean"), values outside an enum, bad durations, numbers out of range.

Each value type says in words what it expects, and that text is the message::

    specgen.yaml:21:16: error[SG-PROJECT] topology.upload_stream.retention 'bogus' is not one
    of limits, interest, workqueue
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import UnionType
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, ConfigDict, PlainValidator, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from specgen.diagnostics import Diagnostic, Location, error
from specgen.model.durations import DURATION, TOO_LONG, parse_ms
from specgen.model.durations import EXPECTED as DURATION_EXPECTED
from specgen.model.errors import did_you_mean, json_type


class Settings(BaseModel):
    """A closed, strict mapping of our own: unknown keys are errors, nothing is coerced."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


def expected(description: str, choices: Sequence[str] = ()) -> PydanticCustomError:
    return PydanticCustomError(
        "expected", "expected {expected}", {"expected": description, "choices": list(choices)}
    )


def one_of(*choices: str, description: str = "") -> PlainValidator:
    """Annotate ``str`` with this: a string that is one of ``choices``."""
    description = description or "one of " + ", ".join(choices)

    def check(value: Any) -> str:
        if isinstance(value, str) and value in choices:
            return value
        raise expected(description, choices)

    return PlainValidator(check)


def matching(pattern: str, description: str) -> PlainValidator:
    """Annotate ``str`` with this: a string that matches ``pattern`` in full."""
    compiled = re.compile(pattern)

    def check(value: Any) -> str:
        if isinstance(value, str) and compiled.fullmatch(value):
            return value
        raise expected(description)

    return PlainValidator(check)


def whole_number(low: int, high: int | None = None) -> PlainValidator:
    """Annotate ``int`` with this: an integer (not a boolean) in ``[low, high]``."""
    description = f"a whole number from {low} to {high}" if high else f"a whole number >= {low}"

    def check(value: Any) -> int:
        if type(value) is int and value >= low and (high is None or value <= high):
            return value
        raise expected(description)

    return PlainValidator(check)


def _duration(value: Any) -> int:
    ms = parse_ms(value)
    if ms is None:
        too_long = isinstance(value, str) and DURATION.fullmatch(value) is not None
        raise expected(TOO_LONG if too_long else DURATION_EXPECTED)
    return ms


Duration = Annotated[int, PlainValidator(_duration)]
"""A duration (``30d``, ``500ms``), read as whole milliseconds (``specgen.model.durations``)."""


def _text(value: Any) -> str:
    if isinstance(value, str) and value.strip():
        return value
    raise expected("a non-empty string")


Text = Annotated[str, PlainValidator(_text)]


def show(value: Any) -> str:
    """A value as a message quotes it: YAML's words for true/false/null, a kind for containers."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, dict | list):
        return json_type(value)
    return repr(value)


# -- reading -----------------------------------------------------------------------------------
Locate = Callable[[Sequence[str | int], bool], Location]
"""Where ``path`` (inside the value being read) is written; ``True`` for the value itself."""


@dataclass(frozen=True)
class Reading:
    """How to report problems of one value: the rule id, what to call it, where it is."""

    rule: str
    label: str
    locate: Locate
    owner: str = ""
    """Prefix of every message, e.g. ``channel 'orders': ``."""
    hint: str = ""
    """Hint for missing fields and wrong types, e.g. a complete example."""
    rules: Mapping[str, str] = field(default_factory=dict)
    """Rule ids for problems inside particular top-level keys, e.g. ``{"type": "SG-CE-TYPE"}``."""


def read_value(kind: Any, raw: Any, reading: Reading) -> tuple[Any, list[Diagnostic]]:
    """``raw`` as ``kind`` (a Settings model or an annotated type), or None and why not."""
    try:
        return TypeAdapter(kind).validate_python(raw, strict=True), []
    except ValidationError as exc:
        return None, [_translate(e, kind, raw, reading) for e in exc.errors(include_url=False)]


def _walk(raw: Any, loc: Sequence[str | int]) -> tuple[Any, list[str | int]]:
    """The value at ``loc`` in ``raw`` and the part of ``loc`` that exists in the data."""
    value, path = raw, []
    for token in loc:
        if isinstance(value, dict) and token in value:
            value = value[token]
        elif isinstance(value, list) and isinstance(token, int) and 0 <= token < len(value):
            value = value[token]
        else:
            break
        path.append(token)
    return value, path


def _label(reading: Reading, path: Sequence[str | int]) -> str:
    text = reading.label
    for token in path:
        text += f"[{token}]" if isinstance(token, int) else ("." if text else "") + str(token)
    return text or "the value"


_TYPES = {
    "string_type": "a string",
    "int_type": "a whole number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "model_attributes_type": "a mapping",
}


def _translate(details: ErrorDetails, kind_of: Any, raw: Any, reading: Reading) -> Diagnostic:
    loc = [token for token in details["loc"] if isinstance(token, str | int)]
    value, path = _walk(raw, loc)
    kind = details["type"]
    label = _label(reading, path)
    if kind == "missing":
        key = str(loc[len(path)])
        description = _description(kind_of, [*path, key])
        hint = f"add {key!r}: {description}" if description else f"add {key!r}"
        hint += f"; e.g. {reading.hint}" if reading.hint and not description else ""
        message, where = f"{label} has no {key!r}", reading.locate(path, False)
    elif kind == "extra_forbidden":
        parent = _label(reading, path[:-1])
        fields = _field_names(kind_of, path[:-1])
        key = str(path[-1])
        message = f"{parent} has an unknown key {key!r}"
        hint = did_you_mean(key, fields) or ("known keys: " + ", ".join(fields) if fields else "")
        where = reading.locate(path, False)
    elif kind == "expected":
        ctx = details.get("ctx") or {}
        message = f"{label} {show(value)} is not {ctx.get('expected')}"
        choices = [str(c) for c in ctx.get("choices", [])]
        guess = did_you_mean(value, choices) if isinstance(value, str) else ""
        hint = guess or _description(kind_of, path) or reading.hint
        where = reading.locate(path, True)
    elif kind in _TYPES:
        message = f"{label} must be {_TYPES[kind]}, not {json_type(value)}"
        hint = _type_hint(kind, value) or _description(kind_of, path) or reading.hint
        where = reading.locate(path, True)
    elif kind == "too_short":
        message, hint, where = (
            f"{label} must not be empty",
            reading.hint,
            reading.locate(path, True),
        )
    else:
        message, hint = f"{label} is invalid: {details['msg']}", reading.hint
        where = reading.locate(path, True)
    rule = reading.rules.get(str(loc[0]), reading.rule) if loc else reading.rule
    return error(rule, reading.owner + message, where, hint)


def _type_hint(kind: str, value: Any) -> str:
    if kind == "list_type" and isinstance(value, str | int | float):
        return f"write a list, e.g. [{value}]"
    if kind == "string_type" and isinstance(value, int | float | bool):
        return f"quote the value: YAML reads {show(value)} as {json_type(value)}"
    return ""


def field_names(model: type[BaseModel]) -> list[str]:
    return [info.alias or name for name, info in model.model_fields.items()]


def _strip(kind: Any) -> Any:
    """``kind`` without ``Annotated`` and without ``| None``."""
    while True:
        origin = get_origin(kind)
        if origin is Annotated:
            kind = get_args(kind)[0]
        elif origin in (Union, UnionType):
            options = [a for a in get_args(kind) if a is not type(None)]
            if len(options) != 1:
                return kind
            kind = options[0]
        else:
            return kind


def _step(kind: Any, token: str | int) -> Any:
    """The type of ``value[token]`` for a value of type ``kind`` (None if unknown)."""
    kind = _strip(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        fields = {info.alias or name: info.annotation for name, info in kind.model_fields.items()}
        return fields.get(str(token))
    origin, args = get_origin(kind), get_args(kind)
    if origin in (list, tuple) and isinstance(token, int) and args:
        return args[0]
    if origin is dict and isinstance(token, str) and len(args) == 2:
        return args[1]
    return None


def _description(kind: Any, path: Sequence[str | int]) -> str:
    """The ``Field(description=...)`` of the Settings field at ``path``, if any."""
    if not path:
        return ""
    for token in path[:-1]:
        kind = _step(kind, token)
    kind = _strip(kind)
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        for name, info in kind.model_fields.items():
            if (info.alias or name) == path[-1]:
                return info.description or ""
    return ""


def _field_names(kind: Any, path: Sequence[str | int]) -> list[str]:
    """The keys a Settings mapping allows at ``path`` inside a value of type ``kind``."""
    for token in path:
        kind = _step(kind, token)
    kind = _strip(kind)
    return field_names(kind) if isinstance(kind, type) and issubclass(kind, BaseModel) else []
