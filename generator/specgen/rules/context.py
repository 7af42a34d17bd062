"""A read-only view of a loaded spec that every rule shares.

Rules run on documents that may be structurally broken, so the view only keeps what has the
expected shape: channels, operations and messages that are mappings. Everything else is
skipped here once, instead of being guarded in every rule. Identity matters: after ``$ref``
resolution two references to one object are the same Python object, so collections are
de-duplicated by ``id()``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from specgen.diagnostics import Location
from specgen.load import LoadedSpec, SourceFile

Mapping = dict[str, Any]
DOMAIN = re.compile(r"[a-z][a-z0-9_]*")


def as_mapping(value: Any) -> Mapping | None:
    return value if isinstance(value, dict) else None


def entries(value: Any) -> list[tuple[str, Mapping]]:
    """The ``(key, mapping)`` items of ``value`` if it is a mapping; other items are skipped."""
    if not isinstance(value, dict):
        return []
    return [(k, v) for k, v in value.items() if isinstance(k, str) and isinstance(v, dict)]


def items(value: Any) -> list[Mapping]:
    """The mapping items of ``value`` if it is a list."""
    if not isinstance(value, list):
        return []
    return [v for v in value if isinstance(v, dict)]


@dataclass(eq=False)
class Channel:
    key: str
    data: Mapping
    document: Document
    nats: bool
    published: bool

    @property
    def address(self) -> str | None:
        address = self.data.get("address")
        return address if isinstance(address, str) else None

    @property
    def parameters(self) -> Mapping:
        return as_mapping(self.data.get("parameters")) or {}

    def messages(self) -> list[Mapping]:
        return [m for _, m in entries(self.data.get("messages"))]


@dataclass(eq=False)
class Document:
    source: SourceFile
    data: Mapping
    channels: list[Channel] = field(default_factory=list)
    operations: list[tuple[str, Mapping]] = field(default_factory=list)
    messages: list[Mapping] = field(default_factory=list)
    channels_of: dict[int, list[Channel]] = field(default_factory=dict)

    @property
    def domain(self) -> str | None:
        """The x-domain if it is a valid snake_case token (SG-DOMAIN reports the others)."""
        domain = self.data.get("x-domain")
        return domain if isinstance(domain, str) and DOMAIN.fullmatch(domain) else None

    @property
    def stream(self) -> Mapping | None:
        return as_mapping(self.data.get("x-stream"))

    def stream_subjects(self) -> list[tuple[int, str]]:
        stream = self.stream
        subjects = stream.get("subjects") if stream else None
        if not isinstance(subjects, list):
            return []
        return [(i, s) for i, s in enumerate(subjects) if isinstance(s, str)]


def _is_nats(servers: list[Mapping]) -> bool:
    return any(str(s.get("protocol", "")).lower() == "nats" for s in servers)


def _published_channels(operations: list[tuple[str, Mapping]]) -> set[int]:
    return {
        id(op["channel"])
        for _, op in operations
        if op.get("action") == "send" and isinstance(op.get("channel"), dict)
    }


def _build_document(source: SourceFile, data: Mapping, specgen: bool) -> Document:
    document = Document(source, data)
    document.operations = entries(data.get("operations"))
    doc_servers = [s for _, s in entries(data.get("servers"))]
    published = _published_channels(document.operations)
    seen: dict[int, Mapping] = {}
    for key, channel in entries(data.get("channels")):
        servers = items(channel.get("servers")) or doc_servers
        nats = specgen or _is_nats(servers)
        view = Channel(key, channel, document, nats, specgen or id(channel) in published)
        document.channels.append(view)
        for message in view.messages():
            seen.setdefault(id(message), message)
            document.channels_of.setdefault(id(message), []).append(view)
    components = as_mapping(data.get("components")) or {}
    for _, message in entries(components.get("messages")):
        seen.setdefault(id(message), message)
    for _, op in document.operations:
        for message in items(op.get("messages")):
            seen.setdefault(id(message), message)
    document.messages = list(seen.values())
    return document


@dataclass
class Context:
    spec: LoadedSpec
    ruleset: str
    documents: list[Document]

    @classmethod
    def build(cls, spec: LoadedSpec, ruleset: str) -> Context:
        specgen = ruleset == "specgen"
        documents = [
            _build_document(source, source.data, specgen)
            for source in spec.documents
            if isinstance(source.data, dict)
        ]
        return cls(spec, ruleset, documents)

    @property
    def specgen(self) -> bool:
        return self.ruleset == "specgen"

    @property
    def project_name(self) -> str | None:
        project = self.spec.project
        data = project.data if project is not None else None
        name = data.get("project") if isinstance(data, dict) else None
        return name if isinstance(name, str) and name else None

    def locate(self, obj: Any, *path: str | int) -> Location:
        return self.spec.locate(obj, *path)

    def known(self, obj: Any) -> bool:
        """True if ``obj`` was written in a file (refs the loader could not resolve are not)."""
        return self.spec.origin_of(obj) is not None

    def label(self, message: Mapping) -> str:
        """How to name a message: its ``name``, else the key it was defined under."""
        name = message.get("name")
        if isinstance(name, str):
            return repr(name)
        origin = self.spec.origin_of(message)
        key = origin.pointer.rsplit("/", 1)[-1] if origin else ""
        return repr(key) if key else "(inline)"

    def where(self, obj: Any, *path: str | int) -> str:
        """``file:line`` of ``obj``, for messages that point at a second place."""
        location = self.locate(obj, *path)
        return f"{location.file}:{location.line}"

    def scopes(self) -> list[list[Document]]:
        """Documents whose names must not collide: all of a project, or each plain document."""
        if self.specgen:
            return [self.documents]
        return [[document] for document in self.documents]

    def channels(self) -> list[Channel]:
        return [channel for document in self.documents for channel in document.channels]

    def messages(self) -> list[tuple[Document, Mapping]]:
        """Every (document, message) pair; a message shared by two documents appears twice."""
        return [(document, m) for document in self.documents for m in document.messages]
