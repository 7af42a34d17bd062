"""MQTT for customers: a site's MQTT listener, customers' MQTT users confined to their topics.

Real parts: the site's nats-server with its MQTT listener (operator mode), a real MQTT client
(aiomqtt over paho-mqtt). The customer's MQTT user presents its user JWT as the password.
Events published by the generated (NATS) publisher reach MQTT subscribers as CloudEvents
that the generated models decode; the server delivers NATS-originated messages at QoS 0.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import aiomqtt
import nats
import pytest
from powerflex_events.events import ChargerStatusChangedV1
from specgen_runtime import decode
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import Topology

from tests.fleet.conftest import A, B
from tests.fleet.kit import publish_until_acked

TOPIC = f"pf/{A}/site_operations/charger_status_changed/v1"
WAIT = 10.0


@pytest.fixture
async def mqtt_fleet(tmp_path: Path, topo: Topology) -> AsyncIterator[tuple[LocalFleet, FleetAuth]]:
    auth = FleetAuth.init(tmp_path / "auth", topo)
    for site in (A, B):
        auth.issue_site(site)
    auth.issue_customer("acme", [A])
    auth.issue_customer("globex", [B])
    async with LocalFleet(tmp_path / "fleet", [A, B], auth=auth, mqtt=True) as fleet:
        nc = await fleet.hub_client()
        try:
            assert (await apply_plan(nc, await make_plan(nc, topo, [A, B], replicas=1))).ok
        finally:
            await nc.close()
        yield fleet, auth


def _client(fleet: LocalFleet, auth: FleetAuth, site: str, customer: str) -> aiomqtt.Client:
    return aiomqtt.Client("127.0.0.1", fleet.mqtt_ports[site][0], username=customer,
                          password=auth.mqtt_password(customer),
                          identifier=f"{customer}-{uuid.uuid4().hex[:8]}")  # fmt: skip


async def test_customer_receives_cloudevents_over_mqtt(
    mqtt_fleet: tuple[LocalFleet, FleetAuth],
) -> None:
    fleet, auth = mqtt_fleet
    async with _client(fleet, auth, A, "acme") as client:
        granted = await client.subscribe(f"pf/{A}/site_operations/#", qos=1)
        assert [code.value for code in granted] == [1]  # granted as asked
        site = await nats.connect(fleet.site_url(A), user_credentials=str(auth.creds(A)))
        try:
            ids = [str(uuid.uuid4()) for _ in range(3)]
            await publish_until_acked(site, A, ids)
        finally:
            await site.close()
        got = []
        async with asyncio.timeout(WAIT):
            async for message in client.messages:
                got.append(message)
                if len(got) == len(ids):
                    break
    assert [str(m.topic) for m in got] == [TOPIC] * 3
    assert {m.qos for m in got} == {0}  # NATS-originated messages reach MQTT at QoS 0
    headers = {"content-type": "application/cloudevents+json"}
    events = [decode(ChargerStatusChangedV1, headers, bytes(m.payload)) for m in got]  # type: ignore[arg-type]
    assert [e.id for e in events] == ids and {e.source for e in events} == {
        f"/sites/{A}/site_operations"
    }


async def test_customer_cannot_subscribe_to_another_customers_topics(
    mqtt_fleet: tuple[LocalFleet, FleetAuth],
) -> None:
    fleet, auth = mqtt_fleet
    async with _client(fleet, auth, A, "globex") as intruder:  # globex reads site B only
        refused = await intruder.subscribe(f"pf/{A}/site_operations/#", qos=1)
        assert [code.value for code in refused] == [0x80]  # SUBACK: failure
        site = await nats.connect(fleet.site_url(A), user_credentials=str(auth.creds(A)))
        try:
            await publish_until_acked(site, A, [str(uuid.uuid4())])
        finally:
            await site.close()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(2.0):
                async for _ in intruder.messages:
                    break
    with pytest.raises(aiomqtt.MqttError):  # the NATS user of acme is no MQTT user
        async with aiomqtt.Client("127.0.0.1", fleet.mqtt_ports[A][0], username="acme",
                                  password="not-a-jwt", identifier="nobody"):  # fmt: skip
            pass
