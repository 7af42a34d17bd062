"""Publishing events: JetStream with acknowledgement, or core NATS fire-and-forget.

JetStream publishes carry ``Nats-Msg-Id`` (the event id, so retries are deduplicated inside
the stream's duplicate window) and ``Nats-Expected-Stream`` (SPEC.stream, so an event is
never stored in a stream that merely happens to capture the subject).

With an :class:`~specgen_runtime.outbox.Outbox` (``EventPublisher(nc, outbox=...)``) JetStream
events are not sent here: they are durably enqueued and an OutboxRelay publishes them later;
the result then has ``enqueued=True`` and no sequence number. Core NATS events are always
sent directly (fire-and-forget has nothing to make durable).
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.js.api import PubAck

from specgen_runtime.codec import Mode, encode
from specgen_runtime.errors import (
    EncodeError,
    NotAcknowledgedError,
    PublishBatchError,
    PublishError,
    PublishFailure,
    SubjectError,
)
from specgen_runtime.events import Delivery, Event
from specgen_runtime.outbox import Outbox

__all__ = ["EventPublisher", "PublishResult"]

_MAX_WINDOW = 4000  # nats-py's publish_async_max_pending default


@dataclass(frozen=True)
class PublishResult:
    """Outcome of one publish. ``stream``/``seq`` are None for core NATS publishes.

    ``enqueued`` is True when the event went to an outbox: it is durably stored on this
    machine and will be published by the outbox relay; ``seq`` is then None and ``stream`` is
    the stream it is meant for.
    """

    stream: str | None
    seq: int | None
    duplicate: bool = False
    enqueued: bool = False

    @classmethod
    def from_ack(cls, ack: PubAck) -> PublishResult:
        return cls(stream=ack.stream, seq=ack.seq, duplicate=bool(ack.duplicate))


_CORE_RESULT = PublishResult(stream=None, seq=None, duplicate=False)
_Prepared = tuple[Event[Any], str, dict[str, str], bytes]


@dataclass(frozen=True)
class _Refused:
    """An event of a pipelined batch that cannot be sent (not encodable, bad subject)."""

    event: Event[Any]
    subject: str
    error: Exception


def _check_subject(subject: str) -> None:
    tokens = subject.split(".")
    if not subject or any(t in ("", "*", ">") or not t.isprintable() or " " in t for t in tokens):
        raise SubjectError(f"cannot publish to {subject!r}: not a concrete NATS subject")


def _translate(error: BaseException, subject: str, event_id: str, timeout: float) -> PublishError:
    """Map a nats-py publish error to our error tree."""
    if isinstance(error, nats.js.errors.NoStreamResponseError):
        return NotAcknowledgedError(
            subject, event_id, "no JetStream stream captures this subject", maybe_stored=False
        )
    if isinstance(error, nats.js.errors.APIError):
        return NotAcknowledgedError(
            subject,
            event_id,
            f"JetStream rejected the event: {error.description} (error code {error.err_code})",
            maybe_stored=False,
        )
    if isinstance(error, asyncio.TimeoutError | asyncio.CancelledError):
        return NotAcknowledgedError(
            subject, event_id, f"no acknowledgement within {timeout}s", maybe_stored=True
        )
    return PublishError(subject, event_id, f"{type(error).__name__}: {error}")


class EventPublisher:
    """Publishes events on one NATS connection.

    ``mode`` chooses the CloudEvents content mode, ``ack_timeout`` bounds every wait for a
    JetStream acknowledgement, ``js_domain`` targets the JetStream of another domain (for
    example an edge site's, from the hub). Generated per-domain publishers subclass or wrap
    this class.

    Events are validated when they are built: payload models validate on construction and on
    assignment, and the Event envelope is frozen. The one way around that is pydantic's
    ``model_construct``, which skips validation by design; pass ``revalidate=True`` to
    validate the serialised data again before every send (one more validation per event).

    ``outbox``: durably enqueue JetStream events instead of sending them (see module docs).
    """

    def __init__(
        self,
        nc: Client,
        *,
        mode: Mode = Mode.STRUCTURED,
        ack_timeout: float = 5.0,
        js_domain: str | None = None,
        revalidate: bool = False,
        outbox: Outbox | None = None,
    ) -> None:
        if ack_timeout <= 0:
            raise ValueError("ack_timeout must be positive")
        self._nc = nc
        self._mode = mode
        self._ack_timeout = ack_timeout
        self._revalidate = revalidate
        self._outbox = outbox
        self._js = nc.jetstream(domain=js_domain, timeout=ack_timeout)

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def outbox(self) -> Outbox | None:
        return self._outbox

    async def publish(self, event: Event[Any], subject: str) -> PublishResult:
        """Publish one event; for JetStream events wait for the stream's acknowledgement.

        Raises EncodeError for invalid events, NotAcknowledgedError when JetStream did not
        acknowledge, PublishError for other failures (for example a closed connection).
        """
        _check_subject(subject)
        headers, payload = encode(event, self._mode, validate=self._revalidate)
        spec = type(event).SPEC
        if self._outbox is not None and spec.delivery is Delivery.JETSTREAM:
            await self._outbox.enqueue_encoded([(subject, headers, payload, spec.stream)])
            return PublishResult(stream=spec.stream, seq=None, enqueued=True)
        try:
            if spec.delivery is Delivery.CORE:
                await self._nc.publish(subject, payload, headers=headers)
                return _CORE_RESULT
            ack = await self._js.publish(
                subject, payload, timeout=self._ack_timeout, stream=spec.stream, headers=headers
            )
        except (TimeoutError, nats.errors.Error) as exc:
            raise _translate(exc, subject, event.id, self._ack_timeout) from exc
        return PublishResult.from_ack(ack)

    async def publish_pipelined(
        self, items: Iterable[tuple[Event[Any], str]], *, window: int = 256
    ) -> list[PublishResult]:
        """Publish many events with at most ``window`` JetStream acks outstanding.

        Events are encoded as they are sent, so a generator of events overlaps building,
        encoding and the server's work on earlier events. Each ack is awaited at most
        ``ack_timeout`` after its send. Returns one result per item in input order; if any
        event failed (not acknowledged, or not encodable), raises PublishBatchError naming
        exactly the failed events (all others were acknowledged; their results are in
        ``.results``).

        With an outbox, all JetStream events of the batch are encoded first and enqueued in
        one transaction (all or none); core events are then sent as usual.
        """
        if not 1 <= window <= _MAX_WINDOW:
            raise ValueError(f"window must be between 1 and {_MAX_WINDOW}")
        if self._outbox is not None:
            prepared: list[_Prepared] = []
            for event, subject in items:
                _check_subject(subject)
                prepared.append(
                    (event, subject, *encode(event, self._mode, validate=self._revalidate))
                )
            return await self._enqueue_pipelined(prepared, window)
        return await self._send_pipelined(self._encoded(items), window)

    def _encoded(self, items: Iterable[tuple[Event[Any], str]]) -> Iterator[_Prepared | _Refused]:
        """Encode lazily, so sending overlaps building; a bad event becomes a refusal."""
        for event, subject in items:
            try:
                _check_subject(subject)
                headers, payload = encode(event, self._mode, validate=self._revalidate)
            except (EncodeError, SubjectError) as exc:
                yield _Refused(event, subject, exc)
                continue
            yield event, subject, headers, payload

    async def _enqueue_pipelined(
        self, prepared: list[_Prepared], window: int
    ) -> list[PublishResult]:
        assert self._outbox is not None
        await self._outbox.enqueue_encoded(
            (subject, headers, payload, type(event).SPEC.stream)
            for event, subject, headers, payload in prepared
            if type(event).SPEC.delivery is Delivery.JETSTREAM
        )
        results = [
            PublishResult(stream=type(p[0]).SPEC.stream, seq=None, enqueued=True) for p in prepared
        ]
        core = [i for i, p in enumerate(prepared) if type(p[0]).SPEC.delivery is Delivery.CORE]
        if core:
            sent = await self._send_pipelined([prepared[i] for i in core], window)
            for index, result in zip(core, sent, strict=True):
                results[index] = result
        return results

    async def _send_pipelined(
        self, items: Iterable[_Prepared | _Refused], window: int
    ) -> list[PublishResult]:
        batch = _AckWindow(self._ack_timeout)
        try:
            for index, item in enumerate(items):
                batch.results.append(None)
                if isinstance(item, _Refused):
                    batch.refuse(index, item.event.id, item.subject, item.error)
                    continue
                await batch.wait_below(window)
                await self._send(batch, index, *item)
            await batch.wait_below(1)
        finally:
            batch.cancel_all()
        if batch.failures:
            raise PublishBatchError(sorted(batch.failures, key=lambda f: f.index), batch.results)
        return [r for r in batch.results if r is not None]

    async def _send(
        self,
        batch: _AckWindow,
        index: int,
        event: Event[Any],
        subject: str,
        headers: dict[str, str],
        payload: bytes,
    ) -> None:
        spec = type(event).SPEC
        try:
            if spec.delivery is Delivery.CORE:
                await self._nc.publish(subject, payload, headers=headers)
                batch.results[index] = _CORE_RESULT
                return
            # asyncio.timeout, not wait_stall: nats-py implements wait_stall with wait_for,
            # which runs the semaphore wait as a new task and so yields to the event loop on
            # every publish, making the flusher send one message per syscall.
            async with asyncio.timeout(self._ack_timeout):
                future = await self._js.publish_async(
                    subject, payload, stream=spec.stream, headers=headers
                )
        except (TimeoutError, nats.errors.Error) as exc:
            batch.fail(index, event.id, subject, exc)
            return
        batch.add(future, index, event.id, subject)


@dataclass
class _Pending:
    index: int
    event_id: str
    subject: str
    deadline: float


class _AckWindow:
    """Book-keeping of outstanding JetStream acks for publish_pipelined."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.results: list[PublishResult | None] = []
        self.failures: list[PublishFailure] = []
        # Oldest first: deadlines grow in send order, so the head always expires first.
        self._pending: deque[tuple[asyncio.Future[PubAck], _Pending]] = deque()

    def add(self, future: asyncio.Future[PubAck], index: int, event_id: str, subject: str) -> None:
        deadline = time.monotonic() + self.timeout
        self._pending.append((future, _Pending(index, event_id, subject, deadline)))

    def refuse(self, index: int, event_id: str, subject: str, error: Exception) -> None:
        """An event that was never sent: it could not be encoded or its subject is invalid."""
        refused = PublishError(subject, event_id, f"not sent: {error}")
        self.failures.append(PublishFailure(index, event_id, subject, refused))

    def fail(self, index: int, event_id: str, subject: str, error: BaseException) -> None:
        translated = _translate(error, subject, event_id, self.timeout)
        self.failures.append(PublishFailure(index, event_id, subject, translated))

    async def wait_below(self, limit: int) -> None:
        """Wait until fewer than ``limit`` acks are outstanding, expiring overdue ones.

        Waits on the oldest ack only (O(1) per event; waiting on the whole window each time
        cost O(window) per event and dominated pipelined publishing).
        """
        while len(self._pending) >= limit:
            future, pending = self._pending[0]
            if not future.done():
                wait = pending.deadline - time.monotonic()
                if wait > 0:
                    await asyncio.wait((future,), timeout=wait)
                if not future.done():
                    future.cancel()
            self._pending.popleft()
            self._settle(future, pending)

    def _settle(self, future: asyncio.Future[PubAck], pending: _Pending) -> None:
        if future.cancelled():
            self.fail(pending.index, pending.event_id, pending.subject, TimeoutError())
        elif (error := future.exception()) is not None:
            self.fail(pending.index, pending.event_id, pending.subject, error)
        else:
            self.results[pending.index] = PublishResult.from_ack(future.result())

    def cancel_all(self) -> None:
        for future, _ in self._pending:
            future.cancel()
        self._pending.clear()
