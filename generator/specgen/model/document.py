"""The AsyncAPI document (the root object) and the Components object."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from specgen.model.base import Node
from specgen.model.bindings import (
    ChannelBindings,
    MessageBindings,
    OperationBindings,
    ServerBindings,
)
from specgen.model.channels import Channel, Parameter
from specgen.model.info import ExternalDocs, Info, Tag
from specgen.model.messages import AnySchema, CorrelationId, Message, MessageTrait
from specgen.model.operations import Operation, OperationTrait, Reply, ReplyAddress
from specgen.model.security import SecurityScheme
from specgen.model.servers import Server, ServerVariable


class Components(Node):
    """Reusable objects; each map is keyed by names matching ``^[\\w\\d.\\-_]+$``."""

    kind = "components object"

    schemas: dict[str, AnySchema] | None = None
    servers: dict[str, Server] | None = None
    channels: dict[str, Channel] | None = None
    operations: dict[str, Operation] | None = None
    messages: dict[str, Message] | None = None
    security_schemes: dict[str, SecurityScheme] | None = None
    server_variables: dict[str, ServerVariable] | None = None
    parameters: dict[str, Parameter] | None = None
    correlation_ids: dict[str, CorrelationId] | None = None
    replies: dict[str, Reply] | None = None
    reply_addresses: dict[str, ReplyAddress] | None = None
    external_docs: dict[str, ExternalDocs] | None = None
    tags: dict[str, Tag] | None = None
    operation_traits: dict[str, OperationTrait] | None = None
    message_traits: dict[str, MessageTrait] | None = None
    server_bindings: dict[str, ServerBindings] | None = None
    channel_bindings: dict[str, ChannelBindings] | None = None
    operation_bindings: dict[str, OperationBindings] | None = None
    message_bindings: dict[str, MessageBindings] | None = None


class AsyncAPI(Node):
    """An AsyncAPI 3.0.0 or 3.1.0 document, with every ``$ref`` already resolved."""

    kind = "AsyncAPI document"

    asyncapi: Literal["3.0.0", "3.1.0"] = Field(description="the AsyncAPI version: 3.0.0 or 3.1.0")
    id: str | None = None
    info: Info = Field(description="title and version of the application")
    servers: dict[str, Server] | None = None
    default_content_type: str | None = None
    channels: dict[str, Channel] | None = None
    operations: dict[str, Operation] | None = None
    components: Components | None = None
