"""Load a set of spec files: parse with positions, resolve local ``$ref``s, find the documents.

``load_spec(paths)`` is the one entry point. It accepts a project folder (holding
``specgen.yaml``), the project file itself, plain folders (every YAML/JSON file with a top-level
``asyncapi`` key is a document) and single files. It never raises for bad input: everything is
a diagnostic in ``LoadedSpec.diagnostics``.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.known import resolved
from specgen.load.refs import (
    MAX_EXPANDED_VALUES,
    Origin,
    RecursiveRef,
    RefResolver,
    RefSite,
    expanded_size,
    is_ref,
)
from specgen.load.remote import Vendored, pins_of
from specgen.load.source import SourceFile, child_pointer, read_source

if TYPE_CHECKING:
    from specgen.model.project import Project

PROJECT_FILE = "specgen.yaml"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = [
    "PROJECT_FILE",
    "LoadedSpec",
    "Origin",
    "RecursiveRef",
    "RefSite",
    "SourceFile",
    "is_ref",
    "load_spec",
]


@dataclass
class LoadedSpec:
    root: Path
    documents: list[SourceFile] = field(default_factory=list)
    files: dict[Path, SourceFile] = field(default_factory=dict)
    project: SourceFile | None = None
    project_model: Project | None = None
    """The typed project file (``specgen.model.project``), if it could be read."""
    origin: dict[int, Origin] = field(default_factory=dict)
    ref_sites: list[RefSite] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    _refs_by_place: dict[tuple[str, str], RefSite] | None = field(default=None, repr=False)
    derived: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    """Typed views the model builds from this spec once (e.g. the schema reader), by name."""

    def origin_of(self, obj: Any) -> Origin | None:
        return self.origin.get(id(obj))

    def locate(self, obj: Any, *path: str | int, value: bool = False) -> Location:
        """Where ``obj`` (a dict or list of the resolved spec), or ``obj[path...]``, is written.

        ``value=True`` gives where the value starts rather than where its key is.
        """
        origin = self.origin.get(id(obj))
        if origin is None:
            return Location(self.documents[0].display if self.documents else "<spec>", 0, 0, "")
        pointer = origin.pointer
        for token in path:
            pointer = child_pointer(pointer, token)
        return origin.file.value_location(pointer) if value else origin.file.location(pointer)

    def ref_written_at(self, container: Any, key: str | int) -> RefSite | None:
        """The ``$ref`` written as ``container[key]`` (before resolution), if there was one."""
        origin = self.origin.get(id(container))
        if origin is None:
            return None
        if self._refs_by_place is None:
            self._refs_by_place = {
                (site.location.file, site.location.pointer): site for site in self.ref_sites
            }
        pointer = child_pointer(child_pointer(origin.pointer, key), "$ref")
        return self._refs_by_place.get((origin.file.display, pointer))

    def locate_in(self, root: Any, path: Sequence[str | int], *, value: bool = False) -> Location:
        """Like :meth:`locate`, following containers on the way that are defined elsewhere
        (reached through a ``$ref``), so the place is in the file that holds it.

        The key of the last step is where its parent writes it; with ``value=True`` the place
        is where the value itself is (its own definition, for a ``$ref``'d container).
        """
        base, rest = root, list(path)
        node = root
        for depth, token in enumerate(path, start=1):
            try:
                node = node[token]
            except (KeyError, IndexError, TypeError):
                break
            last = depth == len(path)
            if isinstance(node, dict | list) and id(node) in self.origin and (value or not last):
                base, rest = node, list(path)[depth:]
        return self.locate(base, *rest, value=value)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def governing_project(path: Path) -> Path | None:
    """The project file governing ``path``: ``specgen.yaml`` in its folder or the nearest
    ancestor folder. A project governs every file below the folder that holds it."""
    start = path.resolve()
    if start.name == PROJECT_FILE and start.is_file():
        return start
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / PROJECT_FILE).is_file():
            return candidate / PROJECT_FILE
    return None


def _repository_root(folder: Path) -> Path | None:
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    return None


def default_root(paths: Sequence[Path]) -> Path:
    """The folder ``$ref``s may not leave, from the paths alone (never the current folder):
    the governing project's folder, else the enclosing git work tree, else the folder named
    (or holding the file named)."""
    first = paths[0].resolve()
    project = governing_project(first)
    if project is not None:
        return project.parent
    start = first if first.is_dir() else first.parent
    return _repository_root(start) or start


class _Loader:
    def __init__(self, root: Path) -> None:
        self.spec = LoadedSpec(root=root.resolve())
        self.resolver = RefResolver(self.spec.root, self.load_file)
        self._project_documents: list[Path] = []
        self.vendored: Vendored | None = None

    def load_file(self, path: Path) -> SourceFile | None:
        path = resolved(path)
        if path in self.spec.files:
            return self.spec.files[path]
        check = self.vendored.check if self.vendored and self.vendored.holds(path) else None
        source, diagnostics = read_source(path, _display(path), check=check)
        self.spec.diagnostics.extend(diagnostics)
        if source is not None:
            self.spec.files[path] = source
        return source

    def add_document(self, path: Path) -> None:
        source = self.load_file(path)
        if source is not None and source not in self.spec.documents:
            self.spec.documents.append(source)

    def add_project(self, path: Path) -> list[Path]:
        from specgen.model.project import read_project  # the model imports the loader

        project = self.load_file(path)
        if project is None:
            return []
        self.spec.project = project
        model, diagnostics = read_project(project)
        self.spec.diagnostics.extend(diagnostics)
        self.spec.project_model = model
        if model is not None:
            pinned = [
                (pin.url, pin.sha256, project.value_location(f"/refs/pinned/{i}/url"))
                for i, pin in enumerate(model.refs.pinned)
            ]
            vendored, problems = pins_of(path.parent, model.refs.vendor, pinned)
            self.spec.diagnostics.extend(problems)
            self.resolver.remote = self.vendored = vendored
        return [path.parent / d for d in model.documents] if model is not None else []

    def expand(self, path: Path) -> list[Path]:
        """The documents ``path`` stands for. A path inside a project stands for the whole
        project (so its rules apply, whichever file is named), plus the AsyncAPI documents it
        names that the project file does not list."""
        project = governing_project(path)
        if project is not None:
            listed = self.use_project(project)
            named = [p for p in self._documents_at(path) if self._is_asyncapi(p)]
            known = {p.resolve() for p in listed}
            return listed + [p for p in named if p.resolve() not in known]
        return self._documents_at(path)

    def use_project(self, project: Path) -> list[Path]:
        if self.spec.project is None:
            self._project_documents = self.add_project(project)
        elif self.spec.project.path != project.resolve():
            self.spec.diagnostics.append(
                error(
                    "SG-LOAD-IO",
                    f"these paths belong to two projects ({self.spec.project.display} and "
                    f"{_display(project)})",
                    Location(_display(project), 0, 0, ""),
                    "validate or generate each project on its own",
                )
            )
            return []
        return self._project_documents

    def _documents_at(self, path: Path) -> list[Path]:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())
            return [p for p in found if p.name != PROJECT_FILE and self._is_asyncapi(p)]
        return [] if path.name == PROJECT_FILE else [path]

    def _is_asyncapi(self, path: Path) -> bool:
        source = self.load_file(path)
        return source is not None and isinstance(source.data, dict) and "asyncapi" in source.data


def _resolve_document(resolver: RefResolver, source: SourceFile) -> Diagnostic | None:
    """Resolve one document's refs; a diagnostic if the result is unusable."""
    try:
        resolver.resolve_file(source)
    except RecursionError:
        return error(
            "SG-REF-TOO-DEEP",
            "resolving the $refs of this document nests too deeply",
            source.location(""),
            "point $refs at final definitions instead of at other $refs",
        )
    size = expanded_size(source.data)
    if size > MAX_EXPANDED_VALUES:
        return error(
            "SG-REF-EXPANSION",
            f"with its $refs expanded the document holds {size} values "
            f"(limit {MAX_EXPANDED_VALUES}): $refs that multiply, like a YAML alias bomb",
            source.location(""),
            "reference shared definitions directly instead of through ever larger objects",
        )
    return None


def load_spec(paths: Sequence[Path], *, root: Path | None = None) -> LoadedSpec:
    loader = _Loader(root or default_root(paths))
    spec = loader.spec
    for path in paths:
        if not path.exists():
            spec.diagnostics.append(
                error("SG-LOAD-IO", "no such file or folder", Location(_display(path), 0, 0, ""))
            )
            continue
        for document in loader.expand(path):
            if not document.resolve().is_file():
                where = spec.project.location("/documents") if spec.project else None
                spec.diagnostics.append(
                    error(
                        "SG-LOAD-IO",
                        f"document {_display(document)} does not exist",
                        where or Location(_display(document), 0, 0, ""),
                    )
                )
                continue
            loader.add_document(document)
    for source in spec.documents:
        loader.resolver.scan(source)  # every document's `$id`s are known before any is resolved
    for source in list(spec.documents):
        problem = _resolve_document(loader.resolver, source)
        if problem is not None:
            spec.diagnostics.append(problem)
            spec.documents.remove(source)
    for source in spec.files.values():
        loader.resolver.record_origins(source)
    spec.origin = loader.resolver.origin
    spec.ref_sites = loader.resolver.ref_sites
    spec.diagnostics.extend(loader.resolver.diagnostics)
    return spec
