"""A few short strings that a pattern matches, to build witnesses around patterns.

Walks Python's parse of the pattern (``re._parser``): literals as written, the first member of
each class, each repeat at its minimum and once more, the first (and second) alternative.
Only candidates: the checker confirms every one before it is used.
"""

from __future__ import annotations

import importlib
from typing import Any

try:  # the parser is internal to `re`; without it there are simply no pattern samples
    _p: Any = importlib.import_module("re._parser")
    _c: Any = importlib.import_module("re._constants")
except ImportError:  # pragma: no cover - every supported Python has it
    _p = None
    _c = None

_LIMIT = 64
_CATEGORY = {"CATEGORY_DIGIT": "0", "CATEGORY_WORD": "a", "CATEGORY_SPACE": " "}
_NOT_CATEGORY = {"CATEGORY_NOT_DIGIT": "a", "CATEGORY_NOT_WORD": "-", "CATEGORY_NOT_SPACE": "a"}


def _class_char(items: list[Any], variant: int) -> str | None:
    negate = any(str(op) == "NEGATE" for op, _ in items)
    members: list[str] = []
    for op, arg in items:
        name = str(op)
        if name == "LITERAL":
            members.append(chr(arg))
        elif name == "RANGE":
            members.append(chr(arg[0]))
        elif name == "CATEGORY":
            members.append(_CATEGORY.get(str(arg), _NOT_CATEGORY.get(str(arg), "a")))
    if not negate:
        return (members[-1] if variant else members[0]) if members else None
    for candidate in "a0A_-x ":
        if candidate not in members:
            return candidate
    return None


def _gen(items: Any, variant: int, depth: int) -> str | None:
    if depth > 20:
        return None
    out: list[str] = []
    for op, arg in items:
        piece = _piece(str(op), arg, variant, depth)
        if piece is None:
            return None
        out.append(piece)
        if sum(len(p) for p in out) > _LIMIT:
            return None
    return "".join(out)


def _piece(name: str, arg: Any, variant: int, depth: int) -> str | None:
    if name == "LITERAL":
        return str(chr(arg))
    if name == "NOT_LITERAL":
        return "a" if chr(arg) != "a" else "b"
    if name == "ANY":
        return "a"
    if name == "IN":
        return _class_char(arg, variant)
    if name == "AT":
        return ""
    if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
        low, high, sub = arg
        count = low + (1 if variant and (high is _c.MAXREPEAT or high > low) else 0)
        one = _gen(sub, variant, depth + 1)
        return None if one is None else one * count
    if name == "SUBPATTERN":
        return _gen(arg[-1], variant, depth + 1)
    if name == "BRANCH":
        branches = arg[1]
        chosen = branches[min(variant, len(branches) - 1)]
        return _gen(chosen, 0, depth + 1)
    if name == "CATEGORY":
        return _CATEGORY.get(str(arg), _NOT_CATEGORY.get(str(arg), "a"))
    return None  # lookaround, backreferences: no candidate


def pattern_samples(pattern: str) -> list[str]:
    if _p is None:
        return []
    try:
        parsed = _p.parse(pattern)
    except Exception:  # noqa: BLE001 - an ECMA-only construct: no candidates
        return []
    found: list[str] = []
    for variant in (0, 1):
        text = _gen(list(parsed), variant, 0)
        if text is not None and text not in found:
            found.append(text)
    return found
