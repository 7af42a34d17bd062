"""Server events decoded per site (`fleet events`) and the facts `fleet status` draws from them."""

from __future__ import annotations

import asyncio
import contextlib
import json
import subprocess
import sys
import time
import uuid
from dataclasses import replace
from pathlib import Path

import nats
import nats.errors
from nats.js.api import AckPolicy, ConsumerConfig
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.events import EventFeed, FleetEvent
from specgen_runtime.fleet.health import SiteHealth, SiteState, fleet_health
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.serverconf import SiteServerConfig
from specgen_runtime.fleet.serverfacts import gather_facts
from specgen_runtime.fleet.topology import Topology

from tests.fleet.conftest import A, B
from tests.fleet.kit import publish_until_acked

SPECGEN = str(Path(sys.executable).parent / "specgen")
WAIT = 15.0


async def _until(feed: EventFeed, kind: str, site: str) -> FleetEvent:
    deadline = time.monotonic() + WAIT
    while True:
        event = await feed.next(timeout=max(0.1, deadline - time.monotonic()))
        if event.kind == kind and event.site == site:
            return event


async def _nak_and_term(fleet: LocalFleet, auth: FleetAuth) -> None:
    """At site A: one event nak-ed until max deliveries, one terminated."""
    nc = await nats.connect(fleet.site_url(A), user_credentials=str(auth.creds(A)))
    try:
        await publish_until_acked(nc, A, [str(uuid.uuid4()), str(uuid.uuid4())])
        js = nc.jetstream()
        config = ConsumerConfig(
            durable_name="probe", ack_policy=AckPolicy.EXPLICIT, max_deliver=2, ack_wait=30
        )
        await js.add_consumer("SITE_OPERATIONS", config)
        sub = await js.pull_subscribe_bind("probe", stream="SITE_OPERATIONS")
        first, second = await sub.fetch(2, timeout=5)
        await first.nak()
        await second.term()
        (again,) = await sub.fetch(1, timeout=5)
        await again.nak()  # its second and last delivery
        with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
            await sub.fetch(1, timeout=1)  # the server gives up on it: max deliveries
        await nc.flush()
    finally:
        await nc.close()


async def test_feed_decodes_advisories_and_leaf_links_per_site(
    secure: LocalFleet, auth: FleetAuth
) -> None:
    ops = await secure.hub_client()
    sys_nc = await nats.connect(secure.hub_url, user_credentials=str(auth.system_creds()))
    try:
        async with EventFeed(ops, sys_nc, sites=[A, B], system_account=auth.system_account) as feed:
            await JsApi(ops, domain=A, target=A).stream_info("NOPE")  # a failing API request
            assert "STREAM.INFO.NOPE" in (await _until(feed, "api.error", A)).detail
            await _nak_and_term(secure, auth)
            for kind in ("consumer.created", "consumer.nak", "consumer.terminated",
                         "consumer.max_deliveries"):  # fmt: skip
                event = await _until(feed, kind, A)
                assert event.stream == "SITE_OPERATIONS", event
            await secure.cut(A)
            down = await _until(feed, "leaf.disconnected", A)
            assert down.server == "hub" and A in down.text()
            secure.restore(A)
            up = await _until(feed, "leaf.connected", A)
            assert up.detail in (f"link from {A}", f"system link from {A}")
            assert json.loads(json.dumps(up.to_json()))["site"] == A
    finally:
        await ops.close()
        await sys_nc.close()


async def test_events_command_prints_one_site(secure: LocalFleet, auth: FleetAuth) -> None:
    command = [SPECGEN, "fleet", "events", "--server", secure.hub_url, "--format", "json",
               "--site", A, "--for", "8", "--creds", str(auth.operator_creds()),
               "--system-creds", str(auth.system_creds())]  # fmt: skip
    process = await asyncio.create_subprocess_exec(
        *command, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stderr is not None
    ready = await asyncio.wait_for(process.stderr.readline(), timeout=30)
    assert b"listening for JetStream advisories and leaf links" in ready
    for site in (B, A):
        await secure.cut(site)
        await asyncio.sleep(0.5)
        secure.restore(site)
    out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert process.returncode == 0, err.decode()
    events = [json.loads(line) for line in out.decode().splitlines()]
    kinds = {(e["site"], e["kind"]) for e in events}
    assert {(A, "leaf.disconnected"), (A, "leaf.connected")} <= kinds
    assert {e["site"] for e in events} == {A}
    assert "eyJ" not in out.decode()  # the raw events carry JWTs: never printed


def _careless(conf: SiteServerConfig) -> SiteServerConfig:
    """Site B's servers: the default fsync policy and a tiny store."""
    if conf.site_id != B:
        return conf
    return replace(conf, sync_interval=None, max_file_store="200KB")


async def _health(fleet: LocalFleet, auth: FleetAuth, topo: Topology) -> dict[str, SiteHealth]:
    ops = await fleet.hub_client()
    sys_nc = await nats.connect(fleet.hub_url, user_credentials=str(auth.system_creds()))
    try:
        facts = await gather_facts(sys_nc, sites=[A, B])
        rows = await fleet_health(ops, topo, [A, B], timeout=1.0, facts=facts, account=auth.account)
    finally:
        await ops.close()
        await sys_nc.close()
    return {row.site: row for row in rows}


async def test_status_says_link_down_fsync_warning_and_out_of_storage(
    tmp_path: Path, topo: Topology, auth: FleetAuth
) -> None:
    async with LocalFleet(tmp_path / "fleet", [A, B], auth=auth, site_config=_careless) as fleet:
        ops = await fleet.hub_client()
        try:
            assert (await apply_plan(ops, await make_plan(ops, topo, [A, B], replicas=1))).ok
        finally:
            await ops.close()
        rows = await _health(fleet, auth, topo)
        assert rows[A].state <= SiteState.STALE and not any("fsync" in r for r in rows[A].reasons)
        assert rows[B].state >= SiteState.WARNING
        assert f"{B}: fsyncs every 120s, not every write" in " ".join(rows[B].reasons)
        site = await nats.connect(fleet.site_url(B), user_credentials=str(auth.creds(B)))
        try:
            from powerflex_events import SiteOperationsPublisher
            from specgen_runtime import PublishError

            from tests.fleet.kit import status_event

            publisher = SiteOperationsPublisher(site)
            for i in range(2000):  # until the server refuses: its store is full
                try:
                    await publisher.charger_status_changed_v1(status_event(i), site_id=B)
                except PublishError:
                    break
        finally:
            await site.close()
        await fleet.cut(A)
        rows = await _health(fleet, auth, topo)
        assert rows[A].state is SiteState.LINK_DOWN
        assert rows[A].reasons[0].startswith("leaf link down")
        assert rows[B].state is SiteState.ERROR
        assert any("out of storage" in r for r in rows[B].reasons), rows[B].reasons
        assert any("sync_interval: always" in r for r in rows[B].reasons)
        status = await asyncio.to_thread(
            subprocess.run,
            [SPECGEN, "fleet", "status", "--server", fleet.hub_url, "--sites", A, B,
             "--creds", str(auth.operator_creds()), "--system-creds", str(auth.system_creds()),
             "--timeout", "1"],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert status.returncode == 1, status.stderr
        assert "LINK_DOWN" in status.stdout and "out of storage" in status.stdout
