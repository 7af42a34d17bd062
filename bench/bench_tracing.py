"""What tracing costs a publish: the generated publisher traced, untraced and in between.

Run: ``.venv/bin/python bench/bench_tracing.py [--count 5000] [--rounds 7] [--json]``

One local nats-server (file-storage stream ORDERS, recreated before every path). The same
generated ``OrdersPublisher`` publishes the same events three ways, each round in turn:

- off: ``tracer_provider=False`` (what an application without opentelemetry-api gets: the
  runtime never imports it);
- API only: opentelemetry-api installed, no SDK configured (the global provider is the API's
  default), the publisher left at its default: the runtime sees that no span can record;
- on: an SDK ``TracerProvider`` with a ``SimpleSpanProcessor`` into an
  ``InMemorySpanExporter`` (every span recorded and exported; the exporter is cleared between
  runs), each event published inside an application span so the context is passed on.

Paths: sequential (the typed method, one awaited ack per event) and pipelined
(``publish_pipelined`` of events created from dicts, window 256). The figures are the median
rate of each path and the median of the per-round ratios against "off" (see
_common.paired), so > 1 would mean faster than off; the overhead is 1 - ratio. Prints what it
measured; asserts only that the traced paths recorded spans (else it measured nothing).
"""

from __future__ import annotations

import tempfile
import time
import timeit
from collections.abc import Awaitable, Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import nats
from _common import SITE, SUBJECT, order, order_payload, paired, reset_orders, timed
from _table import Row, run_rounds, throughput
from nats.js import JetStreamContext
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from powerflex_events import OrdersPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer, encode
from specgen_runtime.tracing import tracing_for

WINDOW = 256


class Paths:
    """One publisher per tracing choice, and the two ways to publish with each."""

    def __init__(self, nc: Any, js: JetStreamContext, count: int) -> None:
        self.js, self.count = js, count
        self.seq_count = max(count // 5, 500)
        self.payload = order_payload()
        self.exporter = InMemorySpanExporter()
        provider = TracerProvider()
        provider.add_span_processor(SimpleSpanProcessor(self.exporter))
        self.provider = provider
        self.app = provider.get_tracer("bench-app")
        self.publishers = {
            "off": OrdersPublisher(nc, tracer_provider=False),
            "api": OrdersPublisher(nc),
            "on": OrdersPublisher(nc, tracer_provider=provider),
        }
        self._tag = iter(range(10**9))

    def _span(self, choice: str) -> AbstractContextManager[Any]:
        return self.app.start_as_current_span("app") if choice == "on" else nullcontext()

    async def sequential(self, choice: str) -> None:
        t, publisher = next(self._tag), self.publishers[choice]
        for i in range(self.seq_count):
            with self._span(choice):
                await publisher.order_created_v1(
                    order(i, self.payload), site_id=SITE, id=f"s{t}-{i}"
                )

    async def pipelined(self, choice: str) -> None:
        t, publisher = next(self._tag), self.publishers[choice]
        stream = (
            (OrderCreatedV1.create(order(i, self.payload), id=f"p{t}-{i}", site_id=SITE), SUBJECT)
            for i in range(self.count)
        )
        with self._span(choice):
            await publisher.publisher.publish_pipelined(stream, window=WINDOW)

    async def round(self, rates: dict[str, list[float]], index: int) -> None:
        """Every path once; the order turns by one each round, so no choice always runs
        first (or right after the stream was recreated by the same kind of path)."""
        runs: list[tuple[str, int, Callable[[], Awaitable[None]]]] = []
        for choice in self.publishers:
            runs.append((f"s-{choice}", self.seq_count, lambda c=choice: self.sequential(c)))
            runs.append((f"p-{choice}", self.count, lambda c=choice: self.pipelined(c)))
        turn = index % len(runs)
        for name, n, run in runs[turn:] + runs[:turn]:
            await reset_orders(self.js)
            self.exporter.clear()
            rates.setdefault(name, []).append(n / await timed(run))
            recorded = bool(self.exporter.get_finished_spans())
            assert recorded == name.endswith("-on"), f"{name}: spans recorded: {recorded}"


def _row(label: str, rates: dict[str, list[float]], path: str, base: str, aim: str) -> Row:
    rate, base_rate, ratio = paired(rates, path, base)
    row = throughput("tracing", label, rate, "the same, tracing off", base_rate, aim, ratio)
    extra = (1 / ratio - 1) / base_rate * 1e6  # the time per event the ratio adds to "off"
    return Row(**{**row.__dict__, "note": f"overhead {1 - ratio:.0%}, {extra:+.0f} µs/event"})


async def main(count: int, rounds: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp)) as server:
        nc = await nats.connect(server.url)
        paths = Paths(nc, nc.jetstream(), count)
        rates: dict[str, list[float]] = {}
        for index in range(rounds):
            await paths.round(rates, index)
        for publisher in paths.publishers.values():
            await publisher.publisher.close()
        await nc.close()
    print(f"events: {count} pipelined (window {WINDOW}), {paths.seq_count} sequential, "
          f"{rounds} rounds")  # fmt: skip
    rows = [
        _row("sequential publish, traced (SDK, spans recorded)", rates, "s-on", "s-off", ""),
        _row("pipelined publish, traced (SDK, spans recorded)", rates, "p-on", "p-off", ""),
        _row("sequential publish, opentelemetry-api without an SDK", rates, "s-api", "s-off",
             ">= 0.95"),
        _row("pipelined publish, opentelemetry-api without an SDK", rates, "p-api", "p-off",
             ">= 0.95"),
    ]  # fmt: skip
    rows.append(_cpu_row(paths))
    for row in rows[:-1]:
        print(f"{row.path:56} {row.value:8.0f} msg/s vs {row.baseline:8.0f} off  "
              f"ratio {row.ratio:.2f}  ({row.note})")  # fmt: skip
    return rows


def _cpu_row(paths: Paths) -> Row:
    """Process CPU per event of what tracing adds in the client, free of network and load:
    a ``create`` span (SDK, exported to memory), its context injected and written into the
    event, against encoding the same event untraced."""
    tracing = tracing_for(paths.provider)
    assert tracing is not None
    event = OrderCreatedV1.create(order(1, paths.payload), site_id=SITE)
    spec = OrderCreatedV1.SPEC

    def traced() -> None:
        added, hop = tracing.create(spec, SUBJECT, event.extensions, event.id)
        encode(event, added=added)[0].update(hop)

    def best(func: Callable[[], object]) -> float:
        runs = timeit.repeat(func, number=2000, repeat=5, timer=time.process_time)
        return min(runs) / 2000 * 1e6

    with paths.app.start_as_current_span("app"):
        on, off = best(traced), best(lambda: encode(event))
    paths.exporter.clear()
    print(f"client CPU per event (µs, best of 5): traced encode {on:.1f}, untraced {off:.1f}")
    return Row("tracing", "client CPU per event: create span + context + encode", on, "µs",
               "encode alone", off, off / on, "", f"+{on - off:.0f} µs CPU")  # fmt: skip


if __name__ == "__main__":
    run_rounds(main, __doc__, count=5000, rounds=7)
