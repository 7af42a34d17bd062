"""specgen runtime: typed CloudEvents over NATS JetStream for specgen-generated code.

Modules: ``events`` (EventSpec, Event), ``codec`` (the CloudEvents NATS binding),
``publisher`` (EventPublisher), ``subscriber`` (subscribe, subscribe_any, Subscription, Received),
``deadletter`` (DeadLetter), ``servers`` (local nats-server processes), ``outbox`` and
``outbox_relay`` (durable client-side buffering), ``fleet`` (provisioning, health, the local
hub-and-sites launcher and the demo), ``errors``.
"""

from specgen_runtime.codec import Mode, decode, encode
from specgen_runtime.deadletter import DeadLetter
from specgen_runtime.errors import (
    DeadLetterError,
    DecodeError,
    EncodeError,
    NotAcknowledgedError,
    PublishBatchError,
    PublishError,
    PublishFailure,
    ServerError,
    SpecgenRuntimeError,
    SubjectError,
    SubscribeError,
)
from specgen_runtime.events import Delivery, Event, EventSpec
from specgen_runtime.outbox import Backlog, Outbox, OutboxConfig, OutboxError
from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig
from specgen_runtime.publisher import EventPublisher, PublishResult
from specgen_runtime.servers import NatsServer, find_nats_server, free_port
from specgen_runtime.subscriber import Received, Subscription, subscribe, subscribe_any

__version__ = "0.2.0"

__all__ = [
    "Backlog",
    "Outbox",
    "OutboxConfig",
    "OutboxError",
    "OutboxRelay",
    "RelayConfig",
    "DeadLetter",
    "DeadLetterError",
    "DecodeError",
    "Delivery",
    "EncodeError",
    "Event",
    "EventPublisher",
    "EventSpec",
    "Mode",
    "NatsServer",
    "NotAcknowledgedError",
    "PublishBatchError",
    "PublishError",
    "PublishFailure",
    "PublishResult",
    "Received",
    "ServerError",
    "SpecgenRuntimeError",
    "SubjectError",
    "SubscribeError",
    "Subscription",
    "decode",
    "encode",
    "find_nats_server",
    "free_port",
    "subscribe",
    "subscribe_any",
]
