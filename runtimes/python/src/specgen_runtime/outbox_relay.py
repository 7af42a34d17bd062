"""The outbox relay: one owned task that drains an :class:`~specgen_runtime.outbox.Outbox`.

Each round reads the oldest rows, publishes them in order through the runtime's ack window
(:mod:`specgen_runtime.acks`, the same one EventPublisher uses: at most ``window`` acks
outstanding, each awaited at most ``ack_timeout``), then deletes the
acknowledged rows in one transaction. ``duplicate: true`` acks count as success: the stream
already holds the message. At the first failure the round stops sending; after a backoff
(exponential from ``retry_initial`` up to ``retry_max``) the next round starts again from the
oldest remaining row, so nothing is skipped and nothing is dropped.

Order: rows are sent in enqueue order on one connection, and a connection loss stores a
prefix of what was in flight, so retries keep the order. Only a *single* rejected message
followed by accepted ones (for example a stream briefly at a limit) can be stored after its
successors; pass ``window=1`` for strict order at the cost of throughput.

Rows are never dropped: a message the server keeps rejecting (say, no stream captures its
subject yet) blocks the ones behind it and shows in ``stats.last_error`` and in the backlog.

Tracing: the relay is a hop. Each send is a CLIENT ``publish`` span whose parent is the
context the row was stored with (its ``traceparent`` header), and the row goes out with the
relay span's context in its ``traceparent``/``tracestate`` headers; the CloudEvents
``traceparent`` attribute (the origin) is part of the stored bytes and is never touched.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import TYPE_CHECKING, Self

from nats.aio.client import Client

from specgen_runtime.acks import Ack, AckFailure, AckInbox, Outcome
from specgen_runtime.outbox import Outbox, OutboxError, OutboxMessage, check_duplicate_window
from specgen_runtime.tracing import Tracing, tracing_for

if TYPE_CHECKING:
    from opentelemetry.trace import Span

    from specgen_runtime.tracing import TracerChoice

__all__ = ["OutboxRelay", "RelayConfig", "RelayStats"]

EXPECTED_STREAM = "Nats-Expected-Stream"


@dataclass(frozen=True)
class RelayConfig:
    """How the relay publishes: pipelining, timeouts and retry backoff (seconds)."""

    window: int = 256
    batch: int = 1024
    ack_timeout: float = 5.0
    retry_initial: float = 0.05
    retry_max: float = 2.0
    idle_poll: float = 1.0
    stop_timeout: float = 10.0
    js_domain: str | None = None

    def __post_init__(self) -> None:
        if not 1 <= self.window <= 4000:
            raise ValueError("window must be between 1 and 4000")
        if self.batch < 1:
            raise ValueError("batch must be positive")
        for name in ("ack_timeout", "retry_initial", "retry_max", "idle_poll", "stop_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


@dataclass
class RelayStats:
    """Counters of one relay since it started."""

    acked: int = 0
    duplicates: int = 0
    failed_rounds: int = 0
    last_error: str | None = None
    last_error_at: float | None = field(default=None)


class OutboxRelay:
    """Publishes an outbox's rows to JetStream on ``nc`` until stopped.

    ``check_streams``: stream names whose ``duplicate_window`` is verified against the
    outbox's retry horizon when the relay starts (raises OutboxError if too short).
    ``tracer_provider``: see ``specgen_runtime.tracing`` (None: global; False: off).
    """

    def __init__(
        self,
        outbox: Outbox,
        nc: Client,
        *,
        config: RelayConfig | None = None,
        check_streams: Iterable[str] = (),
        tracer_provider: TracerChoice = None,
    ) -> None:
        self.outbox = outbox
        self.config = config or RelayConfig()
        self.stats = RelayStats()
        self._nc = nc
        self._js = nc.jetstream(domain=self.config.js_domain)
        self._inbox = AckInbox(nc)
        self._check_streams = tuple(check_streams)
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()
        self._tracing: Tracing | None = tracing_for(tracer_provider)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    async def start(self) -> Self:
        """Verify the streams' duplicate windows (if asked), then start the relay task."""
        if self.running:
            return self
        for stream in self._check_streams:
            info = await self._js.stream_info(stream)
            window = info.config.duplicate_window or 0.0
            check_duplicate_window(stream, window, self.outbox.config.retry_horizon)
        self._task = asyncio.create_task(self._run(), name="outbox-relay")
        return self

    async def stop(self) -> None:
        """Cancel the relay task and wait for it (bounded by ``stop_timeout``)."""
        task, self._task = self._task, None
        if task is None:
            return
        task.cancel()
        await asyncio.wait({task}, timeout=self.config.stop_timeout)
        await self._inbox.close()

    async def wait_drained(self, timeout: float) -> bool:
        """Wait until the outbox is empty (True) or ``timeout`` passes (False)."""
        deadline = time.monotonic() + timeout
        while True:
            if (await self.outbox.backlog()).pending == 0:
                return True
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            if self._task is not None and self._task.done():
                self._task.result()  # surface a crashed relay
            self._idle.clear()
            try:
                async with asyncio.timeout(min(remaining, 0.2)):
                    await self._idle.wait()
            except TimeoutError:
                pass

    async def _run(self) -> None:
        delay = self.config.retry_initial
        while True:
            try:
                rows = await self.outbox.oldest(self.config.batch)
            except OutboxError as exc:
                self._record(exc)
                rows = []
            if not rows:
                self._idle.set()
                await self.outbox.wait_added(self.config.idle_poll)
                continue
            ok = self._nc.is_connected and await self._round(rows)
            self._idle.set()
            if ok:
                delay = self.config.retry_initial
                continue
            if not self._nc.is_connected:
                self._record(OutboxError("not connected to NATS"))
            self.stats.failed_rounds += 1
            await asyncio.sleep(delay)
            delay = min(delay * 2, self.config.retry_max)

    def _record(self, error: BaseException) -> None:
        self.stats.last_error = f"{type(error).__name__}: {error}"
        self.stats.last_error_at = time.time()

    async def _round(self, rows: list[OutboxMessage]) -> bool:
        """Send ``rows`` pipelined; delete the acknowledged ones. True if all were acked."""
        window = self._inbox.window(self.config.ack_timeout)
        spans: list[Span] = []
        tracing = self._tracing
        if tracing is not None and tracing.inert():
            tracing = None  # nothing could record or be passed on: the untraced path
        try:
            for index, row in enumerate(rows):
                await window.wait_below(self.config.window)
                if window.failed:
                    break  # stop at the first failure; the next round resends from it
                headers = dict(row.headers)
                if row.stream is not None:
                    headers[EXPECTED_STREAM] = row.stream
                if tracing is not None:
                    spans.append(tracing.relay(row.subject, headers))
                await window.send(index, row.subject, row.payload, headers)
            await window.wait_below(1)
        finally:
            window.abandon()
            if tracing is not None:
                _end_spans(tracing, spans, window.outcomes)
            acked = self._tally(rows, window.outcomes)
            if acked:
                await asyncio.shield(self._delete(acked))
        return window.failed == 0 and len(acked) == len(rows)

    def _tally(self, rows: list[OutboxMessage], outcomes: list[Outcome | None]) -> list[int]:
        """The outbox seqs of the acknowledged rows; counts and records the rest."""
        acked: list[int] = []
        for row, outcome in zip(rows, outcomes, strict=False):
            if isinstance(outcome, Ack):
                acked.append(row.seq)
                self.stats.acked += 1
                self.stats.duplicates += outcome.duplicate
            elif outcome is not None:
                self._record_failure(outcome)
        return acked

    def _record_failure(self, failure: AckFailure) -> None:
        self.stats.last_error = f"{type(failure.cause).__name__}: {failure.reason}"
        self.stats.last_error_at = time.time()

    async def _delete(self, seqs: list[int]) -> None:
        try:
            await self.outbox.delete(seqs)
        except OutboxError as exc:  # the rows are re-sent later and dropped as duplicates
            self._record(exc)

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


def _end_spans(tracing: Tracing, spans: list[Span], outcomes: list[Outcome | None]) -> None:
    """End each send span of a round with its outcome."""
    for index, span in enumerate(spans):
        outcome = outcomes[index] if index < len(outcomes) else None
        if isinstance(outcome, Ack):
            tracing.finish(span, (outcome.stream, outcome.seq, outcome.duplicate))
        elif outcome is not None:
            tracing.finish(span, None, type(outcome.cause).__name__)
        else:
            tracing.finish(span, None, "NotSent")
