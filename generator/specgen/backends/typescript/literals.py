"""JavaScript literals for spec strings and numbers: every spec string goes through here.

Strings become JavaScript string literals that evaluate to exactly the text (JSON escapes,
U+2028/U+2029 escaped so no tool that predates ES2019 can read them as line ends), written
in prettier's normal form: double quotes unless the text holds more double quotes than
single ones. Numbers are written as prettier writes them (``1e-5``, ``1.5e16``). Comments are
JSDoc blocks in which ``*/`` can never close the comment early.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from decimal import Decimal

MAX_SAFE_INTEGER = 2**53 - 1
_ESCAPE = re.compile(r"\\(.)|([\"'])", re.DOTALL)
_KEEP_ESCAPED = re.compile(r"^[^\n\r\"'0-7\\bfnrt-vx\u2028\u2029]$")


def ts_str(text: str) -> str:
    """A string literal that evaluates to exactly ``text``, in prettier's quotes and escapes."""
    raw = json.dumps(text, ensure_ascii=False)[1:-1]
    raw = raw.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    quote = "'" if raw.count('"') > raw.count("'") else '"'
    other = '"' if quote == "'" else "'"

    def requote(match: re.Match[str]) -> str:
        escaped, bare = match.group(1), match.group(2)
        if escaped == other:
            return escaped
        if bare == quote:
            return "\\" + bare
        if bare:
            return bare
        return escaped if _KEEP_ESCAPED.match(escaped) else "\\" + escaped

    return quote + _ESCAPE.sub(requote, raw) + quote


def exactly_representable(value: int) -> bool:
    """Whether a JSON integer survives the trip through an IEEE-754 double unchanged."""
    return abs(value) <= MAX_SAFE_INTEGER or int(float(value)) == value


def check_number(value: int | float) -> None:
    """Raise ValueError for what ``ts_number`` refuses: non-JSON numbers, rounded integers."""
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        raise ValueError(f"{value!r} is not a JSON number")
    if isinstance(value, int) and not exactly_representable(value):
        raise ValueError(f"{value} cannot be represented exactly as a JavaScript number")


def ts_number(value: int | float) -> str:
    """A number literal of ``abs(value)`` in prettier's form; refuses what JavaScript rounds."""
    check_number(value)
    text = str(abs(value)) if isinstance(value, int) else repr(abs(value))
    text = re.sub(r"^([\d.]+e)(?:\+|(-))?0*(\d)", r"\1\2\3", text.lower())
    text = re.sub(r"^([\d.]+)e[+-]?0+$", r"\1", text)
    text = re.sub(r"(\.\d+?)0+(?=e|$)", r"\1", text)
    return re.sub(r"\.(?=e|$)", "", text)


def negative(value: int | float) -> bool:
    return value < 0 or (isinstance(value, float) and math.copysign(1, value) < 0)


def _es5_identifier(name: str) -> bool:
    """An ECMAScript 5 IdentifierName (reserved words too: they are fine as property names)."""
    if not name or any(ord(c) > 0xFFFF for c in name):
        return False
    start = {"Lu", "Ll", "Lt", "Lm", "Lo", "Nl"}
    part = start | {"Mn", "Mc", "Nd", "Pc"}
    if not (name[0] in "$_" or unicodedata.category(name[0]) in start):
        return False
    return all(c in "$_\u200c\u200d" or unicodedata.category(c) in part for c in name[1:])


def _js_number_text(text: str) -> str:
    """JavaScript's ``String(Number(text))`` for a simple, non-negative number text."""
    value = float(text)
    if value == 0:
        return "0"
    if not 1e-6 <= value < 1e21:
        return repr(value)  # exponent notation: never equal to a simple number text
    fixed = format(Decimal(repr(value)), "f")
    return fixed.rstrip("0").rstrip(".") if "." in fixed else fixed


def ts_key(name: str, *, javascript: bool) -> str:
    """A property name as prettier prints it: unquoted where that is safe, else a string.

    In JavaScript, ``__proto__`` is a computed key (``__proto__: v`` would set the prototype)
    and simple numbers (``1``, ``2.5``) are unquoted; in declarations only identifiers are.
    """
    if javascript and name == "__proto__":
        return f"[{ts_str(name)}]"
    if ts_str(name)[1:-1] == name:
        if _es5_identifier(name):
            return name
        if javascript and re.fullmatch(r"\d+|\d+\.\d+", name) and _js_number_text(name) == name:
            return name
    return ts_str(name)


def jsdoc_lines(text: str) -> list[str]:
    """The lines of a ``/** ... */`` block holding ``text`` (no indentation); ``[]`` if empty."""
    body = text.strip().replace("\r\n", "\n").replace("\r", "\n")
    if not body:
        return []
    body = body.replace("*/", "*\\/").replace("\u2028", " ").replace("\u2029", " ")
    return ["/**", *(f" * {line}".rstrip() for line in body.split("\n")), " */"]


def jsdoc(text: str, indent: str = "") -> str:
    """A ``/** ... */`` block holding ``text``; ``*/`` inside is broken as ``*\\/``."""
    return "\n".join(f"{indent}{line}" for line in jsdoc_lines(text))
