"""What the servers themselves say, through the system account: sync policy, storage, leaf links.

With a system-account user at the hub (``fleet auth``'s ``sys`` credentials) one request
reaches every server that shares the system account: the hub's members directly, each
site's servers over their system leaf link::

    facts = await gather_facts(sys_nc, sites=["site-0001", "site-0002"])
    facts.linked("site-0001")        # does the hub hold a leaf connection from that site?
    facts.servers_of("site-0001")    # VARZ of each of its servers: sync_always, storage...

``$SYS.REQ.SERVER.PING.VARZ`` answers per server with its JetStream configuration and use;
``$SYS.REQ.SERVER.PING.LEAFZ`` with the leaf connections it holds (remote server name and
account). A site server is named ``<site>`` or ``<site>-<n>`` (see ``serverconf``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import nats.errors
from nats.aio.client import Client

__all__ = ["FleetFacts", "ServerFacts", "gather_facts", "site_of_server"]


@dataclass(frozen=True)
class ServerFacts:
    name: str
    domain: str | None
    cluster: str | None
    jetstream: bool
    sync_always: bool
    sync_interval_ns: int | None
    storage: int  # bytes in use on disk
    max_storage: int

    @property
    def out_of_storage(self) -> bool:
        return self.jetstream and 0 < self.max_storage <= self.storage


@dataclass(frozen=True)
class FleetFacts:
    servers: tuple[ServerFacts, ...]
    leafs: tuple[tuple[str, str], ...]  # (remote server name, account) held by hub servers
    cloud_domain: str
    sites: tuple[str, ...]

    def servers_of(self, site: str) -> tuple[ServerFacts, ...]:
        return tuple(s for s in self.servers if s.domain == site)

    def linked(self, site: str, account: str | None = None) -> bool:
        """Whether a hub server holds a leaf connection from one of ``site``'s servers."""
        return any(
            site_of_server(name, self.sites) == site and (account is None or acc == account)
            for name, acc in self.leafs
        )


def site_of_server(name: str, sites: Iterable[str]) -> str | None:
    """The site a server belongs to: named ``<site>`` or ``<site>-<n>`` (longest match)."""
    best = None
    for site in sites:
        if (name == site or re.fullmatch(re.escape(site) + r"-\d+", name)) and (
            best is None or len(site) > len(best)
        ):
            best = site
    return best


async def _ping(nc: Client, what: str, timeout: float, settle: float) -> list[dict[str, Any]]:
    """Every server's answer to ``$SYS.REQ.SERVER.PING.<what>``."""
    inbox = nc.new_inbox()
    sub = await nc.subscribe(inbox)
    answers: list[dict[str, Any]] = []
    try:
        await nc.publish(f"$SYS.REQ.SERVER.PING.{what}", b"", reply=inbox)
        wait = timeout
        while True:
            try:
                msg = await sub.next_msg(timeout=wait)
            except (TimeoutError, nats.errors.TimeoutError):
                return answers
            answers.append(json.loads(msg.data))
            wait = settle
    finally:
        await sub.unsubscribe()


def _server_facts(answer: dict[str, Any]) -> ServerFacts:
    server = answer.get("server") or {}
    data = answer.get("data") or {}
    js = data.get("jetstream") or {}
    config = js.get("config") or {}
    stats = js.get("stats") or {}
    return ServerFacts(
        name=str(server.get("name", "?")),
        domain=server.get("domain") or config.get("domain"),
        cluster=server.get("cluster"),
        jetstream=bool(config),
        sync_always=bool(config.get("sync_always")),
        sync_interval_ns=config.get("sync_interval"),
        storage=int(stats.get("storage") or 0),
        max_storage=int(config.get("max_storage") or 0),
    )


async def gather_facts(
    sys_nc: Client,
    *,
    sites: Iterable[str],
    cloud_domain: str = "hub",
    timeout: float = 2.0,
    settle: float = 0.3,
) -> FleetFacts:
    """VARZ of every reachable server and the leaf connections the hub's servers hold."""
    varz = await _ping(sys_nc, "VARZ", timeout, settle)
    leafz = await _ping(sys_nc, "LEAFZ", timeout, settle)
    servers = tuple(sorted((_server_facts(a) for a in varz), key=lambda s: s.name))
    leafs = []
    for answer in leafz:
        if (answer.get("server") or {}).get("domain") not in (cloud_domain, None):
            continue  # a site's own view of its outgoing links
        for leaf in (answer.get("data") or {}).get("leafs") or []:
            leafs.append((str(leaf.get("name", "")), str(leaf.get("account", ""))))
    return FleetFacts(servers, tuple(sorted(leafs)), cloud_domain, tuple(sites))
