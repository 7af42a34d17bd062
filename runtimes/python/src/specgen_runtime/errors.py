"""Errors raised by specgen_runtime.

Every error the runtime raises derives from one base, so callers can catch the package as a
whole or any branch of it. Errors from nats-py and pydantic are translated at the boundary
with ``raise ... from`` so the original stays available as ``__cause__``::

    SpecgenRuntimeError
     +-- SubjectError            a subject/template parameter is not a valid NATS token
     +-- EncodeError             an event cannot be serialised (invalid data, bad characters)
     +-- DecodeError             a message is not a valid event of the expected class (.reason)
     +-- PublishError            a publish failed (.subject, .event_id, .reason)
     |    +-- NotAcknowledgedError   JetStream did not acknowledge (.maybe_stored)
     +-- PublishBatchError       some events of a pipelined batch failed (.failures, .results)
     +-- SubscribeError          a consumer/subscription could not be created or read
     +-- DeadLetterError         an undecodable message could not be moved to its dead-letter
     +-- ServerError             a local nats-server could not be found, started or stopped
     +-- OutboxError             the durable outbox cannot be used (specgen_runtime.outbox)
     +-- FleetError              provisioning or health of sites failed (specgen_runtime.fleet)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from specgen_runtime.publisher import PublishResult

__all__ = [
    "DecodeError",
    "EncodeError",
    "NotAcknowledgedError",
    "PublishBatchError",
    "PublishError",
    "PublishFailure",
    "DeadLetterError",
    "ServerError",
    "SubscribeError",
    "SpecgenRuntimeError",
    "SubjectError",
]


class SpecgenRuntimeError(Exception):
    """Base class of every error raised by specgen_runtime."""


class SubjectError(SpecgenRuntimeError, ValueError):
    """A subject, or a parameter substituted into a subject template, is invalid."""


class EncodeError(SpecgenRuntimeError):
    """An event could not be serialised to a NATS message."""


class DecodeError(SpecgenRuntimeError):
    """A NATS message is not a valid event of the expected class.

    ``reason`` is a human-readable sentence naming the attribute or data field at fault.
    """

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PublishError(SpecgenRuntimeError):
    """Publishing an event failed."""

    def __init__(self, subject: str, event_id: str, reason: str) -> None:
        super().__init__(f"publishing event {event_id!r} to {subject!r} failed: {reason}")
        self.subject = subject
        self.event_id = event_id
        self.reason = reason


class NotAcknowledgedError(PublishError):
    """JetStream did not acknowledge the event.

    ``maybe_stored`` is False when the server told us the event was not stored (no stream
    captures the subject, or the stream rejected it). It is True after a timeout: the event
    may have been stored and only the acknowledgement lost. Either way, retrying with the
    same event (same id, hence same ``Nats-Msg-Id``) is safe inside the stream's duplicate
    window: a stored event is acknowledged as a duplicate and not stored twice.
    """

    def __init__(self, subject: str, event_id: str, reason: str, *, maybe_stored: bool) -> None:
        super().__init__(subject, event_id, reason)
        self.maybe_stored = maybe_stored


@dataclass(frozen=True)
class PublishFailure:
    """One failed event of a pipelined batch: its position in the input and the error."""

    index: int
    event_id: str
    subject: str
    error: PublishError


class PublishBatchError(SpecgenRuntimeError):
    """Some events of a pipelined batch were not acknowledged; all others were.

    ``failures`` lists exactly the events that failed. ``results`` has one entry per input
    item, in input order: the PublishResult of a success, None for a failure.
    """

    def __init__(self, failures: list[PublishFailure], results: list[PublishResult | None]) -> None:
        ids = ", ".join(f.event_id for f in failures[:5])
        more = f" and {len(failures) - 5} more" if len(failures) > 5 else ""
        super().__init__(
            f"{len(failures)} of {len(results)} events were not acknowledged: {ids}{more}"
        )
        self.failures = failures
        self.results = results


class SubscribeError(SpecgenRuntimeError):
    """Creating, reading or closing a subscription failed."""


class DeadLetterError(SpecgenRuntimeError):
    """An undecodable message could not be forwarded to its dead-letter subject.

    ``reason`` is why the message was undecodable; ``__cause__`` is why forwarding failed.
    """

    def __init__(self, subject: str, reason: str, detail: str) -> None:
        super().__init__(f"message on {subject!r} ({reason}) not dead-lettered: {detail}")
        self.subject = subject
        self.reason = reason


class ServerError(SpecgenRuntimeError):
    """A local nats-server process could not be found, started or stopped."""
