"""A durable client-side outbox: events survive an unreachable server and a crashed process.

``await outbox.enqueue(event, subject)`` returns only once the encoded message (subject,
headers with ``Nats-Msg-Id`` = CloudEvent id, payload, expected stream) is committed to a
SQLite database. An :class:`~specgen_runtime.outbox_relay.OutboxRelay` later publishes the
rows in order to JetStream and deletes each row only after its acknowledgement::

    outbox = Outbox("/var/lib/pf/outbox.db")
    async with outbox, OutboxRelay(outbox, nc) as relay:
        publisher = OrdersPublisher(nc, outbox=outbox)
        await publisher.order_created_v1(data, site_id="site-0001")  # durably enqueued

Durability. The database runs in WAL mode with ``synchronous=FULL`` on the enqueue
connection: every commit fsyncs the WAL before ``enqueue`` returns, so an enqueued event
survives a process crash (SIGKILL) *and* an OS crash or power loss. (``NORMAL`` would be
enough against process crashes only; ``EXTRA`` adds nothing in WAL mode.) The relay deletes
with ``synchronous=NORMAL``: a delete lost to a power cut only re-sends a message that the
stream then drops as a duplicate.

Exactly once. A row can be sent more than once: the ack may be lost, or the process may die
between the ack and the delete. Every copy carries the same ``Nats-Msg-Id``, so the stream
stores it once, *provided the stream's duplicate_window is longer than the time between the
first and the last send of a row*. That time is bounded by the age of the oldest row, which
:meth:`Outbox.backlog` reports. ``OutboxConfig.retry_horizon`` is the outage the deployment
promises to absorb without duplicates; :func:`check_duplicate_window` and
``OutboxRelay(check_streams=...)`` verify the streams' windows exceed it, and
``Backlog.beyond_horizon`` tells when the promise is broken (events are still delivered, never
dropped, but may then be stored twice).

Throughput. Concurrent ``enqueue`` calls are committed together (group commit: one fsync for
every call waiting at that moment); :meth:`Outbox.enqueue_many` commits a batch at once.
Core-NATS events (``Delivery.CORE``) are fire-and-forget by design and are refused here.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time
from collections.abc import Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from specgen_runtime.codec import MSG_ID_HEADER, Mode, encode
from specgen_runtime.errors import SpecgenRuntimeError
from specgen_runtime.events import Delivery, Event

__all__ = [
    "Backlog",
    "OutboxConfig",
    "Outbox",
    "OutboxError",
    "OutboxMessage",
    "check_duplicate_window",
]

_T = TypeVar("_T")
_SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    msg_id TEXT NOT NULL,
    subject TEXT NOT NULL,
    stream TEXT,
    headers TEXT NOT NULL,
    payload BLOB NOT NULL,
    enqueued_at REAL NOT NULL
)
"""


class OutboxError(SpecgenRuntimeError):
    """The outbox database could not be opened, written or read, or dedupe is unsafe."""


@dataclass(frozen=True)
class OutboxConfig:
    """Settings of one outbox database.

    ``retry_horizon``: seconds a message may stay in the outbox and still be deduplicated; each
    target stream's ``duplicate_window`` must be longer (see :func:`check_duplicate_window`).
    ``busy_timeout``: seconds to wait for SQLite's write lock (another connection or process).
    ``io_timeout``: bound on every wait for a database operation.
    """

    retry_horizon: float = 3600.0
    busy_timeout: float = 5.0
    io_timeout: float = 30.0
    mode: Mode = Mode.STRUCTURED

    def __post_init__(self) -> None:
        for name in ("retry_horizon", "busy_timeout", "io_timeout"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")


@dataclass(frozen=True)
class OutboxMessage:
    """One encoded message in the outbox, ready to publish."""

    seq: int
    msg_id: str
    subject: str
    stream: str | None
    headers: dict[str, str]
    payload: bytes
    enqueued_at: float


@dataclass(frozen=True)
class Backlog:
    """Pending messages and the age (seconds, wall clock) of the oldest, None when empty."""

    pending: int
    oldest_age: float | None
    retry_horizon: float

    @property
    def beyond_horizon(self) -> bool:
        """True when the oldest message is older than the retry horizon (dedupe at risk)."""
        return self.oldest_age is not None and self.oldest_age > self.retry_horizon


def check_duplicate_window(stream: str, duplicate_window: float, retry_horizon: float) -> None:
    """Raise OutboxError unless ``duplicate_window`` (seconds) exceeds ``retry_horizon``."""
    if duplicate_window <= retry_horizon:
        raise OutboxError(
            f"stream {stream!r} has duplicate_window {duplicate_window:g}s, not longer than the "
            f"outbox retry horizon {retry_horizon:g}s: a message re-sent after an outage that "
            f"long could be stored twice. Raise the stream's duplicate_window or lower "
            f"OutboxConfig.retry_horizon."
        )


_Row = tuple[str, str, str | None, str, bytes, float]


class _Connection:
    """One SQLite connection used from one dedicated thread, so the event loop never blocks."""

    def __init__(self, path: Path, synchronous: str, config: OutboxConfig, name: str) -> None:
        self._timeout = config.io_timeout
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        try:
            self._db = sqlite3.connect(
                path, timeout=config.busy_timeout, isolation_level=None, check_same_thread=False
            )
            mode = self._db.execute("PRAGMA journal_mode=WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise OutboxError(f"{path}: cannot switch the database to WAL mode (got {mode})")
            self._db.execute(f"PRAGMA synchronous={synchronous}")
        except sqlite3.Error as exc:
            self._executor.shutdown(wait=False)
            raise OutboxError(f"cannot open outbox database {path}: {exc}") from exc

    def execute_now(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        """Run one statement in the calling thread (only while no thread can use it)."""
        return self._db.execute(sql, params).fetchall()

    async def run(self, func: Any, *args: Any) -> Any:
        loop = asyncio.get_running_loop()
        future = loop.run_in_executor(self._executor, func, self._db, *args)
        try:
            async with asyncio.timeout(self._timeout):  # not wait_for: 3.11 can lose a cancel
                return await asyncio.shield(future)
        except TimeoutError as exc:
            raise OutboxError(f"outbox database did not answer within {self._timeout}s") from exc
        except sqlite3.Error as exc:
            raise OutboxError(f"outbox database error: {exc}") from exc

    def close(self) -> None:
        self._executor.shutdown(wait=True)
        self._db.close()


def _insert(db: sqlite3.Connection, rows: list[_Row]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany(
            "INSERT INTO outbox (msg_id, subject, stream, headers, payload, enqueued_at)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            rows,
        )
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _select(db: sqlite3.Connection, limit: int, after: int) -> list[OutboxMessage]:
    cursor = db.execute(
        "SELECT seq, msg_id, subject, stream, headers, payload, enqueued_at FROM outbox"
        " WHERE seq > ? ORDER BY seq LIMIT ?",
        (after, limit),
    )
    return [
        OutboxMessage(seq, msg_id, subject, stream, json.loads(headers), bytes(payload), at)
        for seq, msg_id, subject, stream, headers, payload, at in cursor
    ]


def _delete(db: sqlite3.Connection, seqs: list[int]) -> None:
    db.execute("BEGIN IMMEDIATE")
    try:
        db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _stats(db: sqlite3.Connection) -> tuple[int, float | None]:
    count, oldest = db.execute("SELECT COUNT(*), MIN(enqueued_at) FROM outbox").fetchone()
    return int(count), oldest


class Outbox:
    """A durable FIFO of encoded JetStream messages in one SQLite file (see module docs).

    Several publishers (domains) may share one outbox; run one relay per outbox. Use it as
    ``async with outbox`` or call :meth:`close`. Opening is synchronous (a few milliseconds).
    """

    def __init__(self, path: str | Path, *, config: OutboxConfig | None = None) -> None:
        self.path = Path(path)
        self.config = config or OutboxConfig()
        self._writer = _Connection(self.path, "FULL", self.config, "outbox-write")
        try:
            self._writer.execute_now(_SCHEMA)
            self._writer.execute_now(f"PRAGMA user_version={_SCHEMA_VERSION}")
            self._reader = _Connection(self.path, "NORMAL", self.config, "outbox-relay")
        except (sqlite3.Error, OutboxError) as exc:
            self._writer.close()
            raise OutboxError(f"cannot initialise outbox database {self.path}: {exc}") from exc
        self._queue: list[tuple[list[_Row], asyncio.Future[None]]] = []
        self._commit_task: asyncio.Task[None] | None = None
        self._added = asyncio.Event()
        self._closed = False

    # -- enqueue -------------------------------------------------------------------------

    def encode(self, event: Event[Any], subject: str) -> _Row:
        """Encode ``event`` into a row (validates it as publishing would)."""
        spec = type(event).SPEC
        if spec.delivery is Delivery.CORE:
            raise OutboxError(
                f"event type {spec.type!r} is core NATS (fire-and-forget); the outbox only "
                "carries JetStream events"
            )
        headers, payload = encode(event, self.config.mode)
        return (event.id, subject, spec.stream, json.dumps(headers), payload, time.time())

    async def enqueue(self, event: Event[Any], subject: str) -> None:
        """Durably store one event for publishing to ``subject``; return once committed."""
        await self._commit([self.encode(event, subject)])

    async def enqueue_many(self, items: Iterable[tuple[Event[Any], str]]) -> None:
        """Durably store many events in one transaction (all or none), in order."""
        rows = [self.encode(event, subject) for event, subject in items]
        if rows:
            await self._commit(rows)

    async def enqueue_encoded(
        self, messages: Iterable[tuple[str, dict[str, str], bytes, str | None]]
    ) -> None:
        """Durably store encoded ``(subject, headers, payload, stream)`` messages at once.

        ``headers`` must carry ``Nats-Msg-Id``; ``stream`` (or None) is the expected stream.
        """
        now = time.time()
        rows: list[_Row] = []
        for subject, headers, payload, stream in messages:
            msg_id = headers.get(MSG_ID_HEADER)
            if not msg_id:
                raise OutboxError(f"message to {subject!r} has no {MSG_ID_HEADER} header")
            rows.append((msg_id, subject, stream, json.dumps(headers), payload, now))
        if rows:
            await self._commit(rows)

    async def _commit(self, rows: list[_Row]) -> None:
        if self._closed:
            raise OutboxError("outbox is closed")
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._queue.append((rows, future))
        if self._commit_task is None or self._commit_task.done():
            self._commit_task = asyncio.create_task(self._group_commit(), name="outbox-commit")
        await future

    async def _group_commit(self) -> None:
        """Commit every waiting enqueue in one transaction, until none is waiting."""
        while self._queue:
            batch, self._queue = self._queue, []
            rows = [row for rows, _ in batch for row in rows]
            try:
                await self._writer.run(_insert, rows)
            except BaseException as exc:
                for _, future in batch:
                    if not future.done():
                        future.set_exception(exc)
                if isinstance(exc, asyncio.CancelledError):
                    raise
                continue
            for _, future in batch:
                if not future.done():
                    future.set_result(None)
            self._added.set()

    # -- relay side ----------------------------------------------------------------------

    async def oldest(self, limit: int, *, after: int = 0) -> list[OutboxMessage]:
        """Up to ``limit`` messages with ``seq > after``, oldest first."""
        rows: list[OutboxMessage] = await self._reader.run(_select, limit, after)
        return rows

    async def delete(self, seqs: Sequence[int]) -> None:
        """Remove acknowledged messages."""
        if seqs:
            await self._reader.run(_delete, list(seqs))

    async def wait_added(self, timeout: float) -> None:
        """Wait until this process enqueued something (or ``timeout``); then re-arm."""
        try:
            async with asyncio.timeout(timeout):
                await self._added.wait()
        except TimeoutError:
            pass
        self._added.clear()

    async def backlog(self) -> Backlog:
        """How many messages wait, and how old the oldest is."""
        count, oldest = await self._reader.run(_stats)
        age = None if oldest is None else max(0.0, time.time() - oldest)
        return Backlog(pending=count, oldest_age=age, retry_horizon=self.config.retry_horizon)

    # -- lifecycle -----------------------------------------------------------------------

    async def close(self) -> None:
        """Finish pending commits (bounded by ``io_timeout``), then close the database."""
        if self._closed:
            return
        self._closed = True
        task = self._commit_task
        if task is not None and not task.done():
            await asyncio.wait({task}, timeout=self.config.io_timeout)
            task.cancel()
        await asyncio.to_thread(self._writer.close)
        await asyncio.to_thread(self._reader.close)

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()
