"""One version of a spec, loaded for comparison: its IR and the spec objects behind it.

The IR holds no source locations, so each event is anchored to the objects it was built from
(document, channel, message, resolved payload schema); ``locate`` turns those objects into
file:line through the loader (``LoadedSpec.locate``). Locations of the old version are shown
under the path they have in the repository, not under the temporary folder they were
extracted to. This is the one module to switch when the typed model carries locations itself.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from specgen.diagnostics import Diagnostic, Location, has_errors
from specgen.ir import DomainIR, EventIR, SpecIR
from specgen.ir.build import build_ir
from specgen.ir.naming import snake
from specgen.load import LoadedSpec, SourceFile, load_spec


@dataclass(frozen=True)
class EventAnchor:
    event: EventIR
    domain: DomainIR
    document: SourceFile
    channel_key: str
    channel: dict[str, Any]
    message_key: str
    message: dict[str, Any]
    payload: Any


@dataclass
class Side:
    label: str  # how findings name this version: "main", "v1.2.0", "working tree"
    spec: LoadedSpec
    ir: SpecIR
    shown_as: tuple[str, str] | None = None  # (temporary folder, the path to show instead)
    events: dict[str, EventAnchor] = field(default_factory=dict)
    documents: dict[str, SourceFile] = field(default_factory=dict)  # domain name -> document

    @property
    def has_project(self) -> bool:
        return self.spec.project is not None

    def show(self, where: Location) -> Location:
        if self.shown_as is None:
            return where
        temporary, shown = self.shown_as
        path = os.path.abspath(where.file)
        if path.startswith(temporary):
            relative = os.path.relpath(path, temporary)
            return Location(os.path.join(shown, relative), where.line, where.column, where.pointer)
        return where

    def locate(self, obj: Any, *path: str | int) -> Location | None:
        if obj is None or self.spec.origin_of(obj) is None:
            return None
        return self.show(self.spec.locate(obj, *path))

    def at_document(self, domain: str, pointer: str) -> Location | None:
        document = self.documents.get(domain)
        return None if document is None else self.show(document.location(pointer))

    def at_project(self, pointer: str) -> Location | None:
        project = self.spec.project
        return None if project is None else self.show(project.location(pointer))

    def at_event(self, event_type: str, *path: str | int) -> Location | None:
        anchor = self.events.get(event_type)
        if anchor is None:
            return None
        return self.locate(anchor.message, *path) or self.at_document(anchor.domain.name, "")


class LoadFailure(Exception):
    """A version that cannot be loaded: the diagnostics say why."""

    def __init__(self, label: str, diagnostics: list[Diagnostic]) -> None:
        super().__init__(label)
        self.label = label
        self.diagnostics = diagnostics


def load_side(paths: list[Path], label: str, shown_as: tuple[str, str] | None = None) -> Side:
    spec = load_spec(paths)
    if has_errors(spec.diagnostics) or not spec.documents:
        raise LoadFailure(label, list(spec.diagnostics))
    ir, diagnostics = build_ir(spec)
    if ir is None:
        raise LoadFailure(label, diagnostics)
    side = Side(label, spec, ir, shown_as)
    _anchor(side)
    return side


def _payload(message: dict[str, Any]) -> Any:
    payload = message.get("payload", True)
    if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
        return payload["schema"]
    return payload


def _anchor(side: Side) -> None:
    for document, domain in zip(side.spec.documents, side.ir.domains, strict=False):
        side.documents[domain.name] = document
        by_type = {event.type: event for event in domain.events}
        pairs = list(_messages(document))
        shared: dict[int, int] = {}
        for _, _, _, message in pairs:
            shared[id(message)] = shared.get(id(message), 0) + 1
        for channel_key, channel, message_key, message in pairs:
            ce = message.get("x-cloudevents")
            ce_type = ce.get("type") if isinstance(ce, dict) else None
            if not isinstance(ce_type, str) or not ce_type:
                stem = snake(message_key)
                if shared[id(message)] > 1:
                    stem = f"{snake(channel_key)}_{stem}"
                ce_type = f"{side.ir.project.name}.{domain.name}.{stem}.v1"
            event = by_type.get(ce_type)
            if event is not None and ce_type not in side.events:
                side.events[ce_type] = EventAnchor(
                    event,
                    domain,
                    document,
                    channel_key,
                    channel,
                    message_key,
                    message,
                    _payload(message),
                )


def _messages(document: SourceFile) -> list[tuple[str, dict[str, Any], str, dict[str, Any]]]:
    data = document.data if isinstance(document.data, dict) else {}
    channels = data.get("channels")
    found = []
    for channel_key, channel in channels.items() if isinstance(channels, dict) else ():
        messages = channel.get("messages") if isinstance(channel, dict) else None
        for message_key, message in messages.items() if isinstance(messages, dict) else ():
            if isinstance(message, dict):
                found.append((str(channel_key), channel, str(message_key), message))
    return found
