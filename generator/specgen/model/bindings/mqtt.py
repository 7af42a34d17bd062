"""MQTT bindings 0.2.0, in full: server (connection), operation (QoS, retain, expiry) and
message (MQTT 5 properties); the channel binding is reserved."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from specgen.model.bindings.base import Binding, Open, Reserved
from specgen.model.bindings.values import (
    Integer,
    Schema,
    TopicOrSchema,
    one_of,
    schema_or_integer,
)

QoS = Annotated[int, one_of(0, 1, 2)]
UINT32 = 4_294_967_295


class LastWill(Open):
    kind = "MQTT last will"

    topic: str | None = None
    qos: QoS | None = None
    message: str | None = None
    retain: bool | None = None


class MqttServer(Binding):
    kind = "MQTT server binding"

    client_id: str | None = None
    clean_session: bool | None = None
    last_will: LastWill | None = None
    keep_alive: Integer | None = None
    session_expiry_interval: Annotated[Any, schema_or_integer(0)] = None
    maximum_packet_size: Annotated[Any, schema_or_integer(1, UINT32)] = None
    binding_version: Literal["0.2.0"] | None = None


class MqttOperation(Binding):
    kind = "MQTT operation binding"

    qos: QoS | None = None
    retain: bool | None = None
    message_expiry_interval: Annotated[Any, schema_or_integer(0, UINT32)] = None
    binding_version: Literal["0.2.0"] | None = None


class MqttMessage(Binding):
    kind = "MQTT message binding"

    payload_format_indicator: Annotated[int, one_of(0, 1)] | None = None
    correlation_data: Schema | None = None
    content_type: str | None = None
    response_topic: TopicOrSchema | None = None
    binding_version: Literal["0.2.0"] | None = None


class MqttReserved(Reserved):
    kind = "MQTT channel binding (reserved, no fields)"
