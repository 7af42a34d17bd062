"""Python literals for spec strings and JSON values: every spec string goes through here."""

from __future__ import annotations

import json
import math
from typing import Any


def py_str(text: str) -> str:
    """A Python string literal that evaluates to exactly ``text``."""
    return repr(text)


def py_value(value: Any) -> str:
    """A Python expression for a JSON value (dicts, lists, strings, numbers, bools, null)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{value!r} is not a JSON number")
    if value is None or isinstance(value, bool | int | float | str):
        return repr(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(py_value(v) for v in value) + "]"
    if isinstance(value, dict):
        items = ", ".join(f"{py_str(str(k))}: {py_value(v)}" for k, v in value.items())
        return "{" + items + "}"
    raise ValueError(f"{value!r} is not JSON data")


def docstring(text: str) -> str:
    """A triple-quoted docstring literal holding ``text`` unchanged, whatever it contains."""
    body = text.strip()
    escaped = (
        body.replace("\\", "\\\\")
        .replace('"""', '\\"\\"\\"')
        .replace("\r", "\\r")
        .replace("\x00", "\\x00")
    )
    if escaped.endswith('"'):
        escaped = escaped[:-1] + '\\"'
    return f'"""{escaped}"""'


def json_text(value: Any) -> str:
    """Canonical JSON text: sorted keys, no spaces, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
