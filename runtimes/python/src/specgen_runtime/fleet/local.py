"""A whole fleet on one machine: one hub and N sites as separate nats-server processes.

Each site is a leaf node of the hub through its own ``LinkProxy``, so tests and the demo can
cut and restore one site's link, stop the hub, or kill -9 a site and restart it on its store::

    async with LocalFleet(tmp_path, ["site-0001", "site-0002"]) as fleet:
        nc = await nats.connect(fleet.site_url("site-0001"))
        await fleet.cut("site-0002")        # link down; site-0002 keeps running
        fleet.restore("site-0002")
        await fleet.wait_linked("site-0002")
        await fleet.kill_site("site-0001")  # SIGKILL, store kept
        await fleet.start_site("site-0001")

Configuration text comes from ``serverconf`` (the same text operators deploy): the hub's leaf
listener has ``no_advertise: true`` so a site cannot learn the real address and go around its
proxy; sites use ``sync_interval: always`` and ``reconnect: 1``. Every process is stopped on
exit, also when the block is left by an exception or a cancellation (Ctrl-C).
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import TracebackType
from typing import Self, TypeVar

import nats.errors

from specgen_runtime.errors import ServerError
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.jsapi import connect
from specgen_runtime.fleet.proxy import LinkProxy, LinkState
from specgen_runtime.fleet.serverconf import (
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


class LocalFleet:
    """One hub and ``sites`` on 127.0.0.1, each with its own ports and store under ``root``."""

    def __init__(
        self,
        root: Path,
        sites: Sequence[str],
        *,
        hub_domain: str = "hub",
        start_timeout: float = 10.0,
        link_timeout: float = 15.0,
    ) -> None:
        if len(set(sites)) != len(sites) or not all(_NAME.match(s) for s in sites):
            raise ServerError(f"site ids must be unique NATS tokens: {list(sites)!r}")
        if hub_domain in sites:
            raise ServerError(f"site id {hub_domain!r} is the hub's domain")
        self.root = Path(root)
        self.sites: tuple[str, ...] = tuple(sites)
        self.hub_domain = hub_domain
        self.link_timeout = link_timeout
        self.hub_leaf_port = free_port()
        hub_conf = HubServerConfig(
            store_dir=str(self.root / "hub" / "jetstream"),
            domain=hub_domain,
            leaf_port=self.hub_leaf_port,
        )
        self.hub = _ConfiguredServer(
            "hub",
            store_dir=self.root / "hub",
            start_timeout=start_timeout,
            render=lambda port: hub_config_text(_with_port(hub_conf, port)),
        )
        self._links = {site: LinkProxy(self.hub_leaf_port) for site in self.sites}
        self._sites = {site: self._site_server(site, start_timeout) for site in self.sites}

    def _site_server(self, site: str, start_timeout: float) -> _ConfiguredServer:
        conf = SiteServerConfig(
            site_id=site,
            store_dir=str(self.root / site / "jetstream"),
            hub_leaf_urls=(f"nats-leaf://127.0.0.1:{self._links[site].port}",),
        )
        return _ConfiguredServer(
            site,
            store_dir=self.root / site,
            start_timeout=start_timeout,
            render=lambda port: site_config_text(_with_port(conf, port)),
        )

    # -- addresses -------------------------------------------------------------------------

    @property
    def hub_url(self) -> str:
        return self.hub.url

    def site_url(self, site: str) -> str:
        return self.site_server(site).url

    def site_server(self, site: str) -> NatsServer:
        try:
            return self._sites[site]
        except KeyError:
            raise ServerError(f"no site {site!r} in this fleet") from None

    def link(self, site: str) -> LinkProxy:
        self.site_server(site)
        return self._links[site]

    # -- lifecycle -------------------------------------------------------------------------

    async def start(self, *, wait_linked: bool = True) -> Self:
        """Start the hub, the proxies and every site; by default wait until all are linked."""
        try:
            await asyncio.to_thread(self.hub.start)
            for site in self.sites:
                await self._links[site].start()
                await asyncio.to_thread(self._sites[site].start)
            if wait_linked:
                await asyncio.gather(*(self.wait_linked(site) for site in self.sites))
        except BaseException:
            await self.close()
            raise
        return self

    async def close(self) -> None:
        """Stop every process (synchronously first, so a cancellation cannot skip it)."""
        for server in (*self._sites.values(), self.hub):
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
        await asyncio.to_thread(self.hub.stop)

    async def start_hub(self) -> None:
        await asyncio.to_thread(self.hub.start)

    async def restart_hub(self) -> None:
        await asyncio.to_thread(self.hub.restart)

    async def kill_site(self, site: str) -> None:
        """SIGKILL the site's server (a power cut); its store is kept."""
        await asyncio.to_thread(self.site_server(site).kill)

    async def stop_site(self, site: str) -> None:
        await asyncio.to_thread(self.site_server(site).stop)

    async def start_site(self, site: str) -> None:
        """Start the site's server again on the same port and store."""
        await asyncio.to_thread(self.site_server(site).start)

    async def restart_site(self, site: str) -> None:
        await asyncio.to_thread(self.site_server(site).restart)

    async def wait_linked(self, site: str, timeout: float | None = None) -> None:
        """Wait until the hub reaches the site's JetStream domain (raises ServerError)."""
        limit = self.link_timeout if timeout is None else timeout
        if not await self.is_linked(site, timeout=limit):
            raise ServerError(f"site {site!r} not reachable from the hub within {limit}s")

    async def is_linked(self, site: str, *, timeout: float = 1.0) -> bool:
        """Whether the hub reaches the site's JetStream domain within ``timeout``."""
        self.site_server(site)
        deadline = time.monotonic() + timeout
        try:
            nc = await connect(self.hub_url, timeout=min(timeout, 2.0))
        except FleetError:
            return False
        try:
            while True:
                try:
                    msg = await nc.request(f"$JS.{site}.API.INFO", b"", timeout=0.5)
                    if b'"error"' not in msg.data:
                        return True
                except (nats.errors.Error, TimeoutError):
                    pass
                if time.monotonic() >= deadline:
                    return False
                await asyncio.sleep(0.1)
        finally:
            await nc.close()


_Conf = TypeVar("_Conf", HubServerConfig, SiteServerConfig)


def _with_port(conf: _Conf, port: int) -> _Conf:
    return replace(conf, port=port)
