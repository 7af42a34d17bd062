"""Bindings objects: one optional object per protocol, each typed.

NATS and MQTT, the protocols specgen generates for, are modelled in full (``nats``, ``mqtt``);
every other protocol as the official AsyncAPI JSON Schemas define it (``brokers``, ``middleware``,
``web``, ``aws``), so that a binding they refuse is refused here, at its field. A binding whose
specification reserves its name (e.g. NATS server bindings) holds no fields. Protocols with
several binding versions are told apart by ``bindingVersion`` (the latest when absent).
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationInfo, field_validator
from pydantic_core import PydanticCustomError

from specgen.model.base import JsonObject, Node, ValidationContext
from specgen.model.bindings import aws as _aws
from specgen.model.bindings import brokers as _brokers
from specgen.model.bindings import middleware as _middleware
from specgen.model.bindings import mqtt as _mqtt
from specgen.model.bindings import nats as _nats
from specgen.model.bindings import web as _web

Opaque = JsonObject
"""A protocol whose binding the specifications leave open (``amqp1``, ``stomp``, ``redis``)."""


class _Bindings(Node):
    amqp1: Opaque | None = None
    stomp: Opaque | None = None
    redis: Opaque | None = None


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

    http: Opaque | None = None
    ws: Opaque | None = None
    amqp: Opaque | None = None
    mqtt: _mqtt.MqttServer | None = None
    kafka: _brokers.KafkaServer | None = None
    anypointmq: Opaque | None = None
    nats: _nats.NatsReserved | None = None
    jms: _middleware.JmsServer | None = None
    sns: Opaque | None = None
    sqs: Opaque | None = None
    ibmmq: _brokers.IbmMqServer | None = None
    solace: _brokers.SOLACE_SERVER | None = None
    googlepubsub: Opaque | None = None
    pulsar: _middleware.PulsarServer | None = None
    ros2: _middleware.Ros2Server | None = None

    @field_validator("ros2", mode="before")
    @classmethod
    def _ros2_needs_3_1(cls, value: Any, info: ValidationInfo) -> Any:
        return _needs_3_1(value, info)


class ChannelBindings(_Bindings):
    kind = "channel bindings object"

    http: Opaque | None = None
    ws: _web.WebSocketsChannel | None = None
    amqp: _brokers.AmqpChannel | None = None
    mqtt: _mqtt.MqttReserved | None = None
    kafka: _brokers.KAFKA_CHANNEL | None = None
    anypointmq: _middleware.AnypointMqChannel | None = None
    nats: _nats.NatsReserved | None = None
    jms: _middleware.JmsChannel | None = None
    sns: _aws.SnsChannel | None = None
    sqs: _aws.SqsChannel | None = None
    ibmmq: _brokers.IbmMqChannel | None = None
    solace: Opaque | None = None
    googlepubsub: _middleware.GooglePubSubChannel | None = None
    pulsar: _middleware.PulsarChannel | None = None


class OperationBindings(_Bindings):
    kind = "operation bindings object"

    http: _web.HttpOperation | None = None
    ws: Opaque | None = None
    amqp: _brokers.AmqpOperation | None = None
    mqtt: _mqtt.MqttOperation | None = None
    kafka: _brokers.KafkaOperation | None = None
    anypointmq: Opaque | None = None
    nats: _nats.NatsOperation | None = None
    jms: Opaque | None = None
    sns: _aws.SnsOperation | None = None
    sqs: _aws.SqsOperation | None = None
    ibmmq: Opaque | None = None
    solace: _brokers.SOLACE_OPERATION | None = None
    googlepubsub: Opaque | None = None
    ros2: _middleware.Ros2Operation | None = None

    @field_validator("ros2", mode="before")
    @classmethod
    def _ros2_needs_3_1(cls, value: Any, info: ValidationInfo) -> Any:
        return _needs_3_1(value, info)


class MessageBindings(_Bindings):
    kind = "message bindings object"

    http: _web.HTTP_MESSAGE | None = None
    ws: Opaque | None = None
    amqp: _brokers.AmqpMessage | None = None
    mqtt: _mqtt.MqttMessage | None = None
    kafka: _brokers.KAFKA_MESSAGE | None = None
    anypointmq: _middleware.AnypointMqMessage | None = None
    nats: _nats.NatsReserved | None = None
    jms: _middleware.JmsMessage | None = None
    sns: Opaque | None = None
    sqs: Opaque | None = None
    ibmmq: _brokers.IbmMqMessage | None = None
    solace: Opaque | None = None
    googlepubsub: _middleware.GooglePubSubMessage | None = None


__all__ = ["ChannelBindings", "MessageBindings", "OperationBindings", "ServerBindings"]
