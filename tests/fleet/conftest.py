"""A LocalFleet (hub + two sites, each behind its own link proxy) and a hub client per test."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from nats.aio.client import Client
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology, load_topology

SITES = ("site-0001", "site-0002")


@pytest.fixture
def topo() -> Topology:
    return load_topology(package="powerflex_events")


@pytest.fixture
async def fleet(tmp_path: Path) -> AsyncIterator[LocalFleet]:
    async with LocalFleet(tmp_path / "fleet", SITES) as running:
        yield running


@pytest.fixture
async def hub(fleet: LocalFleet) -> AsyncIterator[Client]:
    nc = await connect(fleet.hub_url)
    try:
        yield nc
    finally:
        await nc.close()


A, B = SITES


@pytest.fixture
def auth(tmp_path: Path, topo: Topology) -> FleetAuth:
    auth = FleetAuth.init(tmp_path / "auth", topo)
    for site in (A, B):
        auth.issue_site(site)
    auth.issue_customer("acme", [A])
    return auth


@pytest.fixture
async def secure(tmp_path: Path, topo: Topology, auth: FleetAuth) -> AsyncIterator[LocalFleet]:
    async with LocalFleet(tmp_path / "fleet", [A, B], auth=auth) as fleet:
        nc = await fleet.hub_client()
        try:
            assert (await apply_plan(nc, await make_plan(nc, topo, [A, B], replicas=1))).ok
        finally:
            await nc.close()
        yield fleet


@pytest.fixture
async def mqtt_fleet(tmp_path: Path, topo: Topology) -> AsyncIterator[tuple[LocalFleet, FleetAuth]]:
    """Sites serving MQTT (their MQTT stream sources the QoS 1 events), in operator mode.

    Customers: acme reads site A, globex site B, both reads both; device meter-7 is at A.
    """
    auth = FleetAuth.init(tmp_path / "auth", topo)
    for site in (A, B):
        auth.issue_site(site)
    auth.issue_customer("acme", [A])
    auth.issue_customer("globex", [B])
    auth.issue_customer("both", [A, B])
    auth.issue_device("meter-7", A)
    async with LocalFleet(tmp_path / "fleet", [A, B], auth=auth, mqtt=True) as fleet:
        nc = await fleet.hub_client()
        try:
            plan = await make_plan(nc, topo, [A, B], replicas=1, mqtt=True)
            assert (await apply_plan(nc, plan)).ok
        finally:
            await nc.close()
        yield fleet, auth
