"""What every rule shares: a view of the typed model (``specgen.model.spec``).

Rules never read raw dictionaries. They see the structurally valid documents as typed
objects, with the channel keys, which channels are served over NATS and published to, which
channels hold each message, and our extensions through their typed accessors
(``STREAM.of(document.api)``). Identity matters: one definition referenced from several places
is one object, so collections are de-duplicated by ``id()``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from specgen.diagnostics import Location
from specgen.load import LoadedSpec, SourceFile
from specgen.model import AsyncAPI, Channel, Message, Node, Operation
from specgen.model.extensions import DELIVERY, DOMAIN, STREAM, DomainStream
from specgen.model.project import Project
from specgen.model.spec import SpecModel


@dataclass(eq=False)
class ChannelView:
    key: str
    node: Channel
    document: DocumentView
    nats: bool
    published: bool

    @property
    def address(self) -> str | None:
        return self.node.address

    @property
    def parameters(self) -> dict[str, Any]:
        return dict(self.node.parameters or {})

    @property
    def delivery(self) -> str | None:
        return DELIVERY.of(self.node)

    def messages(self) -> list[Message]:
        return list((self.node.messages or {}).values())


@dataclass(eq=False)
class DocumentView:
    source: SourceFile
    api: AsyncAPI
    channels: list[ChannelView] = field(default_factory=list)
    operations: list[tuple[str, Operation]] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    channels_of: dict[int, list[ChannelView]] = field(default_factory=dict)

    @property
    def domain(self) -> str | None:
        return DOMAIN.of(self.api)

    @property
    def stream(self) -> DomainStream | None:
        return STREAM.of(self.api)


def _is_nats(channel: Channel, api: AsyncAPI) -> bool:
    servers = channel.servers or list((api.servers or {}).values())
    return any(server.protocol.lower() == "nats" for server in servers)


def _build_document(source: SourceFile, api: AsyncAPI, specgen: bool) -> DocumentView:
    document = DocumentView(source, api)
    document.operations = list((api.operations or {}).items())
    published = {id(op.channel) for _, op in document.operations if op.action == "send"}
    seen: dict[int, Message] = {}
    for key, channel in (api.channels or {}).items():
        nats = specgen or _is_nats(channel, api)
        view = ChannelView(key, channel, document, nats, specgen or id(channel) in published)
        document.channels.append(view)
        for message in view.messages():
            seen.setdefault(id(message), message)
            document.channels_of.setdefault(id(message), []).append(view)
    components = api.components
    for message in ((components.messages if components else None) or {}).values():
        seen.setdefault(id(message), message)
    for _, op in document.operations:
        for message in op.messages or []:
            seen.setdefault(id(message), message)
    document.messages = list(seen.values())
    return document


@dataclass
class Context:
    model: SpecModel
    ruleset: str
    documents: list[DocumentView]

    @classmethod
    def build(cls, model: SpecModel, ruleset: str) -> Context:
        specgen = ruleset == "specgen"
        documents = [_build_document(d.source, d.api, specgen) for d in model.documents]
        return cls(model, ruleset, documents)

    @property
    def spec(self) -> LoadedSpec:
        return self.model.loaded

    @property
    def specgen(self) -> bool:
        return self.ruleset == "specgen"

    @property
    def project(self) -> Project | None:
        return self.model.project

    @property
    def project_name(self) -> str | None:
        return self.project.project if self.project is not None else None

    def locate(self, node: Node, *path: str | int, value: bool = False) -> Location:
        return self.model.locate(node, *path, value=value)

    def known(self, node: Node) -> bool:
        """True if ``node`` was written in a file (refs the loader could not resolve are not)."""
        return self.spec.origin_of(node.raw) is not None

    def label(self, message: Message) -> str:
        """How to name a message: its ``name``, else the key it was defined under."""
        if message.name is not None:
            return repr(message.name)
        origin = self.spec.origin_of(message.raw)
        key = origin.pointer.rsplit("/", 1)[-1] if origin else ""
        return repr(key) if key else "(inline)"

    def where(self, node: Node, *path: str | int) -> str:
        """``file:line`` of ``node``, for messages that point at a second place."""
        location = self.locate(node, *path)
        return f"{location.file}:{location.line}"

    def channels(self) -> list[ChannelView]:
        return [channel for document in self.documents for channel in document.channels]

    def definitions(self) -> list[Message]:
        """Every message definition once, though documents share it (by the dict it is)."""
        unique: dict[int, Message] = {}
        for _, message in self.messages():
            unique.setdefault(id(message.raw), message)
        return list(unique.values())

    def messages(self) -> list[tuple[DocumentView, Message]]:
        """Every (document, message) pair; a message shared by two documents appears twice."""
        return [(document, m) for document in self.documents for m in document.messages]
