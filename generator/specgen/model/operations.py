"""Operation, Operation Trait, Operation Reply and Reply Address objects."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from specgen.model.base import Node, RuntimeExpression
from specgen.model.bindings import OperationBindings
from specgen.model.channels import Channel
from specgen.model.info import ExternalDocs, Tags
from specgen.model.messages import Message
from specgen.model.security import SecurityScheme


class ReplyAddress(Node):
    kind = "operation reply address"

    location: RuntimeExpression = Field(
        description="a runtime expression such as $message.header#/replyTo"
    )
    description: str | None = None


class Reply(Node):
    kind = "operation reply"

    address: ReplyAddress | None = None
    channel: Channel | None = None
    messages: list[Message] | None = None


class OperationTrait(Node):
    kind = "operation trait"

    title: str | None = None
    summary: str | None = None
    description: str | None = None
    security: list[SecurityScheme] | None = None
    tags: Tags | None = None
    external_docs: ExternalDocs | None = None
    bindings: OperationBindings | None = None


class Operation(OperationTrait):
    kind = "operation"

    action: Literal["send", "receive"] = Field(description="'send' or 'receive'")
    channel: Channel = Field(description="a $ref to the channel, e.g. {$ref: '#/channels/name'}")
    messages: list[Message] | None = None
    reply: Reply | None = None
    traits: list[OperationTrait] | None = None
