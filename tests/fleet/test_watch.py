"""`fleet watch` renews a site's source when its link is back: nothing lost, nothing twice.

The watchers run while links are cut and restored (and while the hub restarts); every
event published at a site must then be in the cloud stream exactly once.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.catchup import finish_renewals
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.topology import Topology
from specgen_runtime.fleet.watch import Watcher, watch_clients

from tests.fleet.conftest import A, B
from tests.fleet.kit import publish_at, stream_ids, wait_messages

QUIET = 1.0


@asynccontextmanager
async def running_watcher(fleet: LocalFleet, auth: FleetAuth, topo: Topology,
                          lines: list[str]) -> AsyncIterator[Watcher]:  # fmt: skip
    nc, sys_nc = await watch_clients(fleet.hub_urls, auth.operator_creds(), auth.system_creds())
    watcher = Watcher(nc, sys_nc, topo, system_account=auth.system_account, out=lines.append)
    task = asyncio.create_task(watcher.run())
    await asyncio.sleep(0.5)  # subscribed
    try:
        yield watcher
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await nc.close()
        assert sys_nc is not None
        await sys_nc.close()


async def _outage(fleet: LocalFleet, auth: FleetAuth, site: str) -> list[str]:
    """Events before, during and after a cut of ``site``'s link."""
    sent = await publish_at(fleet, auth, site, 5)
    await fleet.cut(site)
    sent += await publish_at(fleet, auth, site, 20)
    await asyncio.sleep(0.5)
    fleet.restore(site)
    return sent + await publish_at(fleet, auth, site, 5)


async def _cloud_holds_exactly(fleet: LocalFleet, want: list[str]) -> None:
    hub = await fleet.hub_client()
    try:
        cloud = JsApi(hub, domain=None, target="hub")
        assert await wait_messages(cloud, "FLEET", len(want), timeout=60) == len(want)
        await asyncio.sleep(QUIET)  # a duplicate would show up now
        ids = await stream_ids(hub, "FLEET")
        assert sorted(ids) == sorted(want)
    finally:
        await hub.close()


async def test_watchers_renew_on_reconnect_twice_and_across_a_hub_restart(
    secure: LocalFleet, auth: FleetAuth, topo: Topology
) -> None:
    first: list[str] = []
    second: list[str] = []
    async with running_watcher(secure, auth, topo, first) as one, \
            running_watcher(secure, auth, topo, second):  # fmt: skip
        sent = await _outage(secure, auth, B)
        await _cloud_holds_exactly(secure, sent)
        assert any(site == B and why == "leaf link back" for _, site, why in one.renewals), first
        await secure.restart_hub()  # the watchers reconnect by themselves
        await secure.wait_linked(A, timeout=30)
        await secure.wait_linked(B, timeout=30)
        sent += await _outage(secure, auth, A)
        sent += await publish_at(secure, auth, B, 5)
        await _cloud_holds_exactly(secure, sent)
        assert any(site == A for _, site, _ in one.renewals[1:]), first


async def test_a_renewal_left_half_way_is_finished(
    secure: LocalFleet, auth: FleetAuth, topo: Topology
) -> None:
    hub = await secure.hub_client()
    try:
        api = JsApi(hub, domain=None, target="hub")
        sent = await publish_at(secure, auth, B, 5)
        info = await api.stream_info("FLEET")
        assert info is not None
        config = info["config"]
        mine = [s for s in config["sources"] if s["external"]["api"] == f"$JS.{B}.API"]
        # what a renewer killed after its first update leaves behind
        keep = [s for s in config["sources"] if s not in mine]
        note = {f"_specgen.renew.{B}": json.dumps(mine)}
        await api.update_stream({**config, "sources": keep, "metadata": note})
        lines: list[str] = []
        async with running_watcher(secure, auth, topo, lines):
            assert f"{B}: finished a renewal left half-way" in lines
            restored = await api.stream_info("FLEET")
            assert restored is not None
            assert sorted(s["external"]["api"] for s in restored["config"]["sources"]) == [
                f"$JS.{A}.API", f"$JS.{B}.API"]  # fmt: skip
            assert not any(k.startswith("_specgen") for k in restored["config"].get("metadata", {}))
            assert await finish_renewals(api, "FLEET") == []  # nothing left to finish
            sent += await publish_at(secure, auth, B, 5)
            await _cloud_holds_exactly(secure, sent)
    finally:
        await hub.close()
