"""``specgen demo``: a hub and two sites on this machine, commissioned, one link cut and restored.

Events are published through a GENERATED event package (its spec examples, see
``demo_events``; imported when the demo runs: the runtime itself never depends on generated
code) at both sites. While site B's
link is cut its events stay in its own streams; after ``restore`` sourcing catches up by
itself and the demo prints what arrived where and how long catch-up took. Everything runs in
a temporary folder that is removed at the end, also on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from nats.aio.client import Client

from specgen_runtime.fleet.demo_events import DemoEvents
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.local import LocalFleet
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology

__all__ = ["DemoReport", "run_demo"]

SITES = ("site-0001", "site-0002")
Out = Callable[[str], None]


@dataclass(frozen=True)
class DemoReport:
    expected_per_site: int
    cloud: dict[str, Counter[str]]  # site -> domain -> events in the cloud stream
    catch_up_seconds: float


async def _cloud_counts(api: JsApi, stream: str, events: DemoEvents) -> dict[str, Counter[str]]:
    """site -> domain -> message count in the cloud stream."""
    info = await api.request(f"STREAM.INFO.{stream}", {"subjects_filter": ">"})
    subjects = (info.get("state") or {}).get("subjects") or {}
    return events.count_subjects(subjects, SITES)


async def _wait_cloud(
    api: JsApi, stream: str, events: DemoEvents, site: str, want: int, timeout: float
) -> dict[str, Counter[str]]:
    deadline = time.monotonic() + timeout
    while True:
        counts = await _cloud_counts(api, stream, events)
        if sum(counts.get(site, Counter()).values()) >= want:
            return counts
        if time.monotonic() >= deadline:
            raise FleetError(
                f"{stream} holds {sum(counts.get(site, Counter()).values())} of {want} events "
                f"of {site} after {timeout}s"
            )
        await asyncio.sleep(0.25)


async def _site_counts(hub: Client, site: str, domains: tuple[str, ...]) -> Counter[str]:
    """domain -> events stored in the site's own stream, plus the site's UPLOAD total."""
    api = JsApi(hub, domain=site, target=site, timeout=5.0)
    counts: Counter[str] = Counter()
    for name in (*(d.upper() for d in domains), "UPLOAD"):
        info = await api.stream_info(name)
        counts[name.lower()] = int(((info or {}).get("state") or {}).get("messages", 0))
    return counts


def _table(counts: dict[str, Counter[str]], stream: str, domains: tuple[str, ...]) -> list[str]:
    lines = [f"  {stream:<10} " + " ".join(f"{d:>16}" for d in domains) + f" {'total':>7}"]
    for site in SITES:
        row = counts.get(site, Counter())
        cells = " ".join(f"{row.get(d, 0):>16}" for d in domains)
        lines.append(f"  {site:<10} {cells} {sum(row.values()):>7}")
    return lines


async def _scenario(
    fleet: LocalFleet,
    hub: Client,
    out: Out,
    package: str,
    per_domain: int,
    outage: float,
    timeout: float,
) -> DemoReport:
    topo = load_topology(package=package)
    events = DemoEvents.load(package, topo)
    plan = await make_plan(hub, topo, SITES, replicas=1)
    result = await apply_plan(hub, plan)
    if not result.ok:
        raise FleetError("; ".join(e.message for e in result.errors))
    cloud = topo.cloud_stream_names[0]
    out(f"commissioned {len(SITES)} sites and the hub: {len(result.applied)} streams created")
    api = JsApi(hub, domain=None, target="hub", timeout=5.0)
    a, b = SITES
    round_size = per_domain * len(events.domains)
    clients = {site: await connect(fleet.site_url(site)) for site in SITES}
    try:
        for site in SITES:
            await events.publish_round(clients[site], site, per_domain)
        for site in SITES:
            await _wait_cloud(api, cloud, events, site, round_size, timeout)
        out(f"round 1: {round_size} events per site published; all arrived in {cloud}")
        await fleet.cut(b)
        out(f"link of {b} CUT for {outage:g}s")
        cut_at = time.monotonic()
        for site in SITES:
            await events.publish_round(clients[site], site, per_domain)
        await asyncio.sleep(max(0.0, outage - (time.monotonic() - cut_at)))
        counts = await _wait_cloud(api, cloud, events, a, 2 * round_size, timeout)
        held = sum(counts.get(b, Counter()).values())
        out(f"round 2 published at both sites: {cloud} has {2 * round_size} of {a}, {held} of {b}")
        fleet.restore(b)
        started = time.monotonic()
        out(f"link of {b} RESTORED; waiting for catch-up")
        counts = await _wait_cloud(api, cloud, events, b, 2 * round_size, timeout)
        catch_up = time.monotonic() - started
    finally:
        for client in clients.values():
            await client.close()
    out(f"catch-up took {catch_up:.1f}s")
    out("stored at the sites (each site's own streams, then its UPLOAD):")
    for site in SITES:
        local = await _site_counts(hub, site, events.domains)
        out(f"  {site:<10} " + " ".join(f"{k}={v}" for k, v in local.items()))
    out(f"arrived in the cloud stream {cloud} (per site and domain):")
    for line in _table(counts, cloud, events.domains):
        out(line)
    return DemoReport(2 * round_size, counts, catch_up)


async def run_demo(
    package: str,
    *,
    per_domain: int = 5,
    outage: float = 3.0,
    out: Out = print,
    timeout: float = 45.0,
    root: Path | None = None,
) -> DemoReport:
    """Run the demo in ``root`` (default: a temporary folder removed afterwards)."""
    with tempfile.TemporaryDirectory(prefix="specgen-demo-", dir=root) as tmp:
        out(f"starting a hub and {len(SITES)} sites under {tmp}")
        async with LocalFleet(Path(tmp), SITES) as fleet:
            hub = await connect(fleet.hub_url)
            try:
                report = await _scenario(fleet, hub, out, package, per_domain, outage, timeout)
            finally:
                await hub.close()
        out("stopped all servers")
    return report
