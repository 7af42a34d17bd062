"""Channel and Parameter objects."""

from __future__ import annotations

from typing import Annotated

from specgen.model.base import UNIQUE, Node, RuntimeExpression
from specgen.model.bindings import ChannelBindings
from specgen.model.info import ExternalDocs, Tags
from specgen.model.messages import Message
from specgen.model.servers import Server


class Parameter(Node):
    kind = "parameter"

    enum: list[str] | None = None
    default: str | None = None
    description: str | None = None
    examples: list[str] | None = None
    location: RuntimeExpression | None = None


class Channel(Node):
    kind = "channel"
    nullable = frozenset({"address"})

    address: str | None = None
    """``None`` when the address is unknown or dynamic (written as ``null`` or left out)."""
    messages: dict[str, Message] | None = None
    parameters: dict[str, Parameter] | None = None
    title: str | None = None
    summary: str | None = None
    description: str | None = None
    servers: Annotated[list[Server], UNIQUE] | None = None
    tags: Tags | None = None
    external_docs: ExternalDocs | None = None
    bindings: ChannelBindings | None = None
