"""Resolve ``$ref`` across local files, refusing anything remote or outside the root.

Resolution is in place and by identity: a ``{"$ref": ...}`` object is replaced by the very
object it points to, so two refs to one schema give one Python object and ``origin`` tells
where every container was defined. References resolve as JSON Schema draft 7 says (RFC 3986
against the base URI, which an ``$id`` changes; ``$id`` URIs and anchors name embedded
schemas, see ``uris``). A reference that leaves the local files reads the vendored copy of a
pinned URL (``remote``), the installed copy of a well-known schema (``known``: the draft-07
meta-schema) or is refused; nothing is ever fetched. A vendored document's base
URI is its URL, so its relative references name other pinned URLs.

The resolved data stays a finite tree (every walker can recurse over it). A reference that
points back at a schema enclosing it (a recursive type: a tree whose children are trees, a
parent whose ``oneOf`` lists children that ``allOf`` the parent) is kept as a
:class:`RecursiveRef`: a ``{"$ref": ...}`` mapping whose ``target`` is the resolved schema.
Only meaningless cycles are errors (SG-REF-CYCLE): a chain of ``$ref``\\ s that never reaches
a value, and a cycle through AsyncAPI objects (which cannot be recursive); see ``roles``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.known import known_path, known_url, resolved
from specgen.load.remote import PIN_HINT, Vendored
from specgen.load.roles import Role, child_role, may_recurse
from specgen.load.source import SourceFile, child_pointer
from specgen.load.uris import IdIndex, Place, file_uri, resolve_uri, split_fragment

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


class RecursiveRef(dict[str, Any]):
    """A ``$ref`` to a schema that encloses it, kept as ``{"$ref": ref}``.

    ``target`` is the resolved schema (the same object the enclosing position holds), so a
    reader that follows it walks a cyclic graph, and every other walker a finite tree.
    """

    def __init__(self, ref: str, target: Any) -> None:
        super().__init__({"$ref": ref})
        self.target = target


def is_ref(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and isinstance(value.get("$ref"), str)
        and not isinstance(value, RecursiveRef)
    )


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
        self.ids = IdIndex(self._base_uri)
        self._scanned: set[Path] = set()
        self._role: dict[int, Role] = {}
        self._visiting: set[int] = set()
        self._chain: set[tuple[Path, str]] = set()

    def _base_uri(self, source: SourceFile) -> str:
        """A file's URI; a vendored copy's is the URL it was downloaded from (so is the
        installed copy of a well-known schema's)."""
        url = self.remote.url_of(source.path) if self.remote is not None else None
        url = url or known_url(source.path)
        return url if url is not None else file_uri(source)

    # -- public ---------------------------------------------------------------------------
    def scan(self, source: SourceFile) -> None:
        """Learn the ``$id`` resources of ``source``, before resolving what may use them."""
        if source.path not in self._scanned:
            self._scanned.add(source.path)
            self.ids.scan(source)

    def resolve_file(self, source: SourceFile) -> None:
        self.scan(source)
        source.data = self._resolve_value(source, "", source.data, 0, Role.ROOT)

    def record_origins(self, source: SourceFile) -> None:
        """Record where the containers of ``source`` are that no resolution walked through
        (the unreferenced parts of a referenced file), so they can be located too."""
        stack: list[tuple[Any, str]] = [(source.data, "")]
        while stack:
            value, pointer = stack.pop()
            if not isinstance(value, dict | list) or id(value) in self.origin:
                continue
            self.origin[id(value)] = Origin(source, pointer)
            items = value.items() if isinstance(value, dict) else enumerate(value)
            stack.extend((child, child_pointer(pointer, token)) for token, child in items)

    # -- walking --------------------------------------------------------------------------
    def _resolve_value(
        self, source: SourceFile, pointer: str, value: Any, depth: int, role: Role
    ) -> Any:
        if role is not Role.DATA and is_ref(value):
            return self._follow(source, pointer, value, depth + 1, role)
        if not isinstance(value, dict | list) or id(value) in self.origin:
            return value
        self.origin[id(value)] = Origin(source, pointer)
        self._role[id(value)] = role
        self._visiting.add(id(value))
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for token, child in list(items):
            if not isinstance(child, dict | list):
                continue  # a scalar resolves to itself
            value[token] = self._resolve_value(
                source,
                child_pointer(pointer, token),
                child,
                depth + 1,
                child_role(role, value, token, child),
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
                "only schemas may be recursive (a schema may refer to a schema that contains "
                "it); point the $ref at the definition itself, not at another $ref to it",
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

    def _follow(
        self, source: SourceFile, pointer: str, node: dict[str, Any], depth: int, role: Role
    ) -> Any:
        ref: str = node["$ref"]
        here = source.location(child_pointer(pointer, "$ref"))
        site = (source.path, pointer)
        if site in self._chain:
            return self._cycle(here, ref)
        if depth > MAX_RESOLVE_DEPTH:
            return self._too_deep(here, ref)
        place = self._locate(source, here, ref, self.ids.base_of(node, source))
        if place is None:
            self.ref_sites.append(RefSite(here, ref, None))
            return {}
        self._chain.add(site)
        try:
            value = self._resolve_at(place, here, ref, depth + 1, role)
        finally:
            self._chain.discard(site)
        if value is _MISSING:
            self.ref_sites.append(RefSite(here, ref, None))
            return {}
        target = Origin(place.file, place.pointer)
        if id(value) in self._visiting:
            if not (may_recurse(role) and may_recurse(self._role.get(id(value), Role.OBJECT))):
                return self._cycle(here, ref)
            value = RecursiveRef(ref, value)
            self.origin[id(value)] = Origin(source, pointer)
        self.ref_sites.append(RefSite(here, ref, target))
        return value

    def _resolve_at(self, place: Place, here: Location, ref: str, depth: int, role: Role) -> Any:
        """The value at ``place``, resolved; refs met on the way down are followed."""
        file = place.file
        value: Any = file.data
        current = ""
        for token in _split_pointer(place.pointer):
            if is_ref(value):
                value = self._resolve_value(file, current, value, depth + 1, role)
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
            if is_ref(value):
                value = self._resolve_value(file, current, value, depth + 1, role)
                parent[token if isinstance(parent, dict) else int(token)] = value
        if place.pointer == "" and (is_ref(value) or isinstance(value, dict | list)):
            file.data = value = self._resolve_value(file, "", value, depth + 1, role)
        elif isinstance(value, dict | list):
            value = self._resolve_value(file, current, value, depth + 1, role)
        return value

    # -- locating -------------------------------------------------------------------------
    def _locate(self, source: SourceFile, here: Location, ref: str, base: str) -> Place | None:
        uri = resolve_uri(base, ref)
        embedded = self.ids.find(uri)
        if embedded is not None:
            return embedded
        head, fragment = split_fragment(uri)
        if head.startswith("file:") and not (_SCHEME.match(ref) or ref.startswith("//")):
            target = self._local_file(here, ref, Path(unquote(urlsplit(head).path)))
        else:
            target = self._vendored(here, ref, head)
        if target is None:
            return None
        if not fragment or fragment.startswith("/"):
            return Place(target, fragment)
        anchored = self.ids.find(uri)  # the target file is scanned now
        if anchored is None:
            self.diagnostics.append(
                error(
                    "SG-REF-DANGLING",
                    f"$ref {ref!r}: no schema declares the anchor '$id: \"#{fragment}\"'",
                    here,
                    "write fragments as JSON pointers, e.g. '#/components/schemas/Name', or "
                    "declare the anchor with `$id`",
                )
            )
        return anchored

    def _vendored(self, here: Location, ref: str, url: str) -> SourceFile | None:
        """The vendored copy of a pinned remote document, or the installed copy of a
        well-known schema (never fetched here)."""
        path = self.remote.local(url) if self.remote is not None else None
        path = path or known_path(url)
        if path is None:
            self.diagnostics.append(
                error(
                    "SG-REF-REMOTE",
                    f"remote $ref {ref!r} is refused and was not fetched",
                    here,
                    "copy the definition into a local file under the spec root and use a "
                    "relative $ref, or " + PIN_HINT,
                )
            )
            return None
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
        return self._loaded(path)

    def _local_file(self, here: Location, ref: str, path: Path) -> SourceFile | None:
        target_path = resolved(path)
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
                    f"$ref {ref!r}: file {ref.split('#', 1)[0]} does not exist",
                    here,
                    "check the relative path; it is relative to the file holding the $ref",
                )
            )
            return None
        return self._loaded(target_path)

    def _loaded(self, path: Path) -> SourceFile | None:
        target = self.load_file(path)
        if target is not None:
            self.scan(target)
        return target  # None: the loader has reported why


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
