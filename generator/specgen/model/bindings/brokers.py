"""Bindings of the queueing message brokers, as the official AsyncAPI schemas define them:
Kafka (0.3.0-0.5.0), AMQP 0-9-1, Solace (0.2.0-0.4.0) and IBM MQ (the others are in
``middleware``). specgen generates for none of them; it checks them so that a document the
official schema refuses is refused here too."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import ConfigDict, Field, PlainValidator, model_validator
from pydantic_core import PydanticCustomError

from specgen.model.bindings.base import Binding, Open, versions
from specgen.model.bindings.values import Integer, Schema, integer, one_of
from specgen.model.bindings.values import schema_value as _schema_value

StrList = list[str]
AVRO_TYPES = frozenset(
    {"record", "enum", "array", "map", "fixed", "null", "boolean", "int", "long", "float", "double",
     "bytes", "string"}
)  # fmt: skip


def _schema_or_avro(value: Any) -> Any:
    if isinstance(value, str) or (isinstance(value, list) and value):
        return value  # an Avro type name or a union
    if isinstance(value, dict) and str(value.get("type")) in AVRO_TYPES:
        return value  # an Avro complex type
    return _schema_value(value)


SchemaOrAvro = Annotated[Any, PlainValidator(_schema_or_avro)]


def _exclusive(message: str) -> PydanticCustomError:
    return PydanticCustomError("binding_combination", message)


# -- Kafka ---------------------------------------------------------------------------------
KafkaVersion = Literal["0.3.0", "0.4.0", "0.5.0"]


class KafkaServer(Binding):
    kind = "Kafka server binding"

    schema_registry_url: str | None = None
    schema_registry_vendor: str | None = None
    binding_version: KafkaVersion | None = None


class KafkaOperation(Binding):
    kind = "Kafka operation binding"

    group_id: Schema | None = None
    client_id: Schema | None = None
    binding_version: KafkaVersion | None = None


class _KafkaChannel(Binding):
    kind = "Kafka channel binding"

    topic: str | None = None
    partitions: Annotated[int, integer(1)] | None = None
    replicas: Annotated[int, integer(1)] | None = None


class TopicConfiguration(Binding):
    kind = "Kafka topic configuration"
    allow_extensions = False

    cleanup_policy: list[Literal["compact", "delete"]] | None = Field(None, alias="cleanup.policy")
    retention_ms: Annotated[int, integer(-1)] | None = Field(None, alias="retention.ms")
    retention_bytes: Annotated[int, integer(-1)] | None = Field(None, alias="retention.bytes")
    delete_retention_ms: Annotated[int, integer(0)] | None = Field(
        None, alias="delete.retention.ms"
    )
    max_message_bytes: Annotated[int, integer(0)] | None = Field(None, alias="max.message.bytes")


class TopicConfiguration050(TopicConfiguration):
    """0.5.0 names the Confluent settings and allows any other topic setting."""

    model_config = ConfigDict(extra="allow")

    confluent_key_schema_validation: bool | None = Field(
        None, alias="confluent.key.schema.validation"
    )
    confluent_key_subject_name_strategy: str | None = Field(
        None, alias="confluent.key.subject.name.strategy"
    )
    confluent_value_schema_validation: bool | None = Field(
        None, alias="confluent.value.schema.validation"
    )
    confluent_value_subject_name_strategy: str | None = Field(
        None, alias="confluent.value.subject.name.strategy"
    )


class KafkaChannel030(_KafkaChannel):
    binding_version: Literal["0.3.0"] | None = None


class KafkaChannel040(_KafkaChannel):
    topic_configuration: TopicConfiguration | None = None
    binding_version: Literal["0.4.0"] | None = None


class KafkaChannel050(_KafkaChannel):
    topic_configuration: TopicConfiguration050 | None = None
    binding_version: Literal["0.5.0"] | None = None


class _KafkaMessage(Binding):
    kind = "Kafka message binding"

    schema_id_location: Literal["header", "payload"] | None = None
    schema_id_payload_encoding: str | None = None
    schema_lookup_strategy: str | None = None


class KafkaMessage(_KafkaMessage):
    key: Schema | None = None
    binding_version: Literal["0.3.0", "0.5.0"] | None = None


class KafkaMessage040(_KafkaMessage):
    key: SchemaOrAvro | None = None
    """0.4.0 also allows an Avro schema here (a type name, an object or a union list)."""
    binding_version: Literal["0.4.0"] | None = None


KAFKA_CHANNEL = versions("0.5.0", v0_3_0=KafkaChannel030, v0_4_0=KafkaChannel040,
                         v0_5_0=KafkaChannel050)  # fmt: skip
KAFKA_MESSAGE = versions("0.5.0", v0_3_0=KafkaMessage, v0_4_0=KafkaMessage040,
                         v0_5_0=KafkaMessage)  # fmt: skip


# -- AMQP 0-9-1 ------------------------------------------------------------------------------
class AmqpExchange(Open):
    kind = "AMQP exchange"

    name: Annotated[str, Field(max_length=255)] | None = None
    type: Literal["topic", "direct", "fanout", "default", "headers"] | None = None
    durable: bool | None = None
    auto_delete: bool | None = None
    vhost: str | None = None


class AmqpQueue(Open):
    kind = "AMQP queue"

    name: Annotated[str, Field(max_length=255)] | None = None
    durable: bool | None = None
    exclusive: bool | None = None
    auto_delete: bool | None = None
    vhost: str | None = None


class AmqpChannel(Binding):
    kind = "AMQP channel binding"

    is_: Literal["queue", "routingKey"] | None = Field(None, alias="is")
    exchange: AmqpExchange | None = None
    queue: AmqpQueue | None = None
    binding_version: Literal["0.3.0"] | None = None

    @model_validator(mode="after")
    def _queue_or_exchange(self) -> AmqpChannel:
        has_exchange, has_queue = "exchange" in self.raw, "queue" in self.raw
        if self.is_ == "queue":
            ok = has_queue and not has_exchange
        elif self.is_ == "routingKey":
            ok = has_exchange and not has_queue
        else:
            ok = has_exchange != has_queue
        if not ok:
            raise _exclusive(
                "an AMQP channel is a queue (is: queue, with 'queue' and no 'exchange') or a "
                "routing key (is: routingKey, with 'exchange' and no 'queue')"
            )
        return self


class AmqpOperation(Binding):
    kind = "AMQP operation binding"

    expiration: Annotated[int, integer(0)] | None = None
    user_id: str | None = None
    cc: StrList | None = None
    priority: Integer | None = None
    delivery_mode: Annotated[int, one_of(1, 2)] | None = None
    mandatory: bool | None = None
    bcc: StrList | None = None
    timestamp: bool | None = None
    ack: bool | None = None
    binding_version: Literal["0.3.0"] | None = None


class AmqpMessage(Binding):
    kind = "AMQP message binding"

    content_encoding: str | None = None
    message_type: str | None = None
    binding_version: Literal["0.3.0"] | None = None


# -- Solace --------------------------------------------------------------------------------
class SolaceQueue(Open):
    kind = "Solace queue"

    name: str | None = None
    topic_subscriptions: StrList | None = None
    access_type: Literal["exclusive", "nonexclusive"] | None = None
    max_ttl: str | None = None
    max_msg_spool_usage: str | None = None


class SolaceDestination(Open):
    """One destination: a queue or a topic (the official schema requires exactly one)."""

    kind = "Solace destination"

    delivery_mode: Literal["direct", "persistent"] | None = None
    destination_type: Literal["queue", "topic"] | None = None
    queue: SolaceQueue | None = None
    topic_subscriptions: StrList | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> SolaceDestination:
        # with no destinationType both alternatives hold, and oneOf needs exactly one
        if self.destination_type is None:
            raise _exclusive("a Solace destination needs destinationType: queue or topic")
        return self


class _SolaceOperation(Binding):
    kind = "Solace operation binding"
    allow_extensions = False  # the official schema has no x- fields here

    destinations: list[SolaceDestination] | None = None


class SolaceOperation02(_SolaceOperation):
    binding_version: Literal["0.2.0", "0.3.0"] | None = None


class SolaceOperation04(_SolaceOperation):
    time_to_live: Integer | None = None
    priority: Annotated[int, integer(0, 255)] | None = None
    dmq_eligible: bool | None = None
    binding_version: Literal["0.4.0"] | None = None


class SolaceServer02(Binding):
    kind = "Solace server binding"

    msv_vpn: str | None = None
    """Spelt ``msvVpn`` in 0.2.0."""
    binding_version: Literal["0.2.0"] | None = None


class SolaceServer03(Binding):
    kind = "Solace server binding"

    msg_vpn: str | None = None
    binding_version: Literal["0.3.0"] | None = None


class SolaceServer04(SolaceServer03):
    client_name: Annotated[str, Field(min_length=1, max_length=160)] | None = None
    binding_version: Literal["0.4.0"] | None = None  # type: ignore[assignment]


SOLACE_SERVER = versions("0.4.0", v0_2_0=SolaceServer02, v0_3_0=SolaceServer03,
                         v0_4_0=SolaceServer04)  # fmt: skip
SOLACE_OPERATION = versions("0.4.0", v0_2_0=SolaceOperation02, v0_3_0=SolaceOperation02,
                            v0_4_0=SolaceOperation04)  # fmt: skip


# -- IBM MQ --------------------------------------------------------------------------------
class IbmMqQueue(Open):
    kind = "IBM MQ queue"

    object_name: Annotated[str, Field(max_length=48)] = Field(description="the queue's name")
    is_partitioned: bool | None = None
    exclusive: bool | None = None


class IbmMqTopic(Open):
    kind = "IBM MQ topic"

    string: Annotated[str, Field(max_length=10240)] | None = None
    object_name: Annotated[str, Field(max_length=48)] | None = None
    durable_permitted: bool | None = None
    last_msg_retained: bool | None = None


class IbmMqChannel(Binding):
    kind = "IBM MQ channel binding"

    destination_type: Literal["topic", "queue"] | None = None
    queue: IbmMqQueue | None = None
    topic: IbmMqTopic | None = None
    max_msg_length: Annotated[int, integer(0, 104_857_600)] | None = None
    binding_version: Literal["0.1.0"] | None = None

    @model_validator(mode="after")
    def _queue_or_topic(self) -> IbmMqChannel:
        has_queue, has_topic = "queue" in self.raw, "topic" in self.raw
        as_topic = self.destination_type in (None, "topic") and not has_queue
        as_queue = self.destination_type in (None, "queue") and has_queue and not has_topic
        if as_topic == as_queue:
            raise _exclusive(
                "an IBM MQ channel is a topic (no 'queue') or a queue (with 'queue' and no "
                "'topic'), as destinationType says"
            )
        return self


class IbmMqMessage(Binding):
    kind = "IBM MQ message binding"

    type: Literal["string", "jms", "binary"] | None = None
    headers: str | None = None
    description: str | None = None
    expiry: Annotated[int, integer(0)] | None = None
    binding_version: Literal["0.1.0"] | None = None

    @model_validator(mode="after")
    def _headers_only_for_binary(self) -> IbmMqMessage:
        # the official schema's oneOf: binary, or jms/string without headers -- and a message
        # with no type and no headers matches all three, which oneOf refuses
        matches = sum(
            [
                self.type in (None, "binary"),
                self.type in (None, "jms") and self.headers is None,
                self.type in (None, "string") and self.headers is None,
            ]
        )
        if matches != 1:
            raise _exclusive("an IBM MQ message has a type; 'headers' are only for type: binary")
        return self


class IbmMqServer(Binding):
    kind = "IBM MQ server binding"

    group_id: str | None = None
    ccdt_queue_manager_name: str | None = None
    cipher_spec: str | None = None
    multi_endpoint_server: bool | None = None
    heart_beat_interval: Annotated[int, integer(0, 999_999)] | None = None
    binding_version: Literal["0.1.0"] | None = None
