"""Sites and the hub as 3-server clusters: a member dies, acknowledged events still arrive once.

Each test starts real processes: 3 site servers and 1 or 3 hub servers on loopback. The
publisher retries every event with the same id until acknowledged (the caller's side of
exactly-once); the cloud stream must then hold every acknowledged event exactly once.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.render import render_apply
from specgen_runtime.fleet.topology import Topology

from tests.fleet.kit import (
    publish_until_acked,
    site_client,
    stream_ids,
    stream_messages,
    wait_messages,
)

SITE = "site-0001"
EVENTS = 240
STREAM = "SITE_OPERATIONS"


async def _commission(fleet: LocalFleet, topo: Topology, hub_replicas: int) -> None:
    nc = await fleet.hub_client()
    try:
        plan = await make_plan(nc, topo, [SITE], hub_replicas=hub_replicas)
        result = await apply_plan(nc, plan)
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
        assert await stream_messages(site, STREAM) == len(acked)
        ids = await stream_ids(nc, "FLEET")
        assert len(ids) == len(set(ids)) == len(acked)
        assert set(ids) == set(acked)
    finally:
        await nc.close()


@pytest.mark.parametrize("victim", ["follower", "leader"])
async def test_site_server_sigkilled_while_publishing(
    tmp_path: Path, topo: Topology, victim: str
) -> None:
    ids = [str(uuid.uuid4()) for _ in range(EVENTS)]
    async with LocalFleet(tmp_path / "fleet", [SITE], site_servers=3) as fleet:
        await _commission(fleet, topo, hub_replicas=1)
        leader = await fleet.stream_leader(SITE, STREAM)
        index = leader if victim == "leader" else (leader + 1) % 3
        nc = await site_client(fleet.site_urls(SITE))
        try:

            async def kill() -> None:
                await fleet.kill_server(SITE, index)

            async def restart() -> None:
                await fleet.start_server(SITE, index)

            acked, failures = await publish_until_acked(
                nc, SITE, ids, at={EVENTS // 3: kill, 2 * EVENTS // 3: restart}
            )
        finally:
            await nc.close()
        assert acked == ids
        print(f"{victim} killed: {len(acked)} acknowledged, {failures} attempts retried")
        await _assert_cloud_holds_exactly(fleet, acked)


async def test_hub_server_stops_and_sourcing_goes_on(tmp_path: Path, topo: Topology) -> None:
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
