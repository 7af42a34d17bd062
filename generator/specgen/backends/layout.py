"""Line breaks decided the way a pretty-printer decides them: a small document printer.

Backends emit TypeScript and Rust already in the layout of the pinned formatters (prettier,
rustfmt), so output does not depend on which tools a machine has. Most of it is fixed in
the templates; where a line's length depends on the spec (a long union, a schema literal,
a parameter list) the backend describes the piece as a *document* and prints it here.

The document model and the printing algorithm are Wadler's "prettier printer", in the form
prettier implements it (so that the decisions agree with prettier's to the column):

- ``Group(doc)``: print flat if the whole group, and what follows it up to the next possible
  break, fits in the remaining width; otherwise break its lines. A group that contains a
  hard line, or a group that must break, breaks as well.
- ``Line()``: a space when flat, a newline (plus indentation) when broken; ``SOFT``: nothing
  when flat; ``HARD``: always a newline.
- ``Indent``, ``Align(n, ...)``, ``IfBreak(broken, flat, group_id)``,
  ``IndentIfBreak(doc, group_id)`` and ``Fill(parts)`` (as many items per line as fit).

A document is a string, a list of documents (concatenation) or one of the nodes below.
Widths count columns as prettier does: CJK and other wide characters take two.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import TypeAlias

WIDTH = 100
_BREAK, _FLAT = True, False
_ids = count(1)


@dataclass(frozen=True)
class Group:
    contents: Doc
    should_break: bool = False
    id: int = 0


@dataclass(frozen=True)
class ConditionalGroup:
    """prettier's ``conditionalGroup``: the first state that fits flat, else the last, broken.

    Breaks inside do not break the groups around it (prettier does not propagate them).
    """

    states: list[Doc]


@dataclass(frozen=True)
class BreakParent:
    """Breaks every group around it (prettier's ``breakParent``); prints nothing."""


@dataclass(frozen=True)
class Indent:
    contents: Doc


@dataclass(frozen=True)
class Align:
    width: int
    contents: Doc


@dataclass(frozen=True)
class Line:
    soft: bool = False
    hard: bool = False


@dataclass(frozen=True)
class IfBreak:
    broken: Doc
    flat: Doc = ""
    group_id: int = 0


@dataclass(frozen=True)
class IndentIfBreak:
    contents: Doc
    group_id: int


@dataclass(frozen=True)
class Fill:
    parts: list[Doc] = field(default_factory=list)


Doc: TypeAlias = (
    str
    | list["Doc"]
    | Group
    | ConditionalGroup
    | BreakParent
    | Indent
    | Align
    | Line
    | IfBreak
    | IndentIfBreak
    | Fill
)

BREAK_PARENT = BreakParent()
LINE = Line()
SOFT = Line(soft=True)
HARD = Line(hard=True)


def group_id() -> int:
    """A fresh id, for ``Group(..., id=)`` and the ``IfBreak``/``IndentIfBreak`` that ask it."""
    return next(_ids)


def join(separator: Doc, docs: Sequence[Doc]) -> list[Doc]:
    out: list[Doc] = []
    for i, doc in enumerate(docs):
        if i:
            out.append(separator)
        out.append(doc)
    return out


def width(text: str) -> int:
    """Columns of ``text`` as prettier counts them (wide characters 2, controls 0)."""
    if text.isascii():
        return len(text)
    total = 0
    for char in text:
        code = ord(char)
        if code <= 0x1F or 0x7F <= code <= 0x9F or 0x300 <= code <= 0x36F:
            continue
        total += 2 if unicodedata.east_asian_width(char) in ("F", "W") else 1
    return total


def _forced(doc: Doc, memo: dict[int, bool]) -> bool:
    """Whether ``doc`` holds a hard line or a group that must break (they break their groups)."""
    if isinstance(doc, str) or isinstance(doc, ConditionalGroup):
        return False
    if isinstance(doc, BreakParent):
        return True
    key = id(doc)
    if key in memo:
        return memo[key]
    if isinstance(doc, list):
        result = any(_forced(d, memo) for d in doc)
    elif isinstance(doc, Line):
        result = doc.hard
    elif isinstance(doc, Group):
        result = doc.should_break or _forced(doc.contents, memo)
    elif isinstance(doc, IfBreak):
        result = _forced(doc.broken, memo) or _forced(doc.flat, memo)
    elif isinstance(doc, Fill):
        result = any(_forced(d, memo) for d in doc.parts)
    else:
        assert isinstance(doc, Indent | Align | IndentIfBreak), doc
        result = _forced(doc.contents, memo)
    memo[key] = result
    return result


Command = tuple[int, bool, Doc]  # indentation, mode (_BREAK or _FLAT), document


class _Printer:
    def __init__(self, max_width: int) -> None:
        self.width = max_width
        self.out: list[str] = []
        self.pos = 0
        self.modes: dict[int, bool] = {}
        self.memo: dict[int, bool] = {}

    def breaks(self, doc: Group) -> bool:
        return _forced(doc, self.memo)

    def fits(self, next_cmd: Command, rest: list[Command], room: int, must_be_flat: bool) -> bool:
        """Whether ``next_cmd`` and what follows it up to the first break fits in ``room``."""
        rest_index = len(rest)
        stack = [(next_cmd[1], next_cmd[2])]
        pending_space = False  # a flat line's space counts only if something follows it
        while room >= 0:
            if not stack:
                if rest_index == 0:
                    return True
                rest_index -= 1
                stack.append((rest[rest_index][1], rest[rest_index][2]))
                continue
            mode, doc = stack.pop()
            if isinstance(doc, str):
                if doc:
                    room -= width(doc) + pending_space
                    pending_space = False
            elif isinstance(doc, list):
                stack.extend((mode, d) for d in reversed(doc))
            elif isinstance(doc, Fill):
                stack.extend((mode, d) for d in reversed(doc.parts))
            elif isinstance(doc, Indent | Align | IndentIfBreak):
                stack.append((mode, doc.contents))
            elif isinstance(doc, Group):
                broken = self.breaks(doc)
                if must_be_flat and broken:
                    return False
                stack.append((_BREAK if broken else mode, doc.contents))
            elif isinstance(doc, ConditionalGroup):
                stack.append((mode, doc.states[-1] if mode == _BREAK else doc.states[0]))
            elif isinstance(doc, IfBreak):
                chosen = self.modes.get(doc.group_id, _FLAT) if doc.group_id else mode
                stack.append((mode, doc.broken if chosen == _BREAK else doc.flat))
            elif isinstance(doc, Line):
                if mode == _BREAK or doc.hard:
                    return True
                if not doc.soft:
                    pending_space = True
        return False

    def newline(self, indentation: int) -> None:
        while self.out and self.out[-1].endswith((" ", "\t")):
            self.out[-1] = self.out[-1].rstrip(" \t")
            if not self.out[-1]:
                self.out.pop()
            else:
                break
        self.out.append("\n" + " " * indentation)
        self.pos = indentation

    def print(self, doc: Doc, indentation: int) -> str:
        cmds: list[Command] = [(indentation, _BREAK, doc)]
        while cmds:
            ind, mode, doc = cmds.pop()
            if isinstance(doc, str):
                self.out.append(doc)
                self.pos += width(doc)
            elif isinstance(doc, list):
                cmds.extend((ind, mode, d) for d in reversed(doc))
            elif isinstance(doc, Indent):
                cmds.append((ind + 2, mode, doc.contents))
            elif isinstance(doc, Align):
                cmds.append((ind + doc.width, mode, doc.contents))
            elif isinstance(doc, IndentIfBreak):
                broken = self.modes.get(doc.group_id, _FLAT) == _BREAK
                cmds.append((ind + 2 if broken else ind, mode, doc.contents))
            elif isinstance(doc, Group):
                self.group(doc, ind, mode, cmds)
            elif isinstance(doc, ConditionalGroup):
                self.conditional(doc, ind, mode, cmds)
            elif isinstance(doc, BreakParent):
                pass
            elif isinstance(doc, IfBreak):
                chosen = self.modes.get(doc.group_id, _FLAT) if doc.group_id else mode
                cmds.append((ind, mode, doc.broken if chosen == _BREAK else doc.flat))
            elif isinstance(doc, Line):
                if mode == _FLAT and not doc.hard:
                    if not doc.soft:
                        self.out.append(" ")
                        self.pos += 1
                else:
                    self.newline(ind)
            else:
                assert isinstance(doc, Fill)
                self.fill(doc, ind, mode, cmds)
        return "".join(self.out)

    def group(self, doc: Group, ind: int, mode: bool, cmds: list[Command]) -> None:
        broken = self.breaks(doc)
        if mode == _FLAT and not broken:
            chosen = _FLAT
        else:
            flat = (ind, _FLAT, doc.contents)
            chosen = (
                _FLAT
                if not broken and self.fits(flat, cmds, self.width - self.pos, False)
                else _BREAK
            )
        cmds.append((ind, chosen, doc.contents))
        if doc.id:
            self.modes[doc.id] = chosen

    def conditional(self, doc: ConditionalGroup, ind: int, mode: bool, cmds: list[Command]) -> None:
        if mode == _FLAT:
            cmds.append((ind, _FLAT, doc.states[0]))
            return
        room = self.width - self.pos
        for state in doc.states[:-1]:
            if self.fits((ind, _FLAT, state), cmds, room, False):
                cmds.append((ind, _FLAT, state))
                return
        cmds.append((ind, _BREAK, doc.states[-1]))

    def fill(self, doc: Fill, ind: int, mode: bool, cmds: list[Command]) -> None:
        parts = doc.parts
        if not parts:
            return
        room = self.width - self.pos
        content = parts[0]
        content_fits = self.fits((ind, _FLAT, content), [], room, True)
        content_mode = _FLAT if content_fits else _BREAK
        if len(parts) == 1:
            cmds.append((ind, content_mode, content))
            return
        whitespace = parts[1]
        if len(parts) == 2:
            cmds.extend([(ind, content_mode, whitespace), (ind, content_mode, content)])
            return
        pair = [content, whitespace, parts[2]]
        pair_fits = self.fits((ind, _FLAT, pair), [], room, True)
        cmds.append((ind, mode, Fill(parts[2:])))
        cmds.append((ind, _FLAT if pair_fits else _BREAK, whitespace))
        cmds.append((ind, content_mode, content))


def render(doc: Doc, indentation: int = 0, start: int | None = None, max_width: int = WIDTH) -> str:
    """Print ``doc`` starting at column ``start`` (default: ``indentation``)."""
    printer = _Printer(max_width)
    printer.pos = indentation if start is None else start
    return printer.print(doc, indentation)
