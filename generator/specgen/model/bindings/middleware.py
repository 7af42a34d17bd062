"""Bindings of JMS, Anypoint MQ, Pulsar, Google Pub/Sub and ROS 2, as the official AsyncAPI
schemas define them (Kafka, AMQP, Solace and IBM MQ are in ``brokers``). specgen generates for
none of them; it checks them so that a document the official schema refuses is refused here
too."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from specgen.model.bindings.base import Binding, Open
from specgen.model.bindings.values import Integer, Schema, integer

StrList = list[str]


# -- JMS, Anypoint MQ, Pulsar, Google Pub/Sub, ROS 2 ---------------------------------------
class JmsChannel(Binding):
    kind = "JMS channel binding"

    destination: str | None = None
    destination_type: Literal["queue", "fifo-queue"] | None = None
    binding_version: Literal["0.0.1"] | None = None


class JmsMessage(Binding):
    kind = "JMS message binding"

    headers: Schema | None = None
    binding_version: Literal["0.0.1"] | None = None


class JmsProperty(Open):
    kind = "JMS connection property"

    name: str = Field(description="the property's name")
    value: str | bool | float | None = Field(description="a string, boolean, number or null")


class JmsServer(Binding):
    kind = "JMS server binding"

    jms_connection_factory: str = Field(description="the class name of the connection factory")
    properties: list[JmsProperty] | None = None
    client_id: str | None = Field(None, alias="clientID")
    binding_version: Literal["0.0.1"] | None = None


class AnypointMqChannel(Binding):
    kind = "Anypoint MQ channel binding"

    destination: str | None = None
    destination_type: Literal["exchange", "queue", "fifo-queue"] | None = None
    binding_version: Literal["0.0.1"] | None = None


class AnypointMqMessage(Binding):
    kind = "Anypoint MQ message binding"

    headers: Schema | None = None
    binding_version: Literal["0.0.1"] | None = None


class PulsarRetention(Binding):
    kind = "Pulsar retention"
    allow_extensions = False

    time: Annotated[int, integer(0)] | None = None
    size: Annotated[int, integer(0)] | None = None


class PulsarChannel(Binding):
    kind = "Pulsar channel binding"

    namespace: str = Field(description="the namespace the channel is in")
    persistence: Literal["persistent", "non-persistent"] = Field(
        description="'persistent' or 'non-persistent'"
    )
    compaction: Annotated[int, integer(0)] | None = None
    geo_replication: StrList | None = Field(None, alias="geo-replication")
    retention: PulsarRetention | None = None
    ttl: Integer | None = None
    deduplication: bool | None = None
    binding_version: Literal["0.1.0"] | None = None


class PulsarServer(Binding):
    kind = "Pulsar server binding"

    tenant: str | None = None
    binding_version: Literal["0.1.0"] | None = None


class SchemaSettings(Open):
    kind = "Google Pub/Sub schema settings"

    encoding: str = Field(description="the encoding of messages, e.g. JSON")
    first_revision_id: str | None = None
    last_revision_id: str | None = None
    name: str = Field(description="the schema's name")


class StoragePolicy(Binding):
    kind = "Google Pub/Sub message storage policy"
    allow_extensions = False

    allowed_persistence_regions: StrList | None = None


class GooglePubSubChannel(Binding):
    kind = "Google Pub/Sub channel binding"

    labels: dict[str, Any] | None = None
    message_retention_duration: str | None = None
    message_storage_policy: StoragePolicy | None = None
    schema_settings: SchemaSettings = Field(description="the topic's schema settings")
    binding_version: Literal["0.2.0"] | None = None


class PubSubSchema(Open):
    kind = "Google Pub/Sub message schema"

    name: str = Field(description="the schema's name")


class GooglePubSubMessage(Binding):
    kind = "Google Pub/Sub message binding"

    attributes: dict[str, Any] | None = None
    ordering_key: str | None = None
    schema_: PubSubSchema | None = Field(None, alias="schema")
    binding_version: Literal["0.2.0"] | None = None


class Ros2QosPolicies(Open):
    kind = "ROS 2 QoS policies"

    deadline: Integer | None = None
    durability: Literal["transient_local", "volatile"] | None = None
    history: Literal["keep_last", "keep_all", "unknown"] | None = None
    lease_duration: Integer | None = None
    lifespan: Integer | None = None
    liveliness: Literal["automatic", "manual"] | None = None
    reliability: Literal["best_effort", "realiable"] | None = None
    """Spelt so in the official schema."""


class Ros2Operation(Binding):
    kind = "ROS 2 operation binding"

    node: str = Field(description="the name of the ROS 2 node")
    role: Literal[
        "publisher", "action_client", "service_client", "subscriber", "action_server",
        "service_server",
    ] = Field(description="publisher, subscriber, service_client, service_server, ...")  # fmt: skip
    qos_policies: Ros2QosPolicies | None = None
    binding_version: Literal["0.1.0"] | None = None


class Ros2Server(Open):
    kind = "ROS 2 server binding"

    domain_id: Annotated[int, integer(0, 231)] | None = None
    rmw_implementation: str | None = None
    binding_version: Literal["0.1.0"] | None = None
