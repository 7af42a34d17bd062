"""Throughput of the generated publisher against raw nats-py publishes of the same bytes.

Run: ``.venv/bin/python bench/bench_publish.py [--count 5000] [--rounds 7] [--json]``

One local nats-server (file-storage stream ORDERS, recreated before every path). The
generated side does everything a caller pays for; the raw side publishes bytes encoded
beforehand (same subject, headers incl. Nats-Msg-Id and Nats-Expected-Stream, same payload):

- generated pipelined: ``publish_pipelined`` over a generator of events created from payload
  dicts (create validates the data, encode reuses that validation), window 256;
  prebuilt: the same with events built (and validated) beforehand;
  baseline: nats-py ``publish_async`` of the pre-encoded messages, window 256;
- generated sequential: the typed method ``OrdersPublisher.order_created_v1(dict, ...)``
  (validate, build, encode, publish, await the ack); baseline: ``js.publish``, awaited.

Every round runs every path once, in turn; the figures are the median rate of each path and
the median of the per-round ratios (see _common.paired). Prints ratios measured in this run;
asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import time
import timeit
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import nats
from _common import SITE, SUBJECT, order, order_payload, paired, reset_orders, timed
from _table import Row, emit, throughput
from nats.js import JetStreamContext
from powerflex_events import OrdersPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer, encode
from specgen_runtime.codec import create_encoded

WINDOW = 256
Messages = list[tuple[dict[str, str], bytes]]


class Paths:
    """The five paths of one run, each an awaitable of ``count`` (or ``seq_count``) events."""

    def __init__(self, js: JetStreamContext, publisher: OrdersPublisher, count: int) -> None:
        self.js, self.publisher, self.count = js, publisher, count
        self.seq_count = max(count // 5, 500)
        self.payload = order_payload()
        self._tag = iter(range(10**9))

    def events(self, n: int) -> list[tuple[OrderCreatedV1, str]]:
        t = next(self._tag)
        return [
            (OrderCreatedV1.create(order(i, self.payload), id=f"g{t}-{i}", site_id=SITE), SUBJECT)
            for i in range(n)
        ]

    def raw_messages(self, n: int) -> Messages:
        out = []
        for event, _ in self.events(n):
            headers, body = encode(event)
            headers["Nats-Expected-Stream"] = "ORDERS"
            out.append((headers, body))
        return out

    async def gen_pipelined(self) -> None:
        t = next(self._tag)
        stream = (  # built lazily: validating and encoding overlap the server's work
            (OrderCreatedV1.create(order(i, self.payload), id=f"p{t}-{i}", site_id=SITE), SUBJECT)
            for i in range(self.count)
        )
        await self.publisher.publish_pipelined(stream, window=WINDOW)

    async def gen_prebuilt(self, events: list[tuple[OrderCreatedV1, str]]) -> None:
        await self.publisher.publish_pipelined(events, window=WINDOW)

    async def raw_pipelined(self, msgs: Messages) -> None:
        futures = [await self.js.publish_async(SUBJECT, b, headers=h) for h, b in msgs]
        await asyncio.gather(*futures)

    async def gen_sequential(self) -> None:
        t = next(self._tag)
        for i in range(self.seq_count):
            data = order(i, self.payload)
            await self.publisher.order_created_v1(data, site_id=SITE, id=f"s{t}-{i}")

    async def raw_sequential(self, msgs: Messages) -> None:
        for headers, body in msgs:
            await self.js.publish(SUBJECT, body, headers=headers)

    async def round(self, rates: dict[str, list[float]]) -> None:
        runs: dict[str, tuple[int, Callable[[], Awaitable[None]]]] = {}
        msgs, prebuilt = self.raw_messages(self.count), self.events(self.count)
        smsgs = self.raw_messages(self.seq_count)
        runs["rp"] = (self.count, lambda: self.raw_pipelined(msgs))
        runs["gp"] = (self.count, self.gen_pipelined)
        runs["ge"] = (self.count, lambda: self.gen_prebuilt(prebuilt))
        runs["rs"] = (self.seq_count, lambda: self.raw_sequential(smsgs))
        runs["gs"] = (self.seq_count, self.gen_sequential)
        for name, (n, run) in runs.items():
            await reset_orders(self.js)
            rates.setdefault(name, []).append(n / await timed(run))


async def main(count: int, rounds: int, profile: bool) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp)) as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream(publish_async_max_pending=WINDOW)
        paths = Paths(js, OrdersPublisher(nc), count)
        rates: dict[str, list[float]] = {}
        for _ in range(rounds):
            await paths.round(rates)
        if profile:
            await reset_orders(js)
            prof = cProfile.Profile()
            prof.enable()
            await paths.gen_pipelined()
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        await nc.close()
    print(
        f"events: {count} pipelined (window {WINDOW}), {paths.seq_count} sequential, "
        f"{rounds} rounds"
    )
    base = "raw publish_async, pre-encoded"
    rows = [
        _row(
            "generated pipelined publish (create from dict + encode + publish)",
            rates,
            "gp",
            "rp",
            base,
            ">= 1.0",
        ),
        _row("generated pipelined publish, prebuilt events", rates, "ge", "rp", base, ">= 1.5"),
        _row(
            "generated sequential publish (typed method, dict)",
            rates,
            "gs",
            "rs",
            "raw js.publish, awaited",
            ">= 1.0",
        ),
    ]
    for row in rows:
        print(
            f"{row.path:66} {row.value:8.0f} msg/s  vs {row.baseline:8.0f}  ratio {row.ratio:.2f}"
        )
    cpu = _cpu_costs(order_payload())
    print(
        "client CPU per event (µs, best of 5): " + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
    )
    return rows


def _row(
    label: str, rates: dict[str, list[float]], path: str, base: str, base_label: str, aim: str
) -> Row:
    rate, base_rate, ratio = paired(rates, path, base)
    return throughput("publish", label, rate, base_label, base_rate, aim, ratio)


def _cpu_costs(payload: dict[str, Any]) -> dict[str, float]:
    """Microseconds of this process's CPU per event for the steps the raw side does not do."""
    data = order(1, payload)
    event = OrderCreatedV1.create(data, site_id=SITE)
    params = {"site_id": SITE}

    def best(func: Any) -> float:
        runs = timeit.repeat(func, number=2000, repeat=5, timer=time.process_time)
        return min(runs) / 2000 * 1e6

    return {
        "create from a dict": best(lambda: OrderCreatedV1.create(data, **params)),
        "encode a prebuilt event": best(lambda: encode(event)),
        "create+encode (publish_new)": best(lambda: create_encoded(OrderCreatedV1, data, params)),
    }


def _args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument(
        "--profile", action="store_true", help="profile one generated pipelined run"
    )
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    return parser.parse_args()


if __name__ == "__main__":
    args = _args()
    rows = asyncio.run(main(args.count, args.rounds, args.profile))
    if args.json:
        emit(rows)
