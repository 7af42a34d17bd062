"""Moving undecodable messages to their dead-letter subject, so nothing is silently dropped.

The dead-letter message keeps the original payload and headers, plus:

- ``Specgen-Dead-Letter-Reason``: why decoding failed (DecodeError.reason, one line),
- ``Specgen-Original-Subject``: the subject the message arrived on,
- ``Specgen-Event-Type``: the CloudEvents type the subscriber expected.

Original ``Nats-*`` headers are kept renamed as ``Specgen-Original-Nats-*``: left as they
are they would steer the dead-letter stream (``Nats-Expected-Stream`` would make it refuse
the message, ``Nats-Msg-Id`` would deduplicate unrelated bad messages sharing an id). For a
JetStream original the dead-letter ``Nats-Msg-Id`` is ``<stream>:<sequence>``, so a
redelivered message that was already dead-lettered is not stored twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.js.client import JetStreamContext

from specgen_runtime.errors import DeadLetterError, SubjectError
from specgen_runtime.events import Delivery, EventSpec

__all__ = [
    "EVENT_TYPE_HEADER",
    "ORIGINAL_SUBJECT_HEADER",
    "REASON_HEADER",
    "DeadLetter",
    "forward",
]

REASON_HEADER = "Specgen-Dead-Letter-Reason"
ORIGINAL_SUBJECT_HEADER = "Specgen-Original-Subject"
EVENT_TYPE_HEADER = "Specgen-Event-Type"
_MAX_REASON = 1000
_WHITESPACE = re.compile(r"[\s\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class DeadLetter:
    """How a subscriber forwards undecodable messages.

    ``delivery``: JETSTREAM publishes and awaits the acknowledgement of the stream that
    captures the dead-letter subject (a missing stream is a failure, never a silent loss);
    CORE publishes fire-and-forget and flushes. None means the event's own delivery.
    ``ack_timeout`` bounds the wait for that acknowledgement or flush. ``retry_delay`` is
    the ``nak`` delay of a JetStream original whose forwarding failed, so it is retried later
    instead of in a tight loop.
    """

    delivery: Delivery | None = None
    ack_timeout: float = 5.0
    retry_delay: float = 1.0


def _headers(msg: Msg, spec: EventSpec, reason: str) -> dict[str, str]:
    headers: dict[str, str] = {}
    for name, value in (msg.headers or {}).items():
        if name.lower().startswith("nats-"):
            headers["Specgen-Original-" + name] = value
        elif not name.lower().startswith("specgen-"):
            headers[name] = value
    one_line = _WHITESPACE.sub(" ", reason).strip()
    headers[REASON_HEADER] = one_line[:_MAX_REASON]
    headers[ORIGINAL_SUBJECT_HEADER] = msg.subject
    headers[EVENT_TYPE_HEADER] = spec.type
    if msg.reply:
        meta = msg.metadata
        headers["Nats-Msg-Id"] = f"{meta.stream}:{meta.sequence.stream}"
    return headers


def dead_letter_subject(spec: EventSpec, subject: str) -> str:
    """The dead-letter subject for a message that arrived on ``subject``."""
    params = spec.parameters_from_subject(subject)
    return spec.dead_letter_subject_for(**params)


async def forward(
    nc: Client,
    js: JetStreamContext,
    config: DeadLetter,
    spec: EventSpec,
    msg: Msg,
    reason: str,
) -> str:
    """Publish ``msg`` to its dead-letter subject; return that subject.

    Raises DeadLetterError if the message could not be forwarded (its cause attached).
    """
    try:
        target = dead_letter_subject(spec, msg.subject)
    except SubjectError as exc:
        raise DeadLetterError(msg.subject, reason, str(exc)) from exc
    headers = _headers(msg, spec, reason)
    delivery = config.delivery or spec.delivery
    try:
        if delivery is Delivery.JETSTREAM:
            await js.publish(target, msg.data, timeout=config.ack_timeout, headers=headers)
        else:
            await nc.publish(target, msg.data, headers=headers)
            await nc.flush(timeout=_flush_timeout(config.ack_timeout))
    except (TimeoutError, nats.errors.Error) as exc:
        detail = f"publishing to {target!r} failed: {type(exc).__name__}: {exc}"
        raise DeadLetterError(msg.subject, reason, detail) from exc
    return target


def _flush_timeout(seconds: float) -> Any:
    # nats-py annotates flush(timeout: int) but accepts float seconds.
    return max(seconds, 0.001)
