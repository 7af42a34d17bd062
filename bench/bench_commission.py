"""Commissioning time: hub-side configuration for many sites, site-side for real sites.

    .venv/bin/python bench/bench_commission.py [--sites 100] [--real-sites 10]

Starts a LocalFleet (one hub and ``--real-sites`` site servers, each a leaf node through its
proxy), then times with replicas 1:

* hub side: plan + apply the cloud stream(s) sourcing ``--sites`` sites' UPLOAD (sites beyond
  the real ones exist only as sources), and the no-change plan of the same;
* site side: plan + apply the streams of every real site through the hub (``$JS.<site>.API``
  over the leaf links, ``--concurrency`` sites at a time), and the no-change plan of all real
  sites plus the hub.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from nats.aio.client import Client
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.provision import Action, apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology, load_topology


def _line(label: str, seconds: float, detail: str = "") -> None:
    print(f"{label:<48} {seconds * 1000:>9.1f} ms  {detail}")


async def bench(sites: int, real: int, concurrency: int) -> None:
    topo = load_topology(package="powerflex_events")
    all_sites = [f"site-{n:04d}" for n in range(1, sites + 1)]
    with tempfile.TemporaryDirectory(prefix="bench-commission-") as tmp:
        started = time.perf_counter()
        async with LocalFleet(Path(tmp), all_sites[:real]) as fleet:
            _line(f"start hub + {real} sites (linked)", time.perf_counter() - started)
            hub = await connect(fleet.hub_url)
            try:
                await _hub_side(hub, topo, all_sites)
                await _site_side(hub, topo, all_sites[:real], concurrency)
            finally:
                await hub.close()


async def _hub_side(hub: Client, topo: Topology, sites: list[str]) -> None:
    t = time.perf_counter()
    plan = await make_plan(hub, topo, sites, replicas=1, include_sites=False)
    result = await apply_plan(hub, plan)
    assert result.ok, result.errors
    _line(f"hub side: commission {len(sites)} sites", time.perf_counter() - t, plan.summary())
    t = time.perf_counter()
    again = await make_plan(hub, topo, sites, replicas=1, include_sites=False)
    assert not again.drift
    _line(f"hub side: no-change plan, {len(sites)} sites", time.perf_counter() - t)
    api = JsApi(hub, domain=None, target="hub")
    info = await api.stream_info("FLEET")
    assert info is not None and len(info["config"]["sources"]) == len(sites)
    await api.request("STREAM.DELETE.FLEET")
    t = time.perf_counter()
    for site in sites:  # `specgen site apply SITE` once per site: FLEET grows by one source
        step = await make_plan(hub, topo, [site], replicas=1, include_sites=False)
        assert (await apply_plan(hub, step)).ok
    _line(f"hub side: add {len(sites)} sites one at a time", time.perf_counter() - t)


async def _site_side(hub: Client, topo: Topology, sites: list[str], concurrency: int) -> None:
    t = time.perf_counter()
    plan = await make_plan(hub, topo, sites, replicas=1, concurrency=concurrency)
    result = await apply_plan(hub, plan, concurrency=concurrency)
    assert result.ok, result.errors
    created = plan.count(Action.CREATE)
    _line(
        f"site side: commission {len(sites)} real sites",
        time.perf_counter() - t,
        f"{created} streams created",
    )
    t = time.perf_counter()
    again = await make_plan(hub, topo, sites, replicas=1, concurrency=concurrency)
    assert not again.drift, again.summary()
    _line(
        f"no-change plan, {len(sites)} real sites + hub", time.perf_counter() - t, again.summary()
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sites", type=int, default=100)
    parser.add_argument("--real-sites", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=16)
    args = parser.parse_args()
    asyncio.run(bench(args.sites, min(args.real_sites, args.sites), args.concurrency))


if __name__ == "__main__":
    main()
