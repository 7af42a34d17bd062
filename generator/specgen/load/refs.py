"""Resolve ``$ref`` across local files, refusing anything remote or outside the root.

Resolution is in place and by identity: a ``{"$ref": ...}`` object is replaced by the very
object it points to, so two refs to one schema give one Python object and ``origin`` tells
where every container was defined. Cycles are reported at the ref that closes them and cut
(the ref becomes ``{}``), so everything downstream walks a finite DAG.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.remote import PIN_HINT, Vendored
from specgen.load.source import SourceFile, child_pointer

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")

MAX_RESOLVE_DEPTH = 600
"""Nesting of the resolved tree (levels plus ref hops) before a ref is refused: resolution
recurses, and a chain of refs must give a diagnostic, not a RecursionError."""

MAX_EXPANDED_VALUES = 1_000_000
"""Values in a document with every ref expanded: refs to refs to ... can multiply (a $ref
"billion laughs"), and tools that walk the tree must not be handed that."""

FileLoader = Callable[[Path], SourceFile | None]


@dataclass(frozen=True)
class Origin:
    file: SourceFile
    pointer: str


@dataclass(frozen=True)
class RefSite:
    """A ``$ref`` as written: where it stands and what it resolved to (None if it failed)."""

    location: Location
    ref: str
    target: Origin | None


def is_ref(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("$ref"), str)


def _split_pointer(fragment: str) -> list[str]:
    if fragment in ("", "/"):
        return [] if fragment == "" else [""]
    return [unquote(t).replace("~1", "/").replace("~0", "~") for t in fragment[1:].split("/")]


class RefResolver:
    """Resolves every ref reachable from the files it is given."""

    def __init__(self, root: Path, load_file: FileLoader) -> None:
        self.root = root.resolve()
        self.load_file = load_file
        self.origin: dict[int, Origin] = {}
        self.ref_sites: list[RefSite] = []
        self.diagnostics: list[Diagnostic] = []
        self.remote: Vendored | None = None
        """The project's pinned, vendored remote documents (``load.remote``)."""
        self._visiting: set[int] = set()
        self._chain: set[tuple[Path, str]] = set()

    # -- public ---------------------------------------------------------------------------
    def resolve_file(self, source: SourceFile) -> None:
        source.data = self._resolve_value(source, "", source.data, 0)

    # -- walking --------------------------------------------------------------------------
    def _resolve_value(self, source: SourceFile, pointer: str, value: Any, depth: int) -> Any:
        if is_ref(value):
            return self._follow(source, pointer, value["$ref"], depth + 1)
        if not isinstance(value, dict | list) or id(value) in self.origin:
            return value
        self.origin[id(value)] = Origin(source, pointer)
        self._visiting.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for token, child in list(items):
            value[token] = self._resolve_value(
                source, child_pointer(pointer, token), child, depth + 1
            )
        self._visiting.discard(id(value))
        return value

    def _cycle(self, here: Location, ref: str) -> Any:
        self.ref_sites.append(RefSite(here, ref, None))
        self.diagnostics.append(
            error(
                "SG-REF-CYCLE",
                f"$ref {ref!r} refers back to itself or to an object that contains it (a cycle)",
                here,
                "recursive types are not supported by the generators; break the cycle",
            )
        )
        return {}

    def _too_deep(self, here: Location, ref: str) -> Any:
        self.ref_sites.append(RefSite(here, ref, None))
        self.diagnostics.append(
            error(
                "SG-REF-TOO-DEEP",
                f"$ref {ref!r} nests the resolved document deeper than {MAX_RESOLVE_DEPTH} "
                "levels (a long chain of $refs?)",
                here,
                "point the $ref at the final definition instead of at another $ref",
            )
        )
        return {}

    def _follow(self, source: SourceFile, pointer: str, ref: str, depth: int) -> Any:
        here = source.location(child_pointer(pointer, "$ref"))
        site = (source.path, pointer)
        if site in self._chain:
            return self._cycle(here, ref)
        if depth > MAX_RESOLVE_DEPTH:
            return self._too_deep(here, ref)
        target = self._locate(source, here, ref)
        if target is None:
            self.ref_sites.append(RefSite(here, ref, None))
            return {}
        file, target_pointer = target
        self._chain.add(site)
        try:
            value = self._resolve_at(file, target_pointer, here, ref, depth + 1)
        finally:
            self._chain.discard(site)
        if value is _MISSING:
            self.ref_sites.append(RefSite(here, ref, None))
            return {}
        if id(value) in self._visiting:
            return self._cycle(here, ref)
        self.ref_sites.append(RefSite(here, ref, Origin(file, target_pointer)))
        return value

    def _resolve_at(
        self, file: SourceFile, pointer: str, here: Location, ref: str, depth: int
    ) -> Any:
        """Resolve the value at ``pointer`` in ``file``, following refs on the way down."""
        value: Any = file.data
        current = ""
        if not pointer:
            if is_ref(value) or isinstance(value, dict | list):
                file.data = value = self._resolve_value(file, "", value, depth + 1)
            return value
        for token in _split_pointer(pointer):
            if is_ref(value):
                value = self._resolve_value(file, current, value, depth + 1)
            parent = value
            if isinstance(parent, dict) and token in parent:
                value = parent[token]
            elif isinstance(parent, list) and token.isdigit() and int(token) < len(parent):
                value = parent[int(token)]
            else:
                self.diagnostics.append(
                    error(
                        "SG-REF-DANGLING",
                        f"$ref {ref!r} points to nothing: {current or '/'} has no {token!r}",
                        here,
                        f"check the spelling; the target must exist in {file.display}",
                    )
                )
                return _MISSING
            current = child_pointer(current, token)
            if is_ref(value) or isinstance(value, dict | list):
                resolved = self._resolve_value(file, current, value, depth + 1)
                if isinstance(parent, dict):
                    parent[token] = resolved
                else:
                    parent[int(token)] = resolved
                value = resolved
        return value

    def _refuse_remote(self, here: Location, ref: str) -> None:
        self.diagnostics.append(
            error(
                "SG-REF-REMOTE",
                f"remote $ref {ref!r} is refused and was not fetched",
                here,
                "copy the definition into a local file under the spec root and use a relative "
                "$ref, or " + PIN_HINT,
            )
        )

    def _vendored(
        self, here: Location, ref: str, path: Path, fragment: str
    ) -> tuple[SourceFile, str] | None:
        """The vendored copy of a pinned remote document (never fetched here)."""
        if not path.is_file():
            self.diagnostics.append(
                error(
                    "SG-REF-NOT-VENDORED",
                    f"$ref {ref!r} is pinned but has no vendored copy yet",
                    here,
                    "run `specgen refs vendor` once (it downloads every pinned URL and checks "
                    "its SHA-256), and commit the vendored folder",
                )
            )
            return None
        target = self.load_file(path)
        return (target, fragment) if target is not None else None

    def _locate(
        self, source: SourceFile, here: Location, ref: str
    ) -> tuple[SourceFile, str] | None:
        file_part, _, fragment = ref.partition("#")
        if _SCHEME.match(ref) or ref.startswith("//"):
            vendored = self.remote.local(file_part) if self.remote is not None else None
            if vendored is None:
                self._refuse_remote(here, ref)
                return None
            return self._vendored(here, ref, vendored, fragment)
        if fragment and not fragment.startswith("/"):
            self.diagnostics.append(
                error(
                    "SG-REF-SYNTAX",
                    f"$ref {ref!r} has a fragment that is not a JSON pointer",
                    here,
                    "write fragments as JSON pointers, e.g. '#/components/schemas/Name'",
                )
            )
            return None
        if not file_part:
            return source, fragment
        target_path = (source.path.parent / unquote(file_part)).resolve()
        if not target_path.is_relative_to(self.root):
            self.diagnostics.append(
                error(
                    "SG-REF-OUTSIDE-ROOT",
                    f"$ref {ref!r} leaves the spec root {self.root.name}/",
                    here,
                    "keep every referenced file inside the spec folder",
                )
            )
            return None
        if not target_path.is_file():
            self.diagnostics.append(
                error(
                    "SG-REF-DANGLING",
                    f"$ref {ref!r}: file {file_part} does not exist",
                    here,
                    "check the relative path; it is relative to the file holding the $ref",
                )
            )
            return None
        target = self.load_file(target_path)
        if target is None:
            return None  # the loader has reported why
        return target, fragment


_MISSING: Any = object()


def expanded_size(value: Any) -> int:
    """How many values ``value`` holds with every shared (resolved) object counted per use.

    Linear in the number of distinct objects: sizes are memoised by identity, children first.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Any, bool]] = [(value, False)]
    while stack:
        obj, children_done = stack.pop()
        if not isinstance(obj, dict | list) or id(obj) in sizes:
            continue
        children = list(obj.values()) if isinstance(obj, dict) else obj
        if children_done:
            sizes[id(obj)] = 1 + sum(sizes.get(id(child), 1) for child in children)
        else:
            stack.append((obj, True))
            stack.extend((child, False) for child in children if isinstance(child, dict | list))
    return sizes.get(id(value), 1)
