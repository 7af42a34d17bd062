"""Read one spec file into plain JSON-like data plus a map of JSON pointers to line/column.

Everything that can go wrong with a file becomes a diagnostic, never a traceback: files too
large, bytes that are not UTF-8, YAML syntax errors, nesting deeper than any spec needs, alias
bombs, duplicate keys and values that JSON cannot hold.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import yaml

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.yaml12 import (
    BOOL,
    FLOAT,
    INT,
    MERGE,
    NULL,
    STR,
    ScalarError,
    construct_scalar,
    install_core_resolvers,
    is_known,
)

MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 200
MAX_NODES = 500_000


def yaml_loader(base: type[yaml.SafeLoader]) -> type[yaml.SafeLoader]:
    """``base`` with the YAML 1.2 core schema's resolvers (see ``yaml12``)."""
    loader = type("Loader", (base,), {"__doc__": yaml_loader.__doc__})
    install_core_resolvers(loader)
    return loader


# libyaml's parser and composer (C) where PyYAML has them, else PyYAML's own: the same
# nodes, tags and marks (tests/load/test_yaml_loaders.py compares the two).
_YAML_LOADER = yaml_loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader))
_COLLECTION_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")
_OPENING = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_CLOSING = (yaml.MappingEndEvent, yaml.SequenceEndEvent)
_TEXT_KEYS = frozenset({STR, NULL, BOOL, INT, FLOAT})  # keys that keep their text as written


class Position(NamedTuple):
    """A 1-based line and column (a named tuple: one is made for every value of a file)."""

    line: int
    column: int


@dataclass
class SourceFile:
    """One parsed file. ``data`` is plain JSON-compatible Python data.

    ``positions`` holds where each value is named: the key of a mapping entry, the start of a
    list item. ``value_positions`` holds where each value itself starts.
    """

    path: Path
    display: str
    data: Any
    positions: dict[str, Position] = field(default_factory=dict)
    value_positions: dict[str, Position] = field(default_factory=dict)

    def location(self, pointer: str) -> Location:
        """Location of ``pointer``, or of its nearest ancestor that has a known position."""
        return self._find(pointer, self.positions)

    def value_location(self, pointer: str) -> Location:
        """Where the value at ``pointer`` starts (after its key), else as :meth:`location`."""
        return self._find(pointer, self.value_positions, self.positions)

    def _find(self, pointer: str, *maps: dict[str, Position]) -> Location:
        probe = pointer
        while True:
            for positions in maps:
                pos = positions.get(probe)
                if pos is not None:
                    return Location(self.display, pos.line, pos.column, pointer)
            if not probe:
                return Location(self.display, 1, 1, pointer)
            probe = probe.rsplit("/", 1)[0]


def escape_token(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def child_pointer(pointer: str, token: str | int) -> str:
    return f"{pointer}/{escape_token(token)}"


class _Abort(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic


class _Converter:
    """Turns a composed YAML node tree into plain data, recording positions."""

    def __init__(self, display: str) -> None:
        self.display = display
        self.positions: dict[str, Position] = {}
        self.value_positions: dict[str, Position] = {}
        self.nodes = 0
        self.diagnostics: list[Diagnostic] = []

    def _loc(self, node: yaml.Node, pointer: str) -> Location:
        mark = node.start_mark
        return Location(self.display, mark.line + 1, mark.column + 1, pointer)

    def convert(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _Abort(
                error(
                    "SG-LOAD-TOO-MANY-NODES",
                    f"the document expands to more than {MAX_NODES} values "
                    "(a YAML alias bomb or a generated file?)",
                    self._loc(node, pointer),
                    "remove repeated YAML aliases (*name); specs never need this many values",
                )
            )
        if depth > MAX_DEPTH:
            raise _Abort(
                error(
                    "SG-LOAD-TOO-DEEP",
                    f"nesting deeper than {MAX_DEPTH} levels",
                    self._loc(node, pointer),
                    "flatten the document; use $ref to named components instead of deep nesting",
                )
            )
        mark = node.start_mark
        start = Position(mark.line + 1, mark.column + 1)
        self.positions.setdefault(pointer, start)
        self.value_positions[pointer] = start
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, pointer)
        if node.tag not in _COLLECTION_TAGS:
            raise _Abort(self._unsupported_tag(node, pointer))
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, pointer, depth)
        return [  # a sequence (the composer makes nothing else)
            self.convert(item, f"{pointer}/{i}", depth + 1) for i, item in enumerate(node.value)
        ]

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[str, Any]:
        result: dict[str, Any] = {}
        positions = self.positions
        for key_node, value_node in node.value:
            key = self._key(key_node, pointer)
            child = f"{pointer}/{key.replace('~', '~0').replace('/', '~1')}"  # child_pointer
            if key in result:
                self.diagnostics.append(
                    error(
                        "SG-LOAD-DUPLICATE-KEY",
                        f"duplicate key {key!r}; the later value would silently win",
                        self._loc(key_node, child),
                        "remove one of the two entries",
                    )
                )
            mark = key_node.start_mark
            positions[child] = Position(mark.line + 1, mark.column + 1)  # before the value's
            result[key] = self.convert(value_node, child, depth + 1)
        return result

    def _key(self, node: yaml.Node, pointer: str) -> str:
        """A mapping key as text: JSON keys are strings, ``200:`` and ``true:`` keep their text."""
        if isinstance(node, yaml.ScalarNode) and node.tag in _TEXT_KEYS:
            return str(node.value)
        key = self._scalar(node, pointer)
        if not isinstance(key, str):  # pragma: no cover - every other known tag is text
            raise _Abort(
                error("SG-LOAD-KEY", "mapping keys must be plain strings", self._loc(node, pointer))
            )
        return key

    def _unsupported_tag(self, node: yaml.Node, pointer: str) -> Diagnostic:
        if node.tag == MERGE:
            message = "YAML merge keys (<<) are not supported"
        else:
            message = f"unsupported YAML tag {node.tag}"
        return error(
            "SG-LOAD-TAG",
            message,
            self._loc(node, pointer),
            "specs hold JSON data only: strings, numbers, booleans, null, lists, maps",
        )

    def _scalar(self, node: yaml.Node, pointer: str) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            raise _Abort(
                error("SG-LOAD-KEY", "mapping keys must be scalars", self._loc(node, pointer))
            )
        if node.tag == STR:
            return node.value
        if node.tag == MERGE or not is_known(node.tag):
            raise _Abort(self._unsupported_tag(node, pointer))
        try:
            value = construct_scalar(node.tag, node.value)
        except (ScalarError, ValueError) as exc:
            raise _Abort(error("SG-LOAD-YAML", str(exc), self._loc(node, pointer))) from exc
        if isinstance(value, float) and not math.isfinite(value):
            raise _Abort(
                error(
                    "SG-LOAD-YAML",
                    f"{node.value!r} is not a number JSON can hold",
                    self._loc(node, pointer),
                    "quote it if you mean the text, or use a finite number",
                )
            )
        return value


Check = Callable[[Path, bytes], Diagnostic | None]


def read_source(
    path: Path, display: str, *, check: Check | None = None
) -> tuple[SourceFile | None, list[Diagnostic]]:
    """Parse ``path``. Returns (None, diagnostics) when the file cannot be used at all.

    ``check`` sees the bytes before they are parsed (the digest of a vendored document) and
    may refuse them.
    """
    where = Location(display, 1, 1, "")
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            return None, [
                error(
                    "SG-LOAD-TOO-LARGE",
                    f"file is {size} bytes; the limit is {MAX_FILE_BYTES}",
                    where,
                    "split the spec into several files that reference each other",
                )
            ]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [error("SG-LOAD-IO", f"cannot read file: {exc.strerror}", where)]
    refused = check(path, raw) if check is not None else None
    if refused is not None:
        return None, [refused]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [
            error(
                "SG-LOAD-ENCODING",
                f"byte 0x{raw[exc.start]:02x} is not valid UTF-8",
                Location(display, line, column, ""),
                "save the file as UTF-8",
            )
        ]
    return parse_text(text, path, display)


def _too_deep(text: str, display: str) -> Diagnostic | None:
    """Nesting deeper than MAX_DEPTH, found from the event stream before composing.

    libyaml's composer recurses in C, so ~100,000 nested ``[`` crash the interpreter (no
    RecursionError); the parser's event stream is iterative and safe to scan first.
    """
    depth = 0
    loader = _YAML_LOADER(text)
    try:
        # what yaml.parse does, without its generator
        more: Callable[[], bool] = loader.check_event
        get: Callable[[], yaml.Event] = loader.get_event
        while more():
            event = get()
            if isinstance(event, _OPENING):
                depth += 1
                if depth > MAX_DEPTH:
                    return _too_deep_at(event.start_mark, display)
            elif isinstance(event, _CLOSING):
                depth -= 1
    finally:
        loader.dispose()
    return None


def _too_deep_at(mark: Any, display: str) -> Diagnostic:
    """SG-LOAD-TOO-DEEP at ``mark`` (the Mark of libyaml or of PyYAML, or None)."""
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return error(
        "SG-LOAD-TOO-DEEP",
        f"nesting deeper than {MAX_DEPTH} levels",
        Location(display, line, column, ""),
        "flatten the document; use $ref to named components instead of deep nesting",
    )


def _reader_location(exc: yaml.reader.ReaderError, text: str, display: str) -> Location:
    position = max(0, min(exc.position, len(text)))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    return Location(display, line, column, "")


def parse_text(text: str, path: Path, display: str) -> tuple[SourceFile | None, list[Diagnostic]]:
    try:
        too_deep = _too_deep(text, display)
        if too_deep is not None:
            return None, [too_deep]
        node = yaml.compose(text, Loader=_YAML_LOADER)
    except yaml.reader.ReaderError as exc:
        return None, [
            error(
                "SG-LOAD-YAML",
                f"invalid character {chr(exc.character)!r} (#x{exc.character:04x}): "
                "control characters are not allowed in YAML",
                _reader_location(exc, text, display),
                "remove the character or write it as an escape inside a double-quoted string",
            )
        ]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        problem = exc.problem or str(exc)
        return None, [
            error(
                "SG-LOAD-YAML",
                f"invalid YAML/JSON: {problem}",
                Location(display, line, column, ""),
                "fix the syntax at this position",
            )
        ]
    except (yaml.YAMLError, RecursionError, MemoryError) as exc:
        return None, [
            error("SG-LOAD-YAML", f"invalid YAML/JSON: {exc}", Location(display, 1, 1, ""))
        ]
    if node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL):
        return None, [error("SG-LOAD-EMPTY", "file is empty", Location(display, 1, 1, ""), "")]
    converter = _Converter(display)
    try:
        data = converter.convert(node, "", 0)
    except _Abort as abort:
        return None, [abort.diagnostic]
    source = SourceFile(path, display, data, converter.positions, converter.value_positions)
    return source, converter.diagnostics
