"""Sourcing health per site: OK when flowing, UNREACHABLE when the link is cut, and back."""

from __future__ import annotations

import asyncio
import time

from nats.aio.client import Client
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.health import SiteHealth, SiteState, fleet_health
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology

from tests.fleet.conftest import SITES

TIMEOUT = 15.0


async def _until(
    hub: Client, topo: Topology, site: str, state: SiteState, **options: object
) -> SiteHealth:
    deadline = time.monotonic() + TIMEOUT
    while True:
        (row,) = await fleet_health(hub, topo, [site], timeout=1.0, **options)  # type: ignore[arg-type]
        if row.state is state or time.monotonic() >= deadline:
            return row
        await asyncio.sleep(0.2)


async def test_health_follows_the_link(fleet: LocalFleet, hub: Client, topo: Topology) -> None:
    assert (await apply_plan(hub, await make_plan(hub, topo, SITES, replicas=1))).ok
    rows = await fleet_health(hub, topo)  # default: every site the cloud sources
    assert [r.site for r in rows] == list(SITES)
    assert (await _until(hub, topo, SITES[1], SiteState.OK)).state is SiteState.OK
    await fleet.cut(SITES[1])
    cut = await _until(hub, topo, SITES[1], SiteState.UNREACHABLE)
    assert cut.state is SiteState.UNREACHABLE
    assert (await _until(hub, topo, SITES[0], SiteState.OK)).state is SiteState.OK
    fleet.restore(SITES[1])
    await fleet.wait_linked(SITES[1])
    back = await _until(hub, topo, SITES[1], SiteState.OK, backlog=lambda site: 7)
    assert back.state is SiteState.OK and back.backlog == 7
    assert back.upload_messages == 0 and back.lag == 0


async def test_uncommissioned_site_is_an_error(
    fleet: LocalFleet, hub: Client, topo: Topology
) -> None:
    plan = await make_plan(hub, topo, [SITES[0]], replicas=1)
    assert (await apply_plan(hub, plan)).ok
    (row,) = await fleet_health(hub, topo, [SITES[1]])
    assert row.state is SiteState.ERROR
    assert any("does not source" in r for r in row.reasons)
