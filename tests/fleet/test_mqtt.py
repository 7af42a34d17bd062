"""MQTT for customers: CloudEvents at the QoS the spec declares, confined to their topics.

Real parts: the site's nats-server with its MQTT listener (operator mode), a real MQTT client
(aiomqtt over paho-mqtt); the customer's MQTT user presents its user JWT as the password.
Site operations are ``x-mqtt: {qos: 1}`` (stored events), telemetry ``qos: 0`` (core NATS).
"""

from __future__ import annotations

import asyncio
import uuid

import aiomqtt
import pytest
from powerflex_events import examples
from powerflex_events.events import BatteryStateV1, ChargerStatusChangedV1
from powerflex_events.telemetry import TelemetryPublisher
from specgen_runtime import decode
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth

from tests.fleet.conftest import A
from tests.fleet.kit import publish_until_acked
from tests.fleet.mqtt_kit import WAIT, customer, operator_client, save, site_client

STATUS = ChargerStatusChangedV1.SPEC.topic_for(site_id=A)
BATTERY = BatteryStateV1.SPEC.topic_for(site_id=A)
STRUCTURED = {"content-type": "application/cloudevents+json"}
Fleet = tuple[LocalFleet, FleetAuth]


async def _collect(client: aiomqtt.Client, count: int) -> list[aiomqtt.Message]:
    got: list[aiomqtt.Message] = []
    async with asyncio.timeout(WAIT):
        async for message in client.messages:
            got.append(message)
            if len(got) == count:
                break
    return got


async def _publish_battery(fleet: Fleet, site: str = A) -> str:
    """One BatteryState event published on core NATS at ``site`` by the generated publisher."""
    nc = await site_client(*fleet, site)
    try:
        event_id = str(uuid.uuid4())
        data = examples()[BatteryStateV1.SPEC.type][0]
        await TelemetryPublisher(nc).battery_state_v1(data, site_id=site, id=event_id)
        await nc.flush()
        return event_id
    finally:
        await nc.close()


async def test_customer_receives_cloudevents_at_the_declared_qos(mqtt_fleet: Fleet) -> None:
    fleet, auth = mqtt_fleet
    watcher = await operator_client(fleet, auth)
    wire = await watcher.subscribe(ChargerStatusChangedV1.SPEC.subject_for(site_id=A))
    async with customer(fleet, auth, A, "acme") as client:
        granted = await client.subscribe(f"pf/{A}/site_operations/#", qos=1)
        granted += await client.subscribe(f"pf/{A}/telemetry/#", qos=1)
        assert [code.value for code in granted] == [1, 1]  # granted as asked
        site = await site_client(fleet, auth)
        try:
            ids, _ = await publish_until_acked(site, A, [str(uuid.uuid4()) for _ in range(3)])
        finally:
            await site.close()
        battery_id = await _publish_battery(mqtt_fleet)
        got = await _collect(client, 4)
    sent = await wire.next_msg(timeout=WAIT)
    await watcher.close()
    by_topic: dict[str, list[aiomqtt.Message]] = {}
    for message in got:
        by_topic.setdefault(str(message.topic), []).append(message)
    assert sorted(by_topic) == sorted([STATUS, BATTERY])
    status, battery = by_topic[STATUS], by_topic[BATTERY]
    assert {m.qos for m in status} == {1}  # x-mqtt qos 1: delivered at QoS 1
    assert {m.qos for m in battery} == {0}  # qos 0, though the subscription asked for 1
    events = [decode(ChargerStatusChangedV1, STRUCTURED, bytes(m.payload)) for m in status]  # type: ignore[arg-type]
    assert [e.id for e in events] == ids
    assert {e.source for e in events} == {f"/sites/{A}/site_operations"}
    reading = decode(BatteryStateV1, STRUCTURED, bytes(battery[0].payload))  # type: ignore[arg-type]
    assert reading.id == battery_id and reading.data.battery_id == "bess-01"
    save("round-trip.txt", [
        "MQTT round trip at site " + A,
        "1. generated Python publisher (NATS, site credentials):",
        f"   SiteOperationsPublisher.charger_status_changed_v1(..., site_id={A!r}) x3",
        f"   subject {sent.subject}",
        "   headers " + ", ".join(f"{k}: {v}" for k, v in sorted((sent.headers or {}).items())),
        "   stored in SITE_OPERATIONS, sourced by the server into $MQTT_msgs",
        f"   TelemetryPublisher.battery_state_v1(..., site_id={A!r}) on core NATS",
        "2. MQTT client 'acme' (user JWT as password), subscriptions at QoS 1:",
        f"   pf/{A}/site_operations/#, pf/{A}/telemetry/#",
        *(f"   received topic {m.topic} qos {m.qos} ({len(bytes(m.payload))} bytes)"  # type: ignore[arg-type]
          for m in got),
        "3. decoded with the generated models:",
        *(f"   ChargerStatusChangedV1 id={e.id} source={e.source} charger={e.data.charger_id} "
          f"status={e.data.status}" for e in events),
        f"   BatteryStateV1 id={reading.id} battery={reading.data.battery_id} "
        f"soc={reading.data.soc}",
    ])  # fmt: skip


async def test_persistent_session_gets_what_was_stored_while_away(mqtt_fleet: Fleet) -> None:
    fleet, auth = mqtt_fleet
    name = f"acme-{uuid.uuid4().hex[:8]}"
    async with customer(fleet, auth, A, "acme", identifier=name, clean_session=False) as c:
        granted = await c.subscribe([(STATUS, 1), (BATTERY, 1)])
        assert [code.value for code in granted] == [1, 1]
    site = await site_client(fleet, auth)  # the customer is away now
    try:
        ids, _ = await publish_until_acked(site, A, [str(uuid.uuid4()) for _ in range(3)])
    finally:
        await site.close()
    missed_reading = await _publish_battery(mqtt_fleet)
    async with customer(fleet, auth, A, "acme", identifier=name, clean_session=False) as c:
        stored = await _collect(c, 3)  # no new subscription: the session kept it
        marker = await _publish_battery(mqtt_fleet)
        later = await _collect(c, 1)
    assert [(str(m.topic), m.qos) for m in stored] == [(STATUS, 1)] * 3
    got = [decode(ChargerStatusChangedV1, STRUCTURED, bytes(m.payload)).id for m in stored]  # type: ignore[arg-type]
    assert got == ids
    readings = [decode(BatteryStateV1, STRUCTURED, bytes(m.payload)).id for m in later]  # type: ignore[arg-type]
    assert readings == [marker] and missed_reading not in readings  # QoS 0 is not kept
    save("persistent-session.txt", [
        f"persistent session {name} (clean session off), subscribed at QoS 1 to",
        f"   {STATUS} (x-mqtt qos 1) and {BATTERY} (qos 0); then disconnected",
        f"while away: 3 charger status events (stored), battery reading {missed_reading}",
        "after reconnecting (no new SUBSCRIBE):",
        *(f"   topic {m.topic} qos {m.qos} id {i}" for m, i in zip(stored, got, strict=True)),
        f"   then the live battery reading {marker} at qos {later[0].qos}; the missed one "
        "never arrives",
    ])  # fmt: skip


async def test_customer_cannot_subscribe_to_another_customers_topics(mqtt_fleet: Fleet) -> None:
    fleet, auth = mqtt_fleet
    async with customer(fleet, auth, A, "globex") as intruder:  # globex reads site B only
        refused = await intruder.subscribe(f"pf/{A}/site_operations/#", qos=1)
        refused += await intruder.subscribe(STATUS, qos=0)
        refused += await intruder.subscribe(f"pf/{A}/deadletter/#", qos=0)
        assert [code.value for code in refused] == [0x80] * 3  # SUBACK: failure
        site = await site_client(fleet, auth)
        try:
            await publish_until_acked(site, A, [str(uuid.uuid4())])
        finally:
            await site.close()
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(2.0):
                async for _ in intruder.messages:
                    break
    async with customer(fleet, auth, A, "acme") as own:  # only the topics the spec serves
        codes = await own.subscribe([(f"pf/{A}/deadletter/#", 0), (f"pf/{A}/orders/#", 0),
                                     (STATUS, 1)])  # fmt: skip
        assert [code.value for code in codes] == [0x80, 0x80, 1]
    with pytest.raises(aiomqtt.MqttError):  # the NATS user of acme is no MQTT user
        async with aiomqtt.Client("127.0.0.1", fleet.mqtt_ports[A][0], username="acme",
                                  password="not-a-jwt", identifier="nobody"):  # fmt: skip
            pass
