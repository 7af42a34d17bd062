"""Renewing a site's cloud source after an outage loses nothing and duplicates nothing."""

from __future__ import annotations

import asyncio
import time
import uuid

from nats.aio.client import Client
from powerflex_events import SiteOperationsPublisher
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.catchup import catch_up, renew_source
from specgen_runtime.fleet.health import SiteState, fleet_health
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology

from tests.fleet.conftest import SITES
from tests.fleet.test_site_isolation import _messages, _status

CATCH_UP_TIMEOUT = 90.0  # NATS alone may take 25-40 s; the bound only keeps a hang finite


async def _publish(fleet: LocalFleet, site: str, ids: list[str]) -> None:
    nc = await connect(fleet.site_url(site))
    try:
        publisher = SiteOperationsPublisher(nc)
        for i, event_id in enumerate(ids):
            await publisher.charger_status_changed_v1(_status(i), site_id=site, id=event_id)
    finally:
        await nc.close()


async def _fleet_ids(hub: Client) -> list[str]:
    js = hub.jetstream()
    sub = await js.pull_subscribe("pf.>", stream="FLEET")
    ids: list[str] = []
    try:
        total = (await js.stream_info("FLEET")).state.messages
        while len(ids) < total:
            for msg in await sub.fetch(min(100, total - len(ids)), timeout=5.0):
                ids.append((msg.headers or {})["Nats-Msg-Id"])
                await msg.ack()
    finally:
        await sub.unsubscribe()
    return ids


async def test_renewed_source_resumes_exactly(
    fleet: LocalFleet, hub: Client, topo: Topology
) -> None:
    assert (await apply_plan(hub, await make_plan(hub, topo, SITES, replicas=1))).ok
    site = SITES[1]
    cloud = JsApi(hub, domain=None, target="hub")
    before = [str(uuid.uuid4()) for _ in range(5)]
    await _publish(fleet, site, before)
    await fleet.cut(site)
    during = [str(uuid.uuid4()) for _ in range(20)]
    await _publish(fleet, site, during)  # stored at the site while its link is down
    fleet.restore(site)
    await fleet.wait_linked(site, timeout=30.0)
    await renew_source(cloud, "FLEET", site)
    after = [str(uuid.uuid4()) for _ in range(5)]
    await _publish(fleet, site, after)
    want = len(before) + len(during) + len(after)
    deadline = time.monotonic() + CATCH_UP_TIMEOUT
    while await _messages(cloud, "FLEET") < want and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    await asyncio.sleep(1.0)  # a stray copy would show up now (none expected)
    ids = await _fleet_ids(hub)
    assert sorted(ids) == sorted(before + during + after)


async def test_catch_up_leaves_healthy_and_unreachable_sites_alone(
    fleet: LocalFleet, hub: Client, topo: Topology
) -> None:
    assert (await apply_plan(hub, await make_plan(hub, topo, SITES, replicas=1))).ok
    deadline = time.monotonic() + 30.0
    while time.monotonic() < deadline:
        states = {h.state for h in await fleet_health(hub, topo, stale_after=60.0)}
        if states == {SiteState.OK}:
            break
        await asyncio.sleep(0.2)
    assert await catch_up(hub, topo, stale_after=60.0) == []
    await fleet.cut(SITES[0])
    assert SITES[0] not in await catch_up(hub, topo, stale_after=0.0, timeout=1.0)
