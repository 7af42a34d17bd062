"""Rust literals for spec strings and numbers: every spec string that lands in code goes here.

``rust_str`` is the one escaping function: it returns a Rust string literal that evaluates to
exactly the given text. Documentation becomes ``///`` comments (``layout.doc_lines``), one per
line of the text, with every character a comment cannot hold replaced, so a description
holding ``*/``, a newline, U+2028 or a quote cannot break out.
"""

from __future__ import annotations

import json
import math
from typing import Any

_SHORT = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r", "\t": "\\t", "\0": "\\0"}


def rust_str(text: str) -> str:
    """A Rust string literal (``"..."``) that evaluates to exactly ``text``."""
    out = []
    for char in text:
        code = ord(char)
        if char in _SHORT:
            out.append(_SHORT[char])
        elif (
            code < 0x20
            or 0x7F <= code <= 0x9F
            or code in (0x2028, 0x2029, 0xFEFF)
            or (0xD800 <= code <= 0xDFFF)
        ):
            if 0xD800 <= code <= 0xDFFF:
                raise ValueError(f"lone surrogate U+{code:04X} cannot be a Rust string")
            out.append(f"\\u{{{code:x}}}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def doc_text(*parts: str) -> str:
    """Documentation text from spec parts (empty ones left out), paragraphs apart."""
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def json_text(value: Any) -> str:
    """Compact JSON text of a spec value (key order kept, non-ASCII kept)."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False, allow_nan=False)


def num(value: int | float) -> str:
    """A ``specgen_runtime::schema::Num`` expression for a bound or divisor from the spec."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a number")
    if isinstance(value, int):
        return f"schema::Num::Int({value})"
    if not math.isfinite(value):
        raise ValueError(f"{value!r} is not a JSON number")
    text = repr(value)
    if "." not in text and "e" not in text:
        text += ".0"
    return f"schema::Num::Float({text})"
