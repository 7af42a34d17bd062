"""Shared parts of the MQTT tests: a secured fleet whose sites serve MQTT, real MQTT clients.

The fleet is conftest's ``mqtt_fleet``. What the tests see is written to test-output/mqtt/
(the round trip, as text).
"""

from __future__ import annotations

import uuid
from pathlib import Path

import aiomqtt
import nats
from nats.aio.client import Client
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth

from tests.fleet.conftest import A

OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "mqtt"
WAIT = 10.0


def customer(
    fleet: LocalFleet,
    auth: FleetAuth,
    site: str,
    name: str,
    *,
    identifier: str | None = None,
    clean_session: bool = True,
) -> aiomqtt.Client:
    """An MQTT client of customer ``name`` at ``site``'s MQTT listener."""
    return aiomqtt.Client("127.0.0.1", fleet.mqtt_ports[site][0], username=name,
                          password=auth.mqtt_password(name),
                          identifier=identifier or f"{name}-{uuid.uuid4().hex[:8]}",
                          clean_session=clean_session)  # fmt: skip


def device(fleet: LocalFleet, auth: FleetAuth, name: str, site: str = A) -> aiomqtt.Client:
    return aiomqtt.Client("127.0.0.1", fleet.mqtt_ports[site][0], username=name,
                          password=auth.device_password(name),
                          identifier=f"{name}-{uuid.uuid4().hex[:8]}")  # fmt: skip


async def site_client(fleet: LocalFleet, auth: FleetAuth, site: str = A) -> Client:
    """A NATS client at ``site`` with the site's own credentials (its applications')."""
    return await nats.connect(fleet.site_url(site), user_credentials=str(auth.creds(site)))


async def operator_client(fleet: LocalFleet, auth: FleetAuth, site: str = A) -> Client:
    """A NATS client at ``site`` that may read everything there (to watch the wire)."""
    return await nats.connect(fleet.site_url(site), user_credentials=str(auth.operator_creds()))


def save(name: str, lines: list[str]) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))
    return path
