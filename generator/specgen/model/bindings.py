"""Bindings objects: one optional, loosely typed object per protocol.

The protocol-specific contents are not modelled here; rules that need them read them. Only the
protocol keys are checked, so a misspelt protocol is reported (``kafak`` -> ``kafka``).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from specgen.model.base import JsonObject, Node, ValidationContext


class _Bindings(Node):
    http: JsonObject | None = None
    ws: JsonObject | None = None
    amqp: JsonObject | None = None
    amqp1: JsonObject | None = None
    mqtt: JsonObject | None = None
    kafka: JsonObject | None = None
    anypointmq: JsonObject | None = None
    nats: JsonObject | None = None
    jms: JsonObject | None = None
    sns: JsonObject | None = None
    sqs: JsonObject | None = None
    stomp: JsonObject | None = None
    redis: JsonObject | None = None
    ibmmq: JsonObject | None = None
    solace: JsonObject | None = None
    googlepubsub: JsonObject | None = None


def _needs_3_1(value: Any, info: ValidationInfo) -> Any:
    context = info.context
    if isinstance(context, ValidationContext) and context.version == "3.0.0":
        field = info.field_name or ""
        raise PydanticCustomError(
            "needs_version", "{field} bindings need AsyncAPI 3.1.0", {"field": field}
        )
    return value


class ServerBindings(_Bindings):
    kind = "server bindings object"

    pulsar: JsonObject | None = None
    ros2: JsonObject | None = None

    @field_validator("ros2", mode="before")
    @classmethod
    def _ros2_needs_3_1(cls, value: Any, info: ValidationInfo) -> Any:
        return _needs_3_1(value, info)


class ChannelBindings(_Bindings):
    kind = "channel bindings object"

    pulsar: JsonObject | None = None


class OperationBindings(_Bindings):
    kind = "operation bindings object"

    ros2: JsonObject | None = None

    @field_validator("ros2", mode="before")
    @classmethod
    def _ros2_needs_3_1(cls, value: Any, info: ValidationInfo) -> Any:
        return _needs_3_1(value, info)


class MessageBindings(_Bindings):
    kind = "message bindings object"
