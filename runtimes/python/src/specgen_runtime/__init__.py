"""specgen runtime: typed CloudEvents over NATS JetStream for specgen-generated code.

Modules: ``events`` (EventSpec, Event), ``codec`` (the CloudEvents NATS binding),
``publisher`` (EventPublisher), ``subscriber`` (subscribe, subscribe_any, Subscription, Received),
``deadletter`` (DeadLetter), ``mqtt`` (MqttSpec: MQTT topics), ``servers`` (local
nats-server processes), ``outbox`` and ``outbox_relay`` (durable client-side buffering),
``fleet`` (provisioning, health, the local hub-and-sites launcher and the demo), ``errors``.

Importing the package is cheap: every name is imported from its module on first use (so a
tool that needs one module, e.g. the generator reading ``ecma_regex``, does not load NATS).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
    from specgen_runtime.mqtt import MqttSpec
    from specgen_runtime.outbox import Backlog, Outbox, OutboxConfig, OutboxError
    from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig
    from specgen_runtime.publisher import EventPublisher, PublishResult
    from specgen_runtime.servers import NatsServer, find_nats_server, free_port
    from specgen_runtime.subscriber import Received, Subscription, subscribe, subscribe_any

_LAZY = {
    "Backlog": "specgen_runtime.outbox",
    "DeadLetter": "specgen_runtime.deadletter",
    "DeadLetterError": "specgen_runtime.errors",
    "DecodeError": "specgen_runtime.errors",
    "Delivery": "specgen_runtime.events",
    "EncodeError": "specgen_runtime.errors",
    "Event": "specgen_runtime.events",
    "EventPublisher": "specgen_runtime.publisher",
    "EventSpec": "specgen_runtime.events",
    "Mode": "specgen_runtime.codec",
    "MqttSpec": "specgen_runtime.mqtt",
    "NatsServer": "specgen_runtime.servers",
    "NotAcknowledgedError": "specgen_runtime.errors",
    "Outbox": "specgen_runtime.outbox",
    "OutboxConfig": "specgen_runtime.outbox",
    "OutboxError": "specgen_runtime.outbox",
    "OutboxRelay": "specgen_runtime.outbox_relay",
    "PublishBatchError": "specgen_runtime.errors",
    "PublishError": "specgen_runtime.errors",
    "PublishFailure": "specgen_runtime.errors",
    "PublishResult": "specgen_runtime.publisher",
    "Received": "specgen_runtime.subscriber",
    "RelayConfig": "specgen_runtime.outbox_relay",
    "ServerError": "specgen_runtime.errors",
    "SpecgenRuntimeError": "specgen_runtime.errors",
    "SubjectError": "specgen_runtime.errors",
    "SubscribeError": "specgen_runtime.errors",
    "Subscription": "specgen_runtime.subscriber",
    "decode": "specgen_runtime.codec",
    "encode": "specgen_runtime.codec",
    "find_nats_server": "specgen_runtime.servers",
    "free_port": "specgen_runtime.servers",
    "subscribe": "specgen_runtime.subscriber",
    "subscribe_any": "specgen_runtime.subscriber",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'specgen_runtime' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


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
    "MqttSpec",
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
