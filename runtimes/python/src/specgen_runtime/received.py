"""What a subscription hands out: a decoded event, its acknowledgement and its trace."""

from __future__ import annotations

from collections.abc import Mapping
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from nats.aio.msg import Msg

from specgen_runtime.events import Event
from specgen_runtime.tracing import Consumed

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.trace import Span

__all__ = ["Received", "delivery"]

E = TypeVar("E", bound=Event[Any])


@dataclass(frozen=True)
class Received(Generic[E]):
    """A decoded event and the means to acknowledge it.

    For CORE events there is nothing to acknowledge: ``ack``/``nak``/``term``/``in_progress``
    do nothing, ``num_delivered`` is 1 and ``stream_seq`` is None.

    With tracing (``specgen_runtime.tracing``), handle the event inside
    ``with received.process():`` to record the CONSUMER span of its processing (a child of
    the message's trace unless a span is current); ``trace_context`` is the message's
    OpenTelemetry context.
    """

    event: E
    subject: str
    headers: Mapping[str, str]
    num_delivered: int
    stream_seq: int | None
    _msg: Msg = field(repr=False)
    _jetstream: bool = field(repr=False)
    _trace: Consumed | None = field(default=None, repr=False)

    def process(self) -> AbstractContextManager[Span | None]:
        """The span of processing this event (current inside the block); None untraced."""
        if self._trace is None:
            return nullcontext()
        return self._trace.process()

    @property
    def trace_context(self) -> Context | None:
        """The message's trace context (its last hop's, else its origin's), if any."""
        return None if self._trace is None else self._trace.context

    async def ack(self, *, confirm: bool = False, timeout: float = 5.0) -> None:
        """Acknowledge: the consumer will not deliver this message again.

        A plain ack is fire-and-forget (if it is lost, the message is redelivered after
        ``ack_wait``: at-least-once). With ``confirm`` the server's reply is awaited, so the
        ack is known to be applied when this returns (one round trip per message).
        """
        if self._jetstream:
            if confirm:
                await self._msg.ack_sync(timeout=timeout)
            else:
                await self._msg.ack()

    async def nak(self, delay: float | None = None) -> None:
        """Negative acknowledgement: redeliver, after ``delay`` seconds if given."""
        if self._jetstream:
            await self._msg.nak(delay=delay)

    async def term(self) -> None:
        """Terminate: never redeliver this message."""
        if self._jetstream:
            await self._msg.term()

    async def in_progress(self) -> None:
        """Still working on it: reset the consumer's ack_wait timer."""
        if self._jetstream:
            await self._msg.in_progress()


def delivery(msg: Msg) -> tuple[int, int]:
    """``(num_delivered, stream sequence)`` of a JetStream message, from its ack subject.

    ``$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer seq>.<time>.<pending>``
    or, with a domain and account hash after ``$JS.ACK``, the same tokens two places later;
    anything else is left to nats-py's parser (which names what is wrong).
    """
    tokens = (msg.reply or "").split(".")
    if tokens[:2] == ["$JS", "ACK"]:
        at = 4 if len(tokens) == 9 else 6 if len(tokens) >= 11 else 0
        if at and tokens[at].isdigit() and tokens[at + 1].isdigit():
            return int(tokens[at]), int(tokens[at + 1])
    meta = msg.metadata
    return meta.num_delivered, meta.sequence.stream
