"""Subscriber throughput: generated fetch+decode+validate+ack vs raw nats-py pull fetch+ack.

Run: ``.venv/bin/python bench/bench_subscribe.py [--count 20000] [--rounds 3] [--json]``

One local nats-server; the ORDERS stream is filled once with ``--count`` order_created
events (generated encoding). Each round reads all of them twice, on fresh consumers of the
same stored messages, alternating sides:

- raw: ``js.pull_subscribe_bind`` on a pull consumer (explicit ack), ``fetch(batch)`` until
  every message was read, ``await msg.ack()`` for each (plain ack, as nats-py users write it);
- generated: ``OrdersSubscriber(nc).order_created_v1(durable=..., batch=...)``, iterated as an
  async iterator: every message decoded and validated into an ``OrderCreatedV1`` event,
  ``await received.ack()`` for each.

Both sides use the same batch size and the same consumer configuration. Figures: the median
rate of each side and the median of the per-round ratios (see _common.paired); asserts
nothing.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import nats
from _common import SITE, SUBJECT, order, order_payload, paired, reset_orders, timed
from _table import Row, run_rounds, throughput
from nats.js import JetStreamContext
from nats.js.api import AckPolicy, ConsumerConfig
from powerflex_events import OrdersPublisher, OrdersSubscriber
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer

BATCH = 256


async def _fill(publisher: OrdersPublisher, count: int) -> None:
    payload = order_payload()
    events = (
        (OrderCreatedV1.create(order(i, payload), id=f"sub-{i}", site_id=SITE), SUBJECT)
        for i in range(count)
    )
    await publisher.publish_pipelined(events, window=256)


async def _raw(js: JetStreamContext, name: str, count: int) -> None:
    await js.add_consumer(
        "ORDERS", ConsumerConfig(durable_name=name, ack_policy=AckPolicy.EXPLICIT)
    )
    psub = await js.pull_subscribe_bind(consumer=name, stream="ORDERS")
    read = 0
    while read < count:
        for msg in await psub.fetch(min(BATCH, count - read), timeout=5.0):
            await msg.ack()
            read += 1
    await psub.unsubscribe()


async def _generated(subscriber: OrdersSubscriber, name: str, count: int) -> None:
    read = 0
    async with subscriber.order_created_v1(site_id=SITE, durable=name, batch=BATCH) as sub:
        async for received in sub:
            await received.ack()
            read += 1
            if read == count:
                break


async def main(count: int, rounds: int) -> list[Row]:
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp)) as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream()
        await reset_orders(js)
        await _fill(OrdersPublisher(nc), count)
        subscriber = OrdersSubscriber(nc)
        rates: dict[str, list[float]] = {"raw": [], "generated": []}
        for r in range(rounds):
            rates["raw"].append(count / await timed(lambda r=r: _raw(js, f"raw{r}", count)))
            gen = count / await timed(lambda r=r: _generated(subscriber, f"gen{r}", count))
            rates["generated"].append(gen)
        await nc.close()
    rate, raw_rate, ratio = paired(rates, "generated", "raw")
    print(f"events: {count} stored, fetch batch {BATCH}; {rounds} rounds")
    print(f"raw pull fetch+ack            {raw_rate:9.0f} msg/s")
    print(f"generated fetch+decode+ack    {rate:9.0f} msg/s   ratio {ratio:.2f}")
    return [
        throughput(
            "subscribe",
            "generated subscriber fetch+decode+validate+ack",
            rate,
            "raw nats-py pull fetch+ack",
            raw_rate,
            ">= 0.8",
            ratio,
        )
    ]


if __name__ == "__main__":
    run_rounds(main, __doc__, count=5000, rounds=7)
