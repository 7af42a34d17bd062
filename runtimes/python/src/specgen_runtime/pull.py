"""A lean JetStream pull: one inbox subscription, a batch requested when the buffer is empty.

A pull consumer delivers on request: a message on
``<api>.CONSUMER.MSG.NEXT.<stream>.<consumer>`` with reply ``<inbox>.<n>`` and the body
``{"batch": N, "expires": ns}`` makes the server send up to N stored messages to that reply
subject as they become available. The request ends when N were sent, or with a status
message to the same reply subject: ``408`` (expired), ``409`` (cut short: a leadership
change, a consumer limit, the consumer deleted) or ``404`` (nothing to send now).

:class:`PullFetcher` keeps at most one request open. Every delivered message lands in one
buffer (the caller hands them out and acknowledges them) and counts against the open
request (a delivered message carries its own subject, not the reply subject); a status
settles only the request its reply subject names, so a late status of an old request never
ends the current one. A request whose end never arrives (a reconnect lost it) counts
as ended a grace period after its expiry. This replaces nats-py's ``fetch``, which awaits
every message of a batch with its own timeout (a task and a timer per message) on top of
the same protocol.

Errors: ``400``, ``503`` (no JetStream answered) and the other statuses are raised as
:class:`PullError` from :meth:`PullFetcher.next`, and so is a ``409`` that no retry can
mend (the consumer deleted or push based, a request beyond the consumer's limits). Other
``409`` statuses (a leadership change, too many waiting requests) end the request and the
next one is sent after a short pause; ``404`` and ``408`` only end the request.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections import deque

import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription

__all__ = ["PullError", "PullFetcher", "api_prefix"]

_STATUS = "Status"
_DESCRIPTION = "Description"
_ENDS_REQUEST = frozenset({"404", "408", "409"})
_FATAL_CONFLICTS = ("consumer deleted", "consumer is push based", "exceeded maxrequest")
_HEARTBEAT = "100"
# How long after its expiry a request whose end never came is given up (a reconnect lost it).
_GRACE = 1.0
# The pause before asking again after a 409 cut a request short.
_CONFLICT_PAUSE = 0.05


class PullError(nats.errors.Error):
    """The server refused to deliver from the consumer (the status and its description)."""


def api_prefix(domain: str | None) -> str:
    """The JetStream API subject prefix of ``domain`` (None: the account's own)."""
    return "$JS.API" if domain is None else f"$JS.{domain}.API"


class PullFetcher:
    """Messages of one pull consumer, requested ``batch`` at a time, each request ``expires``.

    :meth:`start` subscribes the inbox; :meth:`next` hands out the next delivered message;
    :meth:`drain_buffer` takes the messages delivered but not handed out (to ``nak`` them);
    :meth:`stop` unsubscribes.
    """

    def __init__(
        self, nc: Client, prefix: str, stream: str, consumer: str, *, batch: int, expires: float
    ) -> None:
        self._nc = nc
        self._subject = f"{prefix}.CONSUMER.MSG.NEXT.{stream}.{consumer}"
        self._inbox = nc.new_inbox() + "."
        self._batch = batch
        self._body = json.dumps({"batch": batch, "expires": int(expires * 1e9)}).encode()
        self._expires = expires
        self._tokens = itertools.count(1)
        self._sub: Subscription | None = None
        self._buffer: deque[Msg] = deque()
        self._open: str | None = None  # the token of the open request
        self._remaining = 0  # messages the open request may still bring
        self._open_until = 0.0
        self._retry_at = 0.0
        self._error: PullError | None = None
        self._waiter: asyncio.Future[None] | None = None

    async def start(self) -> None:
        if self._sub is None:
            self._sub = await self._nc.subscribe(self._inbox + "*", cb=self._on_msg)

    async def stop(self) -> None:
        """Unsubscribe; messages of an open request that arrive later are redelivered."""
        sub, self._sub = self._sub, None
        self._open = None
        if sub is not None and not self._nc.is_closed:
            await sub.unsubscribe()

    def drain_buffer(self) -> list[Msg]:
        """The messages delivered but not handed out yet (the buffer is then empty)."""
        out = list(self._buffer)
        self._buffer.clear()
        return out

    async def next(self, wait: float) -> Msg:
        """The next delivered message; TimeoutError if none came within ``wait`` seconds."""
        buffer = self._buffer
        if buffer:
            return buffer.popleft()
        deadline = time.monotonic() + wait
        while not buffer:
            self._raise_error()
            now = time.monotonic()
            if now >= deadline:
                raise TimeoutError("no message in time")
            if (self._open is None or now >= self._open_until) and now >= self._retry_at:
                await self._request(now)
            wake = self._open_until if self._open is not None else self._retry_at
            await self._wait(min(deadline, wake) - now)
        return buffer.popleft()

    async def _wait(self, seconds: float) -> None:
        """Until a message or status arrives, at most ``seconds``."""
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            async with asyncio.timeout(seconds):
                await self._waiter
        except TimeoutError:
            pass
        finally:
            self._waiter = None

    async def _request(self, now: float) -> None:
        if self._sub is None:
            raise PullError("the pull subscription is stopped")
        token = str(next(self._tokens))
        self._open, self._remaining = token, self._batch
        self._open_until = now + self._expires + _GRACE
        await self._nc.publish(self._subject, self._body, reply=self._inbox + token)

    def _raise_error(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    async def _on_msg(self, msg: Msg) -> None:
        headers = msg.headers
        if headers is not None and not msg.data and _STATUS in headers:
            token = msg.subject[len(self._inbox) :]
            self._on_status(token, headers[_STATUS], headers.get(_DESCRIPTION, ""))
        else:  # a stored message (its subject is its own, not the reply subject)
            self._buffer.append(msg)
            self._remaining -= 1
            if self._remaining <= 0:
                self._open = None
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    def _on_status(self, token: str, status: str, description: str) -> None:
        if status == _HEARTBEAT:
            return
        if token == self._open:
            self._open = None
            if status == "409":
                self._retry_at = time.monotonic() + _CONFLICT_PAUSE
        if status in _ENDS_REQUEST and not (
            status == "409" and description.lower().startswith(_FATAL_CONFLICTS)
        ):
            return
        self._error = PullError(f"status {status} {description}".strip())
