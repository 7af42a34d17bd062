"""Subscribing to events: typed, validated, and undecodable messages dead-lettered.

``subscribe(nc, OrderCreatedV1, params={"site_id": "site-0001"})`` returns a Subscription,
an async context manager and async iterator of ``Received[OrderCreatedV1]``::

    async with subscribe(nc, OrderCreatedV1, durable="billing") as sub:
        async for received in sub:
            handle(received.event)
            await received.ack()

JETSTREAM events are read from a pull consumer on SPEC.stream, filtered on the event's
subject (missing parameters become ``*``), in batches; each fetch waits at most
``fetch_timeout``. CORE events use a plain core subscription. There are no background tasks:
messages are fetched inside ``next()``/``__anext__``, so closing leaves nothing running.

Scaling out: processes that subscribe with the same ``durable`` share one pull consumer,
so each event goes to one of them (queue semantics); an event a process received but did
not acknowledge (it died) is redelivered to the others after ``ack_wait``. Core events use
the ``durable`` name as a queue group. ``subscribe_any(nc, (A, B, ...))`` takes several
event classes of one stream (a domain) on one consumer and decodes each message as the
class its CloudEvents ``type`` names; a message of any other type is dead-lettered.

A message that cannot be decoded is never silently dropped: it is forwarded to the
dead-letter subject (see ``specgen_runtime.deadletter``) and, for JetStream, ``term()``-ed
only once that succeeded; if forwarding fails it is ``nak()``-ed (redelivered later) for
JetStream, or DeadLetterError is raised for core NATS. With ``dead_letter=False`` the
DecodeError is raised to the caller instead and a JetStream message is left unacknowledged
(the consumer redelivers it after ``ack_wait``). The subscription stays usable after a raised
error.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, Self, TypeVar, cast

import nats.errors
from nats.aio.client import Client
from nats.aio.msg import Msg
from nats.aio.subscription import Subscription as CoreSubscription
from nats.js.api import AckPolicy, ConsumerConfig
from nats.js.client import JetStreamContext

from specgen_runtime import deadletter
from specgen_runtime.codec import decode
from specgen_runtime.dispatch import event_type, same_spec, subject_matches
from specgen_runtime.errors import DeadLetterError, DecodeError, SubscribeError
from specgen_runtime.events import Delivery, Event, EventSpec
from specgen_runtime.pull import PullFetcher, api_prefix
from specgen_runtime.received import Received, delivery
from specgen_runtime.tracing import Tracing, carries_context, tracing_for

if TYPE_CHECKING:
    from specgen_runtime.tracing import TracerChoice

__all__ = ["Received", "Subscription", "subscribe", "subscribe_any"]

_log = logging.getLogger(__name__)
_EPHEMERAL_INACTIVE_THRESHOLD = 300.0

E = TypeVar("E", bound=Event[Any])


class Subscription(Generic[E]):
    """A running subscription to one event class (or several, see :func:`subscribe_any`)."""

    def __init__(
        self,
        nc: Client,
        event_cls: type[E] | tuple[type[Event[Any]], ...],
        *,
        params: Mapping[str, str],
        durable: str | None,
        batch: int,
        fetch_timeout: float,
        dead_letter: deadletter.DeadLetter | None,
        js_domain: str | None,
        ack_wait: float | None = None,
        max_deliver: int | None = None,
        stream: str | None = None,
        tracer_provider: TracerChoice = None,
    ) -> None:
        if batch < 1 or fetch_timeout <= 0:
            raise ValueError("batch must be >= 1 and fetch_timeout > 0")
        self._nc = nc
        classes: tuple[type[Event[Any]], ...] = (
            event_cls if isinstance(event_cls, tuple) else (event_cls,)
        )
        if not classes:
            raise ValueError("subscribe to at least one event class")
        for what, value in (("stream", lambda s: s.stream), ("delivery", lambda s: s.delivery)):
            same_spec(classes, what, value)
        self._classes = classes
        self._by_type = {cls.SPEC.type: cls for cls in classes}
        self._spec = classes[0].SPEC
        self._stream = stream or self._spec.stream
        self._tracing: Tracing | None = tracing_for(tracer_provider)
        self._subjects = tuple(dict.fromkeys(
            cls.SPEC.filter_subject(**{k: v for k, v in params.items() if k in cls.SPEC.parameters})
            for cls in classes
        ))  # fmt: skip
        self._subject = ", ".join(self._subjects)
        self._durable = durable
        self._batch = batch
        self._fetch_timeout = fetch_timeout
        self._dead_letter = dead_letter
        self._ack_wait = ack_wait
        self._max_deliver = max_deliver
        self._consumer = durable or f"specgen_{uuid.uuid4().hex}"
        self._js: JetStreamContext = nc.jetstream(domain=js_domain)
        self._api_prefix = api_prefix(js_domain)
        self._pull: PullFetcher | None = None
        self._core: list[CoreSubscription] | None = None
        self._core_queue: asyncio.Queue[Msg] = asyncio.Queue()
        self._closed = False
        self.dead_lettered = 0
        """Number of undecodable messages forwarded to the dead-letter subject."""

    @property
    def subject(self) -> str:
        """The filter subject of this subscription (several: comma-separated)."""
        return self._subject

    @property
    def subjects(self) -> tuple[str, ...]:
        """The filter subjects of this subscription."""
        return self._subjects

    async def start(self) -> Self:
        """Create the consumer (JetStream) or subscription (core). Idempotent."""
        if self._closed:
            raise SubscribeError("subscription is closed")
        if self._pull is not None or self._core is not None:
            return self
        try:
            if self._spec.delivery is Delivery.CORE:
                self._core = [
                    await self._nc.subscribe(subject, queue=self._durable or "", cb=self._on_core)
                    for subject in self._subjects
                ]
            else:
                self._pull = await self._pull_subscribe()
        except nats.errors.Error as exc:
            raise SubscribeError(
                f"cannot subscribe to {self._subject!r} ({self._spec.type}): {exc!r}"
            ) from exc
        return self

    async def _pull_subscribe(self) -> PullFetcher:
        stream = self._stream
        if stream is None:
            raise SubscribeError(f"{self._spec.type} is a core NATS event: it has no stream")
        many = len(self._subjects) > 1
        config = ConsumerConfig(
            name=self._consumer,
            durable_name=self._durable,
            filter_subject=None if many else self._subjects[0],
            filter_subjects=list(self._subjects) if many else None,
            ack_policy=AckPolicy.EXPLICIT,
            ack_wait=self._ack_wait,
            max_deliver=self._max_deliver,
            # An ephemeral consumer is deleted on close; this only reaps it if we die.
            inactive_threshold=None if self._durable else _EPHEMERAL_INACTIVE_THRESHOLD,
        )
        await self._js.add_consumer(stream, config)
        fetcher = PullFetcher(
            self._nc,
            self._api_prefix,
            stream,
            self._consumer,
            batch=self._batch,
            expires=self._fetch_timeout,
        )
        await fetcher.start()
        return fetcher

    async def close(self) -> None:
        """Unsubscribe; buffered, unacknowledged messages are nak()-ed for prompt redelivery."""
        if self._closed:
            return
        self._closed = True
        pull, core, self._pull, self._core = self._pull, self._core, None, None
        try:
            if pull is not None:
                await pull.stop()
                for msg in pull.drain_buffer():
                    await msg.nak()
                if self._durable is None and self._stream is not None:
                    await self._js.delete_consumer(self._stream, self._consumer)
            for sub in core or ():
                await sub.unsubscribe()
        except (nats.errors.Error, TimeoutError) as exc:
            _log.warning("closing subscription to %s: %r", self._subject, exc)

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    def __aiter__(self) -> Self:
        return self

    async def __anext__(self) -> Received[E]:
        if self._closed:
            raise StopAsyncIteration
        return await self.next()

    async def next(self, timeout: float | None = None) -> Received[E]:
        """The next valid event; wait at most ``timeout`` seconds (None: until one comes).

        Raises TimeoutError when none arrived in time.
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        started = time.time_ns()
        while True:
            msg = await self._next_msg(deadline)
            received = await self._handle(msg)
            if received is not None:
                if self._tracing is not None:
                    return self._traced(self._tracing, received, started)
                return received

    def _traced(self, tracing: Tracing, received: Received[E], started: int) -> Received[E]:
        """``received`` with its receive span recorded and its process span ready."""
        event = received.event
        if not tracing.live and not carries_context(event.extensions, received.headers):
            object.__setattr__(received, "_trace", tracing.idle(type(event).SPEC, received.subject))
            return received
        consumer: dict[str, Any] = {
            "messaging.message.id": event.id,
            "cloudevents.event_id": event.id,
            "cloudevents.event_source": event.source,
            "messaging.message.body.size": len(received._msg.data),
        }
        if self._durable is not None:
            consumer["messaging.consumer.group.name"] = self._durable
        if received._jetstream:
            consumer["messaging.destination.subscription.name"] = self._consumer
            consumer["messaging.nats.stream"] = self._stream
            consumer["messaging.nats.stream.sequence"] = received.stream_seq or 0
            consumer["messaging.nats.message.delivery_count"] = received.num_delivered
        trace = tracing.consumed(
            type(event).SPEC,
            received.subject,
            event.extensions,
            received.headers,
            consumer,
            started,
        )
        object.__setattr__(received, "_trace", trace)
        return received

    async def _next_msg(self, deadline: float | None) -> Msg:
        while True:
            if self._pull is None and self._core is None:
                raise SubscribeError("subscription is not started (use 'async with') or closed")
            wait = self._fetch_timeout
            if deadline is not None:
                wait = min(wait, deadline - time.monotonic())
                if wait <= 0:
                    raise TimeoutError(f"no event on {self._subject!r} in time")
            try:
                if self._core is not None:
                    return await asyncio.wait_for(self._core_queue.get(), timeout=wait)
                assert self._pull is not None
                return await self._pull.next(wait)
            except TimeoutError:
                continue
            except nats.errors.Error as exc:
                raise SubscribeError(f"reading {self._subject!r} failed: {exc!r}") from exc

    async def _on_core(self, msg: Msg) -> None:
        self._core_queue.put_nowait(msg)

    def _class_for(self, msg: Msg) -> type[Event[Any]]:
        if len(self._classes) == 1:
            return self._classes[0]
        kind = event_type(msg)
        cls = self._by_type.get(kind) if kind is not None else None
        if cls is None:
            expected = ", ".join(sorted(self._by_type))
            raise DecodeError(f"CloudEvents type {kind!r} is none of the expected: {expected}")
        return cls

    def _spec_for(self, subject: str) -> EventSpec:
        """The spec whose subject the message came on (its dead-letter subject and type)."""
        for cls in self._classes:
            if subject_matches(cls.SPEC.subject_template, subject):
                return cls.SPEC
        return self._spec

    async def _handle(self, msg: Msg) -> Received[E] | None:
        jetstream = self._core is None
        try:
            event = cast(E, decode(self._class_for(msg), msg.headers, msg.data))
        except DecodeError as err:
            if self._dead_letter is None:
                raise
            await self._forward(msg, err.reason, jetstream)
            return None
        if jetstream:
            num_delivered, seq = delivery(msg)
        else:
            num_delivered, seq = 1, None
        return Received(
            event=event,
            subject=msg.subject,
            headers=msg.headers or {},
            num_delivered=num_delivered,
            stream_seq=seq,
            _msg=msg,
            _jetstream=jetstream,
        )

    async def _forward(self, msg: Msg, reason: str, jetstream: bool) -> None:
        assert self._dead_letter is not None
        try:
            target = await deadletter.forward(
                self._nc, self._js, self._dead_letter, self._spec_for(msg.subject), msg, reason
            )
        except DeadLetterError as exc:
            if not jetstream:
                raise
            _log.warning("%s; nak-ed for redelivery", exc)
            await msg.nak(delay=self._dead_letter.retry_delay)
            return
        if jetstream:
            await msg.term()
        self.dead_lettered += 1
        _log.info("message on %s dead-lettered to %s: %s", msg.subject, target, reason)


def _dead_letter_config(
    dead_letter: deadletter.DeadLetter | bool, classes: Sequence[type[Event[Any]]]
) -> deadletter.DeadLetter | None:
    if dead_letter is False:
        return None
    for cls in classes:
        if cls.SPEC.dead_letter_template is None:
            raise ValueError(f"{cls.__name__} has no dead-letter template: pass dead_letter=False")
    return deadletter.DeadLetter() if dead_letter is True else dead_letter


def subscribe(
    nc: Client,
    event_cls: type[E],
    *,
    params: Mapping[str, str] | None = None,
    durable: str | None = None,
    batch: int = 64,
    fetch_timeout: float = 1.0,
    dead_letter: deadletter.DeadLetter | bool = True,
    js_domain: str | None = None,
    ack_wait: float | None = None,
    max_deliver: int | None = None,
    stream: str | None = None,
    tracer_provider: TracerChoice = None,
) -> Subscription[E]:
    """Subscribe to ``event_cls`` events; start with ``async with`` (or ``await .start()``).

    ``params`` fill the subject template, missing ones match every value (``*``).
    ``durable`` names a durable pull consumer (else an ephemeral one, deleted on close);
    processes using the same ``durable`` share its events (each goes to one of them).
    ``dead_letter``: True for the default :class:`DeadLetter`, False to raise DecodeError
    instead, or an explicit DeadLetter configuration. Both content modes are accepted.
    ``ack_wait``/``max_deliver`` configure the JetStream consumer (server defaults if None).
    ``stream`` reads another stream than SPEC.stream that holds these events (for example
    the hub's cloud stream, which sources every site's). ``tracer_provider``: see
    ``specgen_runtime.tracing`` (None: the global provider if installed; False: off).
    """
    return Subscription(
        nc,
        event_cls,
        params=dict(params or {}),
        durable=durable,
        batch=batch,
        fetch_timeout=fetch_timeout,
        dead_letter=_dead_letter_config(dead_letter, [event_cls]),
        js_domain=js_domain,
        ack_wait=ack_wait,
        max_deliver=max_deliver,
        stream=stream,
        tracer_provider=tracer_provider,
    )


def subscribe_any(
    nc: Client,
    event_classes: Sequence[type[Event[Any]]],
    *,
    params: Mapping[str, str] | None = None,
    durable: str | None = None,
    batch: int = 64,
    fetch_timeout: float = 1.0,
    dead_letter: deadletter.DeadLetter | bool = True,
    js_domain: str | None = None,
    ack_wait: float | None = None,
    max_deliver: int | None = None,
    stream: str | None = None,
    tracer_provider: TracerChoice = None,
) -> Subscription[Event[Any]]:
    """One subscription to several event classes of one stream (a domain's union).

    Each message is decoded as the class its CloudEvents ``type`` names (a type outside
    ``event_classes`` is dead-lettered like any undecodable message); the options are those
    of :func:`subscribe`. Generated domain subscribers narrow the result to their union.
    """
    return Subscription(
        nc,
        tuple(event_classes),
        params=dict(params or {}),
        durable=durable,
        batch=batch,
        fetch_timeout=fetch_timeout,
        dead_letter=_dead_letter_config(dead_letter, event_classes),
        js_domain=js_domain,
        ack_wait=ack_wait,
        max_deliver=max_deliver,
        stream=stream,
        tracer_provider=tracer_provider,
    )
