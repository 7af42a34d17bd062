"""Sites and the hub as 3-server clusters: a member dies, acknowledged events still arrive once.

Each test starts real processes: 3 site servers and 1 or 3 hub servers on loopback. The
publisher retries every event with the same id until acknowledged (the caller's side of
exactly-once); the cloud stream must then hold every acknowledged event exactly once.

A ``fleet watch`` Watcher runs during the CI variants: it renews the site's source when a
stream leader moves, so the cloud catches up in seconds. The ``long`` variants leave it to
the servers alone (their own retry: up to ~40 s).
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.render import render_apply
from specgen_runtime.fleet.topology import Topology
from specgen_runtime.fleet.watch import Watcher, watch_clients

from tests.fleet.kit import (
    publish_until_acked,
    site_client,
    stream_ids,
    wait_messages,
)

SITE = "site-0001"
EVENTS = 240
STREAM = "SITE_OPERATIONS"


async def _commission(fleet: LocalFleet, topo: Topology, hub_replicas: int) -> None:
    nc = await fleet.hub_client()
    try:
        plan = await make_plan(nc, topo, [SITE], hub_replicas=hub_replicas, timeout=15.0)
        result = await apply_plan(nc, plan, timeout=15.0)  # R3 creates on a busy machine
        assert result.ok, render_apply(result)
        info = await JsApi(nc, domain=SITE, target=SITE).stream_info(STREAM)
        assert info is not None and info["config"]["num_replicas"] == 3
    finally:
        await nc.close()


async def _assert_cloud_holds_exactly(fleet: LocalFleet, acked: list[str]) -> None:
    nc = await fleet.hub_client()
    try:
        cloud = JsApi(nc, domain=None, target="hub")
        assert await wait_messages(cloud, "FLEET", len(acked)) == len(acked)
        site = JsApi(nc, domain=SITE, target=SITE)
        # asked again while a stopped hub server's leaf links move to another member
        assert await wait_messages(site, STREAM, len(acked), timeout=30) == len(acked)
        ids = await stream_ids(nc, "FLEET")
        assert len(ids) == len(set(ids)) == len(acked)
        assert set(ids) == set(acked)
    finally:
        await nc.close()


@contextlib.asynccontextmanager
async def _watching(fleet: LocalFleet, topo: Topology, enabled: bool) -> AsyncIterator[None]:
    if not enabled:
        yield
        return
    nc, _ = await watch_clients(fleet.hub_urls, None, None)
    task = asyncio.create_task(Watcher(nc, None, topo, sweep=2.0).run())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await nc.close()


KILLS = [
    pytest.param("follower", True, id="follower"),
    pytest.param("leader", True, id="leader-watched"),
    pytest.param("leader", False, id="leader-servers-alone", marks=pytest.mark.long),
]


@pytest.mark.parametrize(("victim", "watched"), KILLS)
async def test_site_server_sigkilled_while_publishing(
    tmp_path: Path, topo: Topology, victim: str, watched: bool
) -> None:
    ids = [str(uuid.uuid4()) for _ in range(EVENTS)]
    async with LocalFleet(tmp_path / "fleet", [SITE], site_servers=3) as fleet:
        await _commission(fleet, topo, hub_replicas=1)
        leader = await fleet.stream_leader(SITE, STREAM)
        index = leader if victim == "leader" else (leader + 1) % 3
        nc = await site_client(fleet.site_urls(SITE))

        async def kill() -> None:
            await fleet.kill_server(SITE, index)

        async def restart() -> None:
            await fleet.start_server(SITE, index)

        async with _watching(fleet, topo, watched):
            try:
                acked, failures = await publish_until_acked(
                    nc, SITE, ids, at={EVENTS // 3: kill, 2 * EVENTS // 3: restart}
                )
            finally:
                await nc.close()
            assert acked == ids
            print(f"{victim} killed: {len(acked)} acknowledged, {failures} attempts retried")
            await _assert_cloud_holds_exactly(fleet, acked)


@pytest.mark.parametrize(
    "watched", [True, pytest.param(False, id="servers-alone", marks=pytest.mark.long)]
)
async def test_hub_server_stops_and_sourcing_goes_on(
    tmp_path: Path, topo: Topology, watched: bool
) -> None:
    ids = [str(uuid.uuid4()) for _ in range(EVENTS // 2)]
    async with LocalFleet(tmp_path / "fleet", [SITE], site_servers=3, hub_servers=3) as fleet:
        await _commission(fleet, topo, hub_replicas=3)
        nc = await fleet.hub_client()
        try:
            info = await JsApi(nc, domain=None, target="hub").stream_info("FLEET")
            assert info is not None
            leader = info["cluster"]["leader"]
        finally:
            await nc.close()
        names = [server.name for server in fleet.hub_servers]
        async with _watching(fleet, topo, watched):
            await fleet.stop_hub_server(names.index(leader))  # the cloud stream's leader
            site = await site_client(fleet.site_urls(SITE))
            try:
                acked, _ = await publish_until_acked(site, SITE, ids)
            finally:
                await site.close()
            await _assert_cloud_holds_exactly(fleet, acked)


async def test_r3_on_a_single_server_site_is_a_clear_error(tmp_path: Path, topo: Topology) -> None:
    async with LocalFleet(tmp_path / "fleet", [SITE]) as fleet:
        nc = await fleet.hub_client()
        try:
            result = await apply_plan(nc, await make_plan(nc, topo, [SITE], hub_replicas=1))
        finally:
            await nc.close()
    (error,) = result.errors
    assert error.target == SITE
    assert "stream ORDERS wants 3 replicas" in error.message
    assert "fewer than 3 servers" in error.message and "--replicas 1" in error.message


async def test_r3_on_a_two_server_site_is_a_clear_error_after_the_settle_time(
    tmp_path: Path, topo: Topology
) -> None:
    """A clustered site smaller than the replicas is told apart from one still forming only by
    waiting: ``settle`` seconds of retries (a member that has not joined yet), then the error."""
    async with LocalFleet(tmp_path / "fleet", [SITE], site_servers=2) as fleet:
        nc = await fleet.hub_client()
        try:
            plan = await make_plan(nc, topo, [SITE], hub_replicas=1, timeout=15.0)
            result = await apply_plan(nc, plan, timeout=15.0, settle=1.0)
        finally:
            await nc.close()
    (error,) = result.errors
    assert error.target == SITE
    assert "wants 3 replicas" in error.message and "fewer than 3 servers" in error.message
