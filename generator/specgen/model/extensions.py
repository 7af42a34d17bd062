"""Our ``x-`` extensions, typed: where each may stand, what it holds, which rule reports it.

An :class:`Extension` names its key, the AsyncAPI object that carries it, its value type (a
:class:`~specgen.model.typed.Settings` model or an annotated type) and the rule id of its
problems. ``read_extensions`` (in ``specgen.model.spec``) reads every registered extension of
every object once; afterwards ``STREAM.of(document)`` is the typed value, or None when it is
absent or was wrong (and reported). Plain AsyncAPI documents carry extensions as opaque data:
their problems are only reported in the ``specgen`` ruleset.

To add one (``x-mqtt`` below is an example): declare its value type (a ``Settings`` model)
and ``NAME = extension("x-name", Owner, Kind, rule="SG-NAME", hint=...)``; then add a rule
(``rules/``) with that id for what the type cannot say, and read ``NAME.of(node)`` in the IR
builder.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Generic, TypeVar

from pydantic import Field, PlainValidator

from specgen.model.base import Node
from specgen.model.channels import Channel
from specgen.model.document import AsyncAPI
from specgen.model.messages import Message
from specgen.model.typed import (
    Duration,
    Settings,
    Text,
    expected,
    matching,
    one_of,
    whole_number,
)
from specgen.nats_subjects import token_problems

T = TypeVar("T")


@dataclass(frozen=True)
class Extension(Generic[T]):
    key: str
    owner: type[Node]
    kind: Any
    rule: str
    hint: str = ""
    rules: Mapping[str, str] = field(default_factory=dict)
    """Rule ids for problems inside particular keys of the value."""

    def of(self, node: Node) -> T | None:
        """The typed value on ``node``, or None (absent, or wrong and reported)."""
        value: T | None = node.typed_extensions.get(self.key)
        return value

    def written(self, node: Node) -> bool:
        """Whether the document writes this extension on ``node`` at all."""
        return self.key in node.extensions

    def broken(self, node: Node) -> bool:
        """Written, but wrong (and reported): rules then say nothing that depends on it."""
        return self.written(node) and self.key not in node.typed_extensions


EXTENSIONS: list[Extension[Any]] = []


def extension(
    key: str,
    owner: type[Node],
    kind: Any,
    *,
    rule: str,
    hint: str = "",
    rules: Mapping[str, str] | None = None,
) -> Extension[Any]:
    """Declare (and register) an extension; see the module docstring."""
    found: Extension[Any] = Extension(key, owner, kind, rule, hint, rules or {})
    EXTENSIONS.append(found)
    return found


# -- value types -------------------------------------------------------------------------------
def _subject_filter(value: Any) -> str:
    if not isinstance(value, str):
        raise expected("a NATS subject filter (a string)")
    problems = token_problems(value, strict=True)
    if problems:
        raise expected("a valid NATS subject filter: " + "; ".join(problems))
    return value


SubjectFilter = Annotated[str, PlainValidator(_subject_filter)]
StreamName = Annotated[str, matching(r"[A-Z][A-Z0-9_]*", "an UPPER_SNAKE stream name")]
SnakeToken = Annotated[str, matching(r"[a-z][a-z0-9_]*", "a snake_case token")]
Retention = Annotated[str, one_of("limits", "interest", "workqueue")]
Storage = Annotated[str, one_of("file", "memory")]
Replicas = Annotated[int, whole_number(1, 5)]
Delivery = Annotated[str, one_of("jetstream", "core")]

STREAM_EXAMPLE = (
    "x-stream: {name: ORDERS, subjects: ['pf.{site_id}.orders.>'], retention: limits, "
    "max_age: 30d, storage: file, replicas: 3, duplicate_window: 2h}"
)


class StreamSettings(Settings):
    """What every JetStream stream of ours states explicitly (durations in milliseconds)."""

    name: StreamName
    retention: Retention
    max_age: Duration
    storage: Storage
    replicas: Replicas
    duplicate_window: Duration


class DomainStream(Settings):
    """``x-stream`` of a domain document: the stream every site creates for the domain.

    ``duplicate_window`` may be left out here only so that SG-STREAM-DEDUPE can say why it
    matters (NATS.md trap 2); a stream without one is an error all the same.
    """

    name: StreamName
    subjects: Annotated[list[SubjectFilter], Field(min_length=1)]
    retention: Retention
    max_age: Duration
    storage: Storage
    replicas: Replicas
    duplicate_window: Duration | None = None


SpecVersion = Annotated[str, one_of("1.0", description="the string '1.0'")]


def _qos(value: Any) -> int:
    if type(value) is int and value in (0, 1):
        return value
    raise expected("0 (at most once) or 1 (at least once); QoS 2 is not offered to subscribers")


MqttQos = Annotated[int, PlainValidator(_qos)]


class MqttChannel(Settings):
    """``x-mqtt`` of a channel: the site's MQTT listener serves this channel's events.

    The topic is the channel's subject mapped by the server's rules (``.`` to ``/``); ``qos``
    is the QoS its events reach QoS-1 subscriptions at (1 needs a JetStream channel: the
    site's MQTT stream sources the stored events, see ``specgen_runtime.fleet.mqtt``);
    ``device_publish`` lets devices publish the channel's events over MQTT.
    """

    qos: MqttQos = Field(
        default=0, description="write qos: 0, or qos: 1 on a channel with x-delivery: jetstream"
    )
    device_publish: bool = Field(
        default=False, description="true if devices publish these events over MQTT"
    )


class CloudEvents(Settings):
    """``x-cloudevents`` of a message: the CloudEvents attributes the spec fixes."""

    type: Text = Field(description="the event type: com.<project>.<domain>.<event>.v<major>")
    source: Text | None = Field(
        default=None,
        description="a URI-reference naming where events come from, e.g. /sites/{site_id}/orders",
    )
    """Required by SG-CE-SOURCE; optional here so that a missing source hides nothing else."""
    specversion: SpecVersion | None = Field(
        default=None,
        description="write specversion: '1.0' (quoted, it is a string) or leave it out",
    )


# -- the extensions ----------------------------------------------------------------------------
DOMAIN: Extension[str] = extension(
    "x-domain",
    AsyncAPI,
    SnakeToken,
    rule="SG-DOMAIN",
    hint="use lowercase letters, digits and '_', starting with a letter",
)
STREAM: Extension[DomainStream] = extension(
    "x-stream",
    AsyncAPI,
    DomainStream,
    rule="SG-STREAM-CONFIG",
    hint=STREAM_EXAMPLE,
    rules={"duplicate_window": "SG-STREAM-DEDUPE"},
)
DELIVERY: Extension[str] = extension(
    "x-delivery",
    Channel,
    Delivery,
    rule="SG-DELIVERY",
    hint="use 'jetstream' for durable events or 'core' for fire and forget",
)
MQTT: Extension[MqttChannel] = extension(
    "x-mqtt",
    Channel,
    MqttChannel,
    rule="SG-MQTT",
    hint="x-mqtt: {qos: 0, device_publish: false} (both optional; qos 0 or 1)",
)
CLOUDEVENTS: Extension[CloudEvents] = extension(
    "x-cloudevents",
    Message,
    CloudEvents,
    rule="SG-CE-ATTRIBUTES",
    hint="x-cloudevents: {type: com.<project>.<domain>.<event>.v1, "
    "source: /sites/{site_id}/<domain>}",
    rules={"type": "SG-CE-TYPE", "source": "SG-CE-SOURCE", "specversion": "SG-CE-SPECVERSION"},
)
