"""The outbox relay: one owned task that drains an :class:`~specgen_runtime.outbox.Outbox`.

Each round reads the oldest rows, publishes them in order with pipelined JetStream publishes
(at most ``window`` acks outstanding, each awaited at most ``ack_timeout``), then deletes the
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
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Self

import nats.errors
from nats.aio.client import Client
from nats.js.api import PubAck

from specgen_runtime.outbox import Outbox, OutboxError, OutboxMessage, check_duplicate_window

__all__ = ["OutboxRelay", "RelayConfig", "RelayStats"]

_Pending = deque[tuple[asyncio.Future[PubAck], int, float]]


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
    """

    def __init__(
        self,
        outbox: Outbox,
        nc: Client,
        *,
        config: RelayConfig | None = None,
        check_streams: Iterable[str] = (),
    ) -> None:
        self.outbox = outbox
        self.config = config or RelayConfig()
        self.stats = RelayStats()
        self._nc = nc
        self._js = nc.jetstream(domain=self.config.js_domain, publish_async_max_pending=4000)
        self._check_streams = tuple(check_streams)
        self._task: asyncio.Task[None] | None = None
        self._idle = asyncio.Event()

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
        pending: _Pending = deque()
        acked: list[int] = []
        failed = False
        try:
            for row in rows:
                failed = await self._settle(pending, acked, self.config.window)
                if failed:
                    break
                try:  # asyncio.timeout, not wait_stall (see EventPublisher._send)
                    async with asyncio.timeout(self.config.ack_timeout):
                        future = await self._js.publish_async(
                            row.subject, row.payload, stream=row.stream, headers=dict(row.headers)
                        )
                except (TimeoutError, nats.errors.Error) as exc:
                    self._record(exc)
                    failed = True
                    break
                pending.append((future, row.seq, time.monotonic() + self.config.ack_timeout))
            failed = await self._settle(pending, acked, 1) or failed
        finally:
            for future, _, _ in pending:
                future.cancel()
            if acked:
                await asyncio.shield(self._delete(acked))
        return not failed

    async def _delete(self, seqs: list[int]) -> None:
        try:
            await self.outbox.delete(seqs)
        except OutboxError as exc:  # the rows are re-sent later and dropped as duplicates
            self._record(exc)

    async def _settle(self, pending: _Pending, acked: list[int], limit: int) -> bool:
        """Wait until fewer than ``limit`` acks are outstanding; True if any failed.

        Waits on the oldest ack only: deadlines grow in send order, so the head expires first.
        """
        failed = False
        while len(pending) >= limit:
            future, seq, deadline = pending[0]
            if not future.done():
                wait = deadline - time.monotonic()
                if wait > 0:
                    await asyncio.wait((future,), timeout=wait)
                if not future.done():
                    future.cancel()
            pending.popleft()
            if future.cancelled():
                timeout = self.config.ack_timeout
                self._record(TimeoutError(f"no acknowledgement within {timeout}s"))
                failed = True
            elif (error := future.exception()) is not None:
                self._record(error)
                failed = True
            else:
                acked.append(seq)
                self.stats.acked += 1
                self.stats.duplicates += bool(future.result().duplicate)
        return failed

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()
