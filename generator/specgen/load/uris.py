"""URI references as JSON Schema draft 7 resolves them: RFC 3986 resolution and ``$id``.

Every file has a base URI (``file:///...``). Inside a schema, an ``$id`` changes the base for
that schema and everything below it (unless ``$ref`` stands beside it: in draft 7 a ``$ref``
makes its siblings void), and names an *embedded resource*: a ``$ref`` to that URI means that
schema, wherever it is written, without fetching anything. An ``$id`` that is a plain-name
fragment (``"#foo"``) is a location-independent anchor within its resource.

``scan_ids(file)`` walks a parsed file once and returns the base URI in effect inside every
object, and the resources and anchors it declares. Values of ``enum``, ``const``,
``default`` and ``examples`` are data, never schemas, and are not searched.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import SplitResult, urlsplit, urlunsplit

from specgen.load.known import resolved
from specgen.load.source import SourceFile, child_pointer

DATA_KEYWORDS = frozenset({"enum", "const", "default", "examples"})
"""Keywords whose values are JSON data: a ``$ref`` or ``$id`` in there is just a string."""


def _remove_dot_segments(path: str) -> str:
    output: list[str] = []
    segments = path.split("/")
    for i, segment in enumerate(segments):
        last = i == len(segments) - 1
        if segment == ".":
            if last:
                output.append("")
        elif segment == "..":
            if len(output) > 1 or (output and output[0] != ""):
                output.pop()
            if last:
                output.append("")
        else:
            output.append(segment)
    return "/".join(output)


def _merge(base: SplitResult, path: str) -> str:
    if base.netloc and not base.path:
        return "/" + path
    return base.path[: base.path.rfind("/") + 1] + path


def resolve_uri(base: str, reference: str) -> str:
    """``reference`` resolved against ``base`` (RFC 3986, section 5.2; works for URNs too)."""
    ref = urlsplit(reference)
    if ref.scheme:
        return urlunsplit(ref._replace(path=_remove_dot_segments(ref.path)))
    b = urlsplit(base)
    if ref.netloc or reference.startswith("//"):
        parts = (b.scheme, ref.netloc, _remove_dot_segments(ref.path), ref.query, ref.fragment)
    elif not ref.path:
        query = ref.query if "?" in reference.split("#", 1)[0] else b.query
        parts = (b.scheme, b.netloc, b.path, query, ref.fragment)
    elif ref.path.startswith("/"):
        parts = (b.scheme, b.netloc, _remove_dot_segments(ref.path), ref.query, ref.fragment)
    else:
        merged = _remove_dot_segments(_merge(b, ref.path))
        parts = (b.scheme, b.netloc, merged, ref.query, ref.fragment)
    text = urlunsplit(parts)
    if not parts[4] and reference.endswith("#"):
        text += "#"
    return text


def split_fragment(uri: str) -> tuple[str, str]:
    """(the URI without its fragment, the fragment without ``#``)."""
    head, _, fragment = uri.partition("#")
    return head, fragment


@dataclass(frozen=True)
class Place:
    """A JSON value inside a parsed file."""

    file: SourceFile
    pointer: str


def file_uri(file: SourceFile) -> str:
    path = file.path
    return _uri(path) if path.is_absolute() else path.resolve().as_uri()


@lru_cache(maxsize=4096)
def _uri(path: Path) -> str:
    return resolved(path).as_uri()


@dataclass
class IdIndex:
    """The embedded resources (``$id`` URIs) and anchors of every file scanned so far.

    ``uri_of`` gives a file's own URI, the base of everything in it without an ``$id``.
    """

    uri_of: Callable[[SourceFile], str] = file_uri
    resources: dict[str, Place] = field(default_factory=dict)
    anchors: dict[str, Place] = field(default_factory=dict)
    bases: dict[int, str] = field(default_factory=dict)

    def base_of(self, container: Any, file: SourceFile) -> str:
        return self.bases.get(id(container), self.uri_of(file))

    def find(self, uri: str) -> Place | None:
        """The place ``uri`` names: a resource (plus a JSON pointer), or an anchor."""
        head, fragment = split_fragment(uri)
        if fragment and not fragment.startswith("/"):
            return self.anchors.get(f"{head}#{fragment}")
        place = self.resources.get(head)
        if place is None:
            return None
        return Place(place.file, place.pointer + fragment)

    def scan(self, file: SourceFile) -> None:
        """Record the bases, resources and anchors of ``file`` (iterative: any depth)."""
        root = self.uri_of(file)
        stack: list[tuple[Any, str, str]] = [(file.data, "", root)]
        while stack:
            value, pointer, base = stack.pop()
            if isinstance(value, list):
                stack.extend((v, child_pointer(pointer, i), base) for i, v in enumerate(value))
                continue
            if not isinstance(value, dict):
                continue
            base = self._enter(value, file, pointer, base)
            for key, child in value.items():
                if key not in DATA_KEYWORDS and isinstance(child, dict | list):
                    stack.append((child, child_pointer(pointer, key), base))

    def _enter(self, value: dict[str, Any], file: SourceFile, pointer: str, base: str) -> str:
        declared = value.get("$id")
        if isinstance(declared, str) and "$ref" not in value:
            uri = resolve_uri(base, declared)
            head, fragment = split_fragment(uri)
            if fragment and not fragment.startswith("/"):
                self.anchors.setdefault(uri, Place(file, pointer))
            if not declared.startswith("#"):
                self.resources.setdefault(head, Place(file, pointer))
                base = head
        self.bases[id(value)] = base
        return base
