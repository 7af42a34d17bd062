"""Sourcing catch-up after a link outage: NATS alone vs. a nudge by the runtime.

Run: ``.venv/bin/python bench/bench_catchup.py [--outage 15] [--events 500] [--rounds 2]``

A LocalFleet (hub + one site), provisioned from ``powerflex_events.topology()``. Each round
cuts the site's link, publishes ``--events`` events at the site during an ``--outage`` second
outage, restores the link and measures the time until the hub's FLEET stream holds them all.

* ``plain``: wait for NATS to recover by itself (source health check every 10 s; a consumer
  create request sent while the link is down waits 30 s for its reply before retrying).
* ``nudge``: as soon as the hub reaches the site's JetStream domain again, update FLEET twice:
  without the site's source, then with it again. A re-added source resumes exactly after the
  last message FLEET holds from it (the server scans its ``Nats-Stream-Source`` headers, as on
  a restart), and the create request goes out within ~0.2 s.

Also reports FLEET duplicates (by Nats-Msg-Id) after each round. Prints figures; asserts
nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

import nats
from _common import order, order_payload
from nats.aio.client import Client
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from powerflex_events import OrdersPublisher
from specgen_runtime.fleet.catchup import renew_source
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.local import LocalFleet
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology

SITE = "site-0001"


async def fleet_ids(hub: Client) -> list[str]:
    js = hub.jetstream()
    total = (await js.stream_info("FLEET")).state.messages
    config = ConsumerConfig(ack_policy=AckPolicy.NONE, deliver_policy=DeliverPolicy.ALL)
    sub = await js.pull_subscribe("", stream="FLEET", config=config)
    ids: list[str] = []
    try:
        while len(ids) < total:
            for msg in await sub.fetch(min(500, total - len(ids)), timeout=5.0):
                ids.append((msg.headers or {}).get("Nats-Msg-Id", ""))
    finally:
        await sub.unsubscribe()
    return ids


async def one_round(
    fleet: LocalFleet, hub: Client, site_nc: Client, tag: str, args: Any, nudge: bool
) -> tuple[float, int]:
    js = hub.jetstream()
    before = (await js.stream_info("FLEET")).state.messages
    publisher = OrdersPublisher(site_nc)
    payload = order_payload()
    await fleet.cut(SITE)
    deadline = time.monotonic() + args.outage
    for i in range(args.events):
        await publisher.order_created_v1(order(i, payload), site_id=SITE, id=f"{tag}-{i}")
    await asyncio.sleep(max(0.0, deadline - time.monotonic()))
    fleet.restore(SITE)
    restored = time.monotonic()
    if nudge:
        await fleet.wait_linked(SITE, timeout=30.0)
        await renew_source(JsApi(hub, domain=None, target="hub"), "FLEET", SITE)
    target = before + args.events
    while (await js.stream_info("FLEET")).state.messages < target:
        if time.monotonic() - restored > 180:
            raise TimeoutError("FLEET did not catch up within 180 s")
        await asyncio.sleep(0.05)
    elapsed = time.monotonic() - restored
    dups = sum(n - 1 for n in Counter(await fleet_ids(hub)).values() if n > 1)
    return elapsed, dups


async def main(args: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with LocalFleet(Path(tmp), [SITE]) as fleet:
            hub = await nats.connect(fleet.hub_url, max_reconnect_attempts=-1)
            site_nc = await nats.connect(fleet.site_url(SITE), max_reconnect_attempts=-1)
            topology = load_topology(package="powerflex_events")
            result = await apply_plan(hub, await make_plan(hub, topology, [SITE], replicas=1))
            if result.errors:
                sys.exit(f"provisioning failed: {result.errors}")
            figures: dict[str, list[float]] = {"plain": [], "nudge": []}
            for r in range(args.rounds):
                for mode in ("plain", "nudge"):
                    elapsed, dups = await one_round(
                        fleet, hub, site_nc, f"{mode}{r}", args, mode == "nudge"
                    )
                    figures[mode].append(elapsed)
                    print(
                        f"round {r} {mode:5}: caught up {elapsed:6.2f} s after restore, "
                        f"FLEET duplicates {dups}"
                    )
            # A create request the server sent while the link was down may still be pending
            # (it waits 30 s for a reply): check that nothing goes wrong once it expires.
            await asyncio.sleep(35.0)
            publisher = OrdersPublisher(site_nc)
            payload = order_payload()
            for i in range(100):
                await publisher.order_created_v1(order(i, payload), site_id=SITE, id=f"late-{i}")
            start = time.monotonic()
            want = args.rounds * 2 * args.events + 100
            while (await hub.jetstream().stream_info("FLEET")).state.messages < want:
                if time.monotonic() - start > 120:
                    break
                await asyncio.sleep(0.05)
            ids = await fleet_ids(hub)
            dups = sum(n - 1 for n in Counter(ids).values() if n > 1)
            print(
                f"35 s after the last nudge: 100 more events arrived in "
                f"{time.monotonic() - start:.2f} s; FLEET {len(ids)} msgs (want {want}), "
                f"duplicates {dups}"
            )
            for mode, values in figures.items():
                shown = ", ".join(f"{v:.2f}" for v in values)
                print(f"{mode:5}: catch-up after a {args.outage:g} s outage: {shown} s")
            await site_nc.close()
            await hub.close()


def _args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outage", type=float, default=15.0)
    parser.add_argument("--events", type=int, default=500)
    parser.add_argument("--rounds", type=int, default=2)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(_args()))
