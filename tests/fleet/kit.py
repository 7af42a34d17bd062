"""Helpers of the fleet tests: publish until acknowledged, read what the cloud holds."""

from __future__ import annotations

import asyncio
import base64
import json
import time
import uuid
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import nats
from nats.aio.client import Client
from opentelemetry.sdk.trace import TracerProvider
from powerflex_events import SiteOperationsPublisher, models
from specgen_runtime import Mode, PublishError
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.auth.jwt import key_from_seed
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.provision import apply_plan, make_plan
from specgen_runtime.fleet.topology import load_topology

RETRY_FOR = 60.0  # a publish is retried (same id) this long at most before the test fails


def status_event(i: int) -> models.ChargerStatusChanged:
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


async def publish_traced_statuses(nc: Client, provider: TracerProvider, site: str) -> list[str]:
    """One status event per content mode from the generated Python publisher, each inside an
    application span ``report status (<mode>)`` of ``provider``; their ids."""
    tracer = provider.get_tracer("site-app")
    ids = []
    for mode in (Mode.STRUCTURED, Mode.BINARY):
        publisher = SiteOperationsPublisher(nc, mode=mode, tracer_provider=provider)
        ids.append(f"py-{mode.value}-{uuid.uuid4()}")
        with tracer.start_as_current_span(f"report status ({mode.value})"):
            await publisher.charger_status_changed_v1(status_event(1), site_id=site, id=ids[-1])
        await publisher.publisher.close()
    return ids


async def site_client(urls: Sequence[str], **options: object) -> Client:
    """A client of a site cluster that reconnects to another member when one dies."""
    return await nats.connect(
        list(urls),
        reconnect_time_wait=0.1,
        max_reconnect_attempts=-1,
        connect_timeout=2,
        **options,  # type: ignore[arg-type]
    )


async def publish_until_acked(
    nc: Client,
    site: str,
    ids: Sequence[str],
    *,
    at: dict[int, Callable[[], Awaitable[None]]] | None = None,
    ack_timeout: float = 2.0,
) -> tuple[list[str], int]:
    """Publish every id (retrying with the same id until acknowledged); run ``at[i]`` first.

    Returns the acknowledged ids in order and how many attempts failed on the way.
    """
    publisher = SiteOperationsPublisher(nc, ack_timeout=ack_timeout)
    acked: list[str] = []
    failures = 0
    for i, event_id in enumerate(ids):
        if at and i in at:
            await at[i]()
        deadline = time.monotonic() + RETRY_FOR
        while True:
            try:
                await publisher.charger_status_changed_v1(
                    status_event(i), site_id=site, id=event_id
                )
                acked.append(event_id)
                break
            except PublishError:
                failures += 1
                if time.monotonic() > deadline:
                    raise
                await asyncio.sleep(0.1)
    return acked, failures


async def publish_at(fleet: LocalFleet, auth: FleetAuth, site: str, count: int) -> list[str]:
    """``count`` new events at ``site``, published with the site's credentials, acknowledged."""
    nc = await nats.connect(fleet.site_url(site), user_credentials=str(auth.creds(site)))
    try:
        acked, _ = await publish_until_acked(nc, site, [str(uuid.uuid4()) for _ in range(count)])
    finally:
        await nc.close()
    return acked


async def provision_hub(fleet: LocalFleet, sites: Sequence[str]) -> None:
    """The spec's topology for ``sites`` applied at the hub of an open fleet (one replica)."""
    hub = await fleet.hub_client()
    try:
        topo = load_topology(package="powerflex_events")
        assert (await apply_plan(hub, await make_plan(hub, topo, sites, replicas=1))).ok
    finally:
        await hub.close()


async def wait_at_hub(fleet: LocalFleet, stream: str, want: int) -> None:
    """Wait until the hub's ``stream`` holds ``want`` messages (a new site's source may take
    a health-check round to start)."""
    hub = await fleet.hub_client()
    try:
        assert await wait_messages(JsApi(hub, domain=None, target="hub"), stream, want) == want
    finally:
        await hub.close()


async def stream_messages(api: JsApi, stream: str) -> int:
    info = await api.stream_info(stream)
    assert info is not None, stream
    return int(info["state"]["messages"])


async def wait_messages(api: JsApi, stream: str, want: int, timeout: float = 90.0) -> int:
    """The stream's message count once it reached ``want`` or ``timeout`` passed."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            count = await stream_messages(api, stream)
        except Exception:  # noqa: BLE001 - a leader election in progress; ask again
            count = -1
        if count >= want or time.monotonic() >= deadline:
            return count
        await asyncio.sleep(0.2)


async def stream_ids(nc: Client, stream: str, *, domain: str | None = None) -> list[str]:
    """Every ``Nats-Msg-Id`` the stream holds, in stream order (an ordered, ack-less read)."""
    js = nc.jetstream(domain=domain)
    total = (await js.stream_info(stream)).state.messages
    sub = await js.subscribe(">", stream=stream, ordered_consumer=True)
    ids: list[str] = []
    try:
        while len(ids) < total:
            msg = await sub.next_msg(timeout=10.0)
            ids.append((msg.headers or {})["Nats-Msg-Id"])
    finally:
        await sub.unsubscribe()
    return ids


async def handshake(url: str, creds: Path) -> str:
    """Log in to ``url`` with ``creds`` by hand; the server's answer: ``PONG`` or its ``-ERR``.

    (A refused nats-py connection leaves its socket to the garbage collector, which the
    test session turns into an error; speaking the protocol directly leaves nothing open.)
    """
    text = creds.read_text(encoding="utf-8")
    token = text.split("-----BEGIN NATS USER JWT-----")[1].split("------END")[0].strip()
    seed = text.split("-----BEGIN USER NKEY SEED-----")[1].split("------END")[0].strip()
    host, port = url.removeprefix("nats://").rsplit(":", 1)
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        info = json.loads((await reader.readline()).decode().removeprefix("INFO "))
        signature = key_from_seed(seed).sign(info["nonce"].encode())
        connect = {"jwt": token, "sig": base64.urlsafe_b64encode(signature).rstrip(b"=").decode(),
                   "verbose": False, "pedantic": False, "protocol": 1}  # fmt: skip
        writer.write(f"CONNECT {json.dumps(connect)}\r\nPING\r\n".encode())
        await writer.drain()
        return (await asyncio.wait_for(reader.readline(), timeout=5.0)).decode().strip()
    finally:
        writer.close()
        await writer.wait_closed()
