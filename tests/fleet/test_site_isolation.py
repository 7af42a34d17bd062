"""Events of one site never land in another site's streams, and reach the cloud exactly once."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import UTC, datetime

from nats.aio.client import Client
from powerflex_events import SiteOperationsPublisher, models
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology

from tests.fleet.conftest import SITES

TIMEOUT = 10.0


async def _messages(api: JsApi, stream: str) -> int:
    info = await api.stream_info(stream)
    assert info is not None
    return int(info["state"]["messages"])


async def _wait_messages(api: JsApi, stream: str, want: int) -> int:
    deadline = time.monotonic() + TIMEOUT
    while (count := await _messages(api, stream)) < want and time.monotonic() < deadline:
        await asyncio.sleep(0.1)
    return count


def _status(i: int) -> models.ChargerStatusChanged:
    return models.ChargerStatusChanged.model_validate(
        {
            "charger_id": f"CP-{i}",
            "connector_id": 1,
            "status": "available",
            "previous_status": None,
            "changed_at": datetime.now(UTC).isoformat(),
            "error_code": "no_error",
        }
    )


async def test_site_events_stay_at_their_site_and_arrive_once(
    fleet: LocalFleet, hub: Client, topo: Topology
) -> None:
    assert (await apply_plan(hub, await make_plan(hub, topo, SITES, replicas=1))).ok
    a, b = SITES
    ids = [str(uuid.uuid4()) for _ in range(10)]
    nc = await connect(fleet.site_url(a))
    try:
        publisher = SiteOperationsPublisher(nc)
        for i, event_id in enumerate(ids):
            await publisher.charger_status_changed_v1(_status(i), site_id=a, id=event_id)
        for i, event_id in enumerate(ids[:3]):  # re-sent: deduplicated at the edge
            result = await publisher.charger_status_changed_v1(_status(i), site_id=a, id=event_id)
            assert result.duplicate
    finally:
        await nc.close()
    cloud = JsApi(hub, domain=None, target="hub")
    assert await _wait_messages(cloud, "FLEET", len(ids)) == len(ids)
    await asyncio.sleep(1.0)  # give a stray copy the chance to show up (none expected)
    assert await _messages(cloud, "FLEET") == len(ids)
    info = await cloud.request("STREAM.INFO.FLEET", {"subjects_filter": "pf.>"})
    assert set(info["state"]["subjects"]) == {f"pf.{a}.site_operations.charger_status_changed.v1"}
    site_b = JsApi(hub, domain=b, target=b)
    for spec in topo.site_streams(b):
        assert await _messages(site_b, spec.name) == 0, spec.name
    site_a = JsApi(hub, domain=a, target=a)
    assert await _messages(site_a, "SITE_OPERATIONS") == len(ids)
    assert await _messages(site_a, "UPLOAD") == len(ids)
