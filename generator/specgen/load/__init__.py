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
from typing import Any

from specgen.diagnostics import Diagnostic, Location, error
from specgen.load.refs import (
    MAX_EXPANDED_VALUES,
    Origin,
    RefResolver,
    RefSite,
    expanded_size,
    is_ref,
)
from specgen.load.source import SourceFile, child_pointer, read_source

PROJECT_FILE = "specgen.yaml"
SPEC_SUFFIXES = (".yaml", ".yml", ".json")

__all__ = ["LoadedSpec", "Origin", "RefSite", "SourceFile", "is_ref", "load_spec", "PROJECT_FILE"]


@dataclass
class LoadedSpec:
    root: Path
    documents: list[SourceFile] = field(default_factory=list)
    files: dict[Path, SourceFile] = field(default_factory=dict)
    project: SourceFile | None = None
    origin: dict[int, Origin] = field(default_factory=dict)
    ref_sites: list[RefSite] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)

    def origin_of(self, obj: Any) -> Origin | None:
        return self.origin.get(id(obj))

    def locate(self, obj: Any, *path: str | int) -> Location:
        """Where ``obj`` (a dict or list of the resolved spec), or ``obj[path...]``, is written."""
        origin = self.origin.get(id(obj))
        if origin is None:
            return Location(self.documents[0].display if self.documents else "<spec>", 0, 0, "")
        pointer = origin.pointer
        for token in path:
            pointer = child_pointer(pointer, token)
        return origin.file.location(pointer)


def _display(path: Path) -> str:
    try:
        return os.path.relpath(path)
    except ValueError:
        return str(path)


def _default_root(paths: Sequence[Path]) -> Path:
    first = paths[0].resolve()
    start = first if first.is_dir() else first.parent
    for folder in (start, *start.parents):
        if (folder / PROJECT_FILE).is_file():
            return folder
    if first.is_dir():
        return first
    cwd = Path.cwd().resolve()
    return cwd if first.is_relative_to(cwd) else start


class _Loader:
    def __init__(self, root: Path) -> None:
        self.spec = LoadedSpec(root=root.resolve())
        self.resolver = RefResolver(self.spec.root, self.load_file)

    def load_file(self, path: Path) -> SourceFile | None:
        path = path.resolve()
        if path in self.spec.files:
            return self.spec.files[path]
        source, diagnostics = read_source(path, _display(path))
        self.spec.diagnostics.extend(diagnostics)
        if source is not None:
            self.spec.files[path] = source
        return source

    def add_document(self, path: Path) -> None:
        source = self.load_file(path)
        if source is not None and source not in self.spec.documents:
            self.spec.documents.append(source)

    def add_project(self, path: Path) -> list[Path]:
        project = self.load_file(path)
        if project is None:
            return []
        self.spec.project = project
        documents = project.data.get("documents") if isinstance(project.data, dict) else None
        if not isinstance(documents, list) or not all(isinstance(d, str) for d in documents):
            self.spec.diagnostics.append(
                error(
                    "SG-PROJECT",
                    "the project file needs 'documents': a list of AsyncAPI file paths",
                    project.location("/documents"),
                    "list the domain documents relative to the project file",
                )
            )
            return []
        return [path.parent / d for d in documents]

    def expand(self, path: Path) -> list[Path]:
        if path.is_dir():
            if (path / PROJECT_FILE).is_file():
                return self.add_project(path / PROJECT_FILE)
            found = sorted(p for p in path.rglob("*") if p.suffix in SPEC_SUFFIXES and p.is_file())
            return [p for p in found if self._is_asyncapi(p)]
        if path.name == PROJECT_FILE:
            return self.add_project(path)
        return [path]

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
    loader = _Loader(root or _default_root(paths))
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
    for source in list(spec.documents):
        problem = _resolve_document(loader.resolver, source)
        if problem is not None:
            spec.diagnostics.append(problem)
            spec.documents.remove(source)
    spec.origin = loader.resolver.origin
    spec.ref_sites = loader.resolver.ref_sites
    spec.diagnostics.extend(loader.resolver.diagnostics)
    return spec
