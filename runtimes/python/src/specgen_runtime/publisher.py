"""Publishing events: JetStream with acknowledgement, or core NATS fire-and-forget.

JetStream publishes carry ``Nats-Msg-Id`` (the event id, so retries are deduplicated inside
the stream's duplicate window) and ``Nats-Expected-Stream`` (SPEC.stream, so an event is
never stored in a stream that merely happens to capture the subject). Single and pipelined
publishes go through the same ack window (:mod:`specgen_runtime.acks`): a core publish with a
reply subject under the publisher's one wildcard inbox, settled by its PubAck; ``close()``
releases that inbox.

With an :class:`~specgen_runtime.outbox.Outbox` (``EventPublisher(nc, outbox=...)``) JetStream
events are not sent here: they are durably enqueued and an OutboxRelay publishes them later;
the result then has ``enqueued=True`` and no sequence number. Core NATS events are always
sent directly (fire-and-forget has nothing to make durable).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

import nats.errors
from nats.aio.client import Client

from specgen_runtime.acks import Ack, AckFailure, AckInbox, AckWindow, Outcome, send_failure
from specgen_runtime.codec import Mode, create_encoded, encode
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
from specgen_runtime.tracing import PublishTrace, Tracing, tracing_for

if TYPE_CHECKING:
    from specgen_runtime.tracing import TracerChoice

__all__ = ["EventPublisher", "PublishResult"]

_MAX_WINDOW = 4000
EXPECTED_STREAM = "Nats-Expected-Stream"


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
    def from_ack(cls, ack: Ack) -> PublishResult:
        return cls(stream=ack.stream, seq=ack.seq, duplicate=ack.duplicate)


_CORE_RESULT = PublishResult(stream=None, seq=None, duplicate=False)
_CORE_ACK = Ack("", 0, False)  # the outcome of a core NATS send (identity marks it)
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


def _error(failure: AckFailure, subject: str, event_id: str) -> PublishError:
    """The error a caller sees for one event that was not acknowledged."""
    if not failure.sent:
        return PublishError(subject, event_id, failure.reason)
    return NotAcknowledgedError(
        subject, event_id, failure.reason, maybe_stored=failure.maybe_stored
    )


class EventPublisher:
    """Publishes events on one NATS connection.

    ``mode`` chooses the CloudEvents content mode, ``ack_timeout`` bounds every wait for a
    JetStream acknowledgement, ``js_domain`` targets the JetStream of another domain (for
    example an edge site's, from the hub). Generated per-domain publishers subclass or wrap
    this class.

    Every event's data is validated exactly once on its way out, however it was built
    (``Event.create`` validates and keeps the JSON; data made with ``model_construct`` or
    changed since is validated at encode; see ``specgen_runtime.payload_json``).
    :meth:`publish_new` builds and sends an event from a model or a mapping in one step.

    ``outbox``: durably enqueue JetStream events instead of sending them (see module docs).

    ``tracer_provider``: OpenTelemetry spans and W3C trace context (``specgen_runtime.tracing``)
    on that provider; None (the default) uses the global one when opentelemetry-api is
    installed, False turns tracing off.
    """

    def __init__(
        self,
        nc: Client,
        *,
        mode: Mode = Mode.STRUCTURED,
        ack_timeout: float = 5.0,
        js_domain: str | None = None,
        outbox: Outbox | None = None,
        tracer_provider: TracerChoice = None,
    ) -> None:
        if ack_timeout <= 0:
            raise ValueError("ack_timeout must be positive")
        self._nc = nc
        self._mode = mode
        self._ack_timeout = ack_timeout
        self._outbox = outbox
        self._js_domain = js_domain
        self._inbox = AckInbox(nc)
        self._tracing: Tracing | None = tracing_for(tracer_provider)

    @property
    def mode(self) -> Mode:
        return self._mode

    @property
    def outbox(self) -> Outbox | None:
        return self._outbox

    async def close(self) -> None:
        """Release the acknowledgement inbox (closing the connection does too)."""
        await self._inbox.close()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def publish(self, event: Event[Any], subject: str) -> PublishResult:
        """Publish one event; for JetStream events wait for the stream's acknowledgement.

        Raises EncodeError for invalid events, NotAcknowledgedError when JetStream did not
        acknowledge, PublishError for other failures (for example a closed connection).
        """
        _check_subject(subject)
        tracing = self._tracing_now()
        if tracing is not None:
            return await self._publish_traced(tracing, event, subject)
        headers, payload = encode(event, self._mode)
        return await self._publish_encoded(event, subject, headers, payload)

    async def _publish_traced(
        self, tracing: Tracing, event: Event[Any], subject: str
    ) -> PublishResult:
        with tracing.publish(type(event).SPEC, subject, event.extensions) as trace:
            headers, payload = encode(event, self._mode, added=trace.added)
            return await self._send_traced(trace, event, subject, headers, payload)

    async def publish_new(
        self,
        event_cls: type[Event[Any]],
        data: Any,
        params: Mapping[str, str],
        *,
        id: str | None = None,
        time: datetime | None = None,
        subject: str | None = None,
        extensions: dict[str, str] | None = None,
    ) -> PublishResult:
        """Build an ``event_cls`` event from ``data`` (model or mapping) and publish it.

        ``params`` fill the source and subject templates. The data is validated once, by
        ``create``, and its JSON written straight into the envelope (no second serialisation).
        Raises pydantic's ValidationError for invalid data, else as :meth:`publish`.
        """
        make = functools.partial(
            create_encoded, event_cls, data, params, self._mode, id=id, time=time, subject=subject
        )
        nats_subject = event_cls.SPEC.subject_for(**params)
        tracing = self._tracing_now()
        if tracing is None:
            event, headers, payload = make(extensions=extensions)
            return await self._publish_encoded(event, nats_subject, headers, payload)
        with tracing.publish(event_cls.SPEC, nats_subject, extensions or {}) as trace:
            event, headers, payload = make(
                extensions={**trace.added, **extensions} if extensions else trace.added
            )
            return await self._send_traced(trace, event, nats_subject, headers, payload)

    async def _send_traced(
        self,
        trace: PublishTrace,
        event: Event[Any],
        subject: str,
        headers: dict[str, str],
        payload: bytes,
    ) -> PublishResult:
        trace.message(event.id, event.source, len(payload))
        headers.update(trace.headers)
        result = await self._publish_encoded(event, subject, headers, payload)
        trace.stored(result.stream, result.seq, result.duplicate)
        return result

    async def _publish_encoded(
        self, event: Event[Any], subject: str, headers: dict[str, str], payload: bytes
    ) -> PublishResult:
        spec = type(event).SPEC
        if spec.delivery is Delivery.CORE:
            try:
                await self._nc.publish(subject, payload, headers=headers)
            except nats.errors.Error as exc:
                raise PublishError(subject, event.id, f"{type(exc).__name__}: {exc}") from exc
            return _CORE_RESULT
        assert spec.stream is not None
        if self._outbox is not None:
            await self._outbox.enqueue_encoded([(subject, headers, payload, spec.stream)])
            return PublishResult(stream=spec.stream, seq=None, enqueued=True)
        headers[EXPECTED_STREAM] = spec.stream
        window = self._inbox.window(self._ack_timeout)
        try:
            await window.send(0, subject, payload, headers)
            await window.wait_below(1)
        finally:
            window.abandon()
        outcome = window.outcomes[0]
        if isinstance(outcome, Ack):
            return PublishResult.from_ack(outcome)
        assert outcome is not None
        raise _error(outcome, subject, event.id) from outcome.cause

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
        tracing = self._tracing_now()
        if tracing is not None:
            with tracing.batch() as span:
                results = await self._pipelined(items, window, tracing)
                span.set_attribute("messaging.batch.message_count", len(results))
                return results
        return await self._pipelined(items, window, None)

    def _tracing_now(self) -> Tracing | None:
        """The tracing to apply now: None when off, or when it could change nothing."""
        tracing = self._tracing
        if tracing is None or tracing.inert():
            return None
        return tracing

    async def _pipelined(
        self, items: Iterable[tuple[Event[Any], str]], window: int, tracing: Tracing | None
    ) -> list[PublishResult]:
        if self._outbox is not None:
            prepared: list[_Prepared] = []
            for event, subject in items:
                _check_subject(subject)
                prepared.append((event, subject, *self._encode_one(event, subject, tracing)))
            return await self._enqueue_pipelined(prepared, window)
        return await self._send_pipelined(self._encoded(items, tracing), window)

    def _encoded(
        self, items: Iterable[tuple[Event[Any], str]], tracing: Tracing | None
    ) -> Iterator[_Prepared | _Refused]:
        """Encode lazily, so sending overlaps building; a bad event becomes a refusal."""
        for event, subject in items:
            try:
                _check_subject(subject)
                headers, payload = self._encode_one(event, subject, tracing)
            except (EncodeError, SubjectError) as exc:
                yield _Refused(event, subject, exc)
                continue
            yield event, subject, headers, payload

    def _encode_one(
        self, event: Event[Any], subject: str, tracing: Tracing | None
    ) -> tuple[dict[str, str], bytes]:
        """One event of a batch: encoded, with a create span and its context when traced."""
        if tracing is None:
            return encode(event, self._mode)
        added, hop = tracing.create(type(event).SPEC, subject, event.extensions, event.id)
        headers, payload = encode(event, self._mode, added=added)
        headers.update(hop)
        return headers, payload

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
        acks = self._inbox.window(self._ack_timeout)
        named: list[tuple[str, str]] = []  # (event id, subject) per index
        try:
            for index, item in enumerate(items):
                if isinstance(item, _Refused):
                    named.append((item.event.id, item.subject))
                    acks.record(index, _refusal(item.error))
                    continue
                named.append((item[0].id, item[1]))
                event, subject, headers, payload = item
                spec = type(event).SPEC
                if spec.delivery is Delivery.CORE:
                    await self._send_core(acks, index, subject, headers, payload)
                    continue
                assert spec.stream is not None
                headers[EXPECTED_STREAM] = spec.stream
                await acks.wait_below(window)
                await acks.send(index, subject, payload, headers)
            await acks.wait_below(1)
        finally:
            acks.abandon()
        return _results(acks.outcomes, named)

    async def _send_core(
        self, acks: AckWindow, index: int, subject: str, headers: dict[str, str], payload: bytes
    ) -> None:
        try:
            await self._nc.publish(subject, payload, headers=headers)
        except nats.errors.Error as exc:
            acks.record(index, send_failure(exc))
            return
        acks.record(index, _CORE_ACK)


def _refusal(error: Exception) -> AckFailure:
    return AckFailure(f"not sent: {error}", False, error, sent=False)


def _results(outcomes: list[Outcome | None], named: list[tuple[str, str]]) -> list[PublishResult]:
    """Results in input order, or PublishBatchError naming exactly the failed events."""
    results: list[PublishResult | None] = []
    failures: list[PublishFailure] = []
    for index, (outcome, (event_id, subject)) in enumerate(zip(outcomes, named, strict=True)):
        if outcome is _CORE_ACK:
            results.append(_CORE_RESULT)
        elif isinstance(outcome, Ack):
            results.append(PublishResult.from_ack(outcome))
        else:
            assert outcome is not None
            results.append(None)
            error = _error(outcome, subject, event_id)
            error.__cause__ = outcome.cause
            failures.append(PublishFailure(index, event_id, subject, error))
    if failures:
        raise PublishBatchError(failures, results)
    return [r for r in results if r is not None]
