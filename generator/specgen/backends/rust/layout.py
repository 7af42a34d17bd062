"""Rust lines laid out as rustfmt (default configuration, edition 2021) lays them out.

The Rust backend writes its output already formatted, so generating needs no rustfmt; the
tests run the installed rustfmt over every generated file and require no change. The
templates fix most of each file; what depends on the spec goes through these helpers, which
implement rustfmt's rules for the few constructs the backend emits:

- a call ``f(a, b)``: on one line if it fits in ``MAX_WIDTH`` columns and its arguments in
  ``FN_CALL_WIDTH`` (a single argument may be wider); else one argument per line, with a
  trailing comma;
- ``static NAME: T = f(a);`` and ``let x = f(a);``: on one line if it fits; else the call on
  the next line, if it fits there; else the call's arguments broken;
- an attribute ``#[name(a, b)]``: on one line if its arguments fit in ``ATTR_WIDTH`` (a single
  argument may be wider); else one per line, without a trailing comma;
- a function signature: on one line if it fits; else one parameter per line;
- an array ``&[a, b]``: on one line if it fits in ``ARRAY_WIDTH``; else, when every item is
  short (``SHORT_ITEM``), as many items per line as fit, otherwise one per line.

Strings rustfmt cannot break stay as they are; when even the broken form overflows, rustfmt
leaves the line alone, and so do these helpers.
"""

from __future__ import annotations

from collections.abc import Sequence

MAX_WIDTH = 100
FN_CALL_WIDTH = 60
ATTR_WIDTH = 70
ARRAY_WIDTH = 60
SHORT_ITEM = 10
INDENT = "    "


def _fits(lines: Sequence[str]) -> bool:
    return all(len(line) <= MAX_WIDTH for line in lines)


def call(indent: str, head: str, args: Sequence[str], tail: str) -> list[str]:
    """``{indent}{head}(args){tail}``: ``head`` ends with the callee, ``tail`` is ``?;`` or so."""
    joined = ", ".join(args)
    one = f"{indent}{head}({joined}){tail}"
    if len(one) <= MAX_WIDTH and _narrow(args, joined):
        return [one]
    if not args:
        return [one]
    closing = [f"{indent})", f"{indent}{tail}"] if tail.startswith(".") else [f"{indent}){tail}"]
    vertical = [f"{indent}{head}(", *(f"{indent}{INDENT}{a}," for a in args), *closing]
    return vertical if _fits(vertical) else [one]


def tuples(
    indent: str, head: str, items: Sequence[Sequence[str]], tail: str, *, borrowed: bool = False
) -> list[str]:
    """``{head}[(a, b), ...]{tail}``: an array of tuples; a wide tuple breaks as a call does."""
    flat = [f"({', '.join(item)})" for item in items]
    one = array(indent, head, flat, tail, borrowed=borrowed)
    if len(one) == 1:
        return one
    rows = [line for item in items for line in call(indent + INDENT, "", item, ",")]
    opening = "&[" if borrowed else "["
    return [f"{indent}{head}{opening}", *rows, f"{indent}]{tail}"]


def _narrow(args: Sequence[str], joined: str) -> bool:
    """A call's arguments may stay on one line: one argument, or all within FN_CALL_WIDTH."""
    return len(args) == 1 or len(joined) <= FN_CALL_WIDTH


def assign(indent: str, left: str, callee: str, args: Sequence[str], tail: str = ";") -> list[str]:
    """``{left} = callee(args);`` (a ``static``, ``const`` or ``let``; ``tail`` may be ``?;``)."""
    joined = ", ".join(args)
    one = f"{indent}{left} = {callee}({joined}){tail}"
    if len(one) <= MAX_WIDTH and _narrow(args, joined):
        return [one]
    below = f"{indent}{INDENT}{callee}({joined}){tail}"
    if len(below) <= MAX_WIDTH and _narrow(args, joined):
        return [f"{indent}{left} =", below]
    broken = call(indent, f"{left} = {callee}", args, tail)
    return broken if len(broken) > 1 else [one]


def attribute(indent: str, name: str, args: Sequence[str]) -> list[str]:
    """``#[name(args)]``, e.g. ``#[serde(rename = "x", default)]``."""
    joined = ", ".join(args)
    one = f"{indent}#[{name}({joined})]"
    if len(one) <= MAX_WIDTH and (len(args) == 1 or len(joined) <= ATTR_WIDTH):
        return [one]
    inner = [f"{indent}{INDENT}{a}" for a in args]
    inner = [f"{line}," for line in inner[:-1]] + inner[-1:]
    return [f"{indent}#[{name}(", *inner, f"{indent})]"]


def signature(indent: str, head: str, params: Sequence[str], tail: str) -> list[str]:
    """``{head}(params){tail}`` for a function: ``tail`` is `` -> R {`` (or `` {``)."""
    one = f"{indent}{head}({', '.join(params)}){tail}"
    if len(one) <= MAX_WIDTH:
        return [one]
    return [f"{indent}{head}(", *(f"{indent}{INDENT}{p}," for p in params), f"{indent}){tail}"]


def macro_call(indent: str, name: str, args: Sequence[str], tail: str) -> list[str]:
    """``name!(args){tail}``: as a call, but short arguments share lines, as in an array."""
    one = call(indent, name, args, tail)
    if len(one) == 1 or not all(len(a) <= SHORT_ITEM for a in args):
        return one
    return [f"{indent}{name}(", *_rows(indent + INDENT, args), f"{indent}){tail}"]


def _rows(inner: str, items: Sequence[str]) -> list[str]:
    rows: list[str] = []
    for item in items:
        if rows and len(f"{rows[-1]} {item},") <= MAX_WIDTH:
            rows[-1] = f"{rows[-1]} {item},"
        else:
            rows.append(f"{inner}{item},")
    return rows


def array(
    indent: str, head: str, items: Sequence[str], tail: str, *, borrowed: bool = True
) -> list[str]:
    """``{head}&[items]{tail}`` (``[items]`` unless ``borrowed``): ``head`` is e.g.
    ``parameters: `` and ``tail`` ``,``."""
    opening = "&[" if borrowed else "["
    joined = ", ".join(items)
    one = f"{indent}{head}{opening}{joined}]{tail}"
    if not items or (len(one) <= MAX_WIDTH and len(joined) <= ARRAY_WIDTH):
        return [one]
    inner = indent + INDENT
    if all(len(item) <= SHORT_ITEM for item in items):
        rows = _rows(inner, items)
    else:
        rows = [f"{inner}{item}," for item in items]
    return [f"{indent}{head}{opening}", *rows, f"{indent}]{tail}"]


def static_array(indent: str, left: str, items: Sequence[str]) -> list[str]:
    """``{left} = &[items];`` (``left``: ``static NAME: &[T]``): as an array on one line if it
    fits, else as one on the next line if it fits there, else broken."""
    one = array(indent, f"{left} = ", items, ";")
    joined = ", ".join(items)
    below = f"{indent}{INDENT}&[{joined}];"
    if len(one) > 1 and len(below) <= MAX_WIDTH and len(joined) <= ARRAY_WIDTH:
        return [f"{indent}{left} =", below]
    return one


def doc_lines(text: str, indent: str = "", inner: bool = False) -> list[str]:
    """``///`` (or ``//!``) lines for documentation text from the spec.

    Line ends start new comment lines; characters a comment must not hold (CR, other control
    characters) become spaces, so nothing in the text can end the comment or the line early.
    """
    marker = "//!" if inner else "///"
    cleaned = "".join(" " if _control(c) else c for c in text.replace("\r\n", "\n"))
    lines = [line.rstrip() for line in cleaned.strip("\n").split("\n")]
    if not any(lines):
        return []
    return [f"{indent}{marker} {line}" if line else f"{indent}{marker}" for line in lines]


def _control(char: str) -> bool:
    code = ord(char)
    return char != "\n" and (
        code < 0x20 or 0x7F <= code <= 0x9F or code in (0x2028, 0x2029, 0xFEFF)
    )
