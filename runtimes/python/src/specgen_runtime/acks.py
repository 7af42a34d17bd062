"""The JetStream ack window: core publishes whose PubAcks settle on one wildcard inbox.

A JetStream publish is a core NATS publish with a reply subject: the stream that stores the
message answers on it with a PubAck (``{"stream", "seq", "duplicate"}``) or an API error
(``{"error": {"code", "err_code", "description"}}``), and the server itself answers with a
``503`` status when nothing captures the subject. :class:`AckInbox` subscribes once to
``<inbox>.*``; each publish gets the reply subject ``<inbox>.<n>`` with a number ``n`` never
used again on that inbox, and the subscription's callback settles the matching entry.
:class:`AckWindow` is one batch of such publishes with at most ``limit`` outstanding, each
awaited at most ``timeout`` after it was sent::

    inbox = AckInbox(nc)
    window = inbox.window(timeout=5.0)
    for i, (subject, headers, payload) in enumerate(messages):
        await window.wait_below(256)
        await window.send(i, subject, payload, headers)
    await window.wait_below(1)          # every entry now has an outcome
    window.outcomes                     # one Ack or AckFailure per index, in input order

Guarantees: an entry succeeds only on a PubAck that answers exactly its own reply subject
(numbers are never reused, so a late answer to an expired entry settles nothing); a
``duplicate: true`` PubAck counts as success; a timeout is reported as "maybe stored". A
reconnect loses at most the answers in flight: those entries time out (unknown outcome),
never turn into successes. This replaces nats-py's ``publish_async``, which costs a future,
a semaphore and per-message bookkeeping on top of the same protocol.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import re
import time
from dataclasses import dataclass

import nats.errors
import nats.js.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

__all__ = ["Ack", "AckFailure", "AckInbox", "AckWindow", "Outcome"]

_STATUS = "Status"
# nats-server's PubAck field order: stream, seq, domain (omitempty), duplicate (omitempty).
_PLAIN_ACK = re.compile(
    rb'\{"stream":"([A-Za-z0-9_-]+)","seq":(\d+)(?:,"domain":"[A-Za-z0-9_-]*")?(,"duplicate":true)?\}'
)
_DESCRIPTION = "Description"


@dataclass(frozen=True, slots=True)
class Ack:
    """A stream stored the message (or already held one with its ``Nats-Msg-Id``)."""

    stream: str
    seq: int
    duplicate: bool


@dataclass(frozen=True, slots=True)
class AckFailure:
    """A message that was not acknowledged; ``cause`` is the nats-py style error.

    ``maybe_stored`` is False when the server said it did not store the message (no
    responders, an API error, or it was never sent) and True when the outcome is unknown.
    """

    reason: str
    maybe_stored: bool
    cause: BaseException
    sent: bool = True


Outcome = Ack | AckFailure


def parse_ack(msg: Msg) -> Outcome:
    """The outcome a JetStream reply message reports."""
    headers = msg.headers
    if headers and _STATUS in headers:
        status = headers[_STATUS]
        if status == "503":
            error: BaseException = nats.js.errors.NoStreamResponseError()
            return AckFailure("no JetStream stream captures this subject", False, error)
        detail = headers.get(_DESCRIPTION, "")
        error = nats.errors.Error(f"status {status} {detail}".strip())
        return AckFailure(f"the server answered with status {status} {detail}", False, error)
    plain = _PLAIN_ACK.fullmatch(msg.data)
    if plain is not None:  # the usual answer, read without a JSON parse
        stream, seq, duplicate = plain.groups()
        return Ack(stream.decode(), int(seq), duplicate is not None)
    try:
        response = json.loads(msg.data)
        if "error" in response:
            return _api_failure(response["error"])
        return Ack(response["stream"], response["seq"], bool(response.get("duplicate")))
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        return AckFailure(f"unreadable PubAck {msg.data[:200]!r}", True, exc)


def _api_failure(error: dict[str, object]) -> AckFailure:
    try:  # nats-py raises the APIError subclass of the status code (BadRequestError...)
        nats.js.errors.APIError.from_error(error)
        api = nats.js.errors.APIError(description=str(error))
    except nats.js.errors.APIError as exc:
        api = exc
    reason = f"JetStream rejected the event: {api.description} (error code {api.err_code})"
    return AckFailure(reason, False, api)


def timeout_failure(timeout: float) -> AckFailure:
    return AckFailure(f"no acknowledgement within {timeout}s", True, TimeoutError())


def send_failure(error: BaseException) -> AckFailure:
    """A publish that nats-py refused: it never left this process."""
    return AckFailure(f"not sent: {type(error).__name__}: {error}", False, error, sent=False)


class AckInbox:
    """One wildcard inbox subscription on ``nc`` that routes PubAcks to open windows.

    Subscribes on first use; :meth:`close` unsubscribes (closing the connection does too).
    Windows of any number of concurrent callers share it.
    """

    def __init__(self, nc: Client) -> None:
        self._nc = nc
        self._prefix = nc.new_inbox() + "."
        self._tokens = itertools.count(1)
        self._routes: dict[str, AckWindow] = {}
        self._sub: Subscription | None = None
        self._opening: asyncio.Lock | None = None

    @property
    def nc(self) -> Client:
        return self._nc

    def window(self, timeout: float) -> AckWindow:
        """A new batch of publishes, each awaited at most ``timeout`` seconds."""
        return AckWindow(self, timeout)

    async def _open(self) -> None:
        if self._sub is not None:
            return
        if self._opening is None:
            self._opening = asyncio.Lock()
        async with self._opening:
            if self._sub is None:
                self._sub = await self._nc.subscribe(self._prefix + "*", cb=self._on_reply)

    async def close(self) -> None:
        """Unsubscribe; entries still open time out in their windows."""
        sub, self._sub = self._sub, None
        if sub is not None and not self._nc.is_closed:
            try:
                await sub.unsubscribe()
            except nats.errors.Error:
                pass  # connection going away: the subscription goes with it

    async def _on_reply(self, msg: Msg) -> None:
        token = msg.subject[len(self._prefix) :]
        window = self._routes.pop(token, None)
        if window is not None:  # None: an answer to an entry that already timed out
            window._settle(token, parse_ack(msg))

    def _route(self, window: AckWindow) -> str:
        token = str(next(self._tokens))
        self._routes[token] = window
        return token

    def _forget(self, token: str) -> None:
        self._routes.pop(token, None)


class AckWindow:
    """One batch of JetStream publishes on an :class:`AckInbox`.

    ``outcomes[index]`` is set for every index passed to :meth:`send` once it is settled;
    after ``wait_below(1)`` every sent index has one. Indexes are the caller's (positions in
    its input) and need not be contiguous; ``outcomes`` grows to hold the largest.
    """

    def __init__(self, inbox: AckInbox, timeout: float) -> None:
        self.timeout = timeout
        self.outcomes: list[Outcome | None] = []
        self.failed = 0
        """Number of entries settled as failures so far (sent or not)."""
        self._inbox = inbox
        # Open entries in send order: token -> (index, deadline). Deadlines grow in send
        # order, so the first entry is always the next to expire.
        self._open: dict[str, tuple[int, float]] = {}
        self._waiter: asyncio.Future[None] | None = None
        self._wake_at = 0

    @property
    def outstanding(self) -> int:
        return len(self._open)

    def record(self, index: int, outcome: Outcome) -> None:
        """Set the outcome of an index that is not sent (for example refused before)."""
        self._grow(index)
        self.outcomes[index] = outcome
        self.failed += isinstance(outcome, AckFailure)

    async def send(self, index: int, subject: str, payload: bytes, headers: dict[str, str]) -> bool:
        """Publish one message; False (outcome recorded) if nats-py refused to send it."""
        await self._inbox._open()
        token = self._inbox._route(self)
        self._grow(index)
        # Open before sending: publish may yield to the loop, and the answer may come first.
        self._open[token] = (index, time.monotonic() + self.timeout)
        try:
            await self._inbox.nc.publish(
                subject, payload, reply=self._inbox._prefix + token, headers=headers
            )
        except (nats.errors.Error, OSError) as exc:
            self._inbox._forget(token)
            self._open.pop(token, None)
            self.record(index, send_failure(exc))
            return False
        return True

    async def wait_below(self, limit: int) -> None:
        """Wait until fewer than ``limit`` entries are open, expiring overdue ones."""
        while len(self._open) >= limit:
            token, (index, deadline) = next(iter(self._open.items()))
            wait = deadline - time.monotonic()
            if wait > 0:
                # Wake when a quarter of the window has drained, not on every ack.
                self._wake_at = limit - max(1, limit // 4)
                self._waiter = asyncio.get_running_loop().create_future()
                try:
                    async with asyncio.timeout(wait):
                        await self._waiter
                except TimeoutError:
                    pass
                finally:
                    self._waiter = None
                continue
            del self._open[token]
            self._inbox._forget(token)
            self.record(index, timeout_failure(self.timeout))

    def abandon(self) -> None:
        """Stop waiting for the open entries (the caller is cancelled or gave up)."""
        for token in self._open:
            self._inbox._forget(token)
        self._open.clear()

    def _settle(self, token: str, outcome: Outcome) -> None:
        entry = self._open.pop(token, None)
        if entry is None:
            return
        self.outcomes[entry[0]] = outcome
        if type(outcome) is AckFailure:
            self.failed += 1
        waiter = self._waiter
        if waiter is not None and len(self._open) <= self._wake_at and not waiter.done():
            waiter.set_result(None)

    def _grow(self, index: int) -> None:
        missing = index + 1 - len(self.outcomes)
        if missing > 0:
            self.outcomes.extend([None] * missing)
