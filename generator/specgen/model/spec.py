"""The typed model of a whole loaded spec: ``read_spec(loaded) -> SpecModel``.

This is the one reading of the documents that rules and the IR builder share:

- every document that is structurally valid becomes an :class:`~specgen.model.AsyncAPI`
  (one instance per definition, see ``model.base``), the others are left out with their
  structural diagnostics;
- every registered ``x-`` extension (``model.extensions``) of every object is read once into
  its typed value; its problems are kept apart (``extension_diagnostics``) because only the
  ``specgen`` rules interpret our extensions, plain AsyncAPI treats them as opaque data;
- the project file is the loader's typed :class:`~specgen.model.project.Project`.

Payload and header schemas stay JSON Schema values (the resolved dicts, by identity), for the
schema lowering and for ``jsonschema``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from specgen.diagnostics import Diagnostic, Location
from specgen.load import LoadedSpec, SourceFile
from specgen.model.base import Node
from specgen.model.document import AsyncAPI
from specgen.model.extensions import EXTENSIONS, Extension
from specgen.model.project import Project
from specgen.model.structure import parse_document, unique
from specgen.model.typed import Reading, read_value


@dataclass(eq=False)
class Document:
    """One structurally valid document and the file it was read from."""

    source: SourceFile
    api: AsyncAPI


@dataclass
class SpecModel:
    loaded: LoadedSpec
    documents: list[Document] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    """Structural diagnostics (AsyncAPI objects)."""
    extension_diagnostics: list[Diagnostic] = field(default_factory=list)
    """Problems of our ``x-`` extensions, each under the rule id of its extension."""

    @property
    def project(self) -> Project | None:
        return self.loaded.project_model

    def locate(self, node: Node, *path: str | int, value: bool = False) -> Location:
        """Where ``node`` (or ``node.<path>``) is written."""
        return self.loaded.locate_in(node.raw, path, value=value)


def nodes(root: Node) -> Iterator[Node]:
    """Every object reachable from ``root``, each once."""
    seen: set[int] = set()
    stack: list[Any] = [root]
    while stack:
        value = stack.pop()
        if isinstance(value, Node):
            if id(value) in seen:
                continue
            seen.add(id(value))
            yield value
            stack.extend(getattr(value, name) for name in type(value).model_fields)
        elif isinstance(value, dict):
            stack.extend(v for v in value.values() if isinstance(v, Node | list | tuple | dict))
        elif isinstance(value, list | tuple):
            stack.extend(v for v in value if isinstance(v, Node | list | tuple | dict))


def owner_label(loaded: LoadedSpec, node: Node) -> str:
    """How messages name an object: ``channel 'orders': ``, ``message 'OrderCreated': ``."""
    if isinstance(node, AsyncAPI):
        return ""
    origin = loaded.origin_of(node.raw)
    key = origin.pointer.rsplit("/", 1)[-1].replace("~1", "/").replace("~0", "~") if origin else ""
    name = node.raw.get("name")
    label = repr(name) if node.kind == "message" and isinstance(name, str) else repr(key)
    return f"{node.kind} {label}: "


def _read_extension(loaded: LoadedSpec, node: Node, ext: Extension[Any]) -> list[Diagnostic]:
    def locate(path: Any, at_value: bool) -> Location:
        return loaded.locate_in(node.raw, [ext.key, *path], value=at_value)

    reading = Reading(ext.rule, ext.key, locate, owner_label(loaded, node), ext.hint, ext.rules)
    value, problems = read_value(ext.kind, node.extensions[ext.key], reading)
    if not problems:
        node.typed_extensions[ext.key] = value
    return problems


def read_extensions(loaded: LoadedSpec, api: AsyncAPI) -> list[Diagnostic]:
    diagnostics: list[Diagnostic] = []
    for node in nodes(api):
        for ext in EXTENSIONS:
            if isinstance(node, ext.owner) and ext.key in node.extensions:
                diagnostics += _read_extension(loaded, node, ext)
    return diagnostics


def read_spec(loaded: LoadedSpec) -> SpecModel:
    model = SpecModel(loaded)
    for source in loaded.documents:
        api, diagnostics = parse_document(loaded, source)
        model.diagnostics += diagnostics
        if api is not None:
            model.documents.append(Document(source, api))
            model.extension_diagnostics += read_extensions(loaded, api)
    model.diagnostics = unique(model.diagnostics)
    model.extension_diagnostics = unique(model.extension_diagnostics)
    return model
