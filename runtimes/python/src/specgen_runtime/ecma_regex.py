"""The regex dialect of every generated validator: the ECMA-262 patterns a linear-time engine runs.

JSON Schema's ``pattern`` and ``patternProperties`` are ECMA-262 regular expressions. This
module reads one (``parse``) and writes the same language for the linear-time engines the
three runtimes use: the Rust ``regex`` crate (``to_rust``: the Rust runtime, and pydantic-core's
``rust-regex`` engine in Python) and RE2 (``to_re2``: ``re2js`` in the TypeScript runtime). A
match never backtracks, so no payload can make a check take more than linear time.

The dialect (docs/regex-dialect.md) is ECMA-262 with the ``u`` flag, without flags otherwise:

- alternation, groups (capturing, ``(?:...)``, ``(?<name>...)``), quantifiers ``* + ? {n}
  {n,} {n,m}`` (greedy or lazy; counts up to 1000), ``^`` and ``$`` (start and end of the
  string), ``\\b``/``\\B`` (ASCII word boundaries), ``.`` (any code point but a line
  terminator);
- classes ``[...]``/``[^...]`` with ranges; ``\\d \\w \\s`` and their negations with ECMA-262's
  sets (ASCII digits and word characters, Unicode white space); ``\\t \\n \\v \\f \\r \\0
  \\cX \\xHH \\uHHHH \\u{H...}`` (surrogate pairs are one code point) and escaped punctuation;
- ``\\p{...}``/``\\P{...}`` with a General_Category value (``L``, ``Letter``, ``Nd``,
  ``digit``, ``gc=Lu``...), a script by its long name (``Script=Greek``, ``sc=Latin``), or
  ``Any``, ``ASCII``, ``Assigned``.

Refused by name (:class:`Unsupported`): lookahead and lookbehind, backreferences (numbered and
named), binary properties and script extensions, lone surrogates, counts above 1000. A
pattern that is not ECMA-262 at all raises :class:`PatternSyntaxError`. Both are
:class:`PatternError` (``position`` is the offending character's index).
"""

from __future__ import annotations

from functools import cache

from .ecma_parse import parse
from .ecma_syntax import (
    Alternation,
    Assertion,
    CharSet,
    Node,
    PatternError,
    PatternSyntaxError,
    Prop,
    Sequence,
    Unsupported,
)

__all__ = [
    "PatternError",
    "PatternSyntaxError",
    "Unsupported",
    "parse",
    "to_re2",
    "to_rust",
]


# -- writing ------------------------------------------------------------------------------------
_NEVER = r"[^\x{0}-\x{10FFFF}]"
_ANYTHING = r"[\x{0}-\x{10FFFF}]"


def _code_point(value: int) -> str:
    """One code point, readable where that is safe in both syntaxes (escaped punctuation;
    ``<`` and ``>`` plain: ``\\<`` is a word boundary in the regex crate)."""
    char = chr(value)
    if char.isascii() and (char.isalnum() or char in " <>"):
        return char
    if char.isascii() and char.isprintable():
        return "\\" + char
    if not char.isascii() and char.isprintable() and not char.isspace():
        return char
    return f"\\x{{{value:X}}}"


def _prop(prop: Prop) -> str:
    if prop.kind == "Any":
        return "" if prop.negated else r"\x{0}-\x{10FFFF}"
    if prop.kind == "ASCII":
        return r"\x{80}-\x{10FFFF}" if prop.negated else r"\x{0}-\x{7F}"
    if prop.kind == "Assigned":
        return r"\p{Cn}" if prop.negated else r"\P{Cn}"
    return ("\\P" if prop.negated else "\\p") + "{" + prop.value + "}"


def _set(charset: CharSet) -> str:
    items = "".join(
        _code_point(low) if low == high else f"{_code_point(low)}-{_code_point(high)}"
        for low, high in charset.ranges
    ) + "".join(_prop(p) for p in charset.props)
    if not items:
        return _ANYTHING if charset.negated else _NEVER
    if not charset.negated and len(charset.ranges) == 1 and not charset.props:
        low, high = charset.ranges[0]
        if low == high:
            return _code_point(low)
    return "[" + ("^" if charset.negated else "") + items + "]"


def _write(node: Node, boundary: str) -> str:
    if isinstance(node, CharSet):
        return _set(node)
    if isinstance(node, Assertion):
        return node.kind if node.kind in ("^", "$") else boundary.replace("b", node.kind)
    if isinstance(node, Sequence):
        return "".join(_write(item, boundary) for item in node.items) or "(?:)"
    if isinstance(node, Alternation):
        return "(?:" + "|".join(_write(b, boundary) for b in node.branches) + ")"
    inner = _write(node.node, boundary)
    if not isinstance(node.node, CharSet | Alternation):
        inner = f"(?:{inner})"
    if (node.low, node.high) == (0, None):
        count = "*"
    elif (node.low, node.high) == (1, None):
        count = "+"
    elif (node.low, node.high) == (0, 1):
        count = "?"
    elif node.high is None:
        count = f"{{{node.low},}}"
    else:
        count = f"{{{node.low}}}" if node.low == node.high else f"{{{node.low},{node.high}}}"
    return inner + count + ("?" if node.lazy else "")


@cache
def to_rust(source: str) -> str:
    """``source`` (ECMA-262, in the dialect) in the Rust ``regex`` crate's syntax."""
    return _write(parse(source), r"(?-u:\b)")


@cache
def to_re2(source: str) -> str:
    """``source`` (ECMA-262, in the dialect) in RE2's syntax (``re2js``)."""
    return _write(parse(source), r"\b")
