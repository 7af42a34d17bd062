"""Publishing events: JetStream with acknowledgement, or core NATS fire-and-forget.

JetStream publishes carry ``Nats-Msg-Id`` (the event id, so retries are deduplicated inside
the stream's duplicate window) and ``Nats-Expected-Stream`` (SPEC.stream, so an event is
never stored in a stream that merely happens to capture the subject).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.js.api import PubAck

from specgen_runtime.codec import Mode, encode
from specgen_runtime.errors import (
    NotAcknowledgedError,
    PublishBatchError,
    PublishError,
    PublishFailure,
    SubjectError,
)
from specgen_runtime.events import Delivery, Event

__all__ = ["EventPublisher", "PublishResult"]

_MAX_WINDOW = 4000  # nats-py's publish_async_max_pending default


@dataclass(frozen=True)
class PublishResult:
    """Outcome of one publish. ``stream``/``seq`` are None for core NATS publishes."""

    stream: str | None
    seq: int | None
    duplicate: bool = False

    @classmethod
    def from_ack(cls, ack: PubAck) -> PublishResult:
        return cls(stream=ack.stream, seq=ack.seq, duplicate=bool(ack.duplicate))


_CORE_RESULT = PublishResult(stream=None, seq=None, duplicate=False)


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
    """

    def __init__(
        self,
        nc: Client,
        *,
        mode: Mode = Mode.STRUCTURED,
        ack_timeout: float = 5.0,
        js_domain: str | None = None,
        revalidate: bool = False,
    ) -> None:
        if ack_timeout <= 0:
            raise ValueError("ack_timeout must be positive")
        self._nc = nc
        self._mode = mode
        self._ack_timeout = ack_timeout
        self._revalidate = revalidate
        self._js = nc.jetstream(domain=js_domain, timeout=ack_timeout)

    @property
    def mode(self) -> Mode:
        return self._mode

    async def publish(self, event: Event[Any], subject: str) -> PublishResult:
        """Publish one event; for JetStream events wait for the stream's acknowledgement.

        Raises EncodeError for invalid events, NotAcknowledgedError when JetStream did not
        acknowledge, PublishError for other failures (for example a closed connection).
        """
        _check_subject(subject)
        headers, payload = encode(event, self._mode, validate=self._revalidate)
        spec = type(event).SPEC
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

        Every event is encoded (and validated) before the first is sent. Each ack is awaited
        at most ``ack_timeout`` after its send. Returns one result per item in input order;
        if any event failed, raises PublishBatchError naming exactly the failed events (all
        others were acknowledged; their results are in ``.results``).
        """
        if not 1 <= window <= _MAX_WINDOW:
            raise ValueError(f"window must be between 1 and {_MAX_WINDOW}")
        prepared = []
        for event, subject in items:
            _check_subject(subject)
            prepared.append((event, subject, *encode(event, self._mode, validate=self._revalidate)))
        batch = _AckWindow(self._ack_timeout, len(prepared))
        try:
            for index, (event, subject, headers, payload) in enumerate(prepared):
                await batch.wait_below(window)
                await self._send(batch, index, event, subject, headers, payload)
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
            future = await self._js.publish_async(
                subject, payload, wait_stall=self._ack_timeout, stream=spec.stream, headers=headers
            )
        except nats.errors.Error as exc:
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

    def __init__(self, timeout: float, size: int) -> None:
        self.timeout = timeout
        self.results: list[PublishResult | None] = [None] * size
        self.failures: list[PublishFailure] = []
        self._pending: dict[asyncio.Future[PubAck], _Pending] = {}

    def add(self, future: asyncio.Future[PubAck], index: int, event_id: str, subject: str) -> None:
        deadline = time.monotonic() + self.timeout
        self._pending[future] = _Pending(index, event_id, subject, deadline)

    def fail(self, index: int, event_id: str, subject: str, error: BaseException) -> None:
        translated = _translate(error, subject, event_id, self.timeout)
        self.failures.append(PublishFailure(index, event_id, subject, translated))

    async def wait_below(self, limit: int) -> None:
        """Wait until fewer than ``limit`` acks are outstanding, expiring overdue ones."""
        while len(self._pending) >= limit:
            earliest = min(p.deadline for p in self._pending.values())
            wait = max(0.0, earliest - time.monotonic())
            done, _ = await asyncio.wait(
                self._pending, timeout=wait, return_when=asyncio.FIRST_COMPLETED
            )
            for future in done:
                self._settle(future)
            now = time.monotonic()
            for future, pending in list(self._pending.items()):
                if pending.deadline <= now:
                    future.cancel()
                    self._settle(future)

    def _settle(self, future: asyncio.Future[PubAck]) -> None:
        pending = self._pending.pop(future)
        if future.cancelled():
            self.fail(pending.index, pending.event_id, pending.subject, TimeoutError())
        elif (error := future.exception()) is not None:
            self.fail(pending.index, pending.event_id, pending.subject, error)
        else:
            self.results[pending.index] = PublishResult.from_ack(future.result())

    def cancel_all(self) -> None:
        for future in self._pending:
            future.cancel()
        self._pending.clear()
