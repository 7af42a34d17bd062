"""Edge to cloud with faults: a LocalFleet (hub + two sites), generated publishers, the outbox.

Each site process publishes through ``OrdersPublisher(nc, outbox=...)`` with an OutboxRelay
into its site server; sourcing carries the events through UPLOAD to the hub's FLEET stream.
Links are cut, flap, the hub stops, a site server is killed with SIGKILL; in the end FLEET
holds every enqueued event exactly once (counted by Nats-Msg-Id). Sourcing catch-up after a
link outage takes up to ~35 s in NATS itself (its source consumers retry slowly), hence the
long waits.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nats.aio.client import Client
from powerflex_events import OrdersPublisher
from specgen_runtime.fleet.local import LocalFleet
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology
from specgen_runtime.outbox import Outbox
from specgen_runtime.outbox_relay import OutboxRelay, RelayConfig

from tests.offline.helpers import (
    connect_reconnecting,
    duplicates,
    order_created,
    stream_msg_ids,
    wait_for,
)

SITES = ("site-0001", "site-0002")
CATCH_UP = 150.0  # NATS sourcing alone needs up to ~35 s after a link outage; leave headroom
RELAY = RelayConfig(retry_initial=0.02, retry_max=0.5, ack_timeout=2.0, idle_poll=0.2)


@dataclass
class Site:
    """One site's publishing process: client, outbox, relay, and the ids it enqueued."""

    site_id: str
    nc: Client
    outbox: Outbox
    relay: OutboxRelay
    publisher: OrdersPublisher
    enqueued: list[str] = field(default_factory=list)

    async def publish(self, count: int, pause: float = 0.0) -> None:
        for _ in range(count):
            event_id = f"{self.site_id}-{len(self.enqueued)}"
            n = len(self.enqueued)
            await self.publisher.order_created_v1(
                order_created(n), site_id=self.site_id, id=event_id
            )
            self.enqueued.append(event_id)
            if pause:
                await asyncio.sleep(pause)


@asynccontextmanager
async def fleet_with_sites(tmp_path: Path) -> AsyncIterator[tuple[LocalFleet, Client, list[Site]]]:
    async with LocalFleet(tmp_path / "fleet", SITES) as fleet:
        hub = await connect_reconnecting(fleet.hub_url)
        sites: list[Site] = []
        try:
            plan = await make_plan(
                hub, load_topology(package="powerflex_events"), SITES, replicas=1
            )
            result = await apply_plan(hub, plan)
            assert not result.errors, result.errors
            for site_id in SITES:
                nc = await connect_reconnecting(fleet.site_url(site_id))
                outbox = Outbox(tmp_path / f"{site_id}.db")
                relay = await OutboxRelay(
                    outbox, nc, config=RELAY, check_streams=["ORDERS"]
                ).start()
                sites.append(Site(site_id, nc, outbox, relay, OrdersPublisher(nc, outbox=outbox)))
            yield fleet, hub, sites
        finally:
            for site in sites:
                await site.relay.stop()
                await site.outbox.close()
                await site.nc.close()
            await hub.close()


async def assert_all_in_cloud_once(hub: Client, sites: list[Site]) -> None:
    """Wait until FLEET holds every enqueued id; then no id may be there twice."""
    expected = {event_id for site in sites for event_id in site.enqueued}
    for site in sites:
        assert await site.relay.wait_drained(CATCH_UP), site.relay.stats
    js = hub.jetstream()
    deadline = time.monotonic() + CATCH_UP
    while True:
        stored = await stream_msg_ids(js, "FLEET", timeout=30.0)
        if set(stored) >= expected or time.monotonic() >= deadline:
            break
        await asyncio.sleep(1.0)
    assert not set(expected) - set(stored), f"missing in FLEET: {len(expected - set(stored))}"
    twice = duplicates(stored)
    assert not twice, f"{len(twice)} ids stored twice in FLEET, e.g. {sorted(twice)[:5]}"
    assert len(stored) == len(expected)


async def test_link_cut_while_publishing(tmp_path: Path) -> None:
    async with fleet_with_sites(tmp_path) as (fleet, hub, sites):
        await sites[0].publish(50)
        await fleet.cut(SITES[0])
        await asyncio.gather(sites[0].publish(200), sites[1].publish(100))
        fleet.restore(SITES[0])
        await assert_all_in_cloud_once(hub, sites)


async def flapping(tmp_path: Path, seconds: float) -> None:
    rng = random.Random(int(seconds))
    async with fleet_with_sites(tmp_path) as (fleet, hub, sites):
        stop = time.monotonic() + seconds
        publishing = asyncio.gather(
            *(site.publish(int(seconds * 40), pause=0.02) for site in sites)
        )
        try:
            while time.monotonic() < stop:
                await fleet.cut(SITES[0])
                await asyncio.sleep(rng.uniform(0.2, 2.0))
                fleet.restore(SITES[0])
                await asyncio.sleep(rng.uniform(0.2, 2.0))
        finally:
            fleet.restore(SITES[0])
            await publishing
        await assert_all_in_cloud_once(hub, sites)


async def test_link_flapping_15s(tmp_path: Path) -> None:
    await flapping(tmp_path, 15.0)


@pytest.mark.long
async def test_link_flapping_60s(tmp_path: Path) -> None:
    await flapping(tmp_path, 60.0)


async def test_hub_stopped_and_restarted_while_publishing(tmp_path: Path) -> None:
    async with fleet_with_sites(tmp_path) as (fleet, hub, sites):
        await sites[0].publish(50)
        await fleet.stop_hub()
        await asyncio.gather(sites[0].publish(150), sites[1].publish(100))
        await fleet.start_hub()
        await sites[1].publish(50)
        await assert_all_in_cloud_once(hub, sites)


async def test_site_server_killed_and_restarted(tmp_path: Path) -> None:
    """Events enqueued while the site server is dead are relayed after it is back."""
    async with fleet_with_sites(tmp_path) as (fleet, hub, sites):
        site = sites[0]
        publishing = asyncio.create_task(site.publish(400, pause=0.005))
        await asyncio.sleep(0.5)
        await fleet.kill_site(SITES[0])
        before = len(site.enqueued)
        assert await wait_for(lambda: _relay_failing(site.relay), 30.0)
        # enqueue needs no server: events keep being enqueued while it is dead
        assert await wait_for(_enqueued_more(site, before, publishing), 30.0)
        await fleet.start_site(SITES[0])
        await publishing
        await assert_all_in_cloud_once(hub, sites)


def _enqueued_more(
    site: Site, before: int, publishing: asyncio.Task[None]
) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        return len(site.enqueued) > before or publishing.done()

    return check


async def _relay_failing(relay: OutboxRelay) -> bool:
    return relay.stats.failed_rounds > 0
