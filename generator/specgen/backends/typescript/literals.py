"""TypeScript literals for spec strings and JSON values: every spec string goes through here.

Strings become JSON string literals (valid TypeScript), with U+2028/U+2029 escaped so no
tool that predates ES2019 can read them as line ends. Comments are JSDoc blocks in which
``*/`` can never close the comment early.
"""

from __future__ import annotations

import json
import math
from typing import Any

MAX_SAFE_INTEGER = 2**53 - 1


def ts_str(text: str) -> str:
    """A TypeScript string literal that evaluates to exactly ``text``."""
    return (
        json.dumps(text, ensure_ascii=False)
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def exactly_representable(value: int) -> bool:
    """Whether a JSON integer survives the trip through an IEEE-754 double unchanged."""
    return abs(value) <= MAX_SAFE_INTEGER or int(float(value)) == value


def ts_value(value: Any) -> str:
    """A TypeScript expression (JSON syntax) for a JSON value; refuses what JS would round."""
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, int):
        if not exactly_representable(value):
            raise ValueError(f"{value} cannot be represented exactly as a JavaScript number")
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"{value!r} is not a JSON number")
        return repr(value)
    if isinstance(value, str):
        return ts_str(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(ts_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_key(str(k))}: {ts_value(v)}" for k, v in value.items()) + "}"
    raise ValueError(f"{value!r} is not JSON data")


def _key(key: str) -> str:
    # `"__proto__": v` in an object literal sets the prototype; a computed key is a property.
    return f"[{ts_str(key)}]" if key == "__proto__" else ts_str(key)


def jsdoc(text: str, indent: str = "") -> str:
    """A ``/** ... */`` block holding ``text``; ``*/`` inside is broken as ``*\\/``."""
    body = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    if not body:
        return ""
    body = body.replace("*/", "*\\/").replace("\u2028", " ").replace("\u2029", " ")
    lines = body.split("\n")
    inner = "\n".join(f"{indent} * {line}".rstrip() for line in lines)
    return f"/**\n{inner}\n{indent} */"
