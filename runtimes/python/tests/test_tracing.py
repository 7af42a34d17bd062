"""Trace context and spans of the Python publisher and subscriber, on a real nats-server.

The origin travels in the CloudEvents ``traceparent`` attribute (set once), each hop in the
``traceparent`` NATS header; spans follow the OpenTelemetry messaging conventions. Spans are
read back from the SDK's in-memory exporter; a provider per test, never the global one.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path

import pytest
from nats.aio.client import Client
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, get_current_span
from sample_events import OrderCreatedV1, add_order_streams, order
from specgen_runtime import EventPublisher, Mode, Outbox, OutboxRelay, decode, subscribe

SITE = "site-0001"
SUBJECT = OrderCreatedV1.SPEC.subject_for(site_id=SITE)
TEMPLATE = OrderCreatedV1.SPEC.subject_template


@pytest.fixture
def exporter() -> InMemorySpanExporter:
    return InMemorySpanExporter()


@pytest.fixture
def provider(exporter: InMemorySpanExporter) -> TracerProvider:
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


def traceparent(span: ReadableSpan) -> str:
    context = span.get_span_context()
    assert context is not None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def only(spans: Sequence[ReadableSpan], name: str) -> ReadableSpan:
    found = [s for s in spans if s.name == name]
    assert len(found) == 1, [s.name for s in spans]
    return found[0]


async def _raw(nc: Client, count: int = 1) -> list[tuple[dict[str, str], bytes]]:
    js = nc.jetstream()
    sub = await js.pull_subscribe(SUBJECT, stream="ORDERS")
    msgs = await sub.fetch(count, timeout=5)
    await sub.unsubscribe()
    return [(dict(m.headers or {}), m.data) for m in msgs]


@pytest.mark.parametrize("mode", [Mode.STRUCTURED, Mode.BINARY])
async def test_publish_sets_origin_once_and_hop_header(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter, mode: Mode
) -> None:
    await add_order_streams(nc.jetstream())
    async with EventPublisher(nc, mode=mode, tracer_provider=provider) as publisher:
        await publisher.publish_new(OrderCreatedV1, order(), {"site_id": SITE}, id="e-1")
    span = only(exporter.get_finished_spans(), f"publish {TEMPLATE}")
    assert span.kind is SpanKind.PRODUCER
    attributes = dict(span.attributes or {})
    assert attributes["messaging.system"] == "nats"
    assert attributes["messaging.operation.type"] == "send"
    assert attributes["messaging.destination.name"] == SUBJECT
    assert attributes["messaging.message.id"] == "e-1"
    assert attributes["messaging.nats.stream"] == "ORDERS"
    [(headers, payload)] = await _raw(nc)
    event = decode(OrderCreatedV1, headers, payload)
    assert event.extensions["traceparent"] == traceparent(span)  # origin = creation context
    assert headers["traceparent"] == traceparent(span)  # first hop: the same
    if mode is Mode.STRUCTURED:
        assert json.loads(payload)["traceparent"] == traceparent(span)
    else:
        assert headers["ce-traceparent"] == traceparent(span)


async def test_a_given_origin_is_never_rewritten(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    await add_order_streams(nc.jetstream())
    origin = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01"
    event = OrderCreatedV1.create(
        order(), id="e-2", site_id=SITE, extensions={"traceparent": origin, "tracestate": "a=1"}
    )
    async with EventPublisher(nc, tracer_provider=provider) as publisher:
        await publisher.publish(event, SUBJECT)
    span = only(exporter.get_finished_spans(), f"publish {TEMPLATE}")
    assert span.kind is SpanKind.CLIENT  # not the creation context: it only sends
    assert [f"{link.context.trace_id:032x}" for link in span.links] == [origin.split("-")[1]]
    [(headers, payload)] = await _raw(nc)
    stored = decode(OrderCreatedV1, headers, payload)
    assert stored.extensions == {"traceparent": origin, "tracestate": "a=1"}
    assert headers["traceparent"] == traceparent(span)


async def test_consumer_spans_continue_the_producer_trace(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    await add_order_streams(nc.jetstream())
    tracer = provider.get_tracer("app")
    async with EventPublisher(nc, tracer_provider=provider) as publisher:
        with tracer.start_as_current_span("checkout"):
            await publisher.publish_new(OrderCreatedV1, order(), {"site_id": SITE}, id="e-3")
    sub = subscribe(nc, OrderCreatedV1, durable="billing", tracer_provider=provider)
    async with sub:
        received = await sub.next(timeout=5)
        with received.process() as span:
            assert span is not None
            with tracer.start_as_current_span("bill"):
                pass
        await received.ack()
    spans = exporter.get_finished_spans()
    checkout, publish = only(spans, "checkout"), only(spans, f"publish {TEMPLATE}")
    receive, process = only(spans, f"receive {TEMPLATE}"), only(spans, f"process {TEMPLATE}")
    bill = only(spans, "bill")
    assert len({s.context.trace_id for s in (checkout, publish, process, bill)}) == 1
    assert publish.parent is not None and publish.parent.span_id == checkout.context.span_id
    assert process.parent is not None and process.parent.span_id == publish.context.span_id
    assert bill.parent is not None and bill.parent.span_id == process.context.span_id
    assert process.kind is SpanKind.CONSUMER and receive.kind is SpanKind.CLIENT
    assert [link.context.span_id for link in receive.links] == [publish.context.span_id]
    assert [link.context.span_id for link in process.links] == [publish.context.span_id]
    attributes = dict(process.attributes or {})
    assert attributes["messaging.operation.type"] == "process"
    assert attributes["messaging.consumer.group.name"] == "billing"
    assert attributes["messaging.nats.message.delivery_count"] == 1
    assert publish.start_time is not None and process.start_time is not None
    assert publish.start_time <= process.start_time


async def test_processing_inside_a_span_keeps_it_as_parent(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    await add_order_streams(nc.jetstream())
    async with EventPublisher(nc, tracer_provider=provider) as publisher:
        await publisher.publish_new(OrderCreatedV1, order(), {"site_id": SITE}, id="e-4")
    tracer = provider.get_tracer("app")
    async with subscribe(nc, OrderCreatedV1, tracer_provider=provider) as sub:
        with tracer.start_as_current_span("worker loop"):
            received = await sub.next(timeout=5)
            with received.process():
                pass
    spans = exporter.get_finished_spans()
    loop, publish = only(spans, "worker loop"), only(spans, f"publish {TEMPLATE}")
    process = only(spans, f"process {TEMPLATE}")
    assert process.parent is not None and process.parent.span_id == loop.context.span_id
    assert [link.context.span_id for link in process.links] == [publish.context.span_id]


async def test_pipelined_batch_has_one_create_span_per_event(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    await add_order_streams(nc.jetstream())
    events = [OrderCreatedV1.create(order(f"o-{i}"), id=f"p-{i}", site_id=SITE) for i in range(3)]
    async with EventPublisher(nc, tracer_provider=provider) as publisher:
        await publisher.publish_pipelined((e, SUBJECT) for e in events)
    spans = exporter.get_finished_spans()
    batch = only(spans, "publish")
    creates = [s for s in spans if s.name == f"create {TEMPLATE}"]
    assert batch.kind is SpanKind.CLIENT
    assert dict(batch.attributes or {})["messaging.batch.message_count"] == 3
    assert len(creates) == 3 and {s.kind for s in creates} == {SpanKind.PRODUCER}
    assert [dict(s.attributes or {})["messaging.message.id"] for s in creates] == [
        e.id for e in events
    ]
    assert {s.parent.span_id for s in creates if s.parent} == {batch.context.span_id}
    stored = await _raw(nc, 3)
    origins = [decode(OrderCreatedV1, h, p).extensions["traceparent"] for h, p in stored]
    assert origins == [traceparent(s) for s in creates]
    assert [h["traceparent"] for h, _ in stored] == origins


async def test_without_an_sdk_messages_are_untouched(nc: Client) -> None:
    """opentelemetry-api alone (no SDK configured): no context, the same bytes as untraced."""
    await add_order_streams(nc.jetstream())
    event = OrderCreatedV1.create(order(), id="e-5", site_id=SITE)
    for tracer_provider, event_id in ((None, "e-5"), (False, "e-6")):
        async with EventPublisher(nc, tracer_provider=tracer_provider) as publisher:
            await publisher.publish(event.model_copy(update={"id": event_id}), SUBJECT)
    (global_headers, global_payload), (off_headers, off_payload) = await _raw(nc, 2)
    assert global_headers == {**off_headers, "Nats-Msg-Id": "e-5"}
    assert global_payload == off_payload.replace(b'"e-6"', b'"e-5"')
    assert b"traceparent" not in global_payload and "traceparent" not in global_headers


async def test_without_an_sdk_a_received_context_is_still_read(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter
) -> None:
    """A subscriber on the global provider, none configured: no spans, contexts still read."""
    await add_order_streams(nc.jetstream())
    for tracer_provider in (provider, False):
        async with EventPublisher(nc, tracer_provider=tracer_provider) as publisher:
            await publisher.publish(OrderCreatedV1.create(order(), site_id=SITE), SUBJECT)
    async with subscribe(nc, OrderCreatedV1, tracer_provider=None) as sub:
        traced, plain = [await sub.next(timeout=5) for _ in range(2)]
    assert traced.trace_context is not None and plain.trace_context is None
    context = get_current_span(traced.trace_context).get_span_context()
    assert traceparent(only(exporter.get_finished_spans(), f"publish {TEMPLATE}")) == (
        f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"
    )
    for received in (traced, plain):
        with received.process() as span:  # usable as with an SDK; records nothing
            assert span is not None and not span.is_recording()


def test_an_sdk_configured_later_takes_effect() -> None:
    """Publishers and subscribers made before the global provider is set trace after it."""
    script = textwrap.dedent(
        """
        from opentelemetry import trace
        from opentelemetry.sdk.trace import TracerProvider
        from specgen_runtime.tracing import tracing_for
        tracing = tracing_for()
        assert tracing is not None and not tracing.live and tracing.inert()
        trace.set_tracer_provider(TracerProvider())
        assert tracing.live and not tracing.inert()
        """
    )
    subprocess.run([sys.executable, "-c", script], check=True)


def test_without_opentelemetry_nothing_is_imported(tmp_path: Path) -> None:
    """With opentelemetry unimportable the runtime encodes, publishes no context, imports none."""
    script = textwrap.dedent(
        """
        import sys
        class Refuse:
            def find_spec(self, name, path=None, target=None):
                if name == "opentelemetry" or name.startswith("opentelemetry."):
                    raise ImportError("opentelemetry is not installed")
        sys.meta_path.insert(0, Refuse())
        sys.path.insert(0, sys.argv[1])
        from sample_events import OrderCreatedV1, order
        from specgen_runtime import tracing
        from specgen_runtime.codec import encode
        assert tracing.tracing_for() is None
        headers, payload = encode(OrderCreatedV1.create(order(), site_id="site-0001"))
        assert b"traceparent" not in payload and "traceparent" not in headers
        print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
        """
    )
    tests = Path(__file__).parent
    out = subprocess.run(
        [sys.executable, "-c", script, str(tests)], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


async def test_outbox_relay_is_a_hop(
    nc: Client, provider: TracerProvider, exporter: InMemorySpanExporter, tmp_path: Path
) -> None:
    """Enqueue (the creation context), relay (a hop: new header, origin kept), process."""
    await add_order_streams(nc.jetstream())
    async with Outbox(tmp_path / "outbox.db") as outbox:
        publisher = EventPublisher(nc, outbox=outbox, tracer_provider=provider)
        await publisher.publish_new(OrderCreatedV1, order(), {"site_id": SITE}, id="e-7")
        async with OutboxRelay(outbox, nc, tracer_provider=provider) as relay:
            assert await relay.wait_drained(10)
    async with subscribe(nc, OrderCreatedV1, tracer_provider=provider) as sub:
        received = await sub.next(timeout=5)
        with received.process():
            pass
    spans = exporter.get_finished_spans()
    origin = only(spans, f"publish {TEMPLATE}")
    hop = only(spans, f"publish {SUBJECT}")
    process = only(spans, f"process {TEMPLATE}")
    assert hop.kind is SpanKind.CLIENT
    assert hop.parent is not None and hop.parent.span_id == origin.context.span_id
    assert process.parent is not None and process.parent.span_id == hop.context.span_id
    assert [link.context.span_id for link in process.links] == [origin.context.span_id]
    assert received.event.extensions["traceparent"] == traceparent(origin)
    assert received.headers["traceparent"] == traceparent(hop)
    assert dict(hop.attributes or {})["messaging.nats.stream"] == "ORDERS"
