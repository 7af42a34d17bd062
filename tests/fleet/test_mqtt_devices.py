"""Devices publishing over MQTT, and MQTT state that stays at its site.

A device's MQTT user (JWT as password) may publish the spec's device topics
(``x-mqtt: {device_publish: true}``: telemetry) at its own site and nothing else. What it
publishes reaches the generated subscriber at the site, which validates it like any other
event and dead-letters what it cannot decode. A QoS 1 publish is stored in the server's MQTT
stream at that site only: the site's leaf link to the hub denies ``$MQTT.>``.
"""

from __future__ import annotations

import asyncio
import json

from powerflex_events import examples
from powerflex_events.events import BatteryStateV1
from powerflex_events.telemetry import TelemetrySubscriber
from specgen_runtime import encode
from specgen_runtime.deadletter import REASON_HEADER
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.mqtt import MQTT_STREAM

from tests.fleet.conftest import A, B
from tests.fleet.mqtt_kit import WAIT, customer, device, operator_client, save, site_client

Fleet = tuple[LocalFleet, FleetAuth]
BATTERY = BatteryStateV1.SPEC.topic_for(site_id=A)


def _reading(index: int = 0) -> tuple[str, bytes]:
    """A BatteryState CloudEvent as a device sends it: structured JSON (MQTT has no headers)."""
    event = BatteryStateV1.create(examples()[BatteryStateV1.SPEC.type][index], site_id=A)
    return event.id, encode(event)[1]


async def test_device_telemetry_is_validated_and_malformed_dead_lettered(
    mqtt_fleet: Fleet,
) -> None:
    fleet, auth = mqtt_fleet
    site, watcher = await site_client(fleet, auth), await operator_client(fleet, auth)
    dead = await watcher.subscribe(BatteryStateV1.SPEC.dead_letter_subject_for(site_id=A))
    stray = await watcher.subscribe(f"pf.{B}.>")  # what the device may not publish
    good_id, good = _reading()
    bad = json.loads(good)
    bad["data"]["soc"] = 140  # a percentage above 100
    bad_payload = json.dumps(bad).encode()
    try:
        async with TelemetrySubscriber(site).battery_state_v1(site_id=A) as readings:
            async with device(fleet, auth, "meter-7") as meter:
                await meter.publish(BatteryStateV1.SPEC.topic_for(site_id=B), good, qos=1)
                await meter.publish(BATTERY, bad_payload, qos=0)
                await meter.publish(BATTERY, good, qos=1)
                received = await readings.next(timeout=WAIT)
            moved = await dead.next_msg(timeout=WAIT)
        assert received.event.id == good_id and received.subject == BATTERY.replace("/", ".")
        assert received.event.data.soc == 64.2 and readings.dead_lettered == 1
        assert moved.data == bad_payload
        assert "soc" in (moved.headers or {})[REASON_HEADER]
        assert stray.pending_msgs == 0  # the other site's topic was refused, not forwarded
    finally:
        await site.close()
        await watcher.close()
    save("device-publish.txt", [
        f"device meter-7 (MQTT, site {A}) publishes on {BATTERY}:",
        f"   a malformed reading (soc 140) at QoS 0, then a valid one ({good_id}) at QoS 1",
        f"   (and one on {B}'s topic, refused by its permissions)",
        f"generated TelemetrySubscriber.battery_state_v1(site_id={A!r}) at the site:",
        f"   valid: BatteryStateV1 id={received.event.id} soc={received.event.data.soc} "
        f"(headers {dict(received.headers)})",
        f"   malformed: dead-lettered to {moved.subject}",
        f"   reason: {(moved.headers or {})[REASON_HEADER]}",
    ])  # fmt: skip


async def _stored(site: JsApi, subject: str) -> int:
    """How many messages on ``subject`` the site's MQTT stream holds."""
    info = await site.request(f"STREAM.INFO.{MQTT_STREAM}", {"subjects_filter": subject})
    return int((info["state"].get("subjects") or {}).get(subject, 0))


async def test_a_qos1_publish_is_stored_at_its_own_site_only(mqtt_fleet: Fleet) -> None:
    fleet, auth = mqtt_fleet
    hub = await fleet.hub_client()
    subject = BATTERY.replace("/", ".")
    try:
        # persistent QoS 1 sessions at both sites that want site A's readings
        async with (
            customer(fleet, auth, A, "both", clean_session=False) as here,
            customer(fleet, auth, B, "both", clean_session=False) as there,
        ):
            assert [c.value for c in await here.subscribe(BATTERY, qos=1)] == [1]
            assert [c.value for c in await there.subscribe(BATTERY, qos=1)] == [1]
        reading_id, payload = _reading(1)
        async with device(fleet, auth, "meter-7") as meter:
            await meter.publish(BATTERY, payload, qos=1)  # stored for the absent sessions
        stored_a, stored_b = JsApi(hub, domain=A, target=A), JsApi(hub, domain=B, target=B)
        async with asyncio.timeout(WAIT):
            while await _stored(stored_a, f"$MQTT.msgs.{subject}") == 0:
                await asyncio.sleep(0.05)
        await asyncio.sleep(1.0)  # time for a copy to cross the links, if it could
        assert await _stored(stored_b, f"$MQTT.msgs.{subject}") == 0
    finally:
        await hub.close()
    save("site-isolation.txt", [
        f"device meter-7 published reading {reading_id} at QoS 1 on {BATTERY} at {A}",
        f"{A}: {MQTT_STREAM} holds it for the absent persistent session",
        f"{B}: {MQTT_STREAM} does not (the leaf link denies $MQTT.>), though a session "
        f"there subscribed to {BATTERY} at QoS 1",
    ])  # fmt: skip
