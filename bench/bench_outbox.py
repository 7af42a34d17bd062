"""Durable outbox throughput: enqueue (fsync'd SQLite commits) and relay drain vs raw publish.

Run: ``.venv/bin/python bench/bench_outbox.py [--count 20000] [--rounds 3]``

Raw baseline: nats-py ``publish_async`` (window 256) of the same pre-encoded bytes to the same
one-server ORDERS stream. Enqueue paths (events prebuilt, so encoding is included but not
validation): ``publish_pipelined`` with an outbox (one transaction per batch of ``--batch``),
many concurrent single publishes (group commit), and strictly sequential single publishes (one
fsync each). Drain: the relay publishing a full outbox and deleting the acknowledged rows.
Prints the median rates and the median per-round ratios of this run (see _common.paired);
asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
from pathlib import Path
from typing import Any

import nats
from _common import SITE, SUBJECT, order, order_payload, paired, reset_orders, timed
from _table import Row, emit, throughput
from powerflex_events import OrdersPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer, encode
from specgen_runtime.outbox import Outbox
from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig

WINDOW = 256


async def main(count: int, rounds: int, batch: int) -> list[Row]:
    payload = order_payload()
    data = [order(i, payload) for i in range(count)]
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp) / "nats") as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream(publish_async_max_pending=WINDOW)
        rates: dict[str, list[float]] = {}

        def keep(name: str, value: float) -> None:
            rates.setdefault(name, []).append(value)

        for r in range(rounds):
            events = [
                (OrderCreatedV1.create(d, id=f"{r}-{i}", site_id=SITE), SUBJECT)
                for i, d in enumerate(data)
            ]
            raw = []
            for event, _ in events:
                headers, body = encode(event)
                headers["Nats-Msg-Id"] = "raw-" + event.id
                headers["Nats-Expected-Stream"] = "ORDERS"
                raw.append((headers, body))

            async def raw_publish(msgs: list[tuple[dict[str, str], bytes]] = raw) -> None:
                futures = [await js.publish_async(SUBJECT, b, headers=h) for h, b in msgs]
                await asyncio.gather(*futures)

            await reset_orders(js)
            keep("raw", count / await timed(raw_publish))

            db = Path(tmp) / f"outbox-{r}.db"
            async with Outbox(db) as outbox:
                publisher = OrdersPublisher(nc, outbox=outbox)

                async def batched(evs: list[Any] = events, pub: Any = publisher) -> None:
                    for start in range(0, len(evs), batch):
                        await pub.publish_pipelined(evs[start : start + batch])

                keep("enqueue batched", count / await timed(batched))

                async def concurrent(evs: list[Any] = events, pub: Any = publisher) -> None:
                    for start in range(0, len(evs), 1000):
                        await asyncio.gather(
                            *(pub.publisher.publish(e, s) for e, s in evs[start : start + 1000])
                        )

                keep("enqueue concurrent", count / await timed(concurrent))
                few = events[: min(500, count)]

                async def sequential(evs: list[Any] = few, pub: Any = publisher) -> None:
                    for e, s in evs:
                        await pub.publisher.publish(e, s)

                keep("enqueue sequential", len(few) / await timed(sequential))
                pending = (await outbox.backlog()).pending
                # 2 * count + 500 rows, but only `count` distinct ids: the drain stores `count`
                # and gets duplicate acks for the rest, so time the first copy only.
                await outbox.delete(list(range(count + 1, pending + 1)))
                await reset_orders(js)
                relay = OutboxRelay(outbox, nc, config=RelayConfig(window=WINDOW, batch=2048))

                async def drain(relay: OutboxRelay = relay) -> None:
                    async with relay:
                        assert await relay.wait_drained(300.0)

                keep("drain", count / await timed(drain))

        print(f"events: {count}, enqueue batch {batch}, window {WINDOW}; {rounds} rounds")
        print(f"raw publish_async     {statistics.median(rates['raw']):9.0f} msg/s")
        figures = {}
        for name in ("enqueue batched", "enqueue concurrent", "enqueue sequential", "drain"):
            figures[name] = rate, raw_rate, ratio = paired(rates, name, "raw")
            print(f"{name:21} {rate:9.0f} msg/s   ratio {ratio:.2f}")
        await nc.close()
    base = "raw publish_async, pre-encoded"
    enqueue, drain = figures["enqueue batched"], figures["drain"]
    return [
        throughput(
            "outbox",
            f"outbox enqueue, batches of {batch}",
            enqueue[0],
            base,
            enqueue[1],
            ">= 0.9",
            enqueue[2],
        ),
        throughput("outbox", "outbox relay drain", drain[0], base, drain[1], ">= 0.9", drain[2]),
    ]


def _args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--json", action="store_true", help="end with the rows for run_all.py")
    return parser.parse_args()


if __name__ == "__main__":
    args = _args()
    rows = asyncio.run(main(args.count, args.rounds, args.batch))
    if args.json:
        emit(rows)
