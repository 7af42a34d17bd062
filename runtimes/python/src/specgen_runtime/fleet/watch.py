"""``specgen fleet watch``: catch-up without anyone watching, a long-running process at the hub.

It listens to the servers' events and renews a site's cloud source (``catchup.renew_source``,
crash-safe and idempotent) as soon as sourcing would otherwise wait for the server's own
retry (25-40 s):

* the hub accepted a leaf connection from the site again (system account);
* the site's upload stream elected a new leader (its source consumer lived on the old one);
* one of the site's domain streams elected a new leader (the upload stream's source of it
  is renewed, through the site's domain);
* a cloud stream elected a new leader (every linked site is renewed).

Before renewing it waits until the site's JetStream answers over the new link (so the
server's first request is not lost to missing interest), then renews once per burst of
events (``settle`` seconds). A sweep every ``sweep`` seconds renews any site that answers
but is still stale, which covers events missed while the watcher or the hub was down, and
at start it finishes renewals a previous watcher left half-way. Two watchers at once are
safe: a renewal in progress is noted in the stream and completed by whoever sees it.

The clients should reconnect by themselves (``watch_clients``), so the watcher survives a
hub restart: subscriptions come back with the connection and the sweep catches up.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import nats
import nats.errors
from nats.aio.client import Client

from specgen_runtime.fleet.catchup import (
    catch_up,
    finish_renewals,
    renew_local_source,
    renew_source,
)
from specgen_runtime.fleet.errors import FleetError
from specgen_runtime.fleet.events import EventFeed, FleetEvent
from specgen_runtime.fleet.jsapi import JsApi
from specgen_runtime.fleet.topology import Topology

__all__ = ["Watcher", "watch_clients"]


async def watch_clients(
    urls: str | list[str], creds: Path | None, system_creds: Path | None
) -> tuple[Client, Client | None]:
    """Clients that reconnect for ever (every 0.25 s), for a process that must not stop."""

    async def quiet(_exc: Exception) -> None:
        pass

    def client(path: Path | None) -> dict[str, object]:
        options: dict[str, object] = {"max_reconnect_attempts": -1, "reconnect_time_wait": 0.25,
                                      "error_cb": quiet}  # fmt: skip
        if path is not None:
            options["user_credentials"] = str(path)
        return options

    servers = urls.split(",") if isinstance(urls, str) else urls
    nc = await nats.connect(servers, **client(creds))
    if system_creds is None:
        return nc, None
    return nc, await nats.connect(servers, **client(system_creds))


class Watcher:
    """Renews sites' cloud sources on leaf reconnects and leader changes (see module doc)."""

    def __init__(
        self,
        nc: Client,
        sys_nc: Client | None,
        topology: Topology,
        *,
        sites: Iterable[str] | None = None,
        settle: float = 0.25,
        sweep: float = 5.0,
        stale_after: float = 5.0,
        ready_timeout: float = 10.0,
        system_account: str | None = None,
        out: Callable[[str], None] = lambda line: None,
    ) -> None:
        self.nc, self.sys_nc, self.topology = nc, sys_nc, topology
        self.sites = None if sites is None else topology.check_sites(sites)
        self.settle, self.sweep, self.stale_after = settle, sweep, stale_after
        self.ready_timeout = ready_timeout
        self.system_account = system_account
        self.out = out
        self.renewals: list[tuple[float, str, str]] = []  # (monotonic time, site, why)
        self._pending: dict[str, asyncio.Task[None]] = {}
        self._api = JsApi(nc, domain=None, target="hub", timeout=2.0)

    async def run(self, duration: float | None = None) -> None:
        """Watch until cancelled (or for ``duration`` seconds)."""
        feed = EventFeed(self.nc, self.sys_nc, cloud_domain=self.topology.cloud_domain,
                         system_account=self.system_account)  # fmt: skip
        sweeper = asyncio.create_task(self._sweep_forever())
        deadline = None if duration is None else time.monotonic() + duration
        try:
            async with feed:
                await self._finish_left_over()
                while deadline is None or time.monotonic() < deadline:
                    wait = None if deadline is None else max(0.0, deadline - time.monotonic())
                    try:
                        event = await feed.next(timeout=wait)
                    except TimeoutError:
                        break
                    self._on_event(event)
        finally:
            sweeper.cancel()
            for task in (sweeper, *self._pending.values()):
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task

    def _watched(self, site: str) -> bool:
        return site != self.topology.cloud_domain and (self.sites is None or site in self.sites)

    def _on_event(self, event: FleetEvent) -> None:
        if event.kind == "leaf.connected" and "system" not in event.detail:
            if self._watched(event.site):
                self._schedule(event.site, "leaf link back")
        elif event.kind == "stream.leader_elected":
            if event.stream == self.topology.upload_name and self._watched(event.site):
                self._schedule(event.site, f"{event.stream} {event.detail}")
            elif event.stream in self.topology.upload_template.sources and self._watched(
                event.site
            ):
                self._schedule(event.site, f"{event.stream} {event.detail}", local=event.stream)
            elif event.stream in self.topology.cloud_stream_names:
                task = asyncio.create_task(self._renew_all(f"cloud {event.stream} {event.detail}"))
                self._pending[f"*{event.stream}"] = task

    async def _renew_all(self, why: str) -> None:
        """Schedule every site a cloud stream sources (the new leader re-creates them all)."""
        sites: set[str] = set()
        for stream in self.topology.cloud_stream_names:
            with contextlib.suppress(FleetError):
                info = await self._api.stream_info(stream)
                for source in (info or {}).get("sources") or []:
                    api = (source.get("external") or {}).get("api") or ""
                    if api.startswith("$JS.") and api.endswith(".API"):
                        sites.add(api[4:-4])
        for site in sorted(sites):
            if self._watched(site):
                self._schedule(site, why)

    def _schedule(self, site: str, why: str, *, local: str | None = None) -> None:
        """Renew after ``settle`` s; a newer event for the same source restarts the wait.

        ``local``: renew the site's upload stream's source of that stream instead of the
        cloud's source of the site.
        """
        key = f"{site}:{local or ''}"
        previous = self._pending.pop(key, None)
        if previous is not None and not previous.done():
            previous.cancel()
        self._pending[key] = asyncio.create_task(self._renew_when_ready(site, why, local))

    async def _renew_when_ready(self, site: str, why: str, local: str | None) -> None:
        await asyncio.sleep(self.settle)
        if not await self._answers(site):
            self.out(f"{site}: {why}, but its JetStream does not answer; the sweep retries")
            return
        try:
            if local is not None:
                api = JsApi(self.nc, domain=site, target=site, timeout=2.0)
                await renew_local_source(api, self.topology.upload_name, local)
            else:
                for stream in self.topology.cloud_stream_names:
                    await renew_source(self._api, stream, site)
        except FleetError as exc:
            self.out(f"{site}: renewal failed: {exc}")
            return
        what = f"{self.topology.upload_name} source {local}" if local else "cloud source"
        self.renewals.append((time.monotonic(), site, why))
        self.out(f"{site}: {what} renewed ({why})")

    async def _answers(self, site: str) -> bool:
        """Whether the site's JetStream answers over the link (interest has propagated)."""
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            try:
                msg = await self.nc.request(f"$JS.{site}.API.INFO", b"", timeout=0.5)
                if b'"error"' not in msg.data:
                    return True
            except (nats.errors.Error, TimeoutError):
                pass
            await asyncio.sleep(0.1)
        return False

    async def _finish_left_over(self) -> None:
        for stream in self.topology.cloud_stream_names:
            with contextlib.suppress(FleetError):
                for site in await finish_renewals(self._api, stream):
                    self.out(f"{site}: finished a renewal left half-way")

    async def _sweep_forever(self) -> None:
        while True:
            await asyncio.sleep(self.sweep)
            try:
                await self._finish_left_over()
                renewed = await catch_up(self.nc, self.topology, self.sites,
                                         stale_after=self.stale_after, timeout=1.0)  # fmt: skip
            except (FleetError, nats.errors.Error, TimeoutError):
                continue  # the hub is away; try again at the next sweep
            for site in renewed:
                self.renewals.append((time.monotonic(), site, "sweep: stale"))
                self.out(f"{site}: cloud source renewed (sweep: stale)")
