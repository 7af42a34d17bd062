"""W3C trace context across NATS and OpenTelemetry spans of publishers and subscribers.

Two contexts travel with an event (the CloudEvents distributed-tracing extension's rule):

* the **origin** (creation context): the CloudEvents attributes ``traceparent`` and
  ``tracestate``, set once by the first publisher and never rewritten afterwards
  (structured mode: JSON attributes; binary mode: ``ce-traceparent``/``ce-tracestate``);
* the **hop**: plain ``traceparent``/``tracestate`` NATS headers, written by whoever sends
  the message on (the publisher, the outbox relay). At the origin both are the same.

Spans follow the OpenTelemetry messaging semantic conventions (``messaging.system = nats``;
names ``<operation> <subject template>``; see docs/tracing.md for every attribute):

=========  ===========================================================================
publish    one event: PRODUCER, its context becomes the creation context; CLIENT with a
           link when the event already carries one (it is then left as it is)
create     one per event of a pipelined batch: PRODUCER, child of the batch's publish
           span (CLIENT, ``messaging.batch.message_count``)
receive    one per event a subscription hands to the caller: CLIENT, parent the current
           span (if any), links to the creation and hop contexts
process    ``Received.process()``: CONSUMER; parent the hop context (else the creation
           context), or the current span when there is one (the message is then a link)
=========  ===========================================================================

OpenTelemetry is optional (``pip install 'specgen-runtime[tracing]'``): without
``opentelemetry-api`` nothing is imported and every path is the untraced one. With the API but
no SDK configured, spans are not recording and no context is written, so messages are
byte-identical to untraced ones; while that holds (:meth:`Tracing.inert`) publishers and
subscribers take their untraced paths, unless a message or the current span carries a
context to pass on.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from opentelemetry.context import Context
    from opentelemetry.trace import Link, Span, SpanContext, Tracer, TracerProvider

    from specgen_runtime.events import EventSpec

    #: What publishers and subscribers take as ``tracer_provider``: a provider, None for
    #: the global one (if opentelemetry-api is installed), False for no tracing.
    TracerChoice: TypeAlias = TracerProvider | None | Literal[False]

__all__ = [
    "TRACEPARENT",
    "TRACESTATE",
    "Consumed",
    "PublishTrace",
    "Tracing",
    "tracing_for",
]

TRACEPARENT = "traceparent"
TRACESTATE = "tracestate"
SCOPE = "specgen_runtime"
SYSTEM = "nats"

_api: Any = None  # the imported OpenTelemetry modules, or False when they are not installed


@dataclass(frozen=True, slots=True)
class _Api:
    trace: Any
    context: Any
    propagator: Any
    defaults: tuple[type, ...]  # the API's own providers: nothing configured, no span records


def _load() -> _Api | None:
    """OpenTelemetry's API, imported on first use; None when it is not installed."""
    global _api
    if _api is None:
        try:
            from opentelemetry import context, trace
            from opentelemetry.trace.propagation.tracecontext import (
                TraceContextTextMapPropagator,
            )
        except ImportError:
            _api = False
        else:
            defaults = (trace.ProxyTracerProvider, trace.NoOpTracerProvider)
            _api = _Api(trace, context, TraceContextTextMapPropagator(), defaults)
    return _api or None


def tracing_for(provider: TracerChoice = None) -> Tracing | None:
    """The Tracing of ``provider`` (None: the global one); None if off or not installed."""
    if provider is False:
        return None
    api = _load()
    if api is None:
        return None
    from specgen_runtime import __version__

    tracer = api.trace.get_tracer(SCOPE, __version__, tracer_provider=provider)
    return Tracing(api, tracer, follows_global=provider is None)


class _Getter:
    """Reads a header mapping case-insensitively (NATS header names keep their case)."""

    def get(self, carrier: Mapping[str, str], key: str) -> list[str] | None:
        value = carrier.get(key)
        if value is None:
            value = next((v for k, v in carrier.items() if k.lower() == key), None)
        return None if value is None else [value]

    def keys(self, carrier: Mapping[str, str]) -> list[str]:
        return list(carrier)


_GETTER = _Getter()


@dataclass(slots=True)
class PublishTrace:
    """The span of one publish, the attributes to add to the event and the hop headers."""

    span: Span
    added: dict[str, str]
    headers: dict[str, str]

    def message(self, event_id: str, source: str, size: int) -> None:
        """Record the event's id, source and size once they are known."""
        if self.span.is_recording():
            self.span.set_attributes(
                {
                    "messaging.message.id": event_id,
                    "cloudevents.event_id": event_id,
                    "cloudevents.event_source": source,
                    "messaging.message.body.size": size,
                }
            )

    def stored(self, stream: str | None, seq: int | None, duplicate: bool) -> None:
        """Record where JetStream stored the event."""
        if stream is not None and self.span.is_recording():
            self.span.set_attribute("messaging.nats.stream", stream)
            if seq is not None:
                self.span.set_attribute("messaging.nats.stream.sequence", seq)
                self.span.set_attribute("messaging.nats.duplicate", duplicate)


class Tracing:
    """Spans and context propagation on one tracer (see the module docs)."""

    def __init__(self, api: _Api, tracer: Tracer, *, follows_global: bool = False) -> None:
        self.api = api
        self.tracer = tracer
        self._follows_global = follows_global

    @property
    def live(self) -> bool:
        """False while no span can record: the tracer follows the global provider and that
        is still the API's default (no SDK configured yet). Checked on every use, so
        configuring an SDK later takes effect at once."""
        if not self._follows_global:
            return True
        return not isinstance(self.api.trace.get_tracer_provider(), self.api.defaults)

    def inert(self) -> bool:
        """True when tracing could change nothing now: no span records and none is current
        (whose context a publish would pass on)."""
        if self.live:
            return False
        return not self.api.trace.get_current_span().get_span_context().is_valid

    def idle(self, spec: EventSpec, subject: str) -> Consumed:
        """The trace of a received event that carries no context, taken while no span
        records: no receive span; :meth:`Consumed.process` still opens a span."""
        return Consumed(self, spec, subject, None, None, {})

    def carrier(self, span: Span) -> dict[str, str]:
        """``traceparent`` (and a non-empty ``tracestate``) of ``span``; {} if invalid."""
        out: dict[str, str] = {}
        if span.get_span_context().is_valid:
            self.api.propagator.inject(out, context=self.api.trace.set_span_in_context(span))
        return out

    def extract(self, carrier: Mapping[str, str]) -> Context | None:
        """The remote context ``carrier`` holds, or None when it holds no valid one."""
        if not carrier:
            return None
        context = self.api.propagator.extract(carrier, getter=_GETTER)
        if not self.api.trace.get_current_span(context).get_span_context().is_valid:
            return None
        return context  # type: ignore[no-any-return]

    def span_context(self, context: Context | None) -> SpanContext | None:
        if context is None:
            return None
        return self.api.trace.get_current_span(context).get_span_context()  # type: ignore[no-any-return]

    def link(self, context: Context | None) -> list[Link]:
        span_context = self.span_context(context)
        return [] if span_context is None else [self.api.trace.Link(span_context)]

    def attributes(
        self, spec: EventSpec, subject: str, operation: str, kind: str
    ) -> dict[str, Any]:
        return {
            "messaging.system": SYSTEM,
            "messaging.operation.name": operation,
            "messaging.operation.type": kind,
            "messaging.destination.name": subject,
            "messaging.destination.template": spec.subject_template,
            "cloudevents.event_type": spec.type,
        }

    @contextmanager
    def publish(
        self, spec: EventSpec, subject: str, extensions: Mapping[str, str]
    ) -> Iterator[PublishTrace]:
        """The span of publishing one event whose extensions are ``extensions``."""
        origin = self.extract(_origin(extensions)) if TRACEPARENT in extensions else None
        SpanKind = self.api.trace.SpanKind
        kind = SpanKind.PRODUCER if TRACEPARENT not in extensions else SpanKind.CLIENT
        attributes = self.attributes(spec, subject, "publish", "send")
        with self.tracer.start_as_current_span(
            f"publish {spec.subject_template}",
            kind=kind,
            attributes=attributes,
            links=self.link(origin),
        ) as span:
            with _error_type(span):
                hop = self.carrier(span)
                yield PublishTrace(span, {} if TRACEPARENT in extensions else hop, hop)

    @contextmanager
    def batch(self, count_hint: int | None = None) -> Iterator[Span]:
        """The CLIENT span of a pipelined batch; each event gets a :meth:`create` span."""
        attributes: dict[str, Any] = {
            "messaging.system": SYSTEM,
            "messaging.operation.name": "publish",
            "messaging.operation.type": "send",
        }
        if count_hint is not None:
            attributes["messaging.batch.message_count"] = count_hint
        with self.tracer.start_as_current_span(
            "publish", kind=self.api.trace.SpanKind.CLIENT, attributes=attributes
        ) as span:
            with _error_type(span):
                yield span

    def create(
        self, spec: EventSpec, subject: str, extensions: Mapping[str, str], event_id: str
    ) -> tuple[dict[str, str], dict[str, str]]:
        """A PRODUCER span for one event of a batch: ``(attributes to add, hop headers)``.

        An event that carries a creation context already keeps it and gets no span.
        """
        if TRACEPARENT in extensions:
            return {}, self.carrier(self.api.trace.get_current_span())
        span = self.tracer.start_span(
            f"create {spec.subject_template}",
            kind=self.api.trace.SpanKind.PRODUCER,
            attributes={
                **self.attributes(spec, subject, "create", "create"),
                "messaging.message.id": event_id,
                "cloudevents.event_id": event_id,
            },
        )
        span.end()
        hop = self.carrier(span)
        return hop, hop

    def relay(self, subject: str, headers: dict[str, str]) -> Span:
        """A CLIENT publish span of sending a stored message on; ``headers`` get its context.

        Its parent is the context the message was stored with (the hop headers it carries).
        """
        parent = self.extract(headers)
        attributes = {
            "messaging.system": SYSTEM,
            "messaging.operation.name": "publish",
            "messaging.operation.type": "send",
            "messaging.destination.name": subject,
        }
        if "Nats-Msg-Id" in headers:
            attributes["messaging.message.id"] = headers["Nats-Msg-Id"]
        span = self.tracer.start_span(
            f"publish {subject}",
            context=parent,
            kind=self.api.trace.SpanKind.CLIENT,
            attributes=attributes,
        )
        headers.pop(TRACESTATE, None)
        headers.update(self.carrier(span))
        return span

    def finish(
        self, span: Span, stored: tuple[str, int, bool] | None, error: str | None = None
    ) -> None:
        """End a send span: where it was ``stored`` (stream, seq, duplicate), or ``error``."""
        if stored is not None:
            PublishTrace(span, {}, {}).stored(*stored)
        elif error is not None and span.is_recording():
            span.set_attribute("error.type", error)
            span.set_status(self.api.trace.Status(self.api.trace.StatusCode.ERROR, error))
        span.end()

    def consumed(
        self,
        spec: EventSpec,
        subject: str,
        extensions: Mapping[str, str],
        headers: Mapping[str, str],
        consumer: Mapping[str, Any],
        started_ns: int,
    ) -> Consumed:
        """The receive span of one event handed to the caller, and its process spans."""
        origin = self.extract(_origin(extensions)) if TRACEPARENT in extensions else None
        hop = self.extract(headers)
        attributes = {**self.attributes(spec, subject, "receive", "receive"), **consumer}
        links = self.link(origin)
        if hop is not None and self.span_context(hop) != self.span_context(origin):
            links += self.link(hop)
        span = self.tracer.start_span(
            f"receive {spec.subject_template}",
            kind=self.api.trace.SpanKind.CLIENT,
            attributes=attributes,
            links=links,
            start_time=started_ns,
        )
        span.end()
        return Consumed(self, spec, subject, origin, hop, attributes)


@dataclass(frozen=True, slots=True)
class Consumed:
    """The trace contexts of one received event; :meth:`process` opens its process span."""

    tracing: Tracing
    spec: EventSpec
    subject: str
    origin: Context | None
    hop: Context | None
    attributes: Mapping[str, Any]

    @property
    def context(self) -> Context | None:
        """The message's context: the last hop's, else the creation context."""
        return self.hop if self.hop is not None else self.origin

    @contextmanager
    def process(self) -> Iterator[Span]:
        """A CONSUMER span, current inside the block, for handling the event."""
        api = self.tracing.api
        ambient = api.trace.get_current_span().get_span_context().is_valid
        links = self.tracing.link(self.origin)
        parent = None if ambient else self.context
        if (
            ambient
            and self.hop is not None
            and self.tracing.span_context(self.hop) != (self.tracing.span_context(self.origin))
        ):
            links += self.tracing.link(self.hop)
        attributes = {
            **self.attributes,
            "messaging.operation.name": "process",
            "messaging.operation.type": "process",
        }
        with self.tracing.tracer.start_as_current_span(
            f"process {self.spec.subject_template}",
            context=parent,
            kind=api.trace.SpanKind.CONSUMER,
            attributes=attributes,
            links=links,
        ) as span:
            with _error_type(span):
                yield span


def carries_context(extensions: Mapping[str, str], headers: Mapping[str, str]) -> bool:
    """True if a received event has a creation context or its message a hop context."""
    return TRACEPARENT in extensions or any(k.lower() == TRACEPARENT for k in headers)


def _origin(extensions: Mapping[str, str]) -> dict[str, str]:
    out = {TRACEPARENT: extensions[TRACEPARENT]}
    if TRACESTATE in extensions:
        out[TRACESTATE] = extensions[TRACESTATE]
    return out


@contextmanager
def _error_type(span: Span) -> Iterator[None]:
    """Set ``error.type`` (the exception's class) on a span the block fails in."""
    try:
        yield
    except BaseException as exc:
        if span.is_recording():
            span.set_attribute("error.type", type(exc).__qualname__)
        raise


def now_ns() -> int:
    """The wall clock in nanoseconds, as span start times are given."""
    return time.time_ns()
