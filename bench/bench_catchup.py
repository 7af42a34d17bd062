"""Sourcing catch-up after a link outage: NATS alone, a nudge by hand, and `fleet watch`.

Run: ``.venv/bin/python bench/bench_catchup.py [--outage 15] [--events 200] [--rounds 3]``

A LocalFleet (hub + one site, credentials on), provisioned from
``powerflex_events.topology()``. Each round cuts the site's link, publishes ``--events``
events at the site during an ``--outage`` second outage, restores the link and measures the
time until the hub's FLEET stream holds them all.

* ``plain``: wait for NATS to recover by itself (source health check every 10 s; a consumer
  create request sent while the link is down waits 30 s for its reply before retrying).
* ``nudged``: what `specgen fleet catch-up` does, run as soon as the hub reaches the site's
  JetStream again: the site's source is renewed (dropped and re-added unchanged).
* ``watched``: a `fleet watch` Watcher runs at the hub the whole time; nobody does anything.

Rounds of the three modes alternate, each on a fresh fleet; the median of each is printed
with its ratio to ``plain`` (measured in the same run), and FLEET duplicates after every
round (by Nats-Msg-Id; must be 0). Outages shorter than the server's ~10 s source health
check often recover at once by themselves: the slow case needs a longer outage (default
15 s). Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
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
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.catchup import renew_source
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.local import LocalFleet
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology
from specgen_runtime.fleet.watch import Watcher, watch_clients

SITE = "site-0001"
MODES = ("plain", "nudged", "watched")


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
    fleet: LocalFleet, hub: Client, site_nc: Client, tag: str, args: Any, mode: str
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
    if mode == "nudged":
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


@contextlib.asynccontextmanager
async def watching(fleet: LocalFleet, auth: FleetAuth, topology: Any, enabled: bool) -> Any:
    if not enabled:
        yield
        return
    nc, sys_nc = await watch_clients(fleet.hub_urls, auth.operator_creds(), auth.system_creds())
    watcher = Watcher(nc, sys_nc, topology, system_account=auth.system_account)
    task = asyncio.create_task(watcher.run())
    await asyncio.sleep(0.5)
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await nc.close()
        if sys_nc is not None:
            await sys_nc.close()


async def measure(mode: str, tag: str, args: Any, topology: Any) -> tuple[float, int]:
    """One round of ``mode`` on a fleet of its own (rounds must not inherit each other's state:
    a source renewed in an earlier round recovers differently)."""
    with tempfile.TemporaryDirectory() as tmp:
        auth = FleetAuth.init(Path(tmp) / "auth", topology)
        auth.issue_site(SITE)
        async with LocalFleet(Path(tmp) / "fleet", [SITE], auth=auth) as fleet:
            hub = await fleet.hub_client()
            site_nc = await nats.connect(fleet.site_url(SITE), max_reconnect_attempts=-1,
                                         user_credentials=str(auth.creds(SITE)))  # fmt: skip
            try:
                result = await apply_plan(hub, await make_plan(hub, topology, [SITE], replicas=1))
                if result.errors:
                    sys.exit(f"provisioning failed: {result.errors}")
                async with watching(fleet, auth, topology, mode == "watched"):
                    return await one_round(fleet, hub, site_nc, tag, args, mode)
            finally:
                await site_nc.close()
                await hub.close()


async def main(args: Any) -> None:
    topology = load_topology(package="powerflex_events")
    figures: dict[str, list[float]] = {mode: [] for mode in MODES}
    for r in range(args.rounds):
        for mode in MODES:
            elapsed, dups = await measure(mode, f"{mode}{r}", args, topology)
            figures[mode].append(elapsed)
            print(f"round {r} {mode:7}: caught up {elapsed:6.2f} s after restore, "
                  f"FLEET duplicates {dups}", flush=True)  # fmt: skip
    plain = statistics.median(figures["plain"])
    print(f"catch-up after a {args.outage:g} s outage, {args.events} events, "
          f"median of {args.rounds} rounds (a fresh fleet each):")  # fmt: skip
    for mode, values in figures.items():
        median = statistics.median(values)
        shown = ", ".join(f"{v:.2f}" for v in values)
        print(f"  {mode:7} {median:6.2f} s  ({plain / median:6.1f}x faster than plain)   [{shown}]")


def _args() -> Any:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--outage", type=float, default=15.0)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(_args()))
