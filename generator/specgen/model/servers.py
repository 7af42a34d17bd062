"""Server and Server Variable objects."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from specgen.model.base import UNIQUE, Node
from specgen.model.bindings import ServerBindings
from specgen.model.info import ExternalDocs, Tags
from specgen.model.security import SecurityScheme


class ServerVariable(Node):
    kind = "server variable"

    enum: Annotated[list[str], UNIQUE] | None = None
    default: str | None = None
    description: str | None = None
    examples: list[str] | None = None


class Server(Node):
    kind = "server"

    host: str = Field(description="the server host name, optionally with a port: host[:port]")
    protocol: str = Field(description="the protocol, e.g. nats, kafka, mqtt, amqp, ws")
    protocol_version: str | None = None
    pathname: str | None = None
    description: str | None = None
    title: str | None = None
    summary: str | None = None
    variables: dict[str, ServerVariable] | None = None
    security: list[SecurityScheme] | None = None
    tags: Tags | None = None
    external_docs: ExternalDocs | None = None
    bindings: ServerBindings | None = None
