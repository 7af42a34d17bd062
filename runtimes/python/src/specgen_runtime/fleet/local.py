"""A whole fleet on one machine: a hub and N sites as separate nats-server processes.

Each site is a leaf node of the hub through its own ``LinkProxy``, so tests and the demo can
cut and restore one site's link, stop the hub, or kill -9 a site and restart it on its store::

    async with LocalFleet(tmp_path, ["site-0001", "site-0002"]) as fleet:
        nc = await nats.connect(fleet.site_url("site-0001"))
        await fleet.cut("site-0002")        # link down; site-0002 keeps running
        fleet.restore("site-0002")
        await fleet.wait_linked("site-0002")
        await fleet.kill_site("site-0001")  # SIGKILL, store kept
        await fleet.start_site("site-0001")

``site_servers=3`` / ``hub_servers=3`` start every site and the hub as clusters (one process
per member, each with its own ports and store); ``kill_server(site, n)`` and
``stop_hub_server(n)`` fail one member, ``stream_leader(site, stream)`` tells which member
leads a stream; ``site_config`` may change each site server's configuration (tests of a
misconfigured server: no ``sync_interval: always``, a small ``max_file_store``); with
``mqtt=True`` every site server has an MQTT listener (``mqtt_ports[site]``).
Configuration text comes from ``serverconf`` (the same text operators deploy):
the hub's leaf listener has ``no_advertise: true`` so a site cannot learn the real address
and go around its proxy; sites use ``sync_interval: always`` and ``reconnect: 1``. With
``auth`` (a ``fleet.auth.FleetAuth``), every server runs in operator mode and each site's leaf link
presents that site's own credentials. Every process is stopped on exit, also when the block
is left by an exception or a cancellation (Ctrl-C).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Self

import nats.errors
from nats.aio.client import Client

from specgen_runtime.errors import ServerError
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.jsapi import JsApi, connect
from specgen_runtime.fleet.proxy import LinkProxy, LinkState
from specgen_runtime.fleet.serverconf import (
    AuthSource,
    ClusterConfig,
    ClusterMember,
    HubServerConfig,
    SiteServerConfig,
    hub_config_text,
    site_config_text,
)
from specgen_runtime.servers import NatsServer, free_port

__all__ = ["LinkState", "LinkProxy", "LocalFleet"]

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass
class _ConfiguredServer(NatsServer):
    """A NatsServer whose configuration text is rendered by ``serverconf``."""

    render: Callable[[int], str] = field(default=lambda port: "", kw_only=True)

    def config_text(self) -> str:
        return self.render(self.port)


def _local_members(name: str, size: int) -> tuple[ClusterMember, ...]:
    """Members named like ``cluster_members`` does, on free loopback ports."""
    if size == 1:
        return (ClusterMember(name, "127.0.0.1", free_port(), 0),)
    return tuple(
        ClusterMember(f"{name}-{i}", "127.0.0.1", free_port(), free_port())
        for i in range(1, size + 1)
    )


def _cluster(
    name: str, member: ClusterMember, members: Sequence[ClusterMember]
) -> ClusterConfig | None:
    if len(members) == 1:
        return None
    routes = tuple(m.route_url for m in members)
    return ClusterConfig(name=name, host=member.host, port=member.cluster_port, routes=routes)


class LocalFleet:
    """A hub and ``sites`` on 127.0.0.1, each with its own ports and store under ``root``."""

    def __init__(
        self,
        root: Path,
        sites: Sequence[str],
        *,
        hub_domain: str = "hub",
        site_servers: int = 1,
        hub_servers: int = 1,
        auth: AuthSource | None = None,
        site_config: Callable[[SiteServerConfig], SiteServerConfig] | None = None,
        mqtt: bool = False,
        start_timeout: float = 10.0,
        link_timeout: float = 15.0,
    ) -> None:
        if len(set(sites)) != len(sites) or not all(_NAME.match(s) for s in sites):
            raise ServerError(f"site ids must be unique NATS tokens: {list(sites)!r}")
        if hub_domain in sites:
            raise ServerError(f"site id {hub_domain!r} is the hub's domain")
        if site_servers < 1 or hub_servers < 1:
            raise ServerError("a site and the hub need at least one server each")
        self.root = Path(root)
        self.sites: tuple[str, ...] = tuple(sites)
        self.hub_domain = hub_domain
        self.link_timeout = link_timeout
        self.auth = auth
        self._site_config = site_config or (lambda conf: conf)
        self._mqtt = mqtt
        self.mqtt_ports: dict[str, list[int]] = {}
        self._start_timeout = start_timeout
        hub_members = _local_members("hub", hub_servers)
        self._hub_leaf_ports = tuple(free_port() for _ in hub_members)
        self.hub_leaf_port = self._hub_leaf_ports[0]
        self._hub = [
            self._hub_server(member, hub_members, leaf_port)
            for member, leaf_port in zip(hub_members, self._hub_leaf_ports, strict=True)
        ]
        self._links = {site: LinkProxy(self._hub_leaf_ports) for site in self.sites}
        self._sites = {site: self._site_cluster(site, site_servers) for site in self.sites}

    def _hub_server(
        self, member: ClusterMember, members: Sequence[ClusterMember], leaf_port: int
    ) -> _ConfiguredServer:
        store = self.root / member.server_name
        conf = HubServerConfig(
            store_dir=str(store / "jetstream"),
            server_name=member.server_name,
            domain=self.hub_domain,
            port=member.port,
            leaf_port=leaf_port,
            cluster=_cluster("hub", member, members),
            auth=self.auth.hub_block(store / "jwt") if self.auth else None,
        )
        return _ConfiguredServer(
            member.server_name,
            store_dir=store,
            port=member.port,
            start_timeout=self._start_timeout,
            render=lambda port: hub_config_text(conf),
        )

    def _site_cluster(self, site: str, size: int) -> list[_ConfiguredServer]:
        members = _local_members(site, size)
        servers = []
        for member in members:
            store = self.root / site / member.server_name if size > 1 else self.root / site
            conf = SiteServerConfig(
                site_id=site,
                store_dir=str(store / "jetstream"),
                hub_leaf_urls=(f"nats-leaf://127.0.0.1:{self._links[site].port}",),
                server_name=member.server_name,
                port=member.port,
                cluster=_cluster(site, member, members),
                auth=self.auth.site_block(site, store / "jwt") if self.auth else None,
                mqtt_port=free_port() if self._mqtt else None,
            )
            conf = self._site_config(conf)
            if conf.mqtt_port is not None:
                self.mqtt_ports.setdefault(site, []).append(conf.mqtt_port)
            servers.append(
                _ConfiguredServer(
                    member.server_name,
                    store_dir=store,
                    port=member.port,
                    start_timeout=self._start_timeout,
                    render=lambda port, conf=conf: site_config_text(conf),  # type: ignore[misc]
                )
            )
        return servers

    # -- addresses -------------------------------------------------------------------------

    @property
    def hub(self) -> NatsServer:
        """The hub's first server."""
        return self._hub[0]

    @property
    def hub_servers(self) -> tuple[NatsServer, ...]:
        return tuple(self._hub)

    @property
    def hub_url(self) -> str:
        return self._hub[0].url

    @property
    def hub_urls(self) -> list[str]:
        return [server.url for server in self._hub]

    def site_url(self, site: str) -> str:
        return self.site_server(site).url

    def site_urls(self, site: str) -> list[str]:
        return [server.url for server in self.site_members(site)]

    def site_server(self, site: str) -> NatsServer:
        """The site's first server."""
        return self.site_members(site)[0]

    def site_members(self, site: str) -> tuple[NatsServer, ...]:
        try:
            return tuple(self._sites[site])
        except KeyError:
            raise ServerError(f"no site {site!r} in this fleet") from None

    def link(self, site: str) -> LinkProxy:
        self.site_members(site)
        return self._links[site]

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, *, wait_linked: bool = True) -> Self:
        """Start the hub, the proxies and every site; by default wait until all are linked."""
        try:
            await _start_all(self._hub)
            await self.wait_hub_ready()
            for site in self.sites:
                await self._links[site].start()
                await _start_all(self._sites[site])
            if wait_linked:
                await asyncio.gather(*(self.wait_linked(site) for site in self.sites))
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        """Stop every process (synchronously first, so a cancellation cannot skip it)."""
        for members in self._sites.values():
            for server in members:
                server.stop()
        for server in self._hub:
            server.stop()
        for link in self._links.values():
            await link.close()

    async def __aenter__(self) -> Self:
        return await self.start()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    # -- faults ----------------------------------------------------------------------------

    async def cut(self, site: str) -> None:
        """Cut the site's link to the hub (both keep running)."""
        await self.link(site).cut()

    def restore(self, site: str) -> None:
        """Restore the site's link; the site reconnects within about a second."""
        self.link(site).restore()

    async def stop_hub(self) -> None:
        await asyncio.gather(*(asyncio.to_thread(s.stop) for s in self._hub))

    async def start_hub(self) -> None:
        await _start_all(self._hub)

    async def restart_hub(self) -> None:
        await self.stop_hub()
        await self.start_hub()

    async def stop_hub_server(self, index: int) -> None:
        """Stop one server of the hub cluster (SIGTERM; its store is kept)."""
        await asyncio.to_thread(self._member(self._hub, index, "hub").stop)

    async def start_hub_server(self, index: int) -> None:
        await asyncio.to_thread(self._member(self._hub, index, "hub").start)

    async def kill_site(self, site: str) -> None:
        """SIGKILL every server of the site (a power cut); the stores are kept."""
        for server in self.site_members(site):
            await asyncio.to_thread(server.kill)

    async def stop_site(self, site: str) -> None:
        await asyncio.gather(*(asyncio.to_thread(s.stop) for s in self.site_members(site)))

    async def start_site(self, site: str) -> None:
        """Start the site's servers again on the same ports and stores."""
        await _start_all(self.site_members(site))

    async def restart_site(self, site: str) -> None:
        await self.stop_site(site)
        await self.start_site(site)

    async def kill_server(self, site: str, index: int) -> None:
        """SIGKILL one server of a site's cluster (``index`` from 0); its store is kept."""
        await asyncio.to_thread(self._member(self.site_members(site), index, site).kill)

    async def start_server(self, site: str, index: int) -> None:
        await asyncio.to_thread(self._member(self.site_members(site), index, site).start)

    @staticmethod
    def _member(members: Sequence[NatsServer], index: int, what: str) -> NatsServer:
        if not 0 <= index < len(members):
            raise ServerError(f"{what} has servers 0..{len(members) - 1}, not {index}")
        return members[index]

    async def stream_leader(self, site: str, stream: str, *, timeout: float = 10.0) -> int:
        """Index of the site's server that leads ``stream`` (waits for an elected leader)."""
        names = [server.name for server in self.site_members(site)]
        deadline = time.monotonic() + timeout
        nc = await self.hub_client()
        try:
            api = JsApi(nc, domain=site, target=site, timeout=2.0)
            while True:
                try:
                    info = await api.stream_info(stream)
                except FleetError:
                    info = None
                leader = ((info or {}).get("cluster") or {}).get("leader")
                if leader in names:
                    return names.index(leader)
                if time.monotonic() >= deadline:
                    raise ServerError(f"{site}: no leader of {stream} within {timeout}s")
                await asyncio.sleep(0.1)
        finally:
            await nc.close()

    async def hub_client(self, *, timeout: float = 2.0) -> Client:
        """A client of the hub with the fleet operator's rights (credentials if auth is on)."""
        creds = self.auth.operator_creds() if self.auth else None
        return await connect(self.hub_urls, timeout=timeout, credentials=creds)

    async def wait_hub_ready(self, timeout: float | None = None) -> None:
        """Wait until the hub's JetStream answers (a hub cluster has elected its leader)."""
        if not await self._answers(
            "$JS.API.INFO", self.link_timeout if timeout is None else timeout
        ):
            raise ServerError(f"the hub's JetStream did not answer within {timeout}s")

    async def wait_linked(self, site: str, timeout: float | None = None) -> None:
        """Wait until the hub reaches the site's JetStream domain (raises ServerError)."""
        limit = self.link_timeout if timeout is None else timeout
        if not await self.is_linked(site, timeout=limit):
            raise ServerError(f"site {site!r} not reachable from the hub within {limit}s")

    async def is_linked(self, site: str, *, timeout: float = 1.0) -> bool:
        """Whether the hub reaches the site's JetStream domain within ``timeout``."""
        self.site_members(site)
        return await self._answers(f"$JS.{site}.API.INFO", timeout)

    async def _answers(self, subject: str, timeout: float) -> bool:
        """Whether a JetStream API request on ``subject`` succeeds at the hub in time."""
        deadline = time.monotonic() + timeout
        try:
            nc = await self.hub_client(timeout=min(timeout, 2.0))
        except FleetError:
            return False
        try:
            while True:
                try:
                    msg = await nc.request(subject, b"", timeout=0.5)
                    if b'"error"' not in msg.data:
                        return True
                except (nats.errors.Error, TimeoutError):
                    pass
                if time.monotonic() >= deadline:
                    return False
                await asyncio.sleep(0.1)
        finally:
            await nc.close()


async def _start_all(servers: Sequence[NatsServer]) -> None:
    """Start servers concurrently (cluster members wait for each other's routes)."""
    await asyncio.gather(*(asyncio.to_thread(server.start) for server in servers))
