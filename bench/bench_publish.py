"""Throughput of the generated publisher against raw nats-py publishes of the same bytes.

Run: ``.venv/bin/python bench/bench_publish.py [--count 20000] [--rounds 3]``

One local nats-server (file-storage stream ORDERS). For each path the generated side does
everything a caller pays for: validate the payload dict into the model, build the event, encode
it, publish. The raw side publishes pre-encoded bytes (same subject, headers incl. Nats-Msg-Id
and Nats-Expected-Stream, same payload). Rounds alternate sides; the best round of each counts.
Prints ratios measured in this run; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import tempfile
import timeit
from pathlib import Path
from typing import Any

import nats
from _common import SITE, SUBJECT, order, order_payload, reset_orders, timed
from _table import Row, emit, throughput
from powerflex_events import OrdersPublisher
from powerflex_events.events import OrderCreatedV1
from specgen_runtime import NatsServer, encode

WINDOW = 256


async def main(count: int, rounds: int, profile: bool) -> list[Row]:
    payload = order_payload()
    with tempfile.TemporaryDirectory() as tmp, NatsServer("bench", Path(tmp)) as server:
        nc = await nats.connect(server.url)
        js = nc.jetstream(publish_async_max_pending=WINDOW)
        publisher = OrdersPublisher(nc)
        seq_count = max(count // 5, 1000)
        tag = iter(range(10**9))

        def events(n: int) -> list[tuple[OrderCreatedV1, str]]:
            t = next(tag)
            return [
                (OrderCreatedV1.create(order(i, payload), id=f"g{t}-{i}", site_id=SITE), SUBJECT)
                for i in range(n)
            ]

        def raw_messages(n: int) -> list[tuple[dict[str, str], bytes]]:
            t = next(tag)
            out = []
            for event, _ in events(n):
                headers, body = encode(event)
                headers["Nats-Msg-Id"] = f"r{t}-{event.id}"
                out.append((headers, body))
            return out

        async def gen_pipelined() -> None:
            t = next(tag)
            stream = (  # built lazily: validating and encoding overlap the server's work
                (OrderCreatedV1.create(order(i, payload), id=f"g{t}-{i}", site_id=SITE), SUBJECT)
                for i in range(count)
            )
            await publisher.publish_pipelined(stream, window=WINDOW)

        prebuilt: list[tuple[OrderCreatedV1, str]] = []

        async def gen_prebuilt() -> None:
            await publisher.publish_pipelined(prebuilt, window=WINDOW)

        async def gen_sequential() -> None:
            for i in range(seq_count):
                await publisher.order_created_v1(
                    order(i, payload), site_id=SITE, id=f"s{next(tag)}"
                )

        results: dict[str, list[float]] = {k: [] for k in ("gp", "ge", "rp", "gs", "rs")}
        for _ in range(rounds):
            await reset_orders(js)
            results["gp"].append(count / await timed(gen_pipelined))
            prebuilt[:] = events(count)
            await reset_orders(js)
            results["ge"].append(count / await timed(gen_prebuilt))
            msgs = raw_messages(count)

            async def raw_pipelined(msgs: list[tuple[dict[str, str], bytes]] = msgs) -> None:
                futures = [
                    await js.publish_async(
                        SUBJECT, body, headers=dict(h, **{"Nats-Expected-Stream": "ORDERS"})
                    )
                    for h, body in msgs
                ]
                await asyncio.gather(*futures)

            await reset_orders(js)
            results["rp"].append(count / await timed(raw_pipelined))
            await reset_orders(js)
            results["gs"].append(seq_count / await timed(gen_sequential))
            smsgs = raw_messages(seq_count)

            async def raw_sequential(smsgs: list[tuple[dict[str, str], bytes]] = smsgs) -> None:
                for h, body in smsgs:
                    await js.publish(SUBJECT, body, stream="ORDERS", headers=h)

            await reset_orders(js)
            results["rs"].append(seq_count / await timed(raw_sequential))
        best = {k: max(v) for k, v in results.items()}
        print(
            f"events: {count} pipelined (window {WINDOW}), {seq_count} sequential; best of {rounds}"
        )
        rp = best["rp"]
        print(f"raw publish_async    {rp:9.0f} msg/s   (pre-encoded bytes)")
        print(
            f"generated pipelined  {best['gp']:9.0f} msg/s   ratio {best['gp'] / rp:.2f}"
            "  (validate dict + build event + encode + publish)"
        )
        print(
            f"  prebuilt events    {best['ge']:9.0f} msg/s   ratio {best['ge'] / rp:.2f}"
            "  (encode + publish; events built and validated beforehand)"
        )
        print(
            f"generated sequential {best['gs']:9.0f} msg/s   (validate + build + encode + publish)"
        )
        print(f"raw js.publish       {best['rs']:9.0f} msg/s   ratio {best['gs'] / best['rs']:.2f}")
        cpu = _cpu_costs(payload)
        print(
            "client CPU per event (µs, best of 5): "
            + ", ".join(f"{k} {v:.1f}" for k, v in cpu.items())
        )
        if profile:
            await reset_orders(js)
            prof = cProfile.Profile()
            prof.enable()
            await gen_pipelined()
            prof.disable()
            pstats.Stats(prof).sort_stats("tottime").print_stats(15)
        await nc.close()
    return [
        throughput(
            "publish",
            "generated pipelined publish (validate+build+encode+publish)",
            best["gp"],
            "raw publish_async, pre-encoded",
            rp,
            ">= 1.0",
        ),
        throughput(
            "publish",
            "generated pipelined publish, prebuilt events",
            best["ge"],
            "raw publish_async, pre-encoded",
            rp,
            ">= 1.5",
        ),
        throughput(
            "publish",
            "generated sequential publish",
            best["gs"],
            "raw js.publish",
            best["rs"],
            ">= 1.0",
        ),
    ]


def _cpu_costs(payload: dict[str, Any]) -> dict[str, float]:
    """Microseconds of client CPU per event for the steps the raw side does not do."""
    data = order(1, payload)
    event = OrderCreatedV1.create(data, site_id=SITE)

    def best(func: Any) -> float:
        return min(timeit.repeat(func, number=2000, repeat=5)) / 2000 * 1e6

    return {
        "validate payload": best(lambda: order(1, payload)),
        "build event": best(lambda: OrderCreatedV1.create(data, site_id=SITE)),
        "encode": best(lambda: encode(event, validate=False)),
    }


def _args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=3)
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
