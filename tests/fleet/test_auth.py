"""Credentials on real servers: every site and customer is confined to its own subjects.

One hub and two sites in operator mode (accounts preloaded into full resolvers), each site's
leaf link with its own credentials. Every refusal is checked together with the positive
case beside it, so a test cannot pass because nothing flows at all.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import nats
import nats.errors
import pytest
from nats.aio.client import Client
from nats.aio.msg import Msg
from specgen_runtime.fleet import LocalFleet
from specgen_runtime.fleet.auth import FleetAuth
from specgen_runtime.fleet.auth.push import push_account_jwt
from specgen_runtime.fleet.catchup import renew_source
from specgen_runtime.fleet.jsapi import JsApi, connect

from tests.fleet.kit import (
    handshake,
    publish_at,
    stream_ids,
    stream_messages,
    wait_messages,
)

A, B = "site-0001", "site-0002"
QUIET = 1.0  # how long a refused message is given to show up anyway (none may)


class Client_:
    """A client that records the errors the server sends it (permission violations)."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.nc: Client | None = None

    async def connect(self, url: str | list[str], creds: Path) -> Client:
        async def on_error(exc: Exception) -> None:
            self.errors.append(str(exc))

        self.nc = await nats.connect(url, user_credentials=str(creds), error_cb=on_error,
                                     allow_reconnect=False)  # fmt: skip
        return self.nc

    def violations(self) -> str:
        return " | ".join(e.lower() for e in self.errors if "permissions" in e.lower())


async def _collect(nc: Client, subject: str) -> list[Msg]:
    got: list[Msg] = []

    async def keep(msg: Msg) -> None:
        got.append(msg)

    await nc.subscribe(subject, cb=keep)
    await nc.flush()
    return got


async def test_site_credentials_reach_only_their_own_site(
    secure: LocalFleet, auth: FleetAuth
) -> None:
    rogue = Client_()
    nc = await rogue.connect(secure.site_url(A), auth.creds(A))
    try:
        await nc.publish(f"pf.{B}.site_operations.charger_status_changed.v1", b"{}")
        await nc.subscribe(f"pf.{B}.>")
        for api in (f"$JS.{B}.API.INFO", "$JS.hub.API.INFO"):
            with pytest.raises((nats.errors.NoRespondersError, nats.errors.TimeoutError)):
                await nc.request(api, b"", timeout=QUIET)
        await nc.flush()
        await asyncio.sleep(0.2)
        assert f'publish to "pf.{B}.site_operations' in rogue.violations()
        assert f'subscription to "pf.{B}.>"' in rogue.violations()
        own = await nc.request(f"$JS.{A}.API.INFO", b"", timeout=5.0)  # its own: allowed
        assert b'"error"' not in own.data
    finally:
        await nc.close()


async def test_misbehaving_client_at_site_a_is_stopped_at_the_hub(
    secure: LocalFleet, auth: FleetAuth
) -> None:
    """A client with unrestricted local rights at site A (a compromised site) still cannot
    reach site B or the hub's JetStream: the hub enforces site A's leaf credentials."""
    rogue = await nats.connect(secure.site_url(A), user_credentials=str(auth.operator_creds()))
    hub = await secure.hub_client()
    try:
        at_hub = await _collect(hub, f"pf.{B}.>")
        at_rogue = await _collect(rogue, f"pf.{B}.>")
        event = f"pf.{B}.site_operations.charger_status_changed.v1"
        await rogue.publish(event, b'{"forged": true}', headers={"Nats-Msg-Id": "forged-1"})
        await rogue.publish(f"$JS.SRC.{B}.S.guess", b'{"forged": true}')
        for request in (
            f"$JS.{B}.API.STREAM.DELETE.SITE_OPERATIONS",
            "$JS.hub.API.STREAM.DELETE.FLEET",
        ):
            with pytest.raises((nats.errors.NoRespondersError, nats.errors.TimeoutError)):
                await rogue.request(request, b"", timeout=QUIET)
        await asyncio.sleep(QUIET)
        assert at_hub == []  # the forged event never left site A
        acked = await publish_at(secure, auth, B, 3)  # site B's own events do flow
        cloud = JsApi(hub, domain=None, target="hub")
        assert await wait_messages(cloud, "FLEET", 3, timeout=30) == 3
        assert sorted(await stream_ids(hub, "FLEET")) == sorted(acked)
        assert len(at_hub) == 3  # the hub sees site B's events; site A (its own forgery aside) not
        assert [m for m in at_rogue if (m.headers or {}).get("Nats-Msg-Id") in acked] == []
        assert await stream_messages(JsApi(hub, domain=B, target=B), "SITE_OPERATIONS") == 3
    finally:
        await rogue.close()
        await hub.close()


async def test_customer_reads_their_sites_and_nothing_else(
    secure: LocalFleet, auth: FleetAuth
) -> None:
    customer = Client_()
    nc = await customer.connect(secure.hub_urls, auth.creds("customer-acme"))
    try:
        mine = await _collect(nc, f"pf.{A}.site_operations.>")  # a subject of the spec
        await nc.subscribe(f"pf.{B}.site_operations.>")
        await nc.publish(f"pf.{A}.orders.order_created.v1", b"{}")
        await nc.flush()
        await publish_at(secure, auth, A, 2)
        await publish_at(secure, auth, B, 2)
        await asyncio.sleep(QUIET)
        assert len(mine) == 2 and {m.subject.split(".")[1] for m in mine} == {A}
        assert f'subscription to "pf.{B}.site_operations.>"' in customer.violations()
        assert f'publish to "pf.{A}.orders' in customer.violations()
    finally:
        await nc.close()


async def test_revoked_user_is_refused(secure: LocalFleet, auth: FleetAuth) -> None:
    assert await handshake(secure.hub_url, auth.creds("customer-acme")) == "PONG"
    auth.revoke("customer-acme")
    sys_nc = await connect(secure.hub_url, credentials=auth.system_creds())
    try:
        # the hub's resolver and, over their system links, both sites' resolvers take it
        assert await push_account_jwt(sys_nc, auth.jwt("account")) == ["hub", A, B]
    finally:
        await sys_nc.close()
    for url in (secure.hub_url, secure.site_url(A)):
        assert (
            "authorization violation" in (await handshake(url, auth.creds("customer-acme"))).lower()
        )
    assert await handshake(secure.hub_url, auth.operator_creds()) == "PONG"  # others untouched


async def test_sourcing_and_catch_up_work_with_credentials(
    secure: LocalFleet, auth: FleetAuth
) -> None:
    before = await publish_at(secure, auth, B, 5)
    await secure.cut(B)
    during = await publish_at(secure, auth, B, 10)
    secure.restore(B)
    await secure.wait_linked(B, timeout=30.0)
    hub = await secure.hub_client()
    try:
        await renew_source(JsApi(hub, domain=None, target="hub"), "FLEET", B)
        after = await publish_at(secure, auth, B, 5)
        cloud = JsApi(hub, domain=None, target="hub")
        want = before + during + after
        assert await wait_messages(cloud, "FLEET", len(want)) == len(want)
        await asyncio.sleep(QUIET)
        ids = await stream_ids(hub, "FLEET")
        assert sorted(ids) == sorted(want)
    finally:
        await hub.close()
